"""Acceptance stories from the 2017 국민디자인단 report, on the real catalogue and cases.

Each story is a person who has just finished the self-diagnosis; the guide map must give
them what the report promised, and nothing they are not eligible for.
"""

from __future__ import annotations

from datetime import date

import pytest

from catalog.eligibility import facts_of, is_eligible
from catalog.models import Service
from diagnosis.models import Result
from journeys import services
from journeys.matching import fits_time
from journeys.models import CaseStory, Plan, PlanStep
from journeys.tests.factories import ResultFactory
from journeys.themes import themes_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]
TODAY = date(2026, 11, 25)


def plan_for(**profile: object) -> Plan:
    return services.create_plan(ResultFactory.create(**profile), today=TODAY)


def steps(plan: Plan, stage: str | None = None) -> list[PlanStep]:
    qs = plan.steps.select_related("service").order_by("position")
    return list(qs.filter(stage=stage) if stage else qs)


def slugs(plan: Plan, stage: str | None = None) -> list[str]:
    return [s.service.slug for s in steps(plan, stage) if s.service is not None]


def assert_all_eligible(plan: Plan, result: Result) -> None:
    age = TODAY.year - result.birth_year
    for step in steps(plan):
        assert step.service is not None, step  # no generic steps
        assert is_eligible(
            facts_of(step.service), age=age, status=result.employment_status, region=result.region,
            firm_size=result.firm_size, goal=result.goal, experienced=result.career_years > 0,
        ), step.service.slug


def test_early_retiree_gets_transition_support_and_experience_using_work() -> None:
    """A man in his 50s took honorary early retirement after 25 years and wants to use his experience."""
    plan = plan_for(birth_year=1971, age_band="50s", employment_status="jobseeker", career_years=25, occupation="manager", region="11", goal="reemployment", availability=["weekday_day", "evening"], type_code="job_search")
    chosen = slugs(plan)
    assert "naeil-centre-lifecareer-design" in chosen
    assert "naeil-centre-transition-support" in chosen
    assert any("experience_use" in themes_of(s) for s in slugs(plan, "act")), chosen
    assert "own-interview-simulation" in chosen  # 구직기술필요형: interview practice
    assert_all_eligible(plan, plan.result)
    cases = CaseStory.objects.filter(slug__in=plan.cases)
    assert "persona-50s-honorary-retiree" in plan.cases
    assert {c.outcome for c in cases} == {"success", "failure"}


def test_an_employed_person_is_never_offered_jobseeker_only_services() -> None:
    plan = plan_for(birth_year=1971, age_band="50s", employment_status="employed", region="26", goal="reemployment", availability=["evening", "weekend"], type_code="excellent")
    jobseekers_only = set(Service.objects.filter(statuses=["jobseeker"]).values_list("slug", flat=True))
    assert jobseekers_only and not jobseekers_only & set(slugs(plan))
    assert_all_eligible(plan, plan.result)


@pytest.mark.parametrize("availability", [["weekday_day"], ["evening"]])
def test_career_break_mother_starts_with_counselling_and_self_understanding(availability: list[str]) -> None:
    """A woman in her 40s after a career break, raising children, with no concrete goal yet."""
    plan = plan_for(birth_year=1982, age_band="40s", employment_status="career_break", career_years=8, occupation="clerical", region="41", goal="undecided", availability=availability, type_code="self_development")
    first, second = steps(plan)[:2]
    assert (first.stage, first.theme) == ("know", "counselling")
    assert (second.stage, second.theme) == ("know", "self_understanding")
    assert "1:1 상담" in first.title
    # Counselling comes first even when it is only open in the daytime; the reason then says so.
    assert "자기개발필요형" in first.reason or "일정 조정이 필요" in first.reason
    assert_all_eligible(plan, plan.result)
    assert "persona-40s-career-break-mother" in plan.cases


def test_startup_story_gets_startup_services() -> None:
    plan = plan_for(birth_year=1968, age_band="50s", employment_status="retiring", region="30", goal="startup", availability=["weekday_day", "weekend"], type_code="competence")
    act = slugs(plan, "act")
    assert {"jangnyeon-tech-startup-centre", "social-entrepreneur-incubation", "own-startup-club"} & set(act), act
    assert_all_eligible(plan, plan.result)
    assert CaseStory.objects.get(slug=plan.cases[0]).goal == "startup"


def test_rural_story_gets_farming_services() -> None:
    plan = plan_for(birth_year=1966, age_band="60s", employment_status="retiring", region="44", goal="rural", availability=["weekday_day", "weekend"], type_code="excellent")
    farming = {"returnfarm-centre", "leading-farm-practice", "nonghyup-return-farm-education"}
    assert len(farming & set(slugs(plan))) >= 2, slugs(plan)
    assert "returnfarm-centre" in slugs(plan)
    assert_all_eligible(plan, plan.result)


def test_social_contribution_story_gets_contribution_services() -> None:
    plan = plan_for(birth_year=1964, age_band="60s", employment_status="jobseeker", region="11", goal="social", availability=["weekday_day"], type_code="excellent")
    act = set(slugs(plan, "act"))
    assert {"shinjungnyeon-social-contribution", "seoul-50plus-boram-jobs", "volunteer-1365"} & act, act
    assert_all_eligible(plan, plan.result)


def test_social_contribution_outside_seoul_gets_no_seoul_services() -> None:
    plan = plan_for(birth_year=1964, age_band="60s", employment_status="jobseeker", region="46", goal="social", availability=["weekday_day"], type_code="excellent")
    assert not [s for s in slugs(plan) if s.startswith("seoul-")]
    assert "shinjungnyeon-social-contribution" in slugs(plan, "act")


def test_employed_person_with_only_evenings_gets_evening_weekend_or_online_help() -> None:
    plan = plan_for(birth_year=1974, age_band="50s", employment_status="employed", region="27", goal="reemployment", availability=["evening"], type_code="competence")
    act = [s for s in steps(plan, "act") if s.service is not None]
    assert act
    for step in act:
        service = step.service
        assert service is not None
        assert service.delivery in {"online", "both"} or {"evening", "weekend", "anytime"} & set(service.time_slots), service.slug
    assert "polytech-shinjungnyeon" in [s.service.slug for s in act if s.service]  # evening classes
    assert_all_eligible(plan, plan.result)


def test_every_service_step_that_needs_daytime_says_so() -> None:
    plan = plan_for(birth_year=1974, age_band="50s", employment_status="employed", region="27", goal="rural", availability=["evening"], type_code="hurried")
    result = plan.result
    person = services.person_of(result, TODAY)
    for step in steps(plan):
        if step.service is not None and not fits_time(person, facts_of(step.service)):
            assert "일정 조정이 필요" in step.reason


def test_every_plan_starts_with_knowing_and_ends_with_after_care() -> None:
    plan = plan_for()
    all_steps = steps(plan)
    assert all_steps[0].stage == "know"
    assert (all_steps[-1].stage, steps(plan, "manage")[0].theme) == ("manage", "aftercare")
    assert 13 <= max(s.start_week + s.duration_weeks - 1 for s in all_steps) <= 39
