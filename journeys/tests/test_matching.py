"""The guide-map engine as a pure function: rules one at a time, on small hand-made catalogues."""

from __future__ import annotations

from datetime import date
from typing import Any

from catalog.eligibility import ServiceFacts
from journeys.matching import (
    STAGE_BUDGET_WEEKS,
    STAGES,
    CaseFacts,
    build_plan,
    case_score,
    fits_time,
    lay_out,
    match_cases,
    week_dates,
)
from journeys.tests.helpers import facts, person, real_cases, real_services

TODAY = date(2026, 11, 25)
ALL_GOALS = ["reemployment", "startup", "rural", "social", "undecided"]


def svc(slug: str, **values: Any) -> ServiceFacts:
    base: dict[str, Any] = {"slug": slug, "kind": "own", "stages": ["act"], "goals": ALL_GOALS, "delivery": "online", "time_slots": ["anytime"]}
    base.update(values)
    return facts(**base)


def test_plan_has_the_four_stages_in_order() -> None:
    plan = build_plan(person(), real_services(), real_cases(), TODAY)
    stages = [s.stage for s in plan.steps]
    assert [s for s in STAGES if s in stages] == list(STAGES)
    assert stages == sorted(stages, key=STAGES.index)


def test_same_input_gives_the_same_plan() -> None:
    first = build_plan(person(), real_services(), real_cases(), TODAY)
    again = build_plan(person(), list(reversed(real_services())), list(reversed(real_cases())), TODAY)
    assert first == again


def test_ties_are_broken_by_slug() -> None:
    # Unknown slugs made only for one goal take that goal as their theme.
    services = [svc("b-startup", goals=["startup"]), svc("a-startup", goals=["startup"])]
    plan = build_plan(person(type_code="excellent", goal="startup"), services, [], TODAY)
    assert [s.service for s in plan.in_stage("act") if s.theme == "startup"] == ["a-startup", "b-startup"]


def test_an_empty_catalogue_gives_no_step_rather_than_a_generic_one() -> None:
    assert build_plan(person(), [], [], TODAY).steps == ()


def test_a_stage_with_nothing_that_fits_falls_back_on_a_service_open_to_everyone() -> None:
    counselling = svc("own-1on1-counselling", stages=["approach", "act", "manage"], delivery="offline", time_slots=[])
    plan = build_plan(person(type_code="competence"), [counselling], [], TODAY)
    (know,) = plan.in_stage("know")
    assert (know.service, know.driver) == ("own-1on1-counselling", "fallback")
    assert "일반 단계" not in know.reason


def test_an_ineligible_service_is_never_offered() -> None:
    too_old = svc("polytech-shinjungnyeon", age_min=60)
    plan = build_plan(person(age=55, type_code="competence"), [too_old], [], TODAY)
    assert "polytech-shinjungnyeon" not in [s.service for s in plan.steps]


def test_a_service_for_another_region_is_never_offered() -> None:
    local = svc("naeil-baeum-card", regions=["41"])
    plan = build_plan(person(region="11", type_code="competence"), [local], [], TODAY)
    assert "naeil-baeum-card" not in [s.service for s in plan.steps]


def test_a_service_for_another_status_is_never_offered() -> None:
    jobseekers_only = svc("own-interview-simulation", statuses=["jobseeker"])
    plan = build_plan(person(status="employed", type_code="job_search"), [jobseekers_only], [], TODAY)
    assert "own-interview-simulation" not in [s.service for s in plan.steps]


def test_a_service_only_for_other_goals_is_not_offered() -> None:
    rural = svc("leading-farm-practice", goals=["rural"])
    plan = build_plan(person(goal="reemployment", type_code="expectation"), [rural], [], TODAY)
    assert "leading-farm-practice" not in [s.service for s in plan.steps]


def test_office_hours_service_does_not_fit_an_evening_only_person() -> None:
    office = facts(slug="x", kind="own", delivery="offline", time_slots=[])
    assert not fits_time(person(availability=("evening",)), office)
    assert fits_time(person(availability=("weekday_day",)), office)


