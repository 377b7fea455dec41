"""The demo schedule: invented sessions so the service can be tried end to end.

Loaded only when `settings.LOAD_DEMO_SCHEDULE` is on (development by default, never in
production unless asked for). Every demo session has `is_demo=True` and every page,
e-mail and calendar file that shows one marks it "시연용 일정".

Deterministic: whether a session exists on a day depends only on that calendar day (its
weekday and ISO week), never on the day the loader runs, so loading again tomorrow
creates the sessions for the newly reached days and nothing else. Each session is keyed
by `demo_key` (centre, programme, date, time); existing keys are left as they are, and
past demo sessions stay.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.fragments import bump
from core.vocabulary import SEOUL
from programmes.models import Centre, Mode, Programme, Session
from programmes.ranks import programme_ranks
from programmes.signals import SCOPE

LEAD_DAYS = 3  # the first demo session is this many days ahead, so enrolment is still open
WINDOW_DAYS = 91  # about three months
DEADLINE_BEFORE = dt.timedelta(days=2)
DEMO_REGIONS = ("11", "26", "27", "41", "29")  # 서울, 부산, 대구, 경기, 광주: one centre each

EMPLOYED_BASIC = ("employed-40s-basic", "employed-50s-basic", "employed-60s-basic")
EMPLOYED_ADVANCED = ("employed-40s-advanced", "employed-50s-advanced", "employed-60s-advanced")
EMPLOYED_ELECTIVE = ("employed-40s-elective", "employed-50s-elective", "employed-60s-elective")
JOBSEEKER = (
    "jobseeker-1-look-into-life",
    "jobseeker-2-look-back-on-life",
    "jobseeker-3-plan-second-life",
    "jobseeker-4-act-second-life",
)
CAREER_PLANNING = ("career-planning-1-career-diagnosis",)


@dataclass(frozen=True)
class Slot:
    weekday: int  # Monday = 0
    start: dt.time
    end: dt.time
    mode: str
    rotation: tuple[str, ...]  # programme slugs, one per ISO week in turn
    every: int = 1  # runs every n-th ISO week


AT_CENTRE = (
    Slot(1, dt.time(10), dt.time(16), Mode.CENTRE, JOBSEEKER),  # Tuesday daytime
    Slot(2, dt.time(19), dt.time(22), Mode.CENTRE, EMPLOYED_BASIC),  # Wednesday evening
    Slot(3, dt.time(19), dt.time(20, 30), Mode.CENTRE, CAREER_PLANNING),  # Thursday evening 1:1
    Slot(5, dt.time(10), dt.time(16), Mode.CENTRE, EMPLOYED_ADVANCED, every=2),  # Saturday
)
ONLINE = (
    Slot(0, dt.time(19, 30), dt.time(21, 30), Mode.ONLINE_LIVE, EMPLOYED_BASIC),  # Monday evening
    Slot(5, dt.time(10), dt.time(12), Mode.ONLINE_LIVE, EMPLOYED_ELECTIVE, every=2),  # Saturday morning
)


def demo_centres() -> list[Centre]:
    centres = []
    for region in DEMO_REGIONS:
        centre = Centre.objects.filter(region=region).order_by("slug").first()
        if centre is not None:
            centres.append(centre)
    return centres


def planned_sessions(today: dt.date, centres: list[Centre], programmes: dict[str, Programme]) -> list[Session]:
    """The demo sessions for the window after `today` (unsaved)."""
    plan: list[tuple[Centre | None, int, Slot]] = [(c, i, s) for i, c in enumerate(centres) for s in AT_CENTRE]
    plan += [(None, 0, s) for s in ONLINE]
    sessions: list[Session] = []
    for offset in range(LEAD_DAYS, WINDOW_DAYS + 1):
        day = today + dt.timedelta(days=offset)
        week = day.isocalendar().week
        for centre, index, slot in plan:
            if day.weekday() != slot.weekday or (week + index) % slot.every:
                continue
            programme = programmes.get(slot.rotation[(week + index) % len(slot.rotation)])
            if programme is None:
                continue
            starts_at = dt.datetime.combine(day, slot.start, tzinfo=SEOUL)
            minimum = programme.min_enrolment or 1
            session = Session(
                programme=programme,
                mode=slot.mode,
                centre=centre,
                starts_at=starts_at,
                ends_at=dt.datetime.combine(day, slot.end, tzinfo=SEOUL),
                enrolment_deadline=starts_at - DEADLINE_BEFORE,
                capacity=max(programme.default_capacity or 20, minimum),
                min_enrolment=minimum,
                status=Session.Status.OPEN,
                status_changed_at=timezone.now(),
                is_demo=True,
                demo_key=f"demo:{centre.slug if centre else 'online'}:{programme.slug}:{day.isoformat()}:{slot.start:%H%M}",
            )
            session.derive()
            sessions.append(session)
    return sessions


def ensure_schedule(today: dt.date | None = None) -> tuple[int, int]:
    """Create the missing demo sessions. Returns (created, already there)."""
    today = today or timezone.localdate()
    programmes = Programme.objects.in_bulk(
        [*EMPLOYED_BASIC, *EMPLOYED_ADVANCED, *EMPLOYED_ELECTIVE, *JOBSEEKER, *CAREER_PLANNING], field_name="slug"
    )
    planned = planned_sessions(today, demo_centres(), programmes)
    existing = set(
        Session.objects.filter(demo_key__in=[s.demo_key for s in planned]).values_list("demo_key", flat=True)
    )
    new = [s for s in planned if s.demo_key not in existing]
    ranks = programme_ranks()  # bulk_create skips Session.save, which sets it
    for session in new:
        session.programme_rank = ranks.get(session.programme_id, 0)
    Session.objects.bulk_create(new, batch_size=200)
    if new:
        bump(SCOPE)  # bulk_create sends no post_save
    return len(new), len(existing)
