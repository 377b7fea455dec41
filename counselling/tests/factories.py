"""Test data for counselling: counsellors, slots and bookings. Other parts of the
counselling work add their own helpers here."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from core.tests.factories import StaffFactory, UserFactory  # noqa: F401 - re-exported for this app's tests
from core.vocabulary import SEOUL
from counselling.models import Mode, Slot
from programmes.models import Centre
from programmes.tests.factories import CentreFactory  # noqa: F401 - re-exported

ALL_MODES = [Mode.VISIT.value, Mode.PHONE.value, Mode.VIDEO.value]


def seoul_at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`days` from today (Seoul) at hour:minute, Seoul time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SEOUL)


def counsellor(**fields: Any) -> User:
    return StaffFactory.create(**fields)


def slot(
    *,
    centre: Centre | None = None,
    counsellor_user: User | None = None,
    starts_at: dt.datetime | None = None,
    minutes: int = 60,
    modes: list[str] | None = None,
    **fields: Any,
) -> Slot:
    """A bookable slot (three days ahead at 10:00 by default), created directly: the
    generation from weekly hours is tested where it lives."""
    starts_at = starts_at or seoul_at(3, 10)
    return Slot.objects.create(
        centre=centre or CentreFactory.create(),
        counsellor=counsellor_user or counsellor(),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        modes=list(ALL_MODES if modes is None else modes),
        **fields,
    )


def slots(count: int, *, centre: Centre | None = None, counsellor_user: User | None = None, first: dt.datetime | None = None, **fields: Any) -> list[Slot]:
    """`count` consecutive hourly slots of one counsellor at one centre."""
    centre = centre or CentreFactory.create()
    person = counsellor_user or counsellor()
    start = first or seoul_at(3, 10)
    return [slot(centre=centre, counsellor_user=person, starts_at=start + dt.timedelta(hours=i), **fields) for i in range(count)]
