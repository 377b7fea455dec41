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
