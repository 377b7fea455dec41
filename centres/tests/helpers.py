"""Test data for the centre pages and API: centres and published counselling slots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from core.tests.factories import StaffFactory, UserFactory
from counselling.models import Booking, Case, Slot
from programmes.models import Centre
from programmes.tests.factories import CentreFactory

NOTE = "조사메모-비공개-7Q"


def centre(**kwargs: Any) -> Centre:
    kwargs.setdefault("notes", NOTE)
    return CentreFactory.create(**kwargs)


def slot(at: Centre, *, days: int = 3, hour: int = 10, modes: tuple[str, ...] = ("visit", "phone"), **kwargs: Any) -> Slot:
    """A slot `days` from now at hour:00 (local time), one hour long."""
    day = timezone.localdate() + dt.timedelta(days=days)
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return Slot.objects.create(
        counsellor=kwargs.pop("counsellor", None) or StaffFactory.create(),
        centre=at, starts_at=starts, ends_at=starts + dt.timedelta(hours=1), modes=list(modes), **kwargs,
    )


def book(s: Slot) -> Booking:
    citizen = UserFactory.create()
    case = Case.objects.create(citizen=citizen, centre=s.centre)
    return Booking.objects.create(case=case, citizen=citizen, slot=s, mode=s.modes[0], topic="unsure")
