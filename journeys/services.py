"""Actions of the guide map: every write to a Plan or PlanStep goes through here."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.eligibility import facts_of
from catalog.models import Service
from core.audit import record_changes
from core.states import Transitions
from diagnosis.models import Result
from journeys import restart
from journeys.matching import CaseFacts, PersonFacts, build_plan
from journeys.models import CaseStory, Plan, PlanStatus, PlanStep

PLAN_FLOW: Transitions[Plan] = Transitions(
    Plan,
    {
        PlanStatus.COMPLETED: {PlanStatus.ACTIVE},
        PlanStatus.ABANDONED: {PlanStatus.ACTIVE},
        # Unticking a step of a finished plan: it is under way again.
        PlanStatus.ACTIVE: {PlanStatus.COMPLETED},
    },
    stamp="status_changed_at",
)

ABANDON_REASON_MAX = 500


def person_of(result: Result, today: date) -> PersonFacts:
    """The facts the engine needs from a diagnosis result. Only the birth year is
    collected, so the age is the one reached in today's calendar year (as the diagnosis
    computes the age band)."""
    return PersonFacts(
        age=today.year - result.birth_year,
        age_band=result.age_band,
        status=result.employment_status,
        region=result.region,
        goal=result.goal,
        availability=tuple(result.availability or ()),
        type_code=result.type_code,
        scale_scores={str(k): float(v) for k, v in (result.scale_scores or {}).items()},
        firm_size=result.firm_size,
        experienced=result.career_years > 0 and result.occupation != "none",
    )


def case_facts(story: CaseStory) -> CaseFacts:
    return CaseFacts(
        slug=story.slug,
        age_band=story.age_band,
        goal=story.goal,
        career_types=tuple(story.career_types or ()),
        outcome=story.outcome,
        status=story.status,
    )


@transaction.atomic
def create_plan(result: Result, today: date | None = None) -> Plan:
    """Build a guide map for `result` with the active catalogue and store it. The plan
    belongs to whoever owns the result (nobody, for an anonymous result)."""
    today = today or timezone.localdate()
    services = {s.slug: s for s in Service.objects.filter(is_active=True)}
    cases = [case_facts(c) for c in CaseStory.objects.all()]
    draft = build_plan(person_of(result, today), [facts_of(s) for s in services.values()], cases, today)
    plan = Plan.objects.create(result=result, owner=result.owner, start_date=today, cases=list(draft.cases))
    PlanStep.objects.bulk_create(
        PlanStep(
            plan=plan,
            position=position,
            stage=step.stage,
            theme=step.theme,
            service=services[step.service],
            title=services[step.service].name_ko,
            reason=step.reason,
            reason_parts=step.reason_parts,
            start_week=step.start_week,
            duration_weeks=step.duration_weeks,
        )
        for position, step in enumerate(draft.steps, start=1)
    )
    return plan


@transaction.atomic
def plan_for_result(result: Result, today: date | None = None) -> Plan:
    """Today's plan for this result if one was made already (a second tap on the button
    does not make a second plan), else a new one."""
    today = today or timezone.localdate()
    existing = Plan.objects.filter(result=result, start_date=today).order_by("-created_at").first()
    return existing or create_plan(result, today)


@transaction.atomic
def toggle_step(step: PlanStep, done: bool) -> PlanStep:
    """Mark a step done (keeping the first time it was marked) or not done. The last step
    ticked completes an active plan; unticking one of a completed plan makes it active
    again. An abandoned plan stays abandoned (its ticks are still kept)."""
    if done and step.done_at is None:
        step.done_at = timezone.now()
    elif not done and step.done_at is not None:
        step.done_at = None
    else:
        return step
    step.save(update_fields=["done_at"])
    plan = Plan.objects.select_for_update().get(pk=step.plan_id)
    all_done = not plan.steps.filter(done_at__isnull=True).exists() and plan.steps.exists()
    if all_done and plan.status == PlanStatus.ACTIVE:
        PLAN_FLOW.move(plan, PlanStatus.COMPLETED, ended_at=timezone.now())
    elif not all_done and plan.status == PlanStatus.COMPLETED:
        PLAN_FLOW.move(plan, PlanStatus.ACTIVE, ended_at=None)
    step.plan = plan
    return step


class PlanNotActive(ValueError):
    """Only a plan under way can be given up."""


@transaction.atomic
def abandon_plan(actor: Any, plan: Plan, reason: str = "") -> Plan:
    """그만두기: the person gives up this plan, with an optional reason in their words. The
    ticks stay, so 다시 시작하기 can keep what was done."""
    reason = reason.strip()
    if len(reason) > ABANDON_REASON_MAX:
        raise ValueError(_("이유는 %(n)s자 이내로 적어 주세요.") % {"n": ABANDON_REASON_MAX})
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.ACTIVE:
        raise PlanNotActive(_("진행 중인 계획만 그만둘 수 있습니다."))
    PLAN_FLOW.move(locked, PlanStatus.ABANDONED, ended_at=timezone.now(), abandon_reason=reason)
    record_changes(actor, [locked], subject=lambda p: p.owner_id)
    plan.status, plan.ended_at, plan.abandon_reason = locked.status, locked.ended_at, locked.abandon_reason
    plan.status_changed_at = locked.status_changed_at
    return plan


# --- 다시 시작하기 -----------------------------------------------------------------------------


def profile_of(result: Result) -> dict[str, Any]:
    """The diagnosis profile a result was made with, in the draft's form (diagnosis.forms.
    ProfileForm field names), to pre-fill a new diagnosis."""
    return {
        "birth_year": str(result.birth_year),
        "employment_status": result.employment_status,
        "career_years": str(result.career_years),
        "occupation": result.occupation,
        "region": result.region,
        "goal": result.goal,
        "availability": list(result.availability or []),
        "firm_size": result.firm_size,
    }


def restart_source(user: Any, public_id: str | None) -> Plan | None:
    """The plan a person starts again from: the one named (theirs only), else their newest."""
    plans = Plan.objects.filter(owner_id=user.pk).select_related("result")
    if public_id:
        named = plans.filter(public_id=public_id).first()
        if named is not None:
            return named
    return plans.order_by("-created_at", "-pk").first()


def facts_of_plan(plan: Plan, steps: list[PlanStep]) -> restart.PlanFacts:
    result = plan.result
    return restart.PlanFacts(
        goal=result.goal,
        type_code=result.type_code,
        employment_status=result.employment_status,
        region=result.region,
        availability=tuple(result.availability or ()),
        steps=tuple(
            restart.StepFacts(service=s.service.slug if s.service else "", theme=s.theme, title=s.title, done_at=s.done_at)
            for s in steps
        ),
    )


ABANDONED_BY_RESTART = "다시 시작하기로 새 계획을 만들었습니다."


@transaction.atomic
def restart_plan(actor: Any, result: Result, old: Plan, today: date | None = None) -> Plan:
    """A new plan from `result` that supersedes `old`: steps done in the old plan (same
    service, else same theme) are done here too, with their first done time; the old plan,
    if still under way, is given up; and what changed is stored on the new plan."""
    old = Plan.objects.select_for_update().select_related("result").get(pk=old.pk)
    plan = create_plan(result, today)
    old_steps = list(old.steps.select_related("service").order_by("position"))
    new_steps = list(plan.steps.select_related("service").order_by("position"))
    old_facts, new_facts = facts_of_plan(old, old_steps), facts_of_plan(plan, new_steps)
    carried = restart.carry_over(old_facts.steps, new_facts.steps)
    for j, i in carried.items():
        new_steps[j].done_at = old_steps[i].done_at
        new_steps[j].carried_from = old_steps[i]
    PlanStep.objects.bulk_update([new_steps[j] for j in carried], ["done_at", "carried_from"])
    plan.supersedes = old
    plan.changes = [c.as_data() for c in restart.what_changed(old_facts, facts_of_plan(plan, new_steps), carried)]
    plan.save(update_fields=["supersedes", "changes"])
    if old.status == PlanStatus.ACTIVE:
        PLAN_FLOW.move(old, PlanStatus.ABANDONED, ended_at=timezone.now(), abandon_reason=ABANDONED_BY_RESTART)
    if new_steps and len(carried) == len(new_steps):
        PLAN_FLOW.move(plan, PlanStatus.COMPLETED, ended_at=timezone.now())
    record_changes(actor, [plan, old], subject=lambda p: p.owner_id)
    return plan
