"""Statistical disclosure control for every published figure (docs/insights.md, "Suppression").

The rule, applied to every count of people before it leaves the server (dashboard, CSV,
XLSX, the statistics API and "people like me"):

1. 0 is published as 0.
2. 1–4 is suppressed (published as None, shown as "<5").
3. 5 and more is rounded to the nearest multiple of 5 (halves up: 7 → 5, 8 → 10), and
   never below 5.

So every published count is 0, None or a multiple of 5, and the difference of any two
published counts is a multiple of 5: no count of 1–4 people is published, nor is one
obtained by subtracting one published figure from another (a total minus its other cells,
filter A minus filter A∧B, one funnel stage minus the next). Rounding is deterministic —
the same group always gives the same figure — so asking again does not average noise away.

A rate is published only as a ratio of two published counts (so it adds nothing to them),
and only when its denominator is at least MIN_RATE_BASE people. An average score is
published only over at least MIN_RATE_BASE answers, to one decimal.

Totals are rounded on their own, so a column need not add up to its published total.
"""

from __future__ import annotations

from collections.abc import Iterable

MIN_COUNT = 5  # fewer people than this (but more than none) are never published
BASE = 5  # published counts are multiples of this
MIN_RATE_BASE = 20  # a rate or an average needs at least this many people behind it


def publish_count(n: int) -> int | None:
    """The published form of a count of `n` people: 0, None (1–4) or a multiple of 5 ≥ 5."""
    if n < 0:
        raise ValueError("a count of people cannot be negative")
    if n == 0:
        return 0
    if n < MIN_COUNT:
        return None
    return max(BASE, BASE * ((n + BASE // 2) // BASE))


def publish_rate(numerator: int, denominator: int) -> float | None:
    """numerator/denominator from their published forms, or None when either is suppressed
    or the denominator is under MIN_RATE_BASE. Rounded to three decimals."""
    if denominator < MIN_RATE_BASE:
        return None
    top, bottom = publish_count(numerator), publish_count(denominator)
    if top is None or not bottom:
        return None
    return round(min(top, bottom) / bottom, 3)


def publish_mean(total: int, n: int) -> float | None:
    """An average (a satisfaction score) over `n` answers, or None under MIN_RATE_BASE."""
    if n < MIN_RATE_BASE:
        return None
    return round(total / n, 1)


def is_publishable(value: int | None) -> bool:
    """What every published count must satisfy (the property tests check it)."""
    return value is None or value == 0 or (value >= MIN_COUNT and value % BASE == 0)


def no_small_differences(values: Iterable[int | None]) -> bool:
    """No two published counts differ by 1–4 (true by construction; tested)."""
    seen = sorted({v for v in values if v is not None})
    return all((b - a) % BASE == 0 for a, b in zip(seen, seen[1:], strict=False))
