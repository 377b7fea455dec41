"""Figures for the point of choice ("people like me") and for planning counsellors.

Both read the roll-ups or aggregate counts only, and publish through insights.suppression.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from core.vocabulary import SEOUL
from insights.db import reporting_db
from insights.models import CounsellingCell, PeerCell, ProgrammeCell
from insights.suppression import MIN_COUNT, MIN_RATE_BASE, publish_count, publish_rate

PEER_SOURCE = _("lifecareer 이용자 성과 기록 (본인·상담사·연계 기관이 알려 준 내용)")


@dataclass(frozen=True)
class PeerOutcome:
    rate: float  # employed or started a business in the 2nd quarter after exit (0–1)
    people: int  # published (rounded) number of similar people behind the rate
    months: int  # 6
    first: dt.date | None  # the diagnosis months the figure covers
    last: dt.date | None
    source: str

    @property
    def percent(self) -> int:
        return round(self.rate * 100)


def _peer(cell: Mapping[str, Any]) -> PeerOutcome | None:
    if cell["due_6m"] < MIN_RATE_BASE:
        return None
    rate = publish_rate(cell["employed_6m"], cell["due_6m"])
    people = publish_count(cell["due_6m"])
    if rate is None or not people:
        return None
    return PeerOutcome(rate=rate, people=people, months=6, first=cell["first_month"], last=cell["last_month"], source=str(PEER_SOURCE))


# The core.fragments scope of the peers' figures (PeerCell): the roll-up bumps it when it
# rebuilds them, and the pages that keep a rendering of them key it by its stamp.
PEERS_SCOPE = "peers"


def peer_outcomes(age_band: str, status: str, goal: str, kind: str) -> dict[int, PeerOutcome]:
    """Every service (or programme) with a publishable figure for people like this, in one
    query: a page with many steps asks once."""
    cells = PeerCell.objects.using(reporting_db()).filter(
        kind=kind, age_band=age_band, status=status, goal=goal, due_6m__gte=MIN_RATE_BASE
    ).values("ref_id", "due_6m", "employed_6m", "first_month", "last_month")
    out = {}
    for cell in cells:
        peer = _peer(cell)
        if peer is not None:
            out[cell["ref_id"]] = peer
    return out


def peers_outcome(age_band: str, status: str, goal: str, *, service_id: int | None = None, programme_id: int | None = None) -> PeerOutcome | None:
    """What happened, six months after they finished, to people of the same age band,
    employment status and goal who did this catalogue service (a plan step) or attended this
    programme. None when fewer than MIN_RATE_BASE such people have reached six months."""
    if (service_id is None) == (programme_id is None):
        raise ValueError("name a service or a programme")
    kind, ref = (PeerCell.Kind.SERVICE, service_id) if service_id is not None else (PeerCell.Kind.PROGRAMME, programme_id or 0)
    cell = (
        PeerCell.objects.using(reporting_db())
        .filter(kind=kind, ref_id=ref, age_band=age_band, status=status, goal=goal)
        .values("due_6m", "employed_6m", "first_month", "last_month")
        .first()
    )
    return None if cell is None else _peer(cell)


# --- capacity (컨설턴트 추가 예산 산정) ------------------------------------------------------


@dataclass(frozen=True)
class Assumptions:
    appointment_minutes: int = 60  # one counselling appointment, with its notes
    waitlist_minutes: int = 30  # a waitlisted person's call to find another place or a counselling slot
    follow_up_minutes: int = 20  # one after-care task (an unanswered check-in, a stall, a stale referral)
    hours_per_counsellor: int = 100  # counselling hours one full-time counsellor gives a month (of ~160 paid)


ASSUMPTIONS = Assumptions()


@dataclass(frozen=True)
class CapacityRow:
    centre_id: int
    centre: str
    month: dt.date
    bookings: int | None  # published counts
    waitlisted: int | None
    follow_ups: int | None
    hours: float  # hours of work the month brings (from the published counts)
    counsellors_now: int  # counsellors with hours at the centre that month
    counsellors_needed: int
    gap: int


def _planned(count: int | None) -> int:
    return MIN_COUNT if count is None else count


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def capacity(first: dt.date, last: dt.date, scope: frozenset[int] | None, assumptions: Assumptions = ASSUMPTIONS) -> list[CapacityRow]:
    """Counsellors needed per centre and month: the month's appointments (booked, kept or
    missed — a no-show still takes the slot), the people on programme waitlists at the
    centre, and the after-care tasks opened for it, in hours, over a counsellor's month."""
    from django.db.models.functions import TruncMonth

    from aftercare.models import Task
    from counselling.models import Slot
    from programmes.models import Centre

    db = reporting_db()
    end = _months(last, last)[0]
    upper = dt.date(end.year + (end.month == 12), end.month % 12 + 1, 1)
    centre_filter = Q() if scope is None else Q(pk__in=scope)
    centres = dict(Centre.objects.using(db).filter(centre_filter).values_list("pk", "name"))
    ids = list(centres)

    def by_month(rows: list[Any], key: str) -> dict[tuple[int, dt.date], int]:
        out: dict[tuple[int, dt.date], int] = defaultdict(int)
        for row in rows:
            month = row["m"]
            if isinstance(month, dt.datetime):
                month = month.date()
            out[(int(row[key]), month)] += int(row["n"])
        return out

    # Appointments and waitlists from the roll-ups; tasks and counsellors' hours from their
    # tables over an indexed time range (a day's worth of rows per centre, not per person).
    bookings: dict[tuple[int, dt.date], int] = defaultdict(int)
    for centre_id, month, n in CounsellingCell.objects.using(db).filter(centre_id__in=ids, month__gte=first, month__lte=end).values_list(
        "centre_id", "month", "bookings"
    ):
        bookings[(centre_id, month)] += n
    waiting: dict[tuple[int, dt.date], int] = defaultdict(int)
    for row in (
        ProgrammeCell.objects.using(db).filter(centre_id__in=ids, month__gte=first, month__lte=end).order_by()
        .values("centre_id", "month").annotate(n=Sum("waitlisted"))
    ):
        waiting[(int(row["centre_id"] or 0), row["month"])] += row["n"] or 0
    since = dt.datetime.combine(first, dt.time(), tzinfo=SEOUL)
    until = dt.datetime.combine(upper, dt.time(), tzinfo=SEOUL)
    tasks = by_month(list(
        Task.objects.using(db).filter(centre_id__in=ids, created_at__gte=since, created_at__lt=until)
        .annotate(m=TruncMonth("created_at")).order_by().values("centre_id", "m").annotate(n=Count("pk"))
    ), "centre_id")
    staff = by_month(list(
        Slot.objects.using(db).filter(centre_id__in=ids, starts_at__gte=since, starts_at__lt=until)
        .annotate(m=TruncMonth("starts_at")).order_by().values("centre_id", "m").annotate(n=Count("counsellor_id", distinct=True))
    ), "centre_id")
    rows = []
    for centre_id, name in sorted(centres.items(), key=lambda kv: kv[1]):
        for month in _months(first, end):
            key = (centre_id, month)
            b, w, t = publish_count(bookings.get(key, 0)), publish_count(waiting.get(key, 0)), publish_count(tasks.get(key, 0))
            # A suppressed count (1–4) is planned for as 5: the hours come from published
            # figures only, and a budget errs on the side of enough.
            minutes = (
                _planned(b) * assumptions.appointment_minutes + _planned(w) * assumptions.waitlist_minutes
                + _planned(t) * assumptions.follow_up_minutes
            )
            hours = round(minutes / 60, 1)
            needed = math.ceil(hours / assumptions.hours_per_counsellor) if hours else 0
            now = staff.get(key, 0)
            rows.append(CapacityRow(centre_id, name, month, b, w, t, hours, now, needed, max(0, needed - now)))
    return rows

