"""Read-side helpers shared by the web pages and the API: one query per list, whatever
the number of sessions (seat counts are aggregated in the same query)."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
import sys
from array import array
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload

from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import vocabulary as vocab
from core.fragments import fragment
from core.vocabulary import SEOUL
from programmes.models import LISTED_STATES, PUBLIC_MODES, Enrolment, Programme, Session

MONTH_RE = re.compile(r"^(20\d{2})-(0[1-9]|1[0-2])$")  # 2000-01 .. 2099-12


# Sessions are listed by programme — the tracks in their published order, then each
# programme's position in its track as a number (구직자 과정 1, 2, …, 10; never by title) —
# and then by date. The programme's place is stored on the session (programmes.ranks), so
# the index session_listed_order serves this order and a page reads only its own rows.
SESSION_ORDER = ("programme_rank", "starts_at", "pk")


# The search form's fields; the for_* ones ("나에게 맞는 과정만") come from the guide map's links.
SEARCH_FIELDS = ("region", "month", "time_of_day", "programme", "mode", "for_band", "for_status", "for_firm")


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
    # Not in the search form: used by the alternatives of an empty search (programmes.relax).
    regions: tuple[str, ...] = ()  # any of these 시도
    track: str = ""  # any programme of this track ...
    exclude_programme: str = ""  # ... but this one

    @classmethod
    def of(cls, params: Mapping[str, Any]) -> SessionFilters:
        """From the search form's fields (SEARCH_FIELDS); other keys are ignored."""
        region, month, time_of_day, programme, mode, for_band, for_status, for_firm = (
            str(params.get(name) or "") for name in SEARCH_FIELDS
        )
        return cls(
            programme=programme, region=region, month=month, time_of_day=time_of_day, mode=mode,
            for_band=for_band, for_status=for_status, for_firm=for_firm,
        )

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


def _enrolments_in(status: str) -> Coalesce:
    """How many enrolments of the outer session are in `status`, from the index
    enrolment_session_status alone. COUNT(*), not COUNT(id): the id is not in the index, so
    counting it reads every enrolment's row, one table page each where the places were taken
    over months (40 pages a session at 1 M), where COUNT(*) is an index-only scan
    (docs/performance.md, "One full run")."""
    per_session = Enrolment.objects.filter(session=OuterRef("pk"), status=status).order_by().values("session")
    return Coalesce(Subquery(per_session.annotate(n=Count("*")).values("n"), output_field=IntegerField()), 0)


def with_counts(qs: QuerySet[Session]) -> QuerySet[Session]:
    """The sessions with their confirmed and waitlisted totals. The counts are correlated
    subqueries, computed for the rows a page returns only: a JOIN with GROUP BY would count
    the enrolments of every matching session before the LIMIT (docs/performance.md, "At
    national scale"), and a paginator's COUNT leaves them out."""
    return qs.select_related("programme", "centre").annotate(
        confirmed_total=_enrolments_in(Enrolment.Status.CONFIRMED),
        waitlist_total=_enrolments_in(Enrolment.Status.WAITLISTED),
    )


def public_sessions() -> QuerySet[Session]:
    return Session.objects.filter(mode__in=PUBLIC_MODES)


def upcoming_sessions(now: dt.datetime | None = None) -> QuerySet[Session]:
    """Public sessions people can still see and plan for: not started, not cancelled."""
    now = now or timezone.now()
    return public_sessions().filter(status__in=LISTED_STATES, starts_at__gt=now)


# Programme ids open to (band, status, firm size), computed once per page: the searches of
# one page (an empty search's alternatives, a plan's links) share the answer.
EligibleIds = dict[tuple[str, str, str], list[int]]


def matching(filters: SessionFilters, eligible: EligibleIds | None = None) -> Q:
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
    if filters.for_band or filters.for_status:
        key = (filters.for_band, filters.for_status, filters.for_firm)
        eligible = {} if eligible is None else eligible
        if key not in eligible:
            eligible[key] = programmes_for(*key)
        q &= Q(programme__in=eligible[key])
    return q