def test_online_or_evening_services_fit_an_evening_only_person() -> None:
    someone = person(availability=("evening",))
    assert fits_time(someone, facts(slug="x", kind="own", delivery="online"))
    assert fits_time(someone, facts(slug="x", kind="own", delivery="both"))
    assert fits_time(someone, facts(slug="x", kind="own", delivery="offline", time_slots=["evening"]))
    assert not fits_time(someone, facts(slug="x", kind="own", delivery="offline", time_slots=["weekend"]))


def test_weekday_daytime_service_is_left_out_when_an_evening_one_exists() -> None:
    daytime = svc("naeil-baeum-card", delivery="offline", time_slots=["weekday_day"], goals=["reemployment"])
    evening = svc("polytech-shinjungnyeon", delivery="offline", time_slots=["evening"], goals=["reemployment"])
    plan = build_plan(person(status="employed", availability=("evening",), type_code="competence"), [daytime, evening], [], TODAY)
    act = [s.service for s in plan.in_stage("act")]
    assert "polytech-shinjungnyeon" in act
    assert "naeil-baeum-card" not in act


def test_weekday_daytime_service_is_used_for_the_goal_when_nothing_else_serves_it() -> None:
    daytime = svc("leading-farm-practice", delivery="offline", time_slots=["weekday_day"], goals=["rural"])
    plan = build_plan(person(status="employed", availability=("evening",), goal="rural"), [daytime], [], TODAY)
    (step,) = [s for s in plan.in_stage("act") if s.service == "leading-farm-practice"]
    assert "일정 조정이 필요" in step.reason


def test_counselling_and_self_understanding_come_first_for_a_career_break() -> None:
    plan = build_plan(person(status="career_break", goal="reemployment", type_code="competence"), real_services(), [], TODAY)
    assert [s.theme for s in plan.steps[:2]] == ["counselling", "self_understanding"]


def test_counselling_comes_first_when_the_goal_is_undecided() -> None:
    plan = build_plan(person(goal="undecided", type_code="excellent"), real_services(), [], TODAY)
    assert plan.steps[0].theme == "counselling"


def test_low_effort_steps_come_first_for_the_complacent() -> None:
    plan = build_plan(person(type_code="complacent"), real_services(), [], TODAY)
    assert [s.theme for s in plan.in_stage("know")] == ["online_lecture", "result_counselling"]
    assert plan.steps[0].service == "lifecareer-online-video"


def test_the_hurried_plan_before_they_act() -> None:
    plan = build_plan(person(type_code="hurried", status="employed", firm_size="under_300", availability=("evening", "weekend")), real_services(), [], TODAY)
    planning = [s for s in plan.in_stage("approach") if s.theme == "planning"]
    assert planning and planning[0].service == "career-planning-1on1"
    assert plan.in_stage("know")[0].theme == "counselling"
    assert min(s.start_week for s in plan.in_stage("act")) > planning[0].end_week


def test_competence_gets_training() -> None:
    plan = build_plan(person(type_code="competence", age=45, age_band="40s"), real_services(), [], TODAY)
    assert "training" in [s.theme for s in plan.in_stage("act")]
    assert "polytech-shinjungnyeon" in [s.service for s in plan.in_stage("act")]


def test_job_search_gets_interview_practice() -> None:
    plan = build_plan(person(type_code="job_search"), real_services(), [], TODAY)
    assert "own-interview-simulation" in [s.service for s in plan.in_stage("act")]


def test_expectation_gets_counselling_experience_and_market_information() -> None:
    plan = build_plan(person(type_code="expectation"), real_services(), [], TODAY)
    themes = [s.theme for s in plan.steps]
    assert themes[0] == "counselling"
    assert "labour_market_info" in themes
    assert "job_experience" in themes


def test_a_weak_job_search_scale_adds_job_search_skills() -> None:
    plan = build_plan(person(type_code="competence", scale_scores={"job_search": 20}), real_services(), [], TODAY)
    assert "job_search_skills" in [s.theme for s in plan.in_stage("act")]


def test_every_plan_ends_with_after_care() -> None:
    plan = build_plan(person(), real_services(), [], TODAY)
    manage = plan.in_stage("manage")
    assert manage[0].theme == "aftercare"
    assert manage[0].service == "own-aftercare"


