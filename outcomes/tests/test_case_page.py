"""A counsellor records an outcome from the case page, in scope only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from counselling.tests.factories import CaseFactory, centre_of, counsellor
from outcomes.models import Outcome, Source

pytestmark = pytest.mark.django_db
DATA = {"outcome-kind": "employed", "outcome-contract": "regular", "outcome-on_date": "2026-11-02", "outcome-note": "재취업 확인"}


def test_the_assigned_counsellor_records_an_outcome_and_sees_it_on_the_case() -> None:
    staff = counsellor()
    case = CaseFactory.create(centre=centre_of(staff), counsellor=staff, share=[])
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("counselling:case", args=[case.pk])).content.decode()
    assert reverse("outcomes:record_in_case", args=[case.pk]) in page
    response = client.post(reverse("outcomes:record_in_case", args=[case.pk]), DATA)
    assert response["Location"] == reverse("counselling:case", args=[case.pk])
    outcome = Outcome.objects.get()
    assert (outcome.citizen_id, outcome.source, outcome.case_id) == (case.citizen_id, Source.COUNSELLOR, case.pk)
    assert AccessLog.objects.filter(actor=staff, object_type="outcomes.outcome").exists()
    assert "재취업 확인" in client.get(reverse("counselling:case", args=[case.pk])).content.decode()


def test_a_counsellor_of_another_case_gets_404() -> None:
    staff = counsellor()
    case = CaseFactory.create(share=[])
    client = Client()
    client.force_login(staff)
    assert client.post(reverse("outcomes:record_in_case", args=[case.pk]), DATA).status_code == 404
    assert not Outcome.objects.exists()


def test_a_bad_form_says_why_and_records_nothing() -> None:
    staff = counsellor()
    case = CaseFactory.create(centre=centre_of(staff), counsellor=staff, share=[])
    client = Client()
    client.force_login(staff)
    response = client.post(reverse("outcomes:record_in_case", args=[case.pk]), {**DATA, "outcome-contract": ""}, follow=True)
    assert "고용 형태" in response.content.decode()
    assert not Outcome.objects.exists()


def test_the_case_page_lists_the_outcomes_recorded_in_it_newest_first_and_no_other() -> None:
    import datetime as dt

    from outcomes.services import OutcomeIn, record_in_case

    staff = counsellor()
    case = CaseFactory.create(centre=centre_of(staff), counsellor=staff, share=[])
    record_in_case(staff, case, OutcomeIn(kind="employed", on_date=dt.date(2026, 10, 1), contract="regular", note="첫 번째"))
    record_in_case(staff, case, OutcomeIn(kind="employed", on_date=dt.date(2026, 11, 1), contract="regular", note="두 번째"))
    elsewhere = CaseFactory.create(centre=centre_of(staff), counsellor=staff, share=[])
    record_in_case(staff, elsewhere, OutcomeIn(kind="employed", on_date=dt.date(2026, 11, 2), contract="regular", note="다른 사례"))
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("counselling:case", args=[case.pk])).content.decode()
    assert "2026-11-01 · 취업 (재취업) · 정규직 · 두 번째" in page
    assert page.index("두 번째") < page.index("첫 번째")
    assert "다른 사례" not in page


def test_a_case_read_without_access_case_still_lists_its_outcomes_newest_first() -> None:
    import datetime as dt

    from counselling.access import recorded_outcomes
    from counselling.models import Case
    from outcomes.services import OutcomeIn, record_in_case

    staff = counsellor()
    case = CaseFactory.create(centre=centre_of(staff), counsellor=staff, share=[])
    record_in_case(staff, case, OutcomeIn(kind="employed", on_date=dt.date(2026, 10, 1), contract="regular", note="첫 번째"))
    record_in_case(staff, case, OutcomeIn(kind="employed", on_date=dt.date(2026, 11, 1), contract="regular", note="두 번째"))
    assert [o.note for o in recorded_outcomes(Case.objects.get(pk=case.pk))] == ["두 번째", "첫 번째"]