def search_sessions(
    filters: SessionFilters, now: dt.datetime | None = None, eligible: EligibleIds | None = None
) -> QuerySet[Session]:
    return with_counts(upcoming_sessions(now).filter(matching(filters, eligible))).order_by(*SESSION_ORDER)


class Listed(NamedTuple):
    """What a list needs of a session before its card: reference data, kept per search."""

    pk: int
    starts_at: dt.datetime
    enrolment_deadline: dt.datetime
    status: str
    capacity: int


# A list keeps at most this many sessions (25 pages of 20): past that, the search page says
# "500건 이상" and asks for a programme, region, month or time, instead of counting and
# keeping every upcoming session in the country (docs/performance.md, "At national scale").
LISTED_CAP = 500
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def _micros(moment: dt.datetime) -> int:
    return (moment - _EPOCH) // _MICROSECOND


@dataclass(frozen=True)
class _Kept:
    """A search's sessions as kept: one column each, times in microseconds since the epoch.
    The cache unpickles the whole list on every read; arrays of integers unpickle in one
    step each, where LISTED_CAP tuples of datetimes took ~0.5 ms (a tenth of the search
    page at 1 M, and ten times what the 1 k database's few dozen rows took)."""

    pks: array
    starts: array
    deadlines: array
    statuses: tuple[str, ...]  # interned: the pickle holds each distinct status once
    capacities: array
    more: bool

    @classmethod
    def of(cls, rows: list[tuple[int, dt.datetime, dt.datetime, str, int]], more: bool) -> _Kept:
        return cls(
            array("q", [r[0] for r in rows]), array("q", [_micros(r[1]) for r in rows]),
            array("q", [_micros(r[2]) for r in rows]), tuple(sys.intern(r[3]) for r in rows),
            array("q", [r[4] for r in rows]), more,
        )


class ListedRows(Sequence[Listed]):
    """The sessions of a kept search still to come, as `Listed` items, made only for the
    slice a page shows (a Paginator takes it as its list)."""

    def __init__(self, kept: _Kept, now: dt.datetime) -> None:
        self._kept = kept
        after = _micros(now)
        starts = kept.starts
        # A session that has started since the list was built is dropped.
        self._index = None if min(starts, default=after + 1) > after else [i for i, t in enumerate(starts) if t > after]

    def __len__(self) -> int:
        return len(self._kept.pks) if self._index is None else len(self._index)

    def _item(self, i: int) -> Listed:
        k = self._kept
        return Listed(k.pks[i], _EPOCH + dt.timedelta(microseconds=k.starts[i]),
                      _EPOCH + dt.timedelta(microseconds=k.deadlines[i]), k.statuses[i], k.capacities[i])

    @overload
    def __getitem__(self, key: int) -> Listed: ...

    @overload
    def __getitem__(self, key: slice) -> list[Listed]: ...

    def __getitem__(self, key: int | slice) -> Listed | list[Listed]:
        if isinstance(key, int):
            i = range(len(self))[key]
            return self._item(i if self._index is None else self._index[i])
        return [self._item(i if self._index is None else self._index[i]) for i in range(len(self))[key]]


def listed_search(filters: SessionFilters, now: dt.datetime | None = None) -> tuple[ListedRows, bool]:
    """The sessions `search_sessions(filters)` finds, in its order, without their counts, at
    most LISTED_CAP of them (`Listed` items, made for the slice taken); and whether it found
    more than that.

    The list is reference data (scope "programmes" of core.fragments, bumped by
    programmes.signals on every change of a session, programme or centre), kept per process
    in columns (`_Kept`: the cache unpickles it on every read); a session that has started
    since it was built is dropped here. Built from the index session_listed_order: the
    first LISTED_CAP + 1 rows in order, whatever the country holds."""
    now = now or timezone.now()

    def build() -> _Kept:
        found = upcoming_sessions(now).filter(matching(filters)).order_by(*SESSION_ORDER)
        rows = list(found.values_list("pk", "starts_at", "enrolment_deadline", "status", "capacity")[: LISTED_CAP + 1])
        return _Kept.of(rows[:LISTED_CAP], len(rows) > LISTED_CAP)

    digest = hashlib.sha256(repr(filters).encode()).hexdigest()[:24]
    kept = fragment("programmes", "search", "columns", digest, build=build)
    return ListedRows(kept, now), kept.more


