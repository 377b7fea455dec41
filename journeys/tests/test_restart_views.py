"""다시 시작하기 and 그만두기 as a person meets them: /plans/restart/, the pre-filled
diagnosis, and the new plan that keeps what was done."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import citizen, result
from diagnosis import services as diagnosis_services
from diagnosis.models import Draft
from diagnosis.tests.helpers import VALID_PROFILE
from journeys import services
from journeys.models import Plan, PlanStatus

pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def person() -> User:
    return citizen(email="restart@example.com")


@pytest.fixture
def old_plan(person: User) -> Plan:
    return services.create_plan(result(diagnosis_services.current_instrument(), owner=person))


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def finish_diagnosis(client: Client, **profile: object) -> str:
    """Post the (pre-filled) profile with `profile` changed, answer every section, and
    return the new result's public id."""
    draft = Draft.objects.get(token=client.session["diagnosis_draft"])
    data = {k: v for k, v in draft.profile.items() if v not in ("", None)} | {k: str(v) for k, v in profile.items()}
    client.post(reverse("diagnosis:step", args=[0]), data)
    sections = diagnosis_services.sections(diagnosis_services.current_instrument())
    response = None
    for n, section in enumerate(sections, start=1):
        response = client.post(reverse("diagnosis:step", args=[n]), {i["id"]: "4" for i in section["items"]} | {"action": "next"})
    assert response is not None and response.status_code == 302
    return response["Location"].rstrip("/").split("/")[-1]


def test_the_restart_page_explains_and_offers_one_button(person: User, old_plan: Plan) -> None:
    page = logged_in(person).get(reverse("journeys:restart") + f"?from={old_plan.public_id}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "미리 채워" in text and "자가진단 다시 시작하기" in text
    assert reverse("journeys:detail", args=[old_plan.public_id]) in text


def test_starting_again_prefills_the_profile_from_the_last_diagnosis(person: User, old_plan: Plan) -> None:
    client = logged_in(person)
    response = client.post(reverse("journeys:restart"), {"from": old_plan.public_id})
    assert response["Location"] == reverse("diagnosis:step", args=[0])
    page = client.get(response["Location"]).content.decode()
    assert f'value="{VALID_PROFILE["birth_year"]}"' in page
    draft = Draft.objects.get(token=client.session["diagnosis_draft"])
    assert draft.profile["goal"] == VALID_PROFILE["goal"]


def test_the_new_plan_keeps_done_steps_and_says_what_changed(person: User, old_plan: Plan) -> None:
    first = old_plan.steps.order_by("position").first()
    assert first is not None
    services.toggle_step(first, done=True)
    client = logged_in(person)
    client.post(reverse("journeys:restart"), {"from": old_plan.public_id})
    public_id = finish_diagnosis(client, goal="startup")
    response = client.post(reverse("journeys:new"), {"result": public_id})
    new = Plan.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])
    assert new.owner == person and new.supersedes == old_plan
    page = client.get(response["Location"]).content.decode()
    assert "이전 계획과 달라진 점" in page
    assert "‘재취업’에서 ‘창업·창직’(으)로" in page
    if new.steps.filter(carried_from__isnull=False).exists():
        assert "이전 계획에서 완료" in page
    old_plan.refresh_from_db()
    assert old_plan.status == PlanStatus.ABANDONED


def test_the_same_service_done_before_is_done_in_the_new_plan(person: User, old_plan: Plan) -> None:
    for step in old_plan.steps.all():
        services.toggle_step(step, done=True)
    client = logged_in(person)
    client.post(reverse("journeys:restart"), {"from": "checkin"})
    public_id = finish_diagnosis(client)
    response = client.post(reverse("journeys:new"), {"result": public_id})
    new = Plan.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])
    old_services = set(old_plan.steps.values_list("service_id", flat=True))
    for step in new.steps.all():
        if step.service_id in old_services:
            assert step.done_at is not None, step.title
    assert "이전 계획에서 완료" in client.get(response["Location"]).content.decode()


def test_a_plan_made_without_restart_is_not_linked(person: User, old_plan: Plan) -> None:
    client = logged_in(person)
    public_id = result(diagnosis_services.current_instrument(), owner=person).public_id
    response = client.post(reverse("journeys:new"), {"result": public_id})
    new = Plan.objects.get(public_id=response["Location"].rstrip("/").split("/")[-1])
    assert new.supersedes is None


def test_the_owner_gives_up_a_plan_with_a_reason(person: User, old_plan: Plan) -> None:
    client = logged_in(person)
    page = client.get(reverse("journeys:detail", args=[old_plan.public_id])).content.decode()
    assert "이 계획 그만두기" in page
    response = client.post(reverse("journeys:abandon", args=[old_plan.public_id]), {"reason": "일이 생겼어요"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "그만둔 계획입니다" in page and "일이 생겼어요" in page
    assert f'{reverse("journeys:restart")}?from={old_plan.public_id}' in page


def test_giving_up_twice_says_why_in_korean(person: User, old_plan: Plan) -> None:
    client = logged_in(person)
    url = reverse("journeys:abandon", args=[old_plan.public_id])
    client.post(url)
    page = client.get(client.post(url)["Location"]).content.decode()
    assert "진행 중인 계획만 그만둘 수 있습니다" in page  # a message, not a 500


def test_someone_else_cannot_give_up_the_plan(old_plan: Plan) -> None:
    other = citizen(email="other@example.com")
    response = logged_in(other).post(reverse("journeys:abandon", args=[old_plan.public_id]))
    assert response.status_code == 404
    old_plan.refresh_from_db()
    assert old_plan.status == PlanStatus.ACTIVE


def test_restart_needs_login(client: Client) -> None:
    response = client.get(reverse("journeys:restart"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_api_tells_the_plans_state_and_what_was_carried(person: User, old_plan: Plan) -> None:
    for step in old_plan.steps.all():
        services.toggle_step(step, done=True)
    new = services.restart_plan(person, result(diagnosis_services.current_instrument(), owner=person), old_plan)
    body = logged_in(person).get(f"/api/v1/plans/{new.public_id}").json()
    assert body["supersedes"] == old_plan.public_id
    assert body["status"] in ("active", "completed")
    assert body["changes"]
    steps = [s for stage in body["stages"] for s in stage["steps"]]
    assert any(s["carried_over"] and s["done"] for s in steps)
    old = logged_in(person).get(f"/api/v1/plans/{old_plan.public_id}").json()
    assert old["status"] == "completed" and old["ended_at"]


def test_someone_elses_plan_id_is_never_the_source(person: User, old_plan: Plan) -> None:
    stranger = citizen(email="stranger@example.com")
    theirs = services.create_plan(result(diagnosis_services.current_instrument(), owner=stranger))
    client = logged_in(person)
    page = client.get(reverse("journeys:restart") + f"?from={theirs.public_id}").content.decode()
    assert reverse("journeys:detail", args=[theirs.public_id]) not in page
    assert reverse("journeys:detail", args=[old_plan.public_id]) in page
    client.post(reverse("journeys:restart"), {"from": theirs.public_id})
    assert client.session["journeys_restart_from"] == old_plan.public_id


def test_the_new_plan_links_to_the_plan_it_replaced(person: User, old_plan: Plan) -> None:
    client = logged_in(person)
    client.post(reverse("journeys:restart"), {"from": old_plan.public_id})
    public_id = finish_diagnosis(client, goal="startup")
    page = client.get(client.post(reverse("journeys:new"), {"result": public_id})["Location"]).content.decode()
    assert "이전 계획 보기" in page and reverse("journeys:detail", args=[old_plan.public_id]) in page
