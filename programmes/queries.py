"""Read-side helpers shared by the web pages and the API: one query per list, whatever
the number of sessions (seat counts are aggregated in the same query)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from core.vocabulary import SEOUL
from programmes.models import Enrolment, Mode, Programme, Session, Track

MONTH_RE = re.compile(r"^(20\d{2})-(0[1-9]|1[0-2])$")  # 2000-01 .. 2099-12
LISTED_STATES = (Session.Status.SCHEDULED, Session.Status.OPEN, Session.Status.CLOSED)
# 기업출강 sessions belong to one employer's staff, who join by invitation (courses app):
# they are never listed or open to enrolment on the public pages and API.
PUBLIC_MODES = (Mode.CENTRE, Mode.ONLINE_LIVE)


# Sessions are listed by programme — the tracks in their published order, then each
# programme's position in its track as a number (구직자 과정 1, 2, …, 10; never by title) —
# and then by date.
TRACK_RANK = Case(
    *[When(programme__track=track, then=Value(rank)) for rank, track in enumerate(Track.values)],
    default=Value(len(Track.values)),
    output_field=IntegerField(),
)
SESSION_ORDER = (
    TRACK_RANK.asc(),
    F("programme__order").asc(nulls_last=True),
    "programme__name_ko",
    "starts_at",
    "pk",
)


SEARCH_FIELDS = ("region", "month", "time_of_day", "programme", "mode")  # the search form's


@dataclass(frozen=True)
class SessionFilters:
    programme: str = ""  # programme slug
    region: str = ""  # 시도 code
    month: str = ""  # YYYY-MM, Seoul time
    time_of_day: str = ""
    mode: str = ""
    # Not in the search form: used by the alternatives of an empty search (programmes.relax).
    regions: tuple[str, ...] = ()  # any of these 시도
    track: str = ""  # any programme of this track ...
    exclude_programme: str = ""  # ... but this one

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> SessionFilters:
        """From the search form's fields (SEARCH_FIELDS); other keys are ignored."""
        region, month, time_of_day, programme, mode = (str(params.get(name) or "") for name in SEARCH_FIELDS)
        return cls(programme=programme, region=region, month=month, time_of_day=time_of_day, mode=mode)

    def query(self) -> dict[str, str]:
        """The search form's non-empty fields, for a session-search URL."""
        return {name: value for name in SEARCH_FIELDS if (value := getattr(self, name))}


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


def matching(filters: SessionFilters) -> Q:
    """The condition a session must meet for `filters` (on top of `upcoming_sessions`)."""
    q = Q(pk__isnull=False)
    if filters.programme:
        q &= Q(programme__slug=filters.programme)
    if filters.region:
        q &= Q(region=filters.region)
    if filters.regions:
        q &= Q(region__in=filters.regions)
    if filters.track:
        q &= Q(programme__track=filters.track)
    if filters.exclude_programme:
        q &= ~Q(programme__slug=filters.exclude_programme)
    if filters.month:
        start, end = month_bounds(filters.month)
        q &= Q(starts_at__gte=start, starts_at__lt=end)
    if filters.time_of_day:
        q &= Q(time_of_day=filters.time_of_day)
    if filters.mode:
        q &= Q(mode=filters.mode)
    return q


def search_sessions(filters: SessionFilters, now: dt.datetime | None = None) -> QuerySet[Session]:
    return with_counts(upcoming_sessions(now).filter(matching(filters))).order_by(*SESSION_ORDER)


def count_each(searches: list[SessionFilters], now: dt.datetime | None = None) -> list[int]:
    """How many sessions each search finds, in one query whatever the number of searches."""
    if not searches:
        return []
    totals = upcoming_sessions(now).aggregate(
        **{f"n{i}": Count("pk", filter=matching(f)) for i, f in enumerate(searches)}
    )
    return [int(totals[f"n{i}"]) for i in range(len(searches))]


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
