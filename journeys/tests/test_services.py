"""The guide map's actions: create_plan, plan_for_result, toggle_step."""

from __future__ import annotations

from datetime import date

import pytest

from journeys import services
from journeys.models import PlanStep
from journeys.tests.factories import (
    CaseStoryFactory,
    ResultFactory,
    ServiceFactory,
    UserFactory,
    basic_catalogue,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def test_create_plan_stores_every_step_in_order() -> None:
    basic_catalogue()
    plan = services.create_plan(ResultFactory.create(), today=TODAY)
    steps = list(plan.steps.order_by("position"))
    assert [s.position for s in steps] == list(range(1, len(steps) + 1))
    assert [s.stage for s in steps][0] == "know" and steps[-1].stage == "manage"
    assert plan.start_date == TODAY


def test_a_service_step_links_the_service_and_takes_its_name() -> None:
    basic_catalogue()
    plan = services.create_plan(ResultFactory.create(type_code="job_search"), today=TODAY)
    step = plan.steps.get(service__slug="jobkorea")
    assert step.title == "잡코리아"
    assert step.theme == "job_sites"
    assert "구직기술필요형" in step.reason or "재취업" in step.reason


def test_inactive_services_are_not_planned() -> None:
    ServiceFactory.create(slug="jobkorea", goals=["reemployment"], is_active=False)
    plan = services.create_plan(ResultFactory.create(), today=TODAY)
    assert not plan.steps.filter(service__slug="jobkorea").exists()


def test_the_plan_stores_matching_case_slugs() -> None:
    CaseStoryFactory.create(slug="good", outcome="success")
    CaseStoryFactory.create(slug="bad", outcome="failure")
    plan = services.create_plan(ResultFactory.create(), today=TODAY)
    assert plan.cases == ["good", "bad"]


def test_the_plan_belongs_to_whoever_owns_the_result() -> None:
    owner = UserFactory.create()
    assert services.create_plan(ResultFactory.create(owner=owner), today=TODAY).owner == owner
    assert services.create_plan(ResultFactory.create(), today=TODAY).owner is None


def test_the_age_is_the_one_reached_this_year() -> None:
    person = services.person_of(ResultFactory.build(birth_year=1966), TODAY)
    assert person.age == 60


def test_a_second_request_on_the_same_day_reuses_the_plan() -> None:
    result = ResultFactory.create()
    first = services.plan_for_result(result, today=TODAY)
    assert services.plan_for_result(result, today=TODAY) == first
    assert services.plan_for_result(result, today=date(2026, 12, 1)) != first


def test_toggle_step_marks_done_and_undone() -> None:
    basic_catalogue()
    step = services.create_plan(ResultFactory.create(), today=TODAY).steps.first()
    assert step is not None
    services.toggle_step(step, True)
    first_done = PlanStep.objects.get(pk=step.pk).done_at
    assert first_done is not None
    services.toggle_step(step, True)
    assert PlanStep.objects.get(pk=step.pk).done_at == first_done
    services.toggle_step(step, False)
    assert PlanStep.objects.get(pk=step.pk).done_at is None
