"""The one decision "does this time span suit this person?" (core.availability)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core import vocabulary as vocab
from core.availability import (
    ALL_PARTS,
    Fit,
    expand,
    fits,
    fits_span,
    korean_summary,
    overlaps,
    summary,
)

PARTS = sorted(ALL_PARTS)
T = dt.time


def test_a_ten_to_four_weekday_session_does_not_suit_someone_free_ten_to_two() -> None:
    school_hours = ["weekday_morning", "weekday_midday"]
    assert fits(school_hours, 1, T(10), T(16)) is Fit.PARTLY
    assert fits(school_hours, 1, T(10), T(14)) is Fit.FITS


def test_a_weekday_session_does_not_suit_someone_free_only_at_weekends() -> None:
    assert fits(["weekend_morning", "weekend_afternoon"], 2, T(10), T(12)) is Fit.NO
    assert fits(["weekend_morning"], 5, T(10), T(12)) is Fit.FITS


def test_time_outside_every_day_part_is_not_available() -> None:
    assert fits(PARTS, 0, T(8), T(10)) is Fit.PARTLY
    assert fits(PARTS, 0, T(22, 30), T(23)) is Fit.NO


def test_legacy_codes_read_as_day_parts() -> None:
    assert expand(["weekday_day"]) == {"weekday_morning", "weekday_midday", "weekday_afternoon"}
    assert expand(["evening"]) == {"weekday_evening"}
    assert expand(["weekend"]) == {"weekend_morning", "weekend_midday", "weekend_afternoon", "weekend_evening"}
    assert expand(["nonsense"]) == frozenset()
    assert fits(["weekday_day"], 0, T(10), T(16)) is Fit.FITS


def test_an_end_not_after_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="not after"):
        fits(PARTS, 0, T(14), T(10))


def test_a_span_is_read_in_seoul_time() -> None:
    # 01:00-05:00 UTC on a Monday is 10:00-14:00 in Seoul.
    start = dt.datetime(2026, 3, 2, 1, tzinfo=dt.UTC)
    assert fits_span(["weekday_morning", "weekday_midday"], start, start + dt.timedelta(hours=4)) is Fit.FITS
    assert fits_span(["weekday_morning", "weekday_midday"], start, start + dt.timedelta(hours=6)) is Fit.PARTLY


def test_open_hours_need_only_one_shared_day_part() -> None:
    assert overlaps(["weekday_morning"], ["weekday_day"])
    assert not overlaps(["weekday_evening"], ["weekday_day"])
    assert overlaps(["weekend_evening"], ["anytime"])


def test_the_guide_map_says_the_hours_in_plain_korean() -> None:
    assert korean_summary(["weekday_morning", "weekday_midday"]) == "평일 오전·점심"
    assert korean_summary(["weekday_day", "weekend"]) == "평일 낮(9~18시), 주말 종일"
    assert korean_summary(["evening"]) == "평일 저녁"


def test_the_hours_are_said_in_the_pages_language() -> None:
    with translation.override("en"):
        assert summary(["weekday_evening", "weekend"]) == "weekday evening, all day at weekends"
        assert summary(["weekday_day"]) == "weekdays 9 am to 6 pm"
    with translation.override("ko"):
        assert summary(["weekday_day", "weekend"]) == "평일 낮(9~18시), 주말 종일"


minutes = st.integers(min_value=0, max_value=24 * 60 - 2)
availabilities = st.sets(st.sampled_from(PARTS))


@st.composite
def spans(draw: st.DrawFn) -> tuple[int, T, T]:
    first = draw(minutes)
    last = draw(st.integers(min_value=first + 1, max_value=24 * 60 - 1))
    return draw(st.integers(0, 6)), T(first // 60, first % 60), T(last // 60, last % 60)


@given(availabilities, spans())
def test_more_available_parts_never_make_a_span_fit_worse(free: set[str], span: tuple[int, T, T]) -> None:
    order = {Fit.NO: 0, Fit.PARTLY: 1, Fit.FITS: 2}
    assert order[fits(free | {PARTS[0]}, *span)] >= order[fits(free, *span)]
    assert order[fits(ALL_PARTS, *span)] >= order[fits(free, *span)]


@given(availabilities, spans())
def test_a_span_fits_exactly_when_every_day_part_it_overlaps_is_available(free: set[str], span: tuple[int, T, T]) -> None:
    weekday, start, end = span
    kind = "weekend" if weekday >= 5 else "weekday"
    bounds = {"morning": (9, 12), "midday": (12, 14), "afternoon": (14, 18), "evening": (18, 22)}
    a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    inside = a >= 9 * 60 and b <= 22 * 60
    touched = {f"{kind}_{p}" for p, (lo, hi) in bounds.items() if a < hi * 60 and b > lo * 60}
    assert (fits(free, weekday, start, end) is Fit.FITS) == (inside and touched <= free)


@given(availabilities, spans())
def test_nothing_free_that_day_means_no_fit(free: set[str], span: tuple[int, T, T]) -> None:
    weekday = span[0]
    kind = "weekend" if weekday >= 5 else "weekday"
    others = {code for code in free if not code.startswith(kind)}
    assert fits(others, *span) is Fit.NO


@given(availabilities, spans(), spans())
def test_a_span_inside_one_that_fits_also_fits(free: set[str], outer: tuple[int, T, T], cut: tuple[int, T, T]) -> None:
    weekday, start, end = outer
    if fits(free, weekday, start, end) is not Fit.FITS:
        return
    a, b = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    lo = a + (cut[1].hour * 60 + cut[1].minute) % (b - a)
    if lo >= b:
        return
    assert fits(free, weekday, T(lo // 60, lo % 60), end) is Fit.FITS


def test_the_day_parts_are_eight_codes_of_the_vocabulary() -> None:
    assert len(vocab.DAY_PARTS) == 8
    assert {t.code for t in vocab.DAY_PARTS} == ALL_PARTS