def test_every_reason_is_one_sentence_naming_what_chose_the_step() -> None:
    someone = person(type_code="competence", goal="reemployment", age=45, age_band="40s")
    plan = build_plan(someone, real_services(), [], TODAY)
    for step in plan.steps:
        assert step.reason.endswith("입니다.") and step.reason.count(".") == 1, step
        named = {"type": "능력개발필요형", "goal": "재취업", "base": "누구에게나" if step.stage == "manage" else "어떤 목표든"}
        assert named[step.driver] in step.reason, step


def test_every_service_reason_says_when_it_can_be_used() -> None:
    plan = build_plan(person(availability=("evening",), status="employed"), real_services(), [], TODAY)
    for step in plan.steps:
        if step.service:
            assert any(w in step.reason for w in ("온라인", "평일 저녁", "주말", "평일 낮")), step


def test_later_stages_start_after_earlier_ones_end() -> None:
    plan = build_plan(person(type_code="hurried", goal="startup"), real_services(), [], TODAY)
    for before, after in zip(STAGES, STAGES[1:], strict=False):
        assert max(s.end_week for s in plan.in_stage(before)) < min(s.start_week for s in plan.in_stage(after))


def test_the_plan_lasts_three_to_nine_months() -> None:
    for type_code in ("excellent", "hurried", "complacent", "expectation"):
        plan = build_plan(person(type_code=type_code, goal="rural"), real_services(), [], TODAY)
        assert 13 <= plan.total_weeks <= sum(STAGE_BUDGET_WEEKS.values())


def test_lay_out_runs_steps_one_after_another() -> None:
    assert lay_out([1, 2, 3], 4, 16) == [(4, 1), (5, 2), (7, 3)]


def test_lay_out_keeps_steps_inside_the_budget() -> None:
    assert lay_out([6, 6, 6], 1, 8) == [(1, 6), (7, 2), (7, 2)]


def test_week_dates_give_calendar_days() -> None:
    assert week_dates(TODAY, 1, 1) == (date(2026, 11, 25), date(2026, 12, 1))
    assert week_dates(TODAY, 3, 4) == (date(2026, 12, 9), date(2027, 1, 5))


def case(slug: str, outcome: str = "success", **values: object) -> CaseFacts:
    base: dict[str, object] = {"slug": slug, "age_band": "40s", "goal": "startup", "career_types": ("excellent",), "outcome": outcome}
    base.update(values)
    return CaseFacts(**base)  # type: ignore[arg-type]


def test_case_score_weighs_goal_age_and_type() -> None:
    someone = person(age_band="50s", goal="reemployment", type_code="job_search")
    assert case_score(someone, case("a", goal="reemployment", age_band="50s", career_types=("job_search",))) == 7
    assert case_score(someone, case("b", goal="reemployment")) == 3
    assert case_score(someone, case("c", age_band="50s", career_types=("job_search",))) == 4


def test_cases_are_a_success_and_a_failure() -> None:
    someone = person(goal="rural")
    chosen = match_cases(someone, [case("s1", goal="rural"), case("s2", goal="rural"), case("f1", "failure")])
    assert chosen[:2] == ("s1", "f1")


def test_a_third_case_is_added_when_it_shares_the_goal() -> None:
    someone = person(goal="rural")
    chosen = match_cases(someone, [case("s1", goal="rural"), case("s2", goal="rural"), case("f1", "failure")])
    assert chosen == ("s1", "f1", "s2")


def test_case_ties_are_broken_by_slug() -> None:
    someone = person(goal="rural")
    assert match_cases(someone, [case("b", goal="rural"), case("a", goal="rural")])[0] == "a"


def test_real_plans_show_two_or_three_cases_with_a_failure() -> None:
    for goal in ("reemployment", "startup", "rural", "social", "undecided"):
        plan = build_plan(person(goal=goal), real_services(), real_cases(), TODAY)
        outcomes = {c.slug: c.outcome for c in real_cases()}
        assert 2 <= len(plan.cases) <= 3
        assert {outcomes[s] for s in plan.cases} == {"success", "failure"}


