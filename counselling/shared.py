"""What the case team may see of a person's own records: exactly what the person chose to
share (`services.shared_items(case)`), item by item, and nothing else.

Each reader notes what it read (one access-log row per item read, with the item as
`object_type`) and `shared_view`, the only caller, writes those rows with the row for the
case itself in one INSERT: no one can show shared data without leaving a trace, and an
item that is not shared is never read at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Subquery
from django.http import HttpRequest

from core import vocabulary as vocab
from core.audit import Item, record_reads
from core.availability import labels as day_part_labels
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


def _summary(result: Result) -> DiagnosisSummary:
    return DiagnosisSummary(
        taken_on=result.created_at,
        type_name=vocab.type_name(result.type_code),
        goal_name=vocab.label_of(vocab.GOALS, result.goal),
        availability=day_part_labels(result.availability or []),
    )


def _shared(case: Case) -> frozenset[str]:
    """`shared_items(case)`, read once per case object (with the case itself when it came
    from `counselling.access.access_case`, as `shared_now`)."""
    items: frozenset[str] | None = getattr(case, "_shared_items", None)
    if items is None:
        items = frozenset(case.shared_now or []) if hasattr(case, "shared_now") else shared_items(case)
        case._shared_items = items  # type: ignore[attr-defined]
    return items


Reads = list[tuple[Any, Any]]  # (subject_id, what was read), for core.audit.record_reads


def _read(reads: Reads, case: Case, item: str, ids: list[int]) -> None:
    reads.append((case.citizen_id, Item(item, (",".join(str(i) for i in ids) or "-")[:64])))


def diagnoses(case: Case, reads: Reads) -> tuple[DiagnosisSummary | None, list[DiagnosisSummary]]:
    """The latest diagnosis and up to 20 earlier ones, each only if shared, in one query."""
    items = _shared(case)
    want_latest = ShareItem.LATEST_DIAGNOSIS in items
    want_earlier = ShareItem.EARLIER_DIAGNOSES in items
    if not (want_latest or want_earlier):
        return None, []
    rows = Result.objects.filter(owner_id=case.citizen_id).order_by("-created_at", "-pk")
    results = list(rows[: 21 if want_earlier else 1])
    latest = None
    if want_latest and results:
        _read(reads, case, ShareItem.LATEST_DIAGNOSIS, [results[0].pk])
        latest = _summary(results[0])
    earlier = results[1:] if want_earlier else []
    if earlier:
        _read(reads, case, ShareItem.EARLIER_DIAGNOSES, [r.pk for r in earlier])
    return latest, [_summary(r) for r in earlier]


def plan_with_ticks(case: Case, reads: Reads) -> tuple[Plan | None, list[PlanStep]]:
    """The person's newest plan and its steps, in one query (a second only for a plan
    without steps)."""
    if ShareItem.PLAN not in _shared(case):
        return None, []
    newest = Plan.objects.filter(owner_id=case.citizen_id).order_by("-created_at", "-pk").values("pk")[:1]
    steps = list(PlanStep.objects.filter(plan_id=Subquery(newest)).select_related("plan").order_by("position"))
    plan = steps[0].plan if steps else Plan.objects.filter(pk=Subquery(newest)).first()
    if plan is None:
        return None, []
    _read(reads, case, ShareItem.PLAN, [plan.pk])
    return plan, steps


def enrolments(case: Case, reads: Reads) -> list[Enrolment]:
    if ShareItem.ENROLMENTS not in _shared(case):
        return []
    rows = list(
        Enrolment.objects.filter(user_id=case.citizen_id)
        .select_related("session__programme", "session__centre")
        .order_by("-session__starts_at", "-pk")[:50]
    )
    if rows:
        _read(reads, case, ShareItem.ENROLMENTS, [e.pk for e in rows])
    return rows


def shared_view(case: Case, *, actor: Any, request: HttpRequest | None = None) -> SharedView:
    """Everything the person shares with this case team, plus a plain list of what they
    did not share (so the page can say so rather than show an empty box). Logs the read of
    the case and of every shared item read, in one INSERT."""
    items = _shared(case)
    view = SharedView(
        shared=[(code, str(label)) for code, label in ShareItem.choices if code in items],
        not_shared=[(code, str(label)) for code, label in ShareItem.choices if code not in items],
    )
    reads: Reads = [(case.citizen_id, case)]
    view.latest_diagnosis, view.earlier_diagnoses = diagnoses(case, reads)
    view.plan, view.plan_steps = plan_with_ticks(case, reads)
    view.enrolments = enrolments(case, reads)
    record_reads(request, actor=actor, reads=reads)
    return view
