"""Plan quality over generated profiles, on the real catalogue and programmes (issue 9).

Every later change to the matcher, the themes or the catalogue must keep these. The
profiles are all 8 types × 5 goals × ages 42/55/63/70 × 5 statuses × 3 regions (서울, 경기,
전남) × 2 availabilities (any time; evening only), and for the two statuses of people who
work for an employer also the three firm-size answers (none, under 300, 1,000 and more).
The matcher is pure, so plans are built in memory from the reference JSON files, without
the database; the sessions a plan links to are checked against the programmes' own
reference file with the same rule the session search uses.

Each rule records how many combinations it covered (`COVERED`), printed at the end of the
module (`pytest -s`) and asserted to be the full sweep where the rule applies to all.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from django.utils import translation

from catalog.eligibility import ServiceFacts, is_eligible
from core import vocabulary as vocab
from journeys.display import SESSION_SEARCH, who_filters, wording
from journeys.matching import PersonFacts, PlanDraft, build_plan, goal_fit, say, usable
from journeys.tests.helpers import REPO, real_cases, real_services, service_records
from programmes.eligibility import ProgrammeFacts, is_for, is_for_band

TODAY = date(2026, 11, 25)
TYPES = vocab.codes(vocab.CAREER_TYPES)
GOALS = vocab.codes(vocab.GOALS)
STATUSES = vocab.codes(vocab.EMPLOYMENT_STATUSES)
AGES = (42, 55, 63, 70)
REGIONS = ("11", "41", "46")
AVAILABILITIES: tuple[tuple[str, ...], ...] = (("weekday_day", "evening", "weekend"), ("evening",))
PROGRAMMES_JSON = REPO / "programmes" / "fixtures_data" / "programmes.json"

COVERED: Counter[str] = Counter()


def firm_sizes(status: str) -> tuple[str, ...]:
    return ("", "under_300", "1000_plus") if status in vocab.EMPLOYEE_STATUSES else ("",)


def make(type_code: str, goal: str, age: int, status: str, region: str, availability: tuple[str, ...], firm_size: str) -> PersonFacts:
    return PersonFacts(
        age=age, age_band=vocab.age_band(age), status=status, region=region, goal=goal,
        availability=availability, type_code=type_code, firm_size=firm_size,
    )  # fmt: skip


def profiles() -> Iterator[PersonFacts]:
    for type_code, goal, age, status, region, availability in itertools.product(TYPES, GOALS, AGES, STATUSES, REGIONS, AVAILABILITIES):
        for firm_size in firm_sizes(status):
            yield make(type_code, goal, age, status, region, availability, firm_size)


@functools.cache
def plan_of(person: PersonFacts) -> PlanDraft:
    return build_plan(person, real_services(), real_cases(), TODAY)


@functools.cache
def services_by_slug() -> dict[str, ServiceFacts]:
    return {s.slug: s for s in real_services()}


@functools.cache
def programmes() -> tuple[ProgrammeFacts, ...]:
    data = json.loads(PROGRAMMES_JSON.read_text(encoding="utf-8"))
    return tuple(
        ProgrammeFacts(slug=p["slug"], audience=p["audience"], age_band=p.get("age_band") or "", track=p["track"])
        for p in data["programmes"]
        if p["track"] != "online_course"  # self-paced, no sessions to link to
    )


def linked_programmes(person: PersonFacts, service: str) -> list[ProgrammeFacts]:
    """The programmes whose sessions the step's "교육 일정 찾기" link lists: its `programme`
    filter, then the person filters (`programmes.queries.programmes_for`'s rule)."""
    if service not in SESSION_SEARCH:
        return []
    params = {**SESSION_SEARCH[service], **who_filters(person.age_band, person.status, person.firm_size)}
    chosen = [p for p in programmes() if not params.get("programme") or p.slug == params["programme"]]
    return [p for p in chosen if is_for_band(p, age_band=params["for_band"], status=params["for_status"], firm_size=params.get("for_firm", ""))]


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    total = sum(1 for _ in profiles())
    print(f"\nplan-quality combinations ({total} profiles):")
    for rule, count in sorted(COVERED.items()):
        print(f"  {rule}: {count}")


def test_no_step_and_no_linked_session_breaks_eligibility() -> None:
    facts = services_by_slug()
    for person in profiles():
        for step in plan_of(person).steps:
            service = facts[step.service]
            assert is_eligible(
                service, age=person.age, status=person.status, region=person.region,
                firm_size=person.firm_size, goal=person.goal, experienced=person.experienced,
            ), (person, step)  # fmt: skip
            for programme in linked_programmes(person, step.service):
                assert is_for(programme, age=person.age, status=person.status, firm_size=person.firm_size), (person, step, programme)
                COVERED["linked sessions checked (programme × step)"] += 1
        COVERED["eligibility of every step"] += 1
    assert COVERED["eligibility of every step"] == sum(1 for _ in profiles())


def test_a_linked_session_search_never_lists_another_band_or_status() -> None:
    """The 50대 employee's 생애경력설계 link lists only the 재직자 50대 track (the issue's example)."""
    person = make("job_search", "reemployment", 55, "employed", "11", AVAILABILITIES[0], "")
    slugs = {p.slug for p in linked_programmes(person, "naeil-centre-lifecareer-design")}
    assert slugs == {"employed-50s-basic", "employed-50s-advanced", "employed-50s-elective", "sector-course-journalists-50plus", "transition-school"}


def test_plans_at_55_and_63_differ_wherever_the_catalogue_has_age_specific_services() -> None:
    by_slug = services_by_slug()
    for type_code, goal, status, region, availability in itertools.product(TYPES, GOALS, STATUSES, REGIONS, AVAILABILITIES):
        for firm_size in firm_sizes(status):
            at_55 = make(type_code, goal, 55, status, region, availability, firm_size)
            at_63 = make(type_code, goal, 63, status, region, availability, firm_size)
            # Age-specific for this person: open at one age and not the other, made for
            # their goal, a service to act with, usable in their time.
            specific = [
                s for s in by_slug.values()
                if usable(at_55, s) != usable(at_63, s) and goal_fit(at_55, s) == 2 and "act" in s.stages
                and (s.delivery != "offline" or "weekday_day" in availability or set(s.time_slots) & set(availability))
            ]  # fmt: skip
            COVERED["55 vs 63 pairs checked"] += 1
            if [s.service for s in plan_of(at_55).steps] != [s.service for s in plan_of(at_63).steps]:
                COVERED["55 vs 63 pairs that differ"] += 1
                COVERED[f"55 vs 63 pairs that differ, {status}"] += 1
            if not specific:
                continue
            COVERED["55 vs 63 pairs with age-specific services (must differ)"] += 1
            assert [s.service for s in plan_of(at_55).steps] != [s.service for s in plan_of(at_63).steps], (at_55, specific)
    assert COVERED["55 vs 63 pairs with age-specific services (must differ)"] > 0


def test_no_plan_has_a_generic_fallback_step_and_every_stage_has_one() -> None:
    for person in profiles():
        plan = plan_of(person)
        assert all(step.service and "일반 단계" not in step.reason and "딱 맞는" not in step.reason for step in plan.steps), person
        assert {step.stage for step in plan.steps} == {"know", "approach", "act", "manage"}, (person, plan)
        COVERED["no generic step, four stages"] += 1


def test_every_plan_has_goal_specific_steps_to_approach_and_to_act() -> None:
    for person in profiles():
        plan = plan_of(person)
        assert any(s.driver == "goal" for s in plan.in_stage("act")), (person, plan.in_stage("act"))
        assert any(s.driver == "goal" for s in plan.in_stage("approach")), (person, plan.in_stage("approach"))
        assert len(plan.in_stage("act")) >= 2, (person, plan.in_stage("act"))
        COVERED["goal-specific 접근하기 and 실행하기, two options to act"] += 1


def test_the_ready_type_is_never_sent_to_self_understanding_tests() -> None:
    for person in profiles():
        if person.type_code == "excellent":
            assert "self_understanding" not in [s.theme for s in plan_of(person).steps], person
            COVERED["경력개발우수형 without self-understanding"] += 1


def test_every_steps_service_has_a_url_or_a_way_to_apply() -> None:
    records = {r["slug"]: r for r in service_records()}
    for person in profiles():
        for step in plan_of(person).steps:
            record = records[step.service]
            assert record.get("url") or (record.get("how_to_apply_ko") or "").strip(), step.service
        COVERED["every step's service has a URL or how to apply"] += 1


def test_every_reason_is_one_sentence() -> None:
    for person in profiles():
        for step in plan_of(person).steps:
            assert step.reason.endswith("입니다.") and step.reason.count(".") == 1, step
        COVERED["reasons are one sentence"] += 1


HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def test_every_reason_reads_in_english_and_in_korean_as_stored() -> None:
    """The reason's data says the stored Korean sentence in Korean, and an English sentence
    without Hangul that starts with a capital in English (issue 8)."""
    for person in profiles():
        steps = plan_of(person).steps
        with translation.override("ko"):
            korean = wording()
            assert [say(step.reason_parts, korean) for step in steps] == [step.reason for step in steps], person
        with translation.override("en"):
            english = wording()
            for step in steps:
                sentence = say(step.reason_parts, english)
                assert not HANGUL.search(sentence) and sentence[0].isupper() and sentence.endswith("."), (person, sentence)
        COVERED["reasons read in English and in Korean as stored"] += 1
