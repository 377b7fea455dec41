"""Test data for programmes, built through the same actions production uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.tests.factories import StaffFactory, UserFactory  # noqa: F401 - re-exported for this app's tests
from core.vocabulary import SEOUL
from programmes import services
from programmes.models import Centre, Enrolment, Mode, Programme, Session, Track


class CentreFactory(DjangoModelFactory[Centre]):
    class Meta:
        model = Centre

    slug = factory.Sequence(lambda n: f"centre-{n}")
    name = factory.Sequence(lambda n: f"테스트중장년내일센터 {n}")
    region = "11"
    address = "서울 중구 세종대로 1"


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name_ko = factory.Sequence(lambda n: f"재직자 생애경력설계 과정 {n}")
    audience = "employed"
    age_band = "50s"
    tier = "basic"
    track = Track.EMPLOYED_TIER
    order = 1
    min_enrolment = 8
    default_capacity = 20
    modes = ["centre", "employer_site"]


def seoul(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A time `days` from today (Seoul) at hour:minute, Seoul time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SEOUL)


def next_weekday(weekday: int, *, after_days: int = 7) -> int:
    """Days from today to the first `weekday` (Monday = 0) at least `after_days` away."""
    today = timezone.localdate()
    for offset in range(after_days, after_days + 7):
        if (today + dt.timedelta(days=offset)).weekday() == weekday:
            return offset
    raise AssertionError("unreachable")


def session(
    *,
    programme: Programme | None = None,
    centre: Centre | None = None,
    mode: str = Mode.CENTRE,
    starts_at: dt.datetime | None = None,
    hours: int = 6,
    capacity: int = 10,
    min_enrolment: int | None = None,
    open_now: bool = True,
    **fields: Any,
) -> Session:
    """An open session (by default) made with services.create_session."""
    starts_at = starts_at or seoul(next_weekday(1))  # a Tuesday, 10:00
    if mode == Mode.CENTRE and centre is None:
        centre = CentreFactory.create()
    if mode == Mode.EMPLOYER_SITE:
        fields.setdefault("employer_place", "테스트(주) 본사 교육장")
        fields.setdefault("region", "41")
    return services.create_session(
        programme=programme or ProgrammeFactory.create(),
        mode=mode,
        centre=centre if mode != Mode.ONLINE_LIVE else None,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(hours=hours),
        enrolment_deadline=fields.pop("enrolment_deadline", starts_at - dt.timedelta(days=1)),
        capacity=capacity,
        min_enrolment=min(2, capacity) if min_enrolment is None else min_enrolment,
        open_now=open_now,
        **fields,
    )


def enrol_many(target: Session, count: int) -> list[Enrolment]:
    return [services.enrol(target.pk, UserFactory.create()) for _ in range(count)]
