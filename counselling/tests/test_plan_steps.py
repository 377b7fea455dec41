"""Agreed steps appear in the person's own plan as "상담사와 합의한 단계" (read-only)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counselling.models import AgreedStep, Case, CaseStatus
from counselling.tests.factories import CaseFactory
from journeys import plan_version, services
from journeys.models import Plan
from journeys.tests.factories import ResultFactory, UserFactory, basic_catalogue

pytestmark = pytest.mark.django_db


def owned_plan(client: Client) -> Plan:
    """A plan of a logged-in person (it belongs to whoever owns the result)."""
    person = UserFactory.create()
    client.force_login(person)
    basic_catalogue()
    return services.create_plan(ResultFactory.create(owner=person), today=dt.date(2030, 1, 1))


def queries(client: Client, plan: Plan) -> tuple[int, str]:
    # The reference stamps every plan page reads, once a second per process as in production
    # (a case's new centre bumps the "programmes" stamp): not this section's queries.
    plan_version.reference()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("journeys:detail", args=[plan.public_id]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_agreed_steps_of_open_cases_show_in_the_plan_with_dates(client: Client) -> None:
    plan = owned_plan(client)
    case = CaseFactory.create(citizen=plan.owner, share=[])
    AgreedStep.objects.create(case=case, title="워크넷 구직 등록", due_on=dt.date(2030, 2, 3))
    closed = CaseFactory.create(citizen=plan.owner, share=[])
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    AgreedStep.objects.create(case=closed, title="지난 센터의 단계")
    _n, html = queries(client, plan)
    assert "상담사와 합의한 단계" in html
    assert "워크넷 구직 등록" in html and "2030" in html
    assert "지난 센터의 단계" not in html


def test_no_section_without_agreed_steps(client: Client) -> None:
    plan = owned_plan(client)
    _n, html = queries(client, plan)
    assert "상담사와 합의한 단계" not in html


def test_the_section_costs_one_query_however_many_steps(client: Client) -> None:
    plan = owned_plan(client)
    case = CaseFactory.create(citizen=plan.owner, share=[])
    AgreedStep.objects.create(case=case, title="하나")
    one, _html = queries(client, plan)
    for i in range(5):
        AgreedStep.objects.create(case=CaseFactory.create(citizen=plan.owner, share=[]) if i == 0 else case, title=f"더 {i}")
    many, _html = queries(client, plan)
    assert many == one


def test_the_person_cannot_edit_agreed_steps_from_the_plan(client: Client) -> None:
    plan = owned_plan(client)
    case = CaseFactory.create(citizen=plan.owner, share=[])
    AgreedStep.objects.create(case=case, title="합의한 일")
    _n, html = queries(client, plan)
    section = html.split("상담사와 합의한 단계", 1)[1].split("</section>", 1)[0]
    assert "<form" not in section and "<button" not in section