def test_a_60s_jobseeker_with_a_skills_gap_gets_the_senior_talent_bank() -> None:
    plan = build_plan(person(type_code="competence", age=63, age_band="60s"), real_services(), [], TODAY)
    assert "senior-talent-bank" in [s.service for s in plan.in_stage("act")]


def test_from_60_a_jobseeker_aiming_at_work_gets_the_senior_jobs_programme() -> None:
    at_55 = build_plan(person(age=55, age_band="50s"), real_services(), [], TODAY)
    at_63 = build_plan(person(age=63, age_band="60s"), real_services(), [], TODAY)
    assert "senior-jobs-social-activity" in [s.service for s in at_63.in_stage("act")]
    assert "senior-jobs-social-activity" not in [s.service for s in at_55.steps]
    (aged,) = [s for s in at_63.steps if s.driver == "age"]
    assert "만 60세 이상" in aged.reason


def test_a_71_year_old_is_not_sent_to_a_pilot_mainly_for_people_in_their_50s() -> None:
    for type_code in ("excellent", "expectation", "indifferent", "self_development"):
        plan = build_plan(person(age=71, age_band="60s", type_code=type_code), real_services(), [], TODAY)
        assert "jangnyeon-career-support-scheme" not in [s.service for s in plan.steps]


def test_the_ready_type_skips_self_understanding_tests() -> None:
    plan = build_plan(person(type_code="excellent"), real_services(), [], TODAY)
    assert "self_understanding" not in [s.theme for s in plan.steps]
    assert [s.theme for s in plan.in_stage("know")] == ["result_counselling"]


def test_each_goal_starts_its_own_path_in_approach() -> None:
    first = {"reemployment": "labour_market_info", "startup": "startup_learning", "rural": "rural_info", "social": "volunteering"}
    for goal, theme in first.items():
        plan = build_plan(person(goal=goal, type_code="excellent", region="46"), real_services(), [], TODAY)
        goal_steps = [s for s in plan.in_stage("approach") if s.driver == "goal"]
        assert goal_steps and goal_steps[0].theme == theme, (goal, plan.in_stage("approach"))
        assert "가장 먼저 권하는" in goal_steps[0].reason


def test_rural_path_is_centre_then_farming_school_then_farm_practice() -> None:
    plan = build_plan(person(goal="rural", type_code="excellent", region="46"), real_services(), [], TODAY)
    assert [s.service for s in plan.steps if s.driver == "goal"] == ["returnfarm-centre", "nonghyup-return-farm-education", "leading-farm-practice"]


def test_an_evening_only_employee_of_the_ready_type_gets_two_options_to_act() -> None:
    plan = build_plan(person(type_code="excellent", status="employed", availability=("evening",), region="46"), real_services(), [], TODAY)
    act = [s.service for s in plan.in_stage("act")]
    assert len(act) >= 2 and "polytech-shinjungnyeon" in act, act


def test_the_indifferent_get_a_light_start_and_two_goal_steps_to_act() -> None:
    plan = build_plan(person(type_code="indifferent", status="employed", availability=("evening",), region="46"), real_services(), [], TODAY)
    assert plan.steps[0].service == "lifecareer-online-video"
    assert len([s for s in plan.in_stage("act") if s.driver == "goal"]) >= 2


def test_a_big_firm_employee_over_50_gets_the_mandatory_reemployment_support() -> None:
    big = build_plan(person(status="employed", firm_size="1000_plus", type_code="excellent"), real_services(), [], TODAY)
    small = build_plan(person(status="employed", firm_size="under_300", type_code="excellent"), real_services(), [], TODAY)
    assert "reemployment-support-mandatory" in [s.service for s in big.steps]
    assert "reemployment-support-mandatory" not in [s.service for s in small.steps]
    (step,) = [s for s in big.steps if s.service == "reemployment-support-mandatory"]
    assert "1,000명 이상인 회사에 다니는 분" in step.reason


def test_career_planning_is_only_for_employees_of_firms_under_1000() -> None:
    for firm_size, expected in (("under_300", True), ("1000_plus", False), ("", False)):
        plan = build_plan(person(status="employed", firm_size=firm_size, type_code="hurried"), real_services(), [], TODAY)
        assert ("career-planning-1on1" in [s.service for s in plan.steps]) is expected, firm_size
