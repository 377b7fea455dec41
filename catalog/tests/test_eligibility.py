from __future__ import annotations

import dataclasses

import pytest

from catalog.eligibility import ServiceFacts, facts_of, is_eligible
from catalog.models import Service

OPEN = ServiceFacts(slug="open", kind="agency")


def test_a_service_without_limits_is_open_to_everyone() -> None:
    assert is_eligible(OPEN, age=45, status="employed", region="26")


@pytest.mark.parametrize(("age", "expected"), [(49, False), (50, True), (64, True), (65, False)])
def test_age_must_be_within_the_range_inclusive(age: int, expected: bool) -> None:
    facts = dataclasses.replace(OPEN, age_min=50, age_max=64)
    assert is_eligible(facts, age=age, status="jobseeker", region="11") is expected


def test_only_a_lower_age_bound() -> None:
    facts = dataclasses.replace(OPEN, age_min=40)
    assert is_eligible(facts, age=80, status="jobseeker", region="11")
    assert not is_eligible(facts, age=39, status="jobseeker", region="11")


def test_status_must_be_listed_when_statuses_are_given() -> None:
    facts = dataclasses.replace(OPEN, statuses=("jobseeker", "retiring"))
    assert is_eligible(facts, age=55, status="retiring", region="11")
    assert not is_eligible(facts, age=55, status="employed", region="11")


def test_someone_already_retired_is_served_by_services_for_job_seekers() -> None:
    facts = dataclasses.replace(OPEN, statuses=("jobseeker", "career_break"))
    assert is_eligible(facts, age=52, status="retired", region="11")


def test_someone_already_retired_is_not_served_by_services_only_for_people_at_work() -> None:
    facts = dataclasses.replace(OPEN, statuses=("employed", "retiring"))
    assert not is_eligible(facts, age=52, status="retired", region="11")


def test_region_must_be_listed_unless_nationwide() -> None:
    seoul = dataclasses.replace(OPEN, regions=("11",))
    assert is_eligible(seoul, age=55, status="employed", region="11")
    assert not is_eligible(seoul, age=55, status="employed", region="26")


def test_facts_are_frozen_and_hashable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        OPEN.age_min = 3  # type: ignore[misc]
    assert hash(OPEN) == hash(ServiceFacts(slug="open", kind="agency"))


def test_facts_of_a_service_copies_lists_as_tuples() -> None:
    service = Service(slug="x", kind="own", stages=["act"], goals=["startup"], age_min=40, age_max=None,
                      statuses=["jobseeker"], regions=["41"], delivery="both", time_slots=["evening"], duration_weeks=6)
    facts = facts_of(service)
    assert facts == ServiceFacts(slug="x", kind="own", stages=("act",), goals=("startup",), age_min=40, age_max=None,
                                 statuses=("jobseeker",), regions=("41",), delivery="both", time_slots=("evening",), duration_weeks=6)
    assert not is_eligible(facts, age=50, status="jobseeker", region="11")


# --- firm size and audiences (issue 9) --------------------------------------------------

UNDER_1000 = dataclasses.replace(OPEN, statuses=("employed",), firm_size_max=999)  # 커리어 플래닝
FROM_1000 = dataclasses.replace(OPEN, statuses=("employed", "retiring"), age_min=50, firm_size_min=1000)  # 재취업지원서비스 의무화


@pytest.mark.parametrize(("firm_size", "expected"), [("under_300", True), ("300_999", True), ("1000_plus", False), ("unknown", False), ("", False)])
def test_a_service_for_firms_under_1000_needs_a_known_smaller_firm(firm_size: str, expected: bool) -> None:
    assert is_eligible(UNDER_1000, age=50, status="employed", region="11", firm_size=firm_size) is expected


@pytest.mark.parametrize(("firm_size", "expected"), [("1000_plus", True), ("300_999", False), ("unknown", False), ("", False)])
def test_a_service_for_firms_of_1000_and_more_needs_that_size(firm_size: str, expected: bool) -> None:
    assert is_eligible(FROM_1000, age=55, status="retiring", region="11", firm_size=firm_size) is expected


def test_a_firm_size_rule_is_never_met_by_someone_without_an_employer() -> None:
    rule = dataclasses.replace(OPEN, firm_size_max=999)
    assert not is_eligible(rule, age=55, status="jobseeker", region="11", firm_size="under_300")


def test_a_service_for_career_break_women_needs_a_career_break() -> None:
    saeil = dataclasses.replace(OPEN, statuses=("career_break", "jobseeker"), audiences=("career_break_women",))
    assert is_eligible(saeil, age=45, status="career_break", region="11")
    assert not is_eligible(saeil, age=45, status="jobseeker", region="11")


def test_a_service_for_new_farmers_is_for_people_heading_for_farming() -> None:
    practice = dataclasses.replace(OPEN, audiences=("new_farmers",))
    assert is_eligible(practice, age=58, status="retiring", region="46", goal="rural")
    assert not is_eligible(practice, age=58, status="retiring", region="46", goal="startup")


def test_a_service_for_experienced_people_needs_work_experience() -> None:
    career_jobs = dataclasses.replace(OPEN, audiences=("experienced_professionals",))
    assert is_eligible(career_jobs, age=58, status="jobseeker", region="11", experienced=True)
    assert not is_eligible(career_jobs, age=58, status="jobseeker", region="11", experienced=False)


def test_a_service_the_employer_applies_for_is_never_for_a_person() -> None:
    onsite = dataclasses.replace(OPEN, audiences=("employers",))
    assert not is_eligible(onsite, age=50, status="employed", region="11")


def test_facts_of_a_service_copy_firm_size_and_audiences() -> None:
    service = Service(slug="x", kind="own", stages=["act"], goals=[], statuses=["employed"], regions=[], delivery="offline",
                      time_slots=[], audiences=["employers"], firm_size_min=None, firm_size_max=999)
    facts = facts_of(service)
    assert (facts.audiences, facts.firm_size_min, facts.firm_size_max) == (("employers",), None, 999)
