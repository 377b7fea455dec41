"""Actions on outcomes: a person records their own; a counsellor records one in a case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_changes
from outcomes.measure import Statement
from outcomes.models import Contract, Kind, Outcome, Source

EARLIEST = date(2000, 1, 1)
NOTE_MAX = 500


class InvalidOutcome(ValueError):
    """A readable reason (Korean msgid) why the outcome was not recorded."""


@dataclass(frozen=True)
class OutcomeIn:
    kind: str
    on_date: date
    contract: str = ""
    note: str = ""


def validate(data: OutcomeIn, today: date) -> OutcomeIn:
    if data.kind not in Kind.values:
        raise InvalidOutcome(_("지금 상황을 골라 주세요."))
    contract = data.contract if data.kind == Kind.EMPLOYED else ""
    if data.kind == Kind.EMPLOYED and contract not in Contract.values:
        raise InvalidOutcome(_("취업했다면 고용 형태(정규직, 계약직, 시간제, 일용, 기타)를 골라 주세요."))
    if data.on_date > today:
        raise InvalidOutcome(_("날짜는 오늘이나 그 전이어야 합니다."))
    if data.on_date < EARLIEST:
        raise InvalidOutcome(_("날짜를 다시 확인해 주세요."))
    note = data.note.strip()
    if len(note) > NOTE_MAX:
        raise InvalidOutcome(_("메모는 %(n)s자 이내로 적어 주세요.") % {"n": NOTE_MAX})
    return OutcomeIn(kind=data.kind, on_date=data.on_date, contract=contract, note=note)


@transaction.atomic
def record(actor: Any, citizen_id: int, data: OutcomeIn, *, source: str, case: Any = None) -> Outcome:
    """Store one outcome. `source` says who told us; the actor is logged when it is not
    the person themself (core.audit)."""
    if source not in Source.values:
        raise InvalidOutcome(_("알려 준 곳을 골라 주세요."))
    clean = validate(data, timezone.localdate())
    outcome = Outcome.objects.create(
        citizen_id=citizen_id,
        kind=clean.kind,
        contract=clean.contract,
        on_date=clean.on_date,
        source=source,
        recorded_by=actor if getattr(actor, "pk", None) else None,
        case=case,
        note=clean.note,
    )
    record_changes(actor, [outcome], subject=lambda o: o.citizen_id)
    return outcome


def record_own(user: Any, data: OutcomeIn) -> Outcome:
    return record(user, user.pk, data, source=Source.SELF)


def record_in_case(counsellor: Any, case: Any, data: OutcomeIn) -> Outcome:
    """The case must come from counselling.access.access_case (in scope)."""
    return record(counsellor, case.citizen_id, data, source=Source.COUNSELLOR, case=case)


def statements(outcomes: list[Outcome]) -> list[Statement]:
    return [Statement(kind=o.kind, on_date=o.on_date, source=o.source, created_order=o.pk) for o in outcomes]


def exit_date(user_id: int) -> date | None:
    """When the person left our services (docs/outcomes.md): the latest end of a plan
    (completed or given up) or close of a counselling case — but only when nothing is still
    under way (no active plan, no open case). None while they are still with us, or never
    were. Two queries."""
    from counselling.models import Case, CaseStatus
    from journeys.models import Plan, PlanStatus

    plans = list(Plan.objects.filter(owner_id=user_id).values_list("status", "ended_at"))
    cases = list(Case.objects.filter(citizen_id=user_id).values_list("status", "closed_at"))
    if any(s == PlanStatus.ACTIVE for s, _e in plans) or any(s == CaseStatus.OPEN for s, _c in cases):
        return None
    ends: list[datetime] = [e for _s, e in plans if e is not None] + [c for _s, c in cases if c is not None]
    return timezone.localdate(max(ends)) if ends else None


def quarters_for(outcomes: list[Outcome], exit_on: date) -> list[Any]:
    """The person's 2nd- and 4th-quarter status after `exit_on` (outcomes.measure)."""
    from outcomes.measure import quarterly_status

    return quarterly_status(statements(outcomes), exit_on)
