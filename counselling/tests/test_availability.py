"""Slots from weekly hours minus exceptions: Seoul times, idempotent, withdrawals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from core.vocabulary import SEOUL
from counselling import availability
from counselling.models import HoursException, Slot, WeeklyHours
from counselling.tests.factories import BookingFactory, CounsellorFactory, centre_of

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2025, 3, 3, 0, 0, tzinfo=SEOUL)  # a Monday, just after midnight


def hours(counsellor: User, weekday: int = 0, start: dt.time = dt.time(10), end: dt.time = dt.time(12), minutes: int = 60, modes: tuple[str, ...] = ("phone",)) -> WeeklyHours:
    return WeeklyHours.objects.create(
        counsellor=counsellor, centre=centre_of(counsellor), weekday=weekday, starts=start, ends=end, slot_minutes=minutes, modes=list(modes)
    )


def run(counsellor: User, until_days: int = 7, now: dt.datetime = MONDAY) -> availability.Outcome:
    return availability.generate_slots(counsellor, centre_of(counsellor), until=now.date() + dt.timedelta(days=until_days), now=now)


def starts(counsellor: User) -> list[str]:
    return [f"{s.starts_at.astimezone(SEOUL):%a %H:%M}" for s in Slot.objects.filter(counsellor=counsellor, withdrawn=False)]


def test_a_weekly_pattern_becomes_slots_in_seoul_time() -> None:
    counsellor = CounsellorFactory.create()
    hours(counsellor, weekday=0, start=dt.time(10), end=dt.time(12))
    run(counsellor)
    slots = list(Slot.objects.filter(counsellor=counsellor))
    assert [s.starts_at for s in slots] == [dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC), dt.datetime(2025, 3, 3, 2, 0, tzinfo=dt.UTC)]
    assert slots[0].ends_at - slots[0].starts_at == dt.timedelta(hours=1)
    assert slots[0].modes == ["phone"]


def test_seoul_has_no_daylight_saving_so_10_oclock_is_01_utc_all_year() -> None:
    counsellor = CounsellorFactory.create()
    hours(counsellor, weekday=6, start=dt.time(10), end=dt.time(11))
    # Europe and the US change clocks in March/October; Seoul does not.
    run(counsellor, until_days=300)
    assert {s.starts_at.astimezone(dt.UTC).time() for s in Slot.objects.filter(counsellor=counsellor)} == {dt.time(1, 0)}
    assert Slot.objects.filter(counsellor=counsellor).count() >= 40


def test_thirty_minute_slots_an_evening_and_a_saturday() -> None:
    counsellor = CounsellorFactory.create()
    hours(counsellor, weekday=2, start=dt.time(18, 30), end=dt.time(20, 0), minutes=30)
    hours(counsellor, weekday=5, start=dt.time(9), end=dt.time(10, 30), minutes=60)  # 30 min left over: dropped
    run(counsellor)
    assert starts(counsellor) == ["Wed 18:30", "Wed 19:00", "Wed 19:30", "Sat 09:00"]


def test_whole_day_and_span_exceptions_take_slots_out() -> None:
    counsellor = CounsellorFactory.create()
    hours(counsellor, weekday=0, start=dt.time(9), end=dt.time(12))
    hours(counsellor, weekday=1, start=dt.time(9), end=dt.time(12))
    HoursException.objects.create(counsellor=counsellor, date=dt.date(2025, 3, 3), reason="연차")
    HoursException.objects.create(counsellor=counsellor, date=dt.date(2025, 3, 4), starts=dt.time(10, 30), ends=dt.time(11))
    run(counsellor)
    assert starts(counsellor) == ["Tue 09:00", "Tue 11:00"]


def test_running_twice_creates_nothing_new() -> None:
    counsellor = CounsellorFactory.create()
    hours(counsellor)
    first = run(counsellor)
    second = run(counsellor)
    assert first.created == 2
    assert second == availability.Outcome()
    assert Slot.objects.filter(counsellor=counsellor).count() == 2


def test_a_slot_no_longer_in_the_pattern_is_withdrawn_and_comes_back() -> None:
    counsellor = CounsellorFactory.create()
    row = hours(counsellor)
    run(counsellor)
    exc = HoursException.objects.create(counsellor=counsellor, date=dt.date(2025, 3, 3), starts=dt.time(10), ends=dt.time(11))
    assert run(counsellor).withdrawn == 1
    assert starts(counsellor) == ["Mon 11:00"]
    exc.delete()
    assert run(counsellor).restored == 1
    assert starts(counsellor) == ["Mon 10:00", "Mon 11:00"]
    row.delete()
    assert run(counsellor).withdrawn == 2


def test_a_booked_slot_stays_when_the_pattern_changes() -> None:
    counsellor = CounsellorFactory.create()
    row = hours(counsellor)
    run(counsellor)
    slot = Slot.objects.filter(counsellor=counsellor).first()
    assert slot is not None
    BookingFactory.create(slot=slot)
    row.delete()
    outcome = run(counsellor)
    assert outcome.booked_outside == 1
    slot.refresh_from_db()
    assert slot.withdrawn is False


def test_past_slots_are_left_alone() -> None:
    counsellor = CounsellorFactory.create()
    row = hours(counsellor)
    run(counsellor)
    row.delete()
    later = MONDAY + dt.timedelta(hours=10, minutes=30)  # 10:30 Seoul: the 10:00 slot has begun
    assert run(counsellor, now=later).withdrawn == 1
    assert Slot.objects.get(counsellor=counsellor, starts_at=MONDAY + dt.timedelta(hours=10)).withdrawn is False


def test_the_window_is_six_weeks_by_default() -> None:
    # A fixed clock: with the real one this failed between 23:00 and midnight in Seoul.
    counsellor = CounsellorFactory.create()
    hours(counsellor, weekday=MONDAY.weekday(), start=dt.time(23), end=dt.time(23, 30), minutes=30)
    availability.generate_slots(counsellor, centre_of(counsellor), now=MONDAY + dt.timedelta(hours=9))
    # Today's 23:00 and the five Mondays after it; the sixth is the first day not generated.
    assert Slot.objects.filter(counsellor=counsellor).count() == 6


def test_overlapping_hours_are_refused_in_korean() -> None:
    counsellor = CounsellorFactory.create()
    centre = centre_of(counsellor)
    availability.add_weekly_hours(counsellor, centre, weekday=0, starts=dt.time(9), ends=dt.time(12), slot_minutes=60, modes=["visit"])
    with pytest.raises(availability.HoursRefused, match="겹칩니다"):
        availability.add_weekly_hours(counsellor, centre, weekday=0, starts=dt.time(11), ends=dt.time(13), slot_minutes=60, modes=["visit"])


def test_the_daily_job_generates_for_every_counsellor_and_is_scheduled() -> None:
    from notifications.schedules import SCHEDULES

    one, two = CounsellorFactory.create(), CounsellorFactory.create()
    today = timezone.localdate().weekday()
    for c in (one, two):
        hours(c, weekday=(today + 1) % 7, start=dt.time(10), end=dt.time(11))
    assert availability.generate_all() == 12
    assert availability.generate_all() == 0
    assert any(p.func == "counselling.availability.generate_all" for p in SCHEDULES)
