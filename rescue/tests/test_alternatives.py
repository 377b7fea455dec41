"""The ranking of alternatives is a pure function: plain values in, an order out."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from core import vocabulary as vocab
from rescue.alternatives import Place, SessionFacts, neighbours, rank

T0 = dt.datetime(2026, 3, 10, 1, 0, tzinfo=dt.UTC)  # Tue 10:00 Seoul
ORIGIN = SessionFacts(1, programme_id=7, mode="centre", region="11", starts_at=T0, time_of_day="weekday_day")


def fact(session_id: int, *, region: str = "11", mode: str = "centre", days: int = 7, tod: str = "weekday_day", free: int = 5, programme_id: int = 7) -> SessionFacts:
    return SessionFacts(session_id, programme_id, mode, "" if mode == "online_live" else region, T0 + dt.timedelta(days=days), tod, free)


def ids(origin: SessionFacts, candidates: list[SessionFacts]) -> list[int]:
    return [a.session_id for a in rank(origin, candidates, limit=None)]


def test_same_region_then_neighbour_then_online_then_elsewhere() -> None:
    far, online, near, same = fact(2, region="26"), fact(3, mode="online_live"), fact(4, region="41"), fact(5)
    assert ids(ORIGIN, [far, online, near, same]) == [5, 4, 3, 2]


def test_a_free_seat_comes_before_a_better_place_with_only_a_waitlist() -> None:
    assert ids(ORIGIN, [fact(2, free=0), fact(3, region="26")]) == [3, 2]


def test_the_same_time_of_day_comes_before_a_nearer_date() -> None:
    assert ids(ORIGIN, [fact(2, days=1, tod="evening"), fact(3, days=20)]) == [3, 2]


def test_the_nearer_date_wins_among_equals() -> None:
    assert ids(ORIGIN, [fact(2, days=30), fact(3, days=-2), fact(4, days=5)]) == [3, 4, 2]


def test_other_programmes_and_the_origin_itself_are_never_offered() -> None:
    assert ids(ORIGIN, [fact(1), fact(2, programme_id=8), fact(3)]) == [3]


def test_an_online_origin_prefers_online() -> None:
    origin = fact(1, mode="online_live")
    assert [a.place for a in rank(origin, [fact(2), fact(3, mode="online_live")])] == [Place.SAME_REGION, Place.ELSEWHERE]


def test_limit_caps_the_list() -> None:
    assert len(rank(ORIGIN, [fact(i) for i in range(2, 12)], limit=3)) == 3


@given(st.sampled_from(vocab.codes(vocab.REGIONS)), st.sampled_from(vocab.codes(vocab.REGIONS)))
def test_borders_are_symmetric_and_irreflexive(a: str, b: str) -> None:
    assert (a in neighbours(b)) == (b in neighbours(a))
    assert a not in neighbours(a)
