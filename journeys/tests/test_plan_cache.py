"""A plan page's main part is kept while the plan, its steps and its owner's agreed steps are
unchanged (core/page_cache.py, journeys/plan_version.py): served again with fewer queries,
a change to any of those rows shows at once however it is made, and the reference data
and the clock at most `KEEP_SECONDS` late."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import Service
from counselling.models import AgreedStep
from counselling.tests.factories import CaseFactory
from journeys import plan_version
from journeys.access import with_result
from journeys.models import Plan, PlanStep
from journeys.tests.test_views import make_plan

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _page(client: Client, plan: Plan) -> str:
    response = client.get(reverse("journeys:detail", args=[plan.public_id]))
    assert response.status_code == 200
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', response.content.decode())


@pytest.fixture
def owner() -> User:
    return User.objects.create_user("plan-owner@example.com", "plan-owner@example.com", "x-Strong-Pass-1234")


@pytest.fixture
def plan(owner: User) -> Plan:
    plan = make_plan()
    Plan.objects.filter(pk=plan.pk).update(owner=owner)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def client_of(owner: User) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def test_the_second_visit_is_served_from_the_kept_part(plan: Plan, client_of: Client) -> None:
    first = _page(client_of, plan)
    with CaptureQueriesContext(connection) as queries:
        second = _page(client_of, plan)
    assert second == first
    assert len(queries) == 4  # session, person, the plan (access_plan) and the version


def test_the_page_and_its_kept_part_carry_one_token(plan: Plan, client_of: Client) -> None:
    # Masked once per response: the header's forms and the plan's own forms show the same.
    for _visit in range(2):
        html = client_of.get(reverse("journeys:detail", args=[plan.public_id])).content.decode()
        tokens = TOKEN.findall(html)
        assert len(tokens) >= 2 and len(set(tokens)) == 1


def _step_ticked(plan: Plan) -> None:
    PlanStep.objects.filter(plan=plan, position=1).update(done_at=timezone.now())


def _step_lengthened(plan: Plan) -> None:
    PlanStep.objects.filter(plan=plan, position=2).update(duration_weeks=F("duration_weeks") + 7)


def _plan_abandoned(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(status="abandoned", ended_at=timezone.now(), abandon_reason="사정이 생겨서")


def _step_agreed(plan: Plan) -> None:
    case = CaseFactory.create(citizen_id=plan.owner_id)
    AgreedStep.objects.create(case=case, title="이력서 고쳐 오기")


CHANGES: dict[str, Callable[[Plan], None]] = {f.__name__.strip("_"): f for f in (_step_ticked, _step_lengthened, _plan_abandoned, _step_agreed)}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_the_plans_rows_shows_at_once(change: str, plan: Plan, client_of: Client) -> None:
    before = _page(client_of, plan)
    CHANGES[change](plan)
    kept = _page(client_of, plan)
    caches["personal"].clear()
    assert kept == _page(client_of, plan)
    assert kept != before


def test_reference_data_shows_within_the_kept_time(plan: Plan, client_of: Client) -> None:
    _page(client_of, plan)
    Service.objects.update(name_ko="새 이름의 서비스")
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=plan_version.KEEP_SECONDS + 1)):
        assert "새 이름의 서비스" in _page(client_of, plan)


def test_a_plan_whose_result_went_between_the_two_reads_is_not_found(plan: Plan) -> None:
    # access_plan read the plan alone; its result (and with it the plan) is deleted before
    # the page's main part reads the result.
    read = Plan.objects.get(pk=plan.pk)
    plan.result.delete()
    with pytest.raises(Http404):
        with_result(read)
