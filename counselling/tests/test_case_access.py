"""Who may open a case, what the case page shows of shared items, and the access log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from core.roles import Role
from core.tests.factories import UserFactory
from counselling.models import Case, ShareItem
from counselling.tests.factories import (
    CaseFactory,
    CounsellorFactory,
    LeadFactory,
    centre_of,
    staff_member,
)
from diagnosis.models import Result
from journeys.tests.factories import ResultFactory
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def case_url(case: Case) -> str:
    return reverse("counselling:case", kwargs={"case_id": case.pk})


def test_the_assigned_counsellor_opens_the_case_and_the_read_is_logged() -> None:
    counsellor = CounsellorFactory.create()
    case = CaseFactory.create(centre=centre_of(counsellor), counsellor=counsellor, share=[])
    response = client_for(counsellor).get(case_url(case))
    assert response.status_code == 200
    row = AccessLog.objects.get(object_type="counselling.case")
    assert (row.actor_id, row.subject_id, row.action) == (counsellor.pk, str(case.citizen_id), AccessLog.Action.VIEW)


def test_a_counsellor_the_case_is_shared_with_opens_it() -> None:
    counsellor = CounsellorFactory.create()
    case = CaseFactory.create(centre=centre_of(counsellor), counsellor=CounsellorFactory.create(centre=centre_of(counsellor)), share=[])
    case.shared_with.add(counsellor)
    assert client_for(counsellor).get(case_url(case)).status_code == 200


def test_a_colleague_at_the_same_centre_not_on_the_case_gets_404() -> None:
    counsellor = CounsellorFactory.create()
    case = CaseFactory.create(centre=centre_of(counsellor), counsellor=counsellor, share=[])
    colleague = CounsellorFactory.create(centre=centre_of(counsellor))
    assert client_for(colleague).get(case_url(case)).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_counsellor_of_another_centre_gets_404_even_if_named_on_the_case() -> None:
    other = CounsellorFactory.create()
    case = CaseFactory.create(centre=CentreFactory.create(), counsellor=other, share=[])
    assert client_for(other).get(case_url(case)).status_code == 404


def test_a_lead_opens_any_case_of_their_centre_but_not_another() -> None:
    centre = CentreFactory.create()
    lead = LeadFactory.create(centre=centre)
    mine = CaseFactory.create(centre=centre, share=[])
    theirs = CaseFactory.create(centre=CentreFactory.create(), share=[])
    client = client_for(lead)
    assert client.get(case_url(mine)).status_code == 200
    assert client.get(case_url(theirs)).status_code == 404


def test_an_operator_and_a_citizen_cannot_open_cases() -> None:
    centre = CentreFactory.create()
    case = CaseFactory.create(centre=centre, share=[])
    operator = staff_member(Role.OPERATOR, centre)
    assert client_for(operator).get(case_url(case)).status_code == 403
    assert client_for(case.citizen).get(case_url(case)).status_code == 403


def test_a_missing_case_is_the_same_404() -> None:
    counsellor = CounsellorFactory.create()
    assert client_for(counsellor).get(reverse("counselling:case", kwargs={"case_id": 999999})).status_code == 404


def make_result(owner: User) -> Result:
    return ResultFactory.create(owner=owner)


def test_the_page_shows_only_shared_items_and_logs_one_row_per_item_read() -> None:
    counsellor = CounsellorFactory.create()
    person = UserFactory.create()
    case = CaseFactory.create(citizen=person, centre=centre_of(counsellor), counsellor=counsellor, share=[ShareItem.LATEST_DIAGNOSIS])
    make_result(person)
    response = client_for(counsellor).get(case_url(case))
    html = response.content.decode()
    assert "최근 자가진단 결과" in html
    # What was not shared is named plainly, and not read at all.
    assert "본인이 공유하지 않은 항목" in html
    types = sorted(AccessLog.objects.values_list("object_type", flat=True))
    assert types == ["counselling.case", ShareItem.LATEST_DIAGNOSIS]


def test_nothing_shared_reads_nothing_but_the_case() -> None:
    counsellor = CounsellorFactory.create()
    case = CaseFactory.create(centre=centre_of(counsellor), counsellor=counsellor, share=[])
    response = client_for(counsellor).get(case_url(case))
    assert "본인이 공유하기로 한 항목이 없습니다" in response.content.decode()
    assert list(AccessLog.objects.values_list("object_type", flat=True)) == ["counselling.case"]