def listed_sessions(filters: SessionFilters, now: dt.datetime | None = None, limit: int = LISTED_CAP) -> list[Listed]:
    """The first `limit` sessions of `listed_search`."""
    return listed_search(filters, now)[0][:limit]


SEAT_COUNTS_SQL = """
    SELECT session_id,
        COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0)
    FROM {table}
    WHERE session_id IN ({marks})
    GROUP BY session_id
"""


def seat_counts(ids: list[int]) -> dict[int, tuple[int, int]]:
    """{session id: (confirmed, waitlisted)} for these sessions, in one plain query (a list's
    hot path; the portable CASE/SUM of services.SEAT_STATE_SQL). Absent: no places yet."""
    if not ids:
        return {}
    sql = SEAT_COUNTS_SQL.format(table=Enrolment._meta.db_table, marks=", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {int(pk): (int(confirmed), int(waiting)) for pk, confirmed, waiting in cursor.fetchall()}


def sessions_with_counts(ids: list[int]) -> list[Session]:
    """These sessions, with programme, centre and live seat counts, in the order of `ids` (one query)."""
    found = {s.pk: s for s in with_counts(Session.objects.filter(pk__in=ids))}
    return [found[pk] for pk in ids if pk in found]


def programme_facts() -> list[Programme]:
    """The fields programme eligibility and the relaxations read, for every programme
    (reference data: scope "programmes" of core.fragments, kept per process)."""
    return fragment(
        "programmes", "facts", build=lambda: list(Programme.objects.only("pk", "slug", "audience", "age_band", "track"))
    )


def latest_starts(searches: list[SessionFilters]) -> list[dt.datetime | None]:
    """When the last listed session each search finds starts (None: it finds none), in one
    query whatever the number of searches, and without the clock: a search finds upcoming
    sessions exactly when its latest start is still ahead (`starts_at > now`).

    That makes the answer reference data (scope "programmes" of core.fragments, bumped by
    programmes.signals on every change of a session, programme or centre), kept per process
    like `listed_sessions`; seats are not part of it, so enrolments need no bump."""
    if not searches:
        return []

    def build() -> list[dt.datetime | None]:
        programmes = programme_facts()
        eligible: EligibleIds = {
            key: programmes_for(*key, programmes=programmes)
            for f in searches
            if f.for_band or f.for_status
            for key in [(f.for_band, f.for_status, f.for_firm)]
        }
        listed = public_sessions().filter(status__in=LISTED_STATES)
        found = listed.aggregate(**{f"n{i}": Max("starts_at", filter=matching(f, eligible)) for i, f in enumerate(searches)})
        return [found[f"n{i}"] for i in range(len(searches))]

    digest = hashlib.sha256(repr(searches).encode()).hexdigest()[:24]
    return fragment("programmes", "latest", digest, build=build)


def starts_passed(now: dt.datetime | None = None) -> str:
    """Which stretch between two session starts `now` falls in: the same answer for any two
    moments with no session start between them, a new one as soon as a session starts.

    What a page shows of the schedule changes with the clock only when a session starts
    (`starts_at > now` turns false: it leaves the upcoming ones, a search's last start passes),
    so a rendering keyed by this and the "programmes" stamp is exactly as fresh as one
    rendered now. The starts of each clock hour are reference data, read once per process
    and hour (every session, whatever its status or mode: more stretches than needed, never
    fewer)."""
    now = now or timezone.now()
    hour = now.replace(minute=0, second=0, microsecond=0)

    def build() -> list[dt.datetime]:
        starts = Session.objects.filter(starts_at__gte=hour, starts_at__lt=hour + dt.timedelta(hours=1))
        return sorted(starts.values_list("starts_at", flat=True))

    starts = fragment("programmes", "starts", hour.isoformat(), build=build)
    return f"{hour:%Y%m%d%H}.{bisect.bisect_right(starts, now)}"


def programmes_for(
    age_band: str, status: str, firm_size: str = "", programmes: list[Programme] | None = None
) -> list[int]:
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
        for p in (programmes if programmes is not None else programme_facts())
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
