"""Actions of the guide map: every write to a Plan or PlanStep goes through here."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from catalog.eligibility import facts_of
from catalog.models import Service
from diagnosis.models import Result
from journeys.matching import CaseFacts, PersonFacts, build_plan
from journeys.models import CaseStory, Plan, PlanStep


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
    """Mark a step done (keeping the first time it was marked) or not done."""
    if done and step.done_at is None:
        step.done_at = timezone.now()
    elif not done and step.done_at is not None:
        step.done_at = None
    else:
        return step
    step.save(update_fields=["done_at"])
    return step
