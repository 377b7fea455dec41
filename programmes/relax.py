"""What to show when a session search finds nothing: the nearest searches that might.

`relaxations` is pure (no database): from the person's filters it lists, in order, the
searches that each loosen one thing, with a plain heading that says what was loosened:

1. the same programme online (지역과 관계없이 들을 수 있는 온라인 실시간),
2. the same programme in the neighbouring 시도 (core.vocabulary.REGION_BORDERS),
3. the same programme at other times (any time of day, any month),
4. the other programmes of the same track (e.g. 구직자 과정 1–4),
5. the same programme anywhere, at any time.

The session search runs them (`queries.nearest_sessions`) when the exact search is empty,
and the guide map uses the same to tell the person, before they click, that the link shows
alternatives. A search that has nothing even then still offers the 개설 희망 form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab
from programmes import queries
from programmes.models import Mode, Programme, Session, Track
from programmes.queries import SessionFilters

ONLINE = "online"
NEARBY = "nearby"
OTHER_TIMES = "other_times"
SAME_TRACK = "same_track"
ANYWHERE = "anywhere"
PER_GROUP = 5


@dataclass(frozen=True)
class Relaxation:
    kind: str
    filters: SessionFilters
    heading: str


def _heading(text: Promise, **params: str) -> str:
    return str(text) % params if params else str(text)


def relaxations(filters: SessionFilters, track: str = "") -> list[Relaxation]:
    """The searches to try after `filters` found nothing, nearest first. `track` is the
    track of `filters.programme` (Programme.track), or "" when no programme was chosen."""
    found: list[Relaxation] = []
    online_only = filters.mode == Mode.ONLINE_LIVE
    if not online_only and (filters.region or filters.mode):
        found.append(
            Relaxation(
                ONLINE,
                replace(filters, region="", regions=(), mode=Mode.ONLINE_LIVE),
                _heading(_("지역과 관계없이 들을 수 있는 온라인 실시간 일정")),
            )
        )
    near = vocab.neighbouring_regions(filters.region) if filters.region and not online_only else ()
    if near:
        names = ", ".join(vocab.label_of(vocab.REGIONS, code) for code in near)
        found.append(
            Relaxation(
                NEARBY,
                replace(filters, region="", regions=near),
                _heading(_("가까운 지역(%(regions)s)의 일정"), regions=names),
            )
        )
    if filters.time_of_day or filters.month:
        if filters.region:
            heading = _heading(
                _("%(region)s의 다른 시간대·기간 일정"), region=vocab.label_of(vocab.REGIONS, filters.region)
            )
        else:
            heading = _heading(_("다른 시간대·기간의 일정"))
        found.append(Relaxation(OTHER_TIMES, replace(filters, time_of_day="", month=""), heading))
    if filters.programme and track and track != Track.ONLINE_COURSE:
        found.append(
            Relaxation(
                SAME_TRACK,
                replace(filters, programme="", track=track, exclude_programme=filters.programme),
                _heading(_("같은 과정 묶음(%(track)s)의 다른 프로그램 일정"), track=str(Track(track).label)),
            )
        )
    if filters.programme and (filters.region or filters.month or filters.time_of_day or filters.mode):
        found.append(
            Relaxation(ANYWHERE, SessionFilters(programme=filters.programme), _heading(_("이 프로그램의 모든 일정 (지역·시간대와 관계없이)")))
        )
    return found


@dataclass(frozen=True)
class Group:
    kind: str
    heading: str
    sessions: list[Session]


def track_of(filters: SessionFilters) -> str:
    if not filters.programme:
        return ""
    return Programme.objects.filter(slug=filters.programme).values_list("track", flat=True).first() or ""


def nearest_sessions(filters: SessionFilters, now: dt.datetime | None = None, *, per_group: int = PER_GROUP) -> list[Group]:
    """The non-empty groups of `relaxations(filters)`, each session shown once (in the
    nearest group it belongs to). One query per relaxation, five at most."""
    groups: list[Group] = []
    seen: set[int] = set()
    eligible: queries.EligibleIds = {}
    for relaxation in relaxations(filters, track_of(filters)):
        found = list(queries.search_sessions(relaxation.filters, now, eligible).exclude(pk__in=seen)[:per_group])
        if found:
            seen.update(s.pk for s in found)
            groups.append(Group(relaxation.kind, relaxation.heading, found))
    return groups


EXACT = "exact"  # the search finds sessions
NEAREST = "nearest"  # it finds none, but a relaxation does: the page shows alternatives
DEMAND = "demand"  # nothing at all: the page offers the 개설 희망 form


def outcomes(searches: list[SessionFilters], now: dt.datetime | None = None) -> list[str]:
    """What the search page will show for each search (EXACT, NEAREST or DEMAND): whether
    it, or else one of its relaxations, finds an upcoming session. Two queries whatever the
    number of searches (the guide map labels its links with it), none once kept
    (`queries.latest_starts`: reference data, only the clock is applied here)."""
    if not searches:
        return []
    now = now or timezone.now()
    tracks = {p.slug: p.track for p in queries.programme_facts()}
    tried = [relaxations(f, tracks.get(f.programme, "")) for f in searches]
    latest = queries.latest_starts([*searches, *(r.filters for rs in tried for r in rs)])
    ahead = iter(last is not None and last > now for last in latest)
    found = []
    for rs in tried:
        exact = next(ahead)
        nearest = [next(ahead) for _r in rs]
        found.append(EXACT if exact else NEAREST if any(nearest) else DEMAND)
    return found


def interest_query(filters: SessionFilters) -> str:
    """The query string that prefills the 개설 희망 form (/programmes/interest/) with what the
    person searched for: programme, 시도 (none = online is enough) and time of day."""
    params = {
        "programme": filters.programme,
        "region": "" if filters.mode == Mode.ONLINE_LIVE else filters.region,
        "time_of_day": filters.time_of_day,
    }
    return urlencode({key: value for key, value in params.items() if value})
