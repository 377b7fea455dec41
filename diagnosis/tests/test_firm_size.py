"""The firm-size question (issue 9): asked only of people who work for an employer,
skippable, kept on the result and used by the guide map; ignored for everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diagnosis import services
from diagnosis.forms import ProfileForm
from diagnosis.models import Result
from diagnosis.tests.helpers import VALID_PROFILE, all_answers

RESULTS = "/api/v1/diagnosis/results"


def form(**overrides: Any) -> ProfileForm:
    bound = ProfileForm({**VALID_PROFILE, **overrides})
    assert bound.is_valid(), bound.errors
    return bound


def test_an_employee_may_give_the_firm_size() -> None:
    assert form(employment_status="employed", firm_size="1000_plus").cleaned_data["firm_size"] == "1000_plus"


def test_the_firm_size_may_be_skipped() -> None:
    assert form(employment_status="employed").cleaned_data["firm_size"] == ""


def test_the_firm_size_of_someone_without_an_employer_is_ignored() -> None:
    assert form(employment_status="jobseeker", firm_size="under_300").cleaned_data["firm_size"] == ""


def test_an_unknown_firm_size_answer_is_explained_in_korean() -> None:
    bound = ProfileForm({**VALID_PROFILE, "employment_status": "employed", "firm_size": "huge"})
    assert not bound.is_valid()
    assert "보기 중 하나" in bound.errors["firm_size"][0]


@pytest.mark.usefixtures("reference_data")
def test_the_profile_page_asks_it_with_a_hint_for_employees_only(client: Client) -> None:
    page = client.get(reverse("diagnosis:step", args=[0])).content.decode()
    assert "다니는 회사의 직원 수" in page
    assert "재직 중인 분만 답해 주세요" in page


@pytest.mark.usefixtures("reference_data")
def test_the_result_keeps_the_firm_size_of_an_employee() -> None:
    instrument = services.current_instrument()
    profile = form(employment_status="employed", firm_size="under_300").cleaned_data
    result = services.create_result(instrument, profile, all_answers(instrument, 4))
    assert Result.objects.get(pk=result.pk).firm_size == "under_300"


@pytest.mark.usefixtures("reference_data")
def test_the_api_accepts_the_firm_size_and_ignores_it_for_a_jobseeker(client: Client) -> None:
    instrument = services.current_instrument()
    for status, sent, stored in (("employed", "1000_plus", "1000_plus"), ("jobseeker", "1000_plus", "")):
        profile = {**VALID_PROFILE, "employment_status": status, "firm_size": sent}
        response = client.post(RESULTS, {"instrument_version": instrument.version, "profile": profile, "answers": all_answers(instrument, 4)}, content_type="application/json")
        assert response.status_code == 201, response.content
        assert Result.objects.get(public_id=response.json()["id"]).firm_size == stored


@pytest.mark.usefixtures("reference_data")
def test_the_api_refuses_an_unknown_firm_size_with_422(client: Client) -> None:
    instrument = services.current_instrument()
    profile = {**VALID_PROFILE, "employment_status": "employed", "firm_size": "huge"}
    response = client.post(RESULTS, {"instrument_version": instrument.version, "profile": profile, "answers": all_answers(instrument, 4)}, content_type="application/json")
    assert response.status_code == 422
