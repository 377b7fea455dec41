"""Which other sessions to offer someone whose session was cancelled or changed.

`rank` is a pure function of plain values (no database), so the ordering rules can be
read and tested on their own:

1. a session with a free seat before one where the person would only be waitlisted;
2. place: the same 시도 first, then a neighbouring 시도, then online, then elsewhere
   (for an online session: online first, then any place);
3. the same time of day (평일 낮 / 평일 저녁 / 주말) before another — a 재직자 who chose
   an evening session can rarely come on a weekday afternoon;
4. the date nearest to the original one;
5. then the earlier start, then the lower id (a stable order).

Only sessions of the same programme are candidates.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from core import vocabulary as vocab
from core.vocabulary import SEOUL


def neighbours(region: str) -> frozenset[str]:
    """The 시도 bordering `region` (core.vocabulary.REGION_BORDERS)."""
    return frozenset(vocab.neighbouring_regions(region))


class Place(enum.IntEnum):
    SAME_REGION = 0
    NEARBY = 1
    ONLINE = 2
    ELSEWHERE = 3


@dataclass(frozen=True)
class SessionFacts:
    session_id: int
    programme_id: int
    mode: str  # centre | online_live | employer_site
    region: str  # '' for online
    starts_at: dt.datetime
    time_of_day: str
    free_seats: int = 0


@dataclass(frozen=True)
class Alternative:
    facts: SessionFacts
    place: Place
    same_time_of_day: bool
    days_apart: int

    @property
    def has_seat(self) -> bool:
        return self.facts.free_seats > 0

    @property
    def session_id(self) -> int:
        return self.facts.session_id


def place_of(origin: SessionFacts, candidate: SessionFacts) -> Place:
    if candidate.mode == "online_live":
        return Place.SAME_REGION if origin.mode == "online_live" else Place.ONLINE
    if origin.mode == "online_live" or not origin.region:
        return Place.ELSEWHERE
    if candidate.region == origin.region:
        return Place.SAME_REGION
    if candidate.region in neighbours(origin.region):
        return Place.NEARBY
    return Place.ELSEWHERE


def rank(origin: SessionFacts, candidates: Iterable[SessionFacts], *, limit: int | None = 5) -> list[Alternative]:
    """The candidates worth offering, best first (see the module docstring)."""
    found = [
        Alternative(
            facts=c,
            place=place_of(origin, c),
            same_time_of_day=c.time_of_day == origin.time_of_day,
            days_apart=abs((c.starts_at.astimezone(SEOUL).date() - origin.starts_at.astimezone(SEOUL).date()).days),
        )
        for c in candidates
        if c.programme_id == origin.programme_id and c.session_id != origin.session_id
    ]
    found.sort(
        key=lambda a: (not a.has_seat, a.place, not a.same_time_of_day, a.days_apart, a.facts.starts_at, a.session_id)
    )
    return found if limit is None else found[:limit]
