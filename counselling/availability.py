"""Counsellors' hours → bookable slots.

A counsellor publishes a weekly pattern per centre (`WeeklyHours`) and exceptions
(`HoursException`: a whole day or a span off, for holidays and leave). `generate_slots`
materialises `Slot` rows for the next `WINDOW_DAYS` from the pattern minus the
exceptions:

* idempotent: a slot is keyed by (counsellor, starts_at) (a unique constraint), so running
  it twice, or the daily job and a page save at once, creates each slot once;
* a future free slot that is no longer in the pattern (or falls in an exception) is
  withdrawn; a withdrawn one that is wanted again comes back;
* a booked slot is never touched: the counsellor cancels that booking with a reason
  (`casework.cancel_by_counsellor`), so the person is told and offered other times.

Times are Seoul wall-clock times (Asia/Seoul has had no daylight saving since 1988, so a
pattern of "10:00" is the same instant offset every day of the year).

It runs when the hours page saves and once a day (notifications/schedules.py), which
extends the window by a day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core import vocabulary as vocab
from core.vocabulary import SEOUL
from counselling.models import LIVE_BOOKING, Booking, HoursException, Mode, Slot, WeeklyHours
from programmes.models import Centre

WINDOW_DAYS = 42  # six weeks ahead


@dataclass(frozen=True)
class Planned:
    starts_at: dt.datetime
    ends_at: dt.datetime
    modes: tuple[str, ...]
    is_demo: bool


@dataclass(frozen=True)
class Outcome:
    created: int = 0
    withdrawn: int = 0
    restored: int = 0
    booked_outside: int = 0  # booked slots no longer in the pattern: the counsellor must cancel them


def _off(exceptions: Iterable[HoursException], day: dt.date, starts: dt.time, ends: dt.time) -> bool:
    for exc in exceptions:
        if exc.date != day:
            continue
        if exc.starts is None or exc.ends is None:
            return True  # the whole day
        if exc.starts < ends and starts < exc.ends:  # the spans overlap
            return True
    return False


def cut(hours: WeeklyHours, day: dt.date) -> list[tuple[dt.time, dt.time]]:
    """The slot times of one pattern row on one day; a remainder shorter than a slot is
    dropped (09:00–10:30 in 60-minute slots is one slot)."""
    step = dt.timedelta(minutes=hours.slot_minutes)
    start = dt.datetime.combine(day, hours.starts)
    end = dt.datetime.combine(day, hours.ends)
    times = []
    while start + step <= end:
        times.append((start.time(), (start + step).time()))
        start += step
    return times


def planned_slots(
    patterns: Iterable[WeeklyHours], exceptions: Iterable[HoursException], *, first: dt.date, until: dt.date, after: dt.datetime
) -> dict[dt.datetime, Planned]:
    """Pure: the slots the pattern asks for on the days [first, until), starting after `after`."""
    patterns = list(patterns)
    exceptions = list(exceptions)
    planned: dict[dt.datetime, Planned] = {}
    day = first
    while day < until:
        for hours in patterns:
            if hours.weekday != day.weekday():
                continue
            for starts, ends in cut(hours, day):
                if _off(exceptions, day, starts, ends):
                    continue
                starts_at = dt.datetime.combine(day, starts, tzinfo=SEOUL)
                if starts_at <= after:
                    continue
                planned[starts_at] = Planned(
                    starts_at, dt.datetime.combine(day, ends, tzinfo=SEOUL), tuple(hours.modes), hours.is_demo
                )
        day += dt.timedelta(days=1)
    return planned


@transaction.atomic
def generate_slots(counsellor: User, centre: Centre, *, until: dt.date | None = None, now: dt.datetime | None = None) -> Outcome:
    """Bring the counsellor's future slots at `centre` in line with their pattern (see the
    module docstring). `until` is the first day not generated (default: six weeks ahead)."""
    now = now or timezone.now()
    today = now.astimezone(SEOUL).date()
    until = until or today + dt.timedelta(days=WINDOW_DAYS)
    window_end = dt.datetime.combine(until, dt.time(0), tzinfo=SEOUL)
    patterns = WeeklyHours.objects.filter(counsellor=counsellor, centre=centre)
    exceptions = HoursException.objects.filter(counsellor=counsellor, date__gte=today, date__lt=until)
    wanted = planned_slots(patterns, exceptions, first=today, until=until, after=now)

    booked = Booking.objects.filter(LIVE_BOOKING, slot=OuterRef("pk"))
    # The counsellor's future slots at every centre: a time moved from one centre to another
    # reuses the free slot (one counsellor is in one place at a time; the unique key is
    # (counsellor, starts_at)).
    existing = {
        slot.starts_at: slot
        for slot in Slot.objects.select_for_update()
        .filter(counsellor=counsellor, starts_at__gt=now, starts_at__lt=window_end)
        .annotate(is_booked=Exists(booked))
    }
    created = withdrawn = restored = booked_outside = 0
    new: list[Slot] = []
    for starts_at, plan in wanted.items():
        slot = existing.get(starts_at)
        if slot is None:
            new.append(
                Slot(counsellor=counsellor, centre=centre, starts_at=starts_at, ends_at=plan.ends_at, modes=list(plan.modes), is_demo=plan.is_demo)
            )
            continue
        if slot.is_booked:
            continue  # a booking keeps its slot as it was booked
        if slot.centre_id != centre.pk and not slot.withdrawn and _still_wanted_elsewhere(slot):
            continue
        changes = {"centre_id": centre.pk, "ends_at": plan.ends_at, "modes": list(plan.modes), "withdrawn": False, "is_demo": plan.is_demo}
        if any(getattr(slot, name) != value for name, value in changes.items()):
            restored += slot.withdrawn
            for name, value in changes.items():
                setattr(slot, name, value)
            slot.save(update_fields=["centre", "ends_at", "modes", "withdrawn", "is_demo"])
    if new:
        # ignore_conflicts: the daily job and a page save may run at once; the unique
        # (counsellor, starts_at) key keeps one row and the other insert does nothing.
        created = len(Slot.objects.bulk_create(new, ignore_conflicts=True))
    for starts_at, slot in existing.items():
        if slot.centre_id != centre.pk or starts_at in wanted:
            continue
        if slot.is_booked:
            booked_outside += 1
        elif not slot.withdrawn:
            slot.withdrawn = True
            slot.save(update_fields=["withdrawn"])
            withdrawn += 1
    return Outcome(created=created, withdrawn=withdrawn, restored=restored, booked_outside=booked_outside)


def _still_wanted_elsewhere(slot: Slot) -> bool:
    """Whether the slot's own centre's pattern still asks for it (then it stays there; the
    hours form refuses overlapping times, so this happens only with data made elsewhere)."""
    day = slot.starts_at.astimezone(SEOUL)
    return WeeklyHours.objects.filter(
        counsellor_id=slot.counsellor_id, centre_id=slot.centre_id, weekday=day.weekday(), starts__lte=day.time(), ends__gt=day.time()
    ).exists()


def centres_of(counsellor: User) -> list[Centre]:
    """The centres where the counsellor has a pattern or future slots."""
    ids = set(WeeklyHours.objects.filter(counsellor=counsellor).values_list("centre_id", flat=True))
    ids |= set(Slot.objects.filter(counsellor=counsellor, starts_at__gt=timezone.now()).values_list("centre_id", flat=True))
    return list(Centre.objects.filter(pk__in=ids).order_by("pk"))


def generate_for(counsellor: User, *, until: dt.date | None = None) -> Outcome:
    """Every centre of the counsellor (after a save of the hours page)."""
    total = Outcome()
    for centre in centres_of(counsellor):
        one = generate_slots(counsellor, centre, until=until)
        total = Outcome(
            total.created + one.created, total.withdrawn + one.withdrawn, total.restored + one.restored, total.booked_outside + one.booked_outside
        )
    return total


def generate_all() -> int:
    """The daily job: every counsellor with a pattern or future slots. Returns slots created."""
    ids = set(WeeklyHours.objects.values_list("counsellor_id", flat=True))
    ids |= set(Slot.objects.filter(starts_at__gt=timezone.now()).values_list("counsellor_id", flat=True))
    return sum(generate_for(user).created for user in User.objects.filter(pk__in=ids).order_by("pk"))


# --- the counsellor's own hours: actions of the hours page --------------------------


class HoursRefused(ValueError):
    """A pattern row or exception that cannot be saved; the message is for the person."""


def _overlapping(counsellor: User, weekday: int, starts: dt.time, ends: dt.time) -> WeeklyHours | None:
    return (
        WeeklyHours.objects.select_related("centre")
        .filter(counsellor=counsellor, weekday=weekday, starts__lt=ends, ends__gt=starts)
        .first()
    )


@transaction.atomic
def add_weekly_hours(
    actor: User, centre: Centre, *, weekday: int, starts: dt.time, ends: dt.time, slot_minutes: int, modes: list[str]
) -> WeeklyHours:
    """Add one row to the actor's own pattern and regenerate their slots. A counsellor's
    hours are their own data: nothing for the access log."""
    if not modes or any(m not in Mode.values for m in modes):
        raise HoursRefused(_("상담 방식을 하나 이상 고르세요."))
    if ends <= starts:
        raise HoursRefused(_("끝나는 시각은 시작 시각보다 늦어야 합니다."))
    if dt.datetime.combine(dt.date.min, starts) + dt.timedelta(minutes=slot_minutes) > dt.datetime.combine(dt.date.min, ends):
        raise HoursRefused(_("시작과 끝 사이가 상담 1회 길이보다 짧습니다."))
    clash = _overlapping(actor, weekday, starts, ends)
    if clash is not None:
        raise HoursRefused(
            _("%(day)s요일 %(start)s–%(end)s (%(centre)s)과 시간이 겹칩니다.")
            % {"day": vocab.label_of(vocab.WEEKDAYS, str(clash.weekday)), "start": f"{clash.starts:%H:%M}", "end": f"{clash.ends:%H:%M}", "centre": clash.centre.name}
        )
    row = WeeklyHours.objects.create(
        counsellor=actor, centre=centre, weekday=weekday, starts=starts, ends=ends, slot_minutes=slot_minutes, modes=sorted(set(modes))
    )
    generate_slots(actor, centre)
    return row


@transaction.atomic
def remove_weekly_hours(actor: User, hours_id: int) -> Outcome:
    row = WeeklyHours.objects.select_related("centre").filter(pk=hours_id, counsellor=actor).first()
    if row is None:
        raise HoursRefused(_("이미 지워졌거나 없는 상담 시간입니다."))
    centre = row.centre
    row.delete()
    return generate_slots(actor, centre)


@transaction.atomic
def add_exception(actor: User, *, date: dt.date, starts: dt.time | None, ends: dt.time | None, reason: str) -> Outcome:
    if (starts is None) != (ends is None):
        raise HoursRefused(_("시간을 정하려면 시작과 끝을 모두 입력하세요. 하루 종일이면 둘 다 비워 두세요."))
    if starts is not None and ends is not None and ends <= starts:
        raise HoursRefused(_("끝나는 시각은 시작 시각보다 늦어야 합니다."))
    HoursException.objects.create(counsellor=actor, date=date, starts=starts, ends=ends, reason=reason)
    return generate_for(actor)


@transaction.atomic
def remove_exception(actor: User, exception_id: int) -> Outcome:
    deleted, _rows = HoursException.objects.filter(pk=exception_id, counsellor=actor).delete()
    if not deleted:
        raise HoursRefused(_("이미 지워졌거나 없는 예외입니다."))
    return generate_for(actor)
