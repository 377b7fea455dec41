"""The quarterly employment measure, modelled on WIOA's (미국 노동력혁신기회법) primary
indicators "employed in the 2nd / 4th quarter after exit", adapted to what we know: not
wage records, but statements by the person, their counsellor or a partner (docs/outcomes.md).

Pure functions over plain values, tested in outcomes/tests/test_measure.py.

* Quarters are calendar quarters. The exit quarter is the one holding the exit date; "the
  2nd quarter after exit" is the second full quarter after it (exit 2026-05-10, Q2 2026 →
  Q4 2026), as WIOA counts.
* A person's situation in a quarter is the newest statement dated on or before the
  quarter's last day — a job reported in March still counts in June unless something newer
  says otherwise — provided it is *fresh*: dated no earlier than FRESH_FOR before the
  quarter starts. Otherwise the situation is unknown (WIOA would find a wage record or
  count "not employed"; we say "unknown" and report those apart, see docs/outcomes.md).
* Employed means employment of any contract type, a business started (self-employment),
  or farming after a rural move (귀농, self-employment in agriculture), as WIOA counts
  self-employment. Volunteering, training, still searching and stopped are not employed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

EMPLOYED_KINDS = frozenset({"employed", "business", "rural"})
FRESH_FOR = timedelta(days=183)  # about two quarters

EMPLOYED = "employed"
NOT_EMPLOYED = "not_employed"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Statement:
    """An outcome as the measure needs it (outcomes.models.Outcome has more)."""

    kind: str
    on_date: date
    source: str = "self"
    created_order: int = 0  # tie-break for two statements on one day: the later recorded wins


@dataclass(frozen=True)
class QuarterStatus:
    after_exit: int  # 2 or 4
    first_day: date
    last_day: date
    status: str  # EMPLOYED, NOT_EMPLOYED or UNKNOWN
    kind: str = ""  # the deciding statement's kind ("" when unknown)
    source: str = ""  # …and who made it


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def add_quarters(first_day: date, n: int) -> date:
    months = first_day.year * 12 + first_day.month - 1 + 3 * n
    return date(months // 12, months % 12 + 1, 1)


def quarter_after(exit_date: date, n: int) -> tuple[date, date]:
    """(first day, last day) of the n-th full calendar quarter after the exit quarter."""
    first = add_quarters(quarter_start(exit_date), n)
    return first, add_quarters(first, 1) - timedelta(days=1)


def status_in(statements: Iterable[Statement], first_day: date, last_day: date) -> tuple[str, Statement | None]:
    known = [s for s in statements if s.on_date <= last_day]
    if not known:
        return UNKNOWN, None
    newest = max(known, key=lambda s: (s.on_date, s.created_order))
    if newest.on_date < first_day - FRESH_FOR:
        return UNKNOWN, None
    return (EMPLOYED if newest.kind in EMPLOYED_KINDS else NOT_EMPLOYED), newest


def quarterly_status(outcomes: Sequence[Statement], exit_date: date, quarters: Sequence[int] = (2, 4)) -> list[QuarterStatus]:
    """The person's situation in the 2nd and 4th quarters after `exit_date`."""
    out = []
    for n in quarters:
        first, last = quarter_after(exit_date, n)
        status, deciding = status_in(outcomes, first, last)
        out.append(
            QuarterStatus(
                after_exit=n, first_day=first, last_day=last, status=status,
                kind=deciding.kind if deciding else "", source=deciding.source if deciding else "",
            )
        )
    return out


@dataclass(frozen=True)
class Rate:
    employed: int
    known: int  # employed + not employed
    unknown: int

    @property
    def of_known(self) -> float | None:
        return self.employed / self.known if self.known else None

    @property
    def of_all(self) -> float | None:
        """WIOA-like: unknown counted as not employed."""
        total = self.known + self.unknown
        return self.employed / total if total else None


def employment_rate(people: Iterable[tuple[Sequence[Statement], date]], after_exit: int, *, as_of: date) -> Rate:
    """Over (statements, exit date) of every person who exited: the rate in the
    `after_exit`-th quarter, counting only people whose quarter has ended by `as_of`."""
    employed = known = unknown = 0
    for statements, exit_date in people:
        first, last = quarter_after(exit_date, after_exit)
        if last > as_of:
            continue  # the quarter is not over yet: not in the cohort
        status, _deciding = status_in(statements, first, last)
        if status == UNKNOWN:
            unknown += 1
        else:
            known += 1
            employed += status == EMPLOYED
    return Rate(employed=employed, known=known, unknown=unknown)
