"""Read-side helpers shared by the web pages and the API: one query per list, whatever
the number of sessions (seat counts are aggregated in the same query)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core import vocabulary as vocab
from core.vocabulary import SEOUL
from programmes.models import Enrolment, Mode, Programme, Session

MONTH_RE = re.compile(r"^(20\d{2})-(0[1-9]|1[0-2])$")  # 2000-01 .. 2099-12
LISTED_STATES = (Session.Status.SCHEDULED, Session.Status.OPEN, Session.Status.CLOSED)
# 기업출강 sessions belong to one employer's staff, who join by invitation (courses app):
# they are never listed or open to enrolment on the public pages and API.
PUBLIC_MODES = (Mode.CENTRE, Mode.ONLINE_LIVE)


@dataclass(frozen=True)
class SessionFilters:
    programme: str = ""  # programme slug
    region: str = ""  # 시도 code
    month: str = ""  # YYYY-MM, Seoul time
    time_of_day: str = ""
    mode: str = ""
    # "나에게 맞는 과정만": only programmes open to this age band / status / firm size
    # (programmes.eligibility; the guide map's session links set them).
    for_band: str = ""
    for_status: str = ""
    for_firm: str = ""


def month_bounds(month: str) -> tuple[dt.datetime, dt.datetime]:
    match = MONTH_RE.match(month)
    if match is None:
        raise ValueError(f"month must be YYYY-MM, got {month!r}")
    year, mon = int(match.group(1)), int(match.group(2))
    start = dt.datetime(year, mon, 1, tzinfo=SEOUL)
    end = dt.datetime(year + (mon == 12), 1 if mon == 12 else mon + 1, 1, tzinfo=SEOUL)
    return start, end


def with_counts(qs: QuerySet[Session]) -> QuerySet[Session]:
    return qs.select_related("programme", "centre").annotate(
        confirmed_total=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.CONFIRMED)),
        waitlist_total=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)),
    )


def public_sessions() -> QuerySet[Session]:
    return Session.objects.filter(mode__in=PUBLIC_MODES)


def upcoming_sessions(now: dt.datetime | None = None) -> QuerySet[Session]:
    """Public sessions people can still see and plan for: not started, not cancelled."""
    now = now or timezone.now()
    return public_sessions().filter(status__in=LISTED_STATES, starts_at__gt=now)


def search_sessions(filters: SessionFilters, now: dt.datetime | None = None) -> QuerySet[Session]:
    qs = upcoming_sessions(now)
    if filters.programme:
        qs = qs.filter(programme__slug=filters.programme)
    if filters.region:
        qs = qs.filter(region=filters.region)
    if filters.month:
        start, end = month_bounds(filters.month)
        qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    if filters.time_of_day:
        qs = qs.filter(time_of_day=filters.time_of_day)
    if filters.mode:
        qs = qs.filter(mode=filters.mode)
    if filters.for_band or filters.for_status:
        qs = qs.filter(programme__in=programmes_for(filters.for_band, filters.for_status, filters.for_firm))
    return with_counts(qs).order_by("starts_at", "pk")


def programmes_for(age_band: str, status: str, firm_size: str = "") -> list[int]:
    """Ids of the programmes open to a person of this band, status and firm size (one query;
    the rule is programmes.eligibility, the same `is_eligible` as the guide map's). A
    dimension left empty matches any value; an empty firm size with a status given is read
    as "not answered", as in the guide map."""
    from programmes.eligibility import BAND_AGE, is_for_band

    bands = [age_band] if age_band else list(BAND_AGE)
    statuses = [status] if status else vocab.codes(vocab.EMPLOYMENT_STATUSES)
    sizes = [firm_size] if firm_size or status else list(vocab.FIRM_SIZE_RANGES)
    return [
        p.pk
        for p in Programme.objects.only("pk", "slug", "audience", "age_band", "track")
        if any(is_for_band(p, age_band=b, status=s, firm_size=f) for b in bands for s in statuses for f in sizes)
    ]


def seats_left(session: Session) -> int:
    confirmed = getattr(session, "confirmed_total", None)
    if confirmed is None:
        confirmed = session.enrolments.filter(status=Enrolment.Status.CONFIRMED).count()
    return max(session.capacity - confirmed, 0)


def waiting(session: Session) -> int:
    total = getattr(session, "waitlist_total", None)
    if total is None:
        total = session.enrolments.filter(status=Enrolment.Status.WAITLISTED).count()
    return int(total)


def listed_programmes() -> QuerySet[Programme]:
    return Programme.objects.order_by("track", "order", "slug")
