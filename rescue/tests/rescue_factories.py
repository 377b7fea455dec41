"""Test data for 폐강 prevention, built through the programmes actions (create_session,
enrol) as production builds it."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from core.roles import Role
from core.tests.factories import grant
from programmes import services
from programmes.models import SEOUL, Centre, Enrolment, Mode, Programme, Session

_seq = itertools.count(1)


def person(name: str = "", *, staff: bool = False) -> User:
    """A person; `staff=True` makes them a national programme operator."""
    n = next(_seq)
    email = f"{name or 'person'}{n}@example.com"
    user = User.objects.create_user(username=email, email=email)
    if staff:
        grant(user, Role.OPERATOR)
    return user


def centre(region: str = "11", name: str = "") -> Centre:
    n = next(_seq)
    return Centre.objects.create(slug=f"centre-{n}", name=name or f"센터 {n}", region=region)


def programme(*, min_enrolment: int = 3, capacity: int = 10) -> Programme:
    n = next(_seq)
    return Programme.objects.create(
        slug=f"programme-{n}", name_ko=f"생애경력설계 과정 {n}", audience="employed", track="employed_tier",
        min_enrolment=min_enrolment, default_capacity=capacity, modes=["centre", "online_live"],
    )


def at(days: int, hour: int = 10, *, weekend: bool = False) -> dt.datetime:
    """A Seoul time `days` or a little more from today, on a weekday (or a weekend day)."""
    day = timezone.localdate() + dt.timedelta(days=days)
    while (day.weekday() >= 5) != weekend:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=SEOUL)


def session(
    prog: Programme, *, where: Centre | None = None, mode: str = Mode.CENTRE, starts_at: dt.datetime | None = None,
    capacity: int = 10, min_enrolment: int | None = None, open_now: bool = True, deadline_before: dt.timedelta = dt.timedelta(days=1),
    **fields: Any,
) -> Session:
    starts = starts_at or at(5)
    return services.create_session(
        open_now=open_now, programme=prog, mode=mode, centre=where if mode == Mode.CENTRE else None,
        starts_at=starts, ends_at=starts + dt.timedelta(hours=6),
        enrolment_deadline=min(starts - deadline_before, starts), capacity=capacity, min_enrolment=min(3, capacity) if min_enrolment is None else min_enrolment,
        **fields,
    )


def enrol(target: Session, count: int = 1) -> list[Enrolment]:
    return [services.enrol(target.pk, person()) for _ in range(count)]
