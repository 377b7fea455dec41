"""Properties that hold for every person and every catalogue (hypothesis)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from catalog.eligibility import ServiceFacts, is_eligible
from core import vocabulary as vocab
from journeys.matching import (
    STAGE_BUDGET_WEEKS,
    STAGES,
    PersonFacts,
    PlanDraft,
    build_plan,
    fits_time,
    usable,
)
from journeys.tests.helpers import real_cases, real_services
from journeys.themes import THEMES

STATUSES = vocab.codes(vocab.EMPLOYMENT_STATUSES)
REGIONS = vocab.codes(vocab.REGIONS)
GOALS = vocab.codes(vocab.GOALS)
SLOTS = vocab.codes(vocab.TIME_SLOTS)
TODAY = date(2026, 11, 25)


@st.composite
def people(draw: st.DrawFn) -> PersonFacts:
    age = draw(st.integers(40, 75))
    return PersonFacts(
        age=age,
        age_band=vocab.age_band(age),
        status=draw(st.sampled_from(STATUSES)),
        region=draw(st.sampled_from(REGIONS)),
        goal=draw(st.sampled_from(GOALS)),
        availability=tuple(draw(st.lists(st.sampled_from(SLOTS), min_size=1, max_size=3, unique=True))),
        type_code=draw(st.sampled_from(vocab.codes(vocab.CAREER_TYPES))),
        scale_scores=draw(st.dictionaries(st.sampled_from(["competence", "job_search", "planning"]), st.integers(0, 100))),
        firm_size=draw(st.sampled_from(["", *vocab.codes(vocab.FIRM_SIZES)])),
        experienced=draw(st.booleans()),
    )


def subset(values: list[str]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(values), max_size=3, unique=True).map(tuple)


@st.composite
def services(draw: st.DrawFn, slug: str) -> ServiceFacts:
    age_min = draw(st.none() | st.integers(40, 70))
    return ServiceFacts(
        slug=slug,
        kind=draw(st.sampled_from(["own", "ministry", "agency", "private"])),
        stages=draw(st.lists(st.sampled_from(list(STAGES)), min_size=1, max_size=4, unique=True).map(tuple)),
        goals=draw(subset(GOALS)),
        age_min=age_min,
        age_max=draw(st.none() | st.integers(age_min or 40, 80)),
        statuses=draw(subset(STATUSES)),
        regions=draw(subset(REGIONS)),
        delivery=draw(st.sampled_from(["online", "offline", "both"])),
        time_slots=draw(subset([*SLOTS, "anytime"])),
        duration_weeks=draw(st.none() | st.integers(1, 60)),
        audiences=draw(st.lists(st.sampled_from(["career_break_women", "new_farmers", "experienced_professionals", "employers"]), max_size=2, unique=True).map(tuple)),
        firm_size_min=draw(st.none() | st.sampled_from([300, 1000])),
        firm_size_max=draw(st.none() | st.sampled_from([299, 999])),
    )


@st.composite
def catalogues(draw: st.DrawFn) -> list[ServiceFacts]:
    known = draw(st.lists(st.sampled_from(sorted(THEMES)), max_size=20, unique=True))
    unknown = [f"new-service-{i}" for i in range(draw(st.integers(0, 3)))]
    return [draw(services(slug)) for slug in known + unknown]


def check(plan: PlanDraft, person: PersonFacts, catalogue: list[ServiceFacts], *, every_stage: bool = True) -> None:
    facts = {s.slug: s for s in catalogue}
    for step in plan.steps:
        service = facts[step.service]
        assert is_eligible(
            service, age=person.age, status=person.status, region=person.region,
            firm_size=person.firm_size, goal=person.goal, experienced=person.experienced,
        ), step
        assert usable(person, service), step
    if not plan.steps:  # a generated catalogue may have nothing for this person: no generic steps
        return
    if every_stage:
        assert [st for st in STAGES if any(s.stage == st for s in plan.steps)] == list(STAGES)
    assert [s.stage for s in plan.steps] == sorted((s.stage for s in plan.steps), key=STAGES.index)
    starts = [s.start_week for s in plan.steps]
    assert starts == sorted(starts)
    present = [st for st in STAGES if plan.in_stage(st)]
    for before, after in zip(present, present[1:], strict=False):
        assert max(s.end_week for s in plan.in_stage(before)) < min(s.start_week for s in plan.in_stage(after))
    assert plan.total_weeks <= sum(STAGE_BUDGET_WEEKS.values())
    if every_stage:
        assert plan.total_weeks >= 13
    assert all(s.duration_weeks >= 1 and s.reason for s in plan.steps)
    used = [s.service for s in plan.steps if s.service and s.stage != "manage"]
    assert len(used) == len(set(used)), "a service appears twice before after-care"


@settings(max_examples=200, deadline=None)
@given(people())
def test_every_plan_on_the_real_catalogue_is_sound(person: PersonFacts) -> None:
    catalogue = list(real_services())
    check(build_plan(person, catalogue, real_cases(), TODAY), person, catalogue)


@settings(max_examples=120, deadline=None)
@given(people(), catalogues())
def test_every_plan_on_a_generated_catalogue_is_sound(person: PersonFacts, catalogue: list[ServiceFacts]) -> None:
    check(build_plan(person, catalogue, real_cases(), TODAY), person, catalogue, every_stage=False)


@settings(max_examples=200, deadline=None)
@given(people())
def test_a_service_outside_the_persons_time_always_says_so(person: PersonFacts) -> None:
    facts = {s.slug: s for s in real_services()}
    for step in build_plan(person, list(facts.values()), real_cases(), TODAY).steps:
        if not fits_time(person, facts[step.service]):
            assert "일정 조정이 필요" in step.reason, step
