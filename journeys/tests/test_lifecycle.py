"""A plan's lifecycle (PLAN_FLOW): completed by its last tick, given up with 그만두기, and
replaced by 다시 시작하기 keeping what was done."""

from __future__ import annotations

from datetime import date

import pytest

from core.models import AccessLog
from core.states import IllegalTransition
from journeys import services
from journeys.models import Plan, PlanStatus
from journeys.tests.factories import ResultFactory, StaffFactory, UserFactory, basic_catalogue

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def owned_plan(**result: object) -> Plan:
    basic_catalogue()
    return services.create_plan(ResultFactory.create(owner=UserFactory.create(), **result), today=TODAY)


def test_a_new_plan_is_active() -> None:
    assert owned_plan().status == PlanStatus.ACTIVE


def test_ticking_the_last_step_completes_the_plan() -> None:
    plan = owned_plan()
    for step in plan.steps.all():
        services.toggle_step(step, done=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.COMPLETED
    assert plan.ended_at is not None


def test_unticking_a_step_of_a_completed_plan_reopens_it() -> None:
    plan = owned_plan()
    steps = list(plan.steps.all())
    for step in steps:
        services.toggle_step(step, done=True)
    services.toggle_step(steps[0], done=False)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert plan.ended_at is None


def test_abandon_keeps_the_reason_and_the_ticks() -> None:
    plan = owned_plan()
    step = plan.steps.first()
    assert step is not None
    services.toggle_step(step, done=True)
    services.abandon_plan(plan.owner, plan, "  건강 문제로 쉬어야 해요 ")
    plan.refresh_from_db()
    assert (plan.status, plan.abandon_reason) == (PlanStatus.ABANDONED, "건강 문제로 쉬어야 해요")
    assert plan.steps.filter(done_at__isnull=False).count() == 1


def test_an_abandoned_plan_cannot_be_abandoned_again() -> None:
    plan = owned_plan()
    services.abandon_plan(plan.owner, plan)
    with pytest.raises(services.PlanNotActive):
        services.abandon_plan(plan.owner, plan)


def test_a_too_long_reason_is_refused_in_korean() -> None:
    plan = owned_plan()
    with pytest.raises(ValueError, match="500자 이내"):
        services.abandon_plan(plan.owner, plan, "가" * 501)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_an_abandoned_plan_does_not_complete_by_ticking() -> None:
    plan = owned_plan()
    services.abandon_plan(plan.owner, plan)
    for step in plan.steps.all():
        services.toggle_step(step, done=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ABANDONED


def test_the_flow_refuses_abandoned_to_completed() -> None:
    plan = owned_plan()
    services.abandon_plan(plan.owner, plan)
    with pytest.raises(IllegalTransition):
        services.PLAN_FLOW.move(plan, PlanStatus.COMPLETED)


def test_a_counsellor_abandoning_is_logged() -> None:
    plan = owned_plan()
    services.abandon_plan(StaffFactory.create(), plan, "")
    assert AccessLog.objects.filter(subject_id=str(plan.owner_id), object_type="journeys.plan").exists()


# --- restart_plan ----------------------------------------------------------------------------


def test_restart_keeps_done_steps_with_their_time() -> None:
    old = owned_plan(goal="reemployment")
    done = old.steps.get(service__slug="jobkorea")
    services.toggle_step(done, done=True)
    new_result = ResultFactory.create(owner=old.owner, goal="reemployment", type_code="job_search")
    new = services.restart_plan(old.owner, new_result, old, today=TODAY)
    carried = new.steps.get(service__slug="jobkorea")
    assert carried.done_at == done.done_at
    assert carried.carried_from_id == done.pk
    assert new.steps.filter(done_at__isnull=False).count() == 1


def test_restart_supersedes_and_gives_up_the_old_active_plan() -> None:
    old = owned_plan()
    new = services.restart_plan(old.owner, ResultFactory.create(owner=old.owner), old, today=TODAY)
    old.refresh_from_db()
    assert new.supersedes_id == old.pk
    assert old.status == PlanStatus.ABANDONED
    assert old.abandon_reason == services.ABANDONED_BY_RESTART


def test_restart_from_an_abandoned_plan_keeps_its_reason() -> None:
    old = owned_plan()
    services.abandon_plan(old.owner, old, "맞지 않았어요")
    services.restart_plan(old.owner, ResultFactory.create(owner=old.owner), old, today=TODAY)
    old.refresh_from_db()
    assert old.abandon_reason == "맞지 않았어요"


def test_restart_stores_what_changed() -> None:
    old = owned_plan(goal="reemployment")
    new = services.restart_plan(old.owner, ResultFactory.create(owner=old.owner, goal="startup"), old, today=TODAY)
    assert new.changes[0] == {"code": "goal", "before": "reemployment", "after": "startup", "items": [], "because": []}


def test_restart_with_the_same_result_says_so() -> None:
    old = owned_plan()
    new = services.restart_plan(old.owner, ResultFactory.create(owner=old.owner), old, today=TODAY)
    assert [c["code"] for c in new.changes] == ["same"]


def test_profile_of_fills_the_profile_form() -> None:
    from diagnosis.forms import ProfileForm

    result = ResultFactory.create(birth_year=1970, goal="startup", availability=["weekend"])
    form = ProfileForm(services.profile_of(result))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["goal"] == "startup"
