"""A plan page's main part is kept while the plan, its steps, its owner's agreed steps and the
reference data it shows are unchanged (core/page_cache.py, journeys/plan_version.py): served
again with fewer queries; a change to any of those rows shows at once however it is made;
a change of reference data (a service, the schedule, the peers' figures, a case story) and
a session starting show at once too, through the stamps of core.fragments."""

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
from core.fragments import bump, stamp
from counselling.models import AgreedStep
from counselling.tests.factories import CaseFactory
from insights.models import PeerCell
from insights.rollup import rebuild_peer_cells
from insights.services import PEERS_SCOPE
from journeys import services
from journeys.access import with_result
from journeys.models import CaseStory, Plan, PlanStep
from journeys.tests.factories import ResultFactory, ServiceFactory
from journeys.tests.test_views import make_plan
from programmes.tests.factories import next_weekday, seoul, session

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


def _kept_and_fresh(client: Client, plan: Plan) -> tuple[str, str]:
    kept = _page(client, plan)
    caches["personal"].clear()
    return kept, _page(client, plan)


# Each edits reference data the page (`before`) shows, through the path an operator or the
# roll-up takes (a save and its signal, or the roll-up's bump), and returns the text to expect.
# The stamps are remembered within a test (conftest), as a process remembers them.
def _service_renamed(plan: Plan, before: str) -> str:
    service = Service.objects.get(pk=plan.steps.exclude(service=None).values_list("service", flat=True)[0])
    service.name_ko = "새 이름의 서비스"
    service.save()
    return "새 이름의 서비스"


def _case_story_edited(plan: Plan, before: str) -> str:
    assert "좋은 예" in before
    story = CaseStory.objects.get(slug="good")
    story.title_ko = "다시 쓴 사례"
    story.save()
    return "다시 쓴 사례"


def _peers_rolled_up(plan: Plan, before: str) -> str:
    result = plan.result
    step = plan.steps.exclude(service=None).order_by("position").first()
    assert step is not None and step.service_id is not None
    PeerCell.objects.create(
        kind="service", ref_id=step.service_id, age_band=result.age_band, status=result.employment_status, goal=result.goal,
        due_6m=212, employed_6m=81, due_12m=0, employed_12m=0, first_month=dt.date(2026, 1, 1), last_month=dt.date(2026, 6, 1),
    )
    bump(PEERS_SCOPE)  # what the roll-up does once it has rebuilt the cells
    return "비슷한 분 210명"


REFERENCE_CHANGES: dict[str, Callable[[Plan, str], str]] = {
    f.__name__.strip("_"): f for f in (_service_renamed, _case_story_edited, _peers_rolled_up)
}


@pytest.mark.parametrize("change", sorted(REFERENCE_CHANGES))
def test_a_change_of_reference_data_shows_at_once(change: str, plan: Plan, client_of: Client) -> None:
    before = _page(client_of, plan)
    expected = REFERENCE_CHANGES[change](plan, before)
    assert expected not in before
    kept, fresh = _kept_and_fresh(client_of, plan)
    assert expected in kept
    assert kept == fresh


def test_the_roll_up_of_the_peers_figures_bumps_their_stamp() -> None:
    before = stamp(PEERS_SCOPE)
    rebuild_peer_cells()
    assert stamp(PEERS_SCOPE) != before


def test_a_session_starting_shows_at_once(client_of: Client, owner: User) -> None:
    ServiceFactory.create(
        slug="naeil-centre-lifecareer-design", name_ko="중장년내일센터 생애경력설계서비스", kind="own",
        stages=["approach"], delivery="both", time_slots=[],
    )
    plan = services.create_plan(ResultFactory.create(region="11", availability=["weekday_day"]), today=timezone.localdate())
    Plan.objects.filter(pk=plan.pk).update(owner=owner)
    starts = seoul(next_weekday(1), 10) + dt.timedelta(minutes=30)
    session(starts_at=starts, hours=3)
    # Both views within the kept part's lifetime and the same clock hour: only the start lies between.
    with time_machine.travel(starts - dt.timedelta(minutes=2), tick=False):
        assert "맞는 일정이 1개" in _page(client_of, plan)
    with time_machine.travel(starts + dt.timedelta(minutes=1), tick=False):
        kept, fresh = _kept_and_fresh(client_of, plan)
    assert "맞는 일정이 1개" not in kept
    assert kept == fresh


def test_a_kept_part_outlives_a_minute_when_nothing_changed(plan: Plan, client_of: Client) -> None:
    later = timezone.now().replace(minute=10, second=0) + dt.timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        first = _page(client_of, plan)
    with time_machine.travel(later + dt.timedelta(minutes=3), tick=False), CaptureQueriesContext(connection) as queries:
        again = _page(client_of, plan)
    assert again == first
    assert len(queries) == 4  # session, person, the plan (access_plan) and the version


def test_a_plan_whose_result_went_between_the_two_reads_is_not_found(plan: Plan) -> None:
    # access_plan read the plan alone; its result (and with it the plan) is deleted before
    # the page's main part reads the result.
    read = Plan.objects.get(pk=plan.pk)
    plan.result.delete()
    with pytest.raises(Http404):
        with_result(read)
