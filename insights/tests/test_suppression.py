"""Suppression: the rule on its own, and a property test over random cohorts and every
filter/by combination tried — no count of 1–4 people is published, and none can be had by
subtracting one published figure from another."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.datasets import PEOPLE_DIMS, query
from insights.models import STAGES, FunnelCell
from insights.suppression import (
    BASE,
    MIN_COUNT,
    MIN_RATE_BASE,
    is_publishable,
    publish_count,
    publish_mean,
    publish_rate,
)


@given(st.integers(min_value=0, max_value=10_000))
def test_every_published_count_is_zero_suppressed_or_a_multiple_of_five(n: int) -> None:
    published = publish_count(n)
    assert is_publishable(published)
    if 1 <= n < MIN_COUNT:
        assert published is None
    elif n == 0:
        assert published == 0
    else:
        assert published is not None and abs(published - n) <= BASE // 2 and published >= MIN_COUNT


@given(st.integers(0, 5000), st.integers(0, 5000))
def test_a_difference_of_two_published_counts_is_never_1_to_4(a: int, b: int) -> None:
    pa, pb = publish_count(a), publish_count(b)
    if pa is not None and pb is not None:
        assert abs(pa - pb) % BASE == 0


@given(st.integers(0, 500), st.integers(0, 500))
def test_a_rate_is_a_ratio_of_published_counts_over_a_large_enough_base(top: int, bottom: int) -> None:
    rate = publish_rate(top, bottom)
    if bottom < MIN_RATE_BASE or (1 <= top < MIN_COUNT):
        assert rate is None
    if rate is not None:
        pt, pb = publish_count(top), publish_count(bottom)
        assert pt is not None and pb
        assert rate == round(min(pt, pb) / pb, 3)


def test_means_need_enough_answers() -> None:
    assert publish_mean(4 * 19, 19) is None
    assert publish_mean(4 * 20 + 1, 20) == 4.0


def test_rounding_examples() -> None:
    assert [publish_count(n) for n in (0, 1, 4, 5, 7, 8, 12, 13, 212)] == [0, None, None, 5, 5, 10, 10, 15, 210]


# --- the property test over the published datasets -------------------------------------------

MONTHS = [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
GOALS = ["reemployment", "startup"]
AGES = ["40s", "50s", "60s"]
REGIONS = ["11", "26"]
EMPLOYMENT = ["", "employed", "not_employed", "unknown"]

person = st.tuples(
    st.sampled_from(MONTHS), st.sampled_from(GOALS), st.sampled_from(AGES), st.sampled_from(REGIONS),
    st.sampled_from([None, 1, 2]), st.integers(0, len(STAGES) - 1), st.sampled_from(EMPLOYMENT), st.sampled_from(EMPLOYMENT),
)

# Filters and `by` values the property test tries, every combination of them.
FILTERS: list[dict[str, str]] = [{}]
for goal, age, region in itertools.product(["", *GOALS], ["", *AGES], ["", *REGIONS]):
    chosen = {k: v for k, v in (("goal", goal), ("age_band", age), ("region", region)) if v}
    if chosen:
        FILTERS.append(chosen)
# The versions cut across months (a catalogue release loaded mid-month): before/after tables.
FILTERS += [{"catalogue": "2026.12"}, {"catalogue": "2026.12", "goal": "startup"}, {"instrument": "v2", "region": "26"}]
BYS = ["", "goal", "age_band", "region", "centre", "month", "goal,age_band", "catalogue", "instrument", "catalogue,month"]
PERIODS = [{}, {"from": "2026-02"}, {"to": "2026-01"}]
PEOPLE_FIGURES = {"count"}


def _catalogue(month: dt.date, region: str) -> str:
    return "" if month == MONTHS[0] and region == "11" else "2026.12"  # "" = before the first release


def _instrument(month: dt.date) -> str:
    return "v1" if month == MONTHS[0] else "v2"


def _load(people: list[tuple[Any, ...]]) -> None:
    FunnelCell.objects.all().delete()
    cells = Counter(people)
    FunnelCell.objects.bulk_create(
        FunnelCell(
            month=m, instrument=_instrument(m), catalogue=_catalogue(m, r), type_code="job_search", goal=g, age_band=a, status="jobseeker", region=r,
            centre_id=c, stage=s, latest=True, employed_6m=e6, employed_12m=e12, people=n,
        )
        for (m, g, a, r, c, s, e6, e12), n in cells.items()
    )


def _true_reached(people: list[tuple[Any, ...]], raw: dict[str, str], k: int) -> int:
    """The exact number of people matching `raw` (filters and period only) at stage ≥ k."""
    def keep(p: tuple[Any, ...]) -> bool:
        m, g, a, r, _c, s, _e6, _e12 = p
        return (
            raw.get("goal", g) == g and raw.get("age_band", a) == a and raw.get("region", r) == r and s >= k
            and raw.get("catalogue", _catalogue(m, r)) == _catalogue(m, r) and raw.get("instrument", _instrument(m)) == _instrument(m)
            and ("from" not in raw or f"{m:%Y-%m}" >= raw["from"]) and ("to" not in raw or f"{m:%Y-%m}" <= raw["to"])
        )

    return sum(1 for p in people if keep(p))


def _check(people: list[tuple[Any, ...]], combos: list[tuple[dict[str, str], str, dict[str, str]]]) -> None:
    _load(people)
    published: list[int | None] = []
    for dataset in ("funnel", "outcomes"):
        for filters, by, period in combos:
            raw = {**filters, **period, "by": by}
            table = query(dataset, raw)
            counts = [c.key for c in table.columns if c.kind in PEOPLE_FIGURES]
            for row in [*table.rows, table.total]:
                for key in counts:
                    value = row[key]
                    assert is_publishable(value), (dataset, raw, key, value)
                    published.append(value)
            if dataset == "funnel":
                # The total of a filtered table is the exact count rounded, or hidden under 5.
                for k, (code, _label) in enumerate(STAGES):
                    true = _true_reached(people, raw, k)
                    assert table.total[code] == publish_count(true)
                    if 1 <= true < MIN_COUNT:
                        assert table.total[code] is None
    # Differencing: any published figure minus any other (a total minus its cells, filter A
    # minus A∧B, one stage minus the next) is a multiple of 5 — never 1 to 4.
    values = sorted({v for v in published if v is not None})
    assert all((b - a) % BASE == 0 for a, b in itertools.combinations(values, 2))
    assert not any(1 <= b - a < MIN_COUNT for a, b in itertools.combinations(values, 2))


ALL_COMBOS = list(itertools.product(FILTERS, BYS, PERIODS))


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(person, min_size=0, max_size=60), st.lists(st.sampled_from(ALL_COMBOS), min_size=1, max_size=30))
def test_no_small_count_is_published_or_derivable_under_random_filters(
    people: list[tuple[Any, ...]], combos: list[tuple[dict[str, str], str, dict[str, str]]]
) -> None:
    _check(people, combos)


@pytest.mark.django_db
def test_no_small_count_is_published_or_derivable_under_every_filter_combination() -> None:
    """One adversarial cohort (many groups of 1–4 people, a few of 5–9) against every
    combination of filters, `by` and period the property test draws from."""
    people = []
    for i, combo in enumerate(itertools.product(MONTHS, GOALS, AGES, REGIONS)):
        m, g, a, r = combo
        for j in range(1 + i % 9):
            people.append((m, g, a, r, [None, 1, 2][j % 3], j % len(STAGES), EMPLOYMENT[j % 4], EMPLOYMENT[(i + j) % 4]))
    _check(people, ALL_COMBOS)


def test_every_dimension_of_the_people_datasets_is_tried_somewhere() -> None:
    tried = {b for by in BYS for b in by.split(",") if b} | {k for f in FILTERS for k in f}
    assert tried >= {"goal", "age_band", "region", "centre", "month", "catalogue", "instrument"}
    assert {d.code for d in PEOPLE_DIMS} >= tried
