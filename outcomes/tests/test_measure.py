"""The WIOA-style quarterly measure (outcomes/measure.py)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from outcomes.measure import (
    EMPLOYED,
    NOT_EMPLOYED,
    UNKNOWN,
    Statement,
    employment_rate,
    quarter_after,
    quarterly_status,
)

EXIT = date(2026, 5, 10)  # Q2 2026 → 2nd quarter after: Q4 2026; 4th: Q2 2027


def test_quarters_after_exit_are_full_calendar_quarters() -> None:
    assert quarter_after(EXIT, 2) == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarter_after(EXIT, 4) == (date(2027, 4, 1), date(2027, 6, 30))
    assert quarter_after(date(2026, 12, 31), 2) == (date(2027, 4, 1), date(2027, 6, 30))


def test_a_job_reported_before_the_quarter_counts_in_it() -> None:
    q2, q4 = quarterly_status([Statement("employed", date(2026, 9, 1), "counsellor")], EXIT)
    assert (q2.status, q2.source) == (EMPLOYED, "counsellor")  # reported in Q3, still true in Q4
    assert q4.status == UNKNOWN  # 2026-09-01 is more than 183 days before 2027-04-01: stale
    _q2, q4 = quarterly_status([Statement("employed", date(2026, 10, 15))], EXIT)
    assert q4.status == EMPLOYED


def test_a_newer_statement_overrides_an_older_one() -> None:
    outcomes = [Statement("employed", date(2026, 8, 1)), Statement("searching", date(2026, 11, 2))]
    q2, _q4 = quarterly_status(outcomes, EXIT)
    assert q2.status == NOT_EMPLOYED and q2.kind == "searching"


def test_a_statement_after_the_quarter_does_not_count_in_it() -> None:
    q2, q4 = quarterly_status([Statement("business", date(2027, 1, 15))], EXIT)
    assert q2.status == UNKNOWN
    assert q4.status == EMPLOYED


def test_an_old_statement_goes_stale() -> None:
    q2, q4 = quarterly_status([Statement("employed", date(2026, 4, 15))], EXIT)
    assert q2.status == EMPLOYED  # 2026-04-15 is within 183 days before 2026-10-01, not 2027-04-01
    assert q4.status == UNKNOWN


def test_business_and_farming_count_as_employed_volunteering_does_not() -> None:
    day = date(2026, 11, 1)
    assert quarterly_status([Statement("rural", day)], EXIT)[0].status == EMPLOYED
    assert quarterly_status([Statement("volunteering", day)], EXIT)[0].status == NOT_EMPLOYED
    assert quarterly_status([Statement("training", day)], EXIT)[0].status == NOT_EMPLOYED


def test_two_statements_on_one_day_the_later_recorded_wins() -> None:
    day = date(2026, 11, 1)
    outcomes = [Statement("employed", day, created_order=2), Statement("stopped", day, created_order=1)]
    assert quarterly_status(outcomes, EXIT)[0].status == EMPLOYED


KINDS = ["employed", "business", "rural", "volunteering", "training", "searching", "stopped"]
statements = st.lists(
    st.builds(Statement, kind=st.sampled_from(KINDS), on_date=st.dates(date(2024, 1, 1), date(2028, 12, 31))), max_size=6
)


@given(statements, st.dates(date(2025, 1, 1), date(2027, 12, 31)))
def test_the_status_is_decided_only_by_statements_up_to_the_quarter_end(outcomes: list[Statement], exit_date: date) -> None:
    for q in quarterly_status(outcomes, exit_date):
        earlier = [s for s in outcomes if s.on_date <= q.last_day]
        later = [Statement(s.kind, s.on_date + timedelta(days=400)) for s in outcomes if s.on_date > q.last_day]
        again = {r.after_exit: r for r in quarterly_status(earlier + later, exit_date)}
        assert again[q.after_exit].status == q.status
        assert q.first_day > exit_date


def test_the_rate_counts_only_ended_quarters_and_keeps_unknown_apart() -> None:
    people = [
        ([Statement("employed", date(2026, 9, 1))], EXIT),
        ([Statement("searching", date(2026, 9, 1))], EXIT),
        ([], EXIT),
        ([Statement("employed", date(2027, 9, 1))], date(2027, 6, 1)),  # quarter not over on as_of
    ]
    rate = employment_rate(people, 2, as_of=date(2027, 1, 31))
    assert (rate.employed, rate.known, rate.unknown) == (1, 2, 1)
    assert rate.of_known == 0.5
    assert rate.of_all == 1 / 3
