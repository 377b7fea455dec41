"""Recording outcomes: by the person on /me/outcomes/, by a counsellor in a case; the exit
date; export and deletion."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AccessLog
from core.personal_data import export_all
from outcomes import services
from outcomes.models import Outcome, Source
from outcomes.services import InvalidOutcome, OutcomeIn

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> User:
    from core.tests.factories import UserFactory

    return UserFactory.create()


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_person_records_employment_with_a_contract(person: User) -> None:
    response = logged_in(person).post(
        reverse("outcomes:mine"), {"kind": "employed", "contract": "fixed_term", "on_date": "2026-11-02", "note": "물류센터"}
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(citizen=person)
    assert (outcome.kind, outcome.contract, outcome.source, outcome.recorded_by) == ("employed", "fixed_term", Source.SELF, person)


def test_employment_without_a_contract_type_is_refused_in_korean(person: User) -> None:
    response = logged_in(person).post(reverse("outcomes:mine"), {"kind": "employed", "on_date": "2026-11-02"})
    assert response.status_code == 400
    assert "고용 형태" in response.content.decode()
    assert not Outcome.objects.exists()


def test_a_contract_type_is_dropped_for_other_kinds(person: User) -> None:
    outcome = services.record_own(person, OutcomeIn(kind="business", on_date=date(2026, 11, 1), contract="regular"))
    assert outcome.contract == ""


def test_a_future_date_is_refused(person: User) -> None:
    with pytest.raises(InvalidOutcome):
        services.record_own(person, OutcomeIn(kind="searching", on_date=timezone.localdate() + timedelta(days=1)))


def test_the_page_lists_what_was_recorded(person: User) -> None:
    services.record_own(person, OutcomeIn(kind="rural", on_date=date(2026, 10, 1)))
    page = logged_in(person).get(reverse("outcomes:mine")).content.decode()
    assert "귀농·귀촌" in page and "2026-10-01" in page


def test_own_outcomes_are_not_logged_but_a_counsellors_are(person: User) -> None:
    from counselling.tests.factories import CaseFactory  # noqa: PLC0415

    services.record_own(person, OutcomeIn(kind="searching", on_date=date(2026, 10, 1)))
    assert not AccessLog.objects.exists()
    case = CaseFactory.create(citizen=person)
    from core.tests.factories import StaffFactory

    counsellor = StaffFactory.create()
    outcome = services.record_in_case(counsellor, case, OutcomeIn(kind="employed", contract="part_time", on_date=date(2026, 11, 1)))
    assert outcome.source == Source.COUNSELLOR and outcome.case == case
    assert AccessLog.objects.filter(actor=counsellor, subject_id=str(person.pk), object_type="outcomes.outcome").exists()


def test_export_and_deletion(person: User) -> None:
    services.record_own(person, OutcomeIn(kind="volunteering", on_date=date(2026, 10, 1), note="도서관"))
    assert export_all(person)["outcomes"]["outcomes"][0]["note"] == "도서관"
    person.delete()
    assert not Outcome.objects.exists()


def test_no_exit_while_a_plan_is_active_then_the_plan_end(person: User) -> None:
    from journeys import services as journeys_services
    from journeys.tests.factories import ResultFactory, basic_catalogue

    basic_catalogue()
    plan = journeys_services.create_plan(ResultFactory.create(owner=person))
    assert services.exit_date(person.pk) is None
    journeys_services.abandon_plan(person, plan)
    plan.refresh_from_db()
    assert services.exit_date(person.pk) == timezone.localdate(plan.ended_at)
