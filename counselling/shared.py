"""What the case team may see of a person's own records: exactly what the person chose to
share (`services.shared_items(case)`), item by item, and nothing else.

Each reader logs its own read inside itself (one access-log row per item read, with the
item as `object_type`), so no caller can show shared data without leaving a trace, and an
item that is not shared is never read at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from core import vocabulary as vocab
from core.audit import record_access
from core.availability import labels as day_part_labels
from core.models import AccessLog
from counselling.models import Case, ShareItem
from counselling.services import shared_items
from diagnosis.models import Result
from journeys.models import Plan, PlanStep
from programmes.models import Enrolment


@dataclass(frozen=True)
class DiagnosisSummary:
    """What a counsellor sees of one diagnosis: the type and goal, not the answers."""

    taken_on: Any
    type_name: str
    goal_name: str
    availability: list[str]


@dataclass
class SharedView:
    shared: list[tuple[str, str]] = field(default_factory=list)  # (code, label) shared
    not_shared: list[tuple[str, str]] = field(default_factory=list)  # (code, label) not shared
    latest_diagnosis: DiagnosisSummary | None = None
    earlier_diagnoses: list[DiagnosisSummary] = field(default_factory=list)
    plan: Plan | None = None
    plan_steps: list[PlanStep] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)


def _log(request: HttpRequest | None, actor: Any, case: Case, item: str, ids: list[int]) -> None:
    record_access(
        request,
        actor=actor,
        subject_id=case.citizen_id,
        action=AccessLog.Action.VIEW,
        object_type=item,
        object_id=(",".join(str(i) for i in ids) or "-")[:64],
    )


def _summary(result: Result) -> DiagnosisSummary:
    return DiagnosisSummary(
        taken_on=result.created_at,
        type_name=vocab.type_name(result.type_code),
        goal_name=vocab.label_of(vocab.GOALS, result.goal),
        availability=day_part_labels(result.availability or []),
    )


def _shared(case: Case) -> frozenset[str]:
    """`shared_items(case)`, read once per case object: the case page asks it for each item."""
    items: frozenset[str] | None = getattr(case, "_shared_items", None)
    if items is None:
        items = shared_items(case)
        case._shared_items = items  # type: ignore[attr-defined]
    return items


def _results(case: Case) -> Any:
    return Result.objects.filter(owner_id=case.citizen_id).order_by("-created_at", "-pk")


def latest_diagnosis(case: Case, *, actor: Any, request: HttpRequest | None = None) -> DiagnosisSummary | None:
    if ShareItem.LATEST_DIAGNOSIS not in _shared(case):
        return None
    result = _results(case).first()
    if result is None:
        return None
    _log(request, actor, case, ShareItem.LATEST_DIAGNOSIS, [result.pk])
    return _summary(result)


def earlier_diagnoses(case: Case, *, actor: Any, request: HttpRequest | None = None) -> list[DiagnosisSummary]:
    if ShareItem.EARLIER_DIAGNOSES not in _shared(case):
        return []
    results = list(_results(case)[1:21])
    if results:
        _log(request, actor, case, ShareItem.EARLIER_DIAGNOSES, [r.pk for r in results])
    return [_summary(r) for r in results]


def plan_with_ticks(case: Case, *, actor: Any, request: HttpRequest | None = None) -> tuple[Plan | None, list[PlanStep]]:
    if ShareItem.PLAN not in _shared(case):
        return None, []
    plan = Plan.objects.filter(owner_id=case.citizen_id).order_by("-created_at", "-pk").first()
    if plan is None:
        return None, []
    steps = list(plan.steps.order_by("position"))
    _log(request, actor, case, ShareItem.PLAN, [plan.pk])
    return plan, steps


def enrolments(case: Case, *, actor: Any, request: HttpRequest | None = None) -> list[Enrolment]:
    if ShareItem.ENROLMENTS not in _shared(case):
        return []
    rows = list(
        Enrolment.objects.filter(user_id=case.citizen_id)
        .select_related("session__programme", "session__centre")
        .order_by("-session__starts_at", "-pk")[:50]
    )
    if rows:
        _log(request, actor, case, ShareItem.ENROLMENTS, [e.pk for e in rows])
    return rows


def shared_view(case: Case, *, actor: Any, request: HttpRequest | None = None) -> SharedView:
    """Everything the person shares with this case team, plus a plain list of what they
    did not share (so the page can say so rather than show an empty box)."""
    items = _shared(case)
    view = SharedView(
        shared=[(code, str(label)) for code, label in ShareItem.choices if code in items],
        not_shared=[(code, str(label)) for code, label in ShareItem.choices if code not in items],
    )
    view.latest_diagnosis = latest_diagnosis(case, actor=actor, request=request)
    view.earlier_diagnoses = earlier_diagnoses(case, actor=actor, request=request)
    view.plan, view.plan_steps = plan_with_ticks(case, actor=actor, request=request)
    view.enrolments = enrolments(case, actor=actor, request=request)
    return view
