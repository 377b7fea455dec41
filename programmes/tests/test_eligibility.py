"""Whom a programme is for (programmes.eligibility), the session search's "나에게 맞는 과정만"
filters, and enrolment refusing a programme the person's latest diagnosis rules out."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation

from journeys.tests.factories import ResultFactory
from programmes import queries, services
from programmes.eligibility import is_for, refusal, who_for
from programmes.models import Enrolment, Track
from programmes.tests.factories import ProgrammeFactory, UserFactory, session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def korean() -> Iterator[None]:
    """The messages are checked in Korean, whatever an earlier test left active."""
    with translation.override("ko"):
        yield


def test_an_employed_50s_track_is_for_employees_in_their_50s() -> None:
    programme = ProgrammeFactory.build(audience="employed", age_band="50s")
    assert is_for(programme, age=55, status="employed")
    assert is_for(programme, age=55, status="retiring")
    assert not is_for(programme, age=45, status="employed")
    assert not is_for(programme, age=63, status="employed")
    assert not is_for(programme, age=55, status="jobseeker")


def test_jobseeker_modules_are_for_jobseekers_and_people_after_a_career_break() -> None:
    programme = ProgrammeFactory.build(audience="jobseeker", age_band="", track=Track.JOBSEEKER_MODULES)
    assert is_for(programme, age=47, status="career_break")
    assert not is_for(programme, age=47, status="employed")


def test_career_planning_is_for_employees_of_firms_under_1000() -> None:
    programme = ProgrammeFactory.build(audience="employed", age_band="", track=Track.CAREER_PLANNING)
    assert is_for(programme, age=48, status="employed", firm_size="300_999")
    assert not is_for(programme, age=48, status="employed", firm_size="1000_plus")
    assert "1,000명 미만" in who_for(programme)


def test_refusal_says_whom_the_programme_is_for_in_korean() -> None:
    programme = ProgrammeFactory.build(audience="employed", age_band="40s")
    message = refusal(programme, age=55, status="employed")
    assert message is not None
    assert "만 40~49세" in message and "재직" in message and "만 55세" in message
    assert refusal(programme, age=45, status="employed") is None


def test_an_unanswered_firm_size_is_asked_for_rather_than_refused_outright() -> None:
    programme = ProgrammeFactory.build(audience="employed", age_band="", track=Track.CAREER_PLANNING)
    message = refusal(programme, age=48, status="employed", firm_size="")
    assert message is not None and "직원 수" in message


def test_the_session_search_for_a_50s_employee_lists_only_programmes_for_them() -> None:
    fifties = session(programme=ProgrammeFactory.create(audience="employed", age_band="50s"))
    session(programme=ProgrammeFactory.create(audience="employed", age_band="40s"))
    session(programme=ProgrammeFactory.create(audience="employed", age_band="60s"))
    session(programme=ProgrammeFactory.create(audience="jobseeker", age_band="", track=Track.JOBSEEKER_MODULES))
    found = list(queries.search_sessions(queries.SessionFilters(for_band="50s", for_status="employed")))
    assert found == [fifties]


def test_the_session_search_page_takes_the_filters_from_a_plan_link(client: Client) -> None:
    session(programme=ProgrammeFactory.create(audience="employed", age_band="50s", name_ko="재직자 50대 과정"))
    session(programme=ProgrammeFactory.create(audience="employed", age_band="40s", name_ko="재직자 40대 과정"))
    html = client.get(reverse("programmes:session_search"), {"for_band": "50s", "for_status": "employed"}).content.decode()
    assert "일정 1건" in html  # the programme select still lists both names


@pytest.fixture
def fifty_five_year_old_employee() -> User:
    user = UserFactory.create()
    ResultFactory.create(owner=user, birth_year=1971, age_band="50s", employment_status="employed")
    return user


def test_enrol_refuses_a_programme_the_latest_diagnosis_rules_out(fifty_five_year_old_employee: User) -> None:
    forties = session(programme=ProgrammeFactory.create(audience="employed", age_band="40s"))
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrol(forties.pk, fifty_five_year_old_employee)
    assert refused.value.code == "not_eligible"
    assert "만 40~49세" in refused.value.message
    assert not Enrolment.objects.exists()


def test_enrol_takes_a_seat_in_a_programme_for_the_person(fifty_five_year_old_employee: User) -> None:
    fifties = session(programme=ProgrammeFactory.create(audience="employed", age_band="50s"))
    assert services.enrol(fifties.pk, fifty_five_year_old_employee).status == Enrolment.Status.CONFIRMED


def test_enrol_reads_the_latest_diagnosis_only(fifty_five_year_old_employee: User) -> None:
    ResultFactory.create(owner=fifty_five_year_old_employee, birth_year=1971, employment_status="jobseeker")
    employed_only = session(programme=ProgrammeFactory.create(audience="employed", age_band="50s"))
    with pytest.raises(services.EnrolmentRefused):
        services.enrol(employed_only.pk, fifty_five_year_old_employee)


def test_someone_without_a_diagnosis_may_enrol_and_sees_whom_it_is_for(client: Client) -> None:
    user = UserFactory.create()
    forties = session(programme=ProgrammeFactory.create(audience="employed", age_band="40s"))
    html = client.get(reverse("programmes:session_detail", args=[forties.pk])).content.decode()
    assert "대상" in html and "만 40~49세" in html
    assert services.enrol(forties.pk, user).status == Enrolment.Status.CONFIRMED


def test_the_session_page_shows_the_refusal_after_a_refused_enrolment(client: Client, fifty_five_year_old_employee: User) -> None:
    forties = session(programme=ProgrammeFactory.create(audience="employed", age_band="40s"))
    client.force_login(fifty_five_year_old_employee)
    response = client.post(reverse("programmes:enrol", args=[forties.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("programmes:session_detail", args=[forties.pk])
    assert any("만 40~49세" in str(m) for m in get_messages(response.wsgi_request)) or "만 40~49세" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_the_api_refuses_with_422_and_the_korean_explanation(client: Client, fifty_five_year_old_employee: User) -> None:
    forties = session(programme=ProgrammeFactory.create(audience="employed", age_band="40s"))
    client.force_login(fifty_five_year_old_employee)
    response = client.post(f"/api/v1/sessions/{forties.pk}/enrolments")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["code"] == "not_eligible"
    assert "만 40~49세" in body["detail"]
