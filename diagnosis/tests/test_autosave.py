"""Each Likert answer is saved as it is chosen (app.js posts it); the page's counter counts
what the draft holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from diagnosis import services
from diagnosis.models import Draft
from diagnosis.tests.helpers import VALID_PROFILE

pytestmark = pytest.mark.usefixtures("reference_data")


def first_items() -> list[dict[str, Any]]:
    return services.sections(services.current_instrument())[0]["items"]


@pytest.fixture
def started(client: Client) -> Client:
    client.post(reverse("diagnosis:step", args=[0]), VALID_PROFILE)
    return client


def test_one_answer_is_saved_into_the_draft(started: Client) -> None:
    item = first_items()[2]["id"]
    response = started.post(reverse("diagnosis:answer"), {"item": item, "value": "4"})
    assert response.status_code == 200
    assert Draft.objects.get().answers == {item: 4}
    assert response.json()["answered"] == 1
    assert response.json()["total"] == len(first_items())


def test_a_later_answer_to_the_same_item_replaces_the_earlier_one(started: Client) -> None:
    item = first_items()[0]["id"]
    started.post(reverse("diagnosis:answer"), {"item": item, "value": "2"})
    started.post(reverse("diagnosis:answer"), {"item": item, "value": "5"})
    assert Draft.objects.get().answers == {item: 5}


def test_an_unknown_item_is_refused_in_korean(started: Client) -> None:
    response = started.post(reverse("diagnosis:answer"), {"item": "nope", "value": "3"})
    assert response.status_code == 400
    assert "없는 문항입니다" in response.json()["error"]
    assert Draft.objects.get().answers == {}


@pytest.mark.parametrize("value", ["9", "", "셋"])
def test_a_value_outside_the_choices_is_refused_in_korean(started: Client, value: str) -> None:
    response = started.post(reverse("diagnosis:answer"), {"item": first_items()[0]["id"], "value": value})
    assert response.status_code == 400
    assert response.json()["error"] == "보기 중 하나를 골라 주세요."
    assert Draft.objects.get().answers == {}


def test_without_a_draft_the_answer_is_refused_in_korean(client: Client) -> None:
    response = client.post(reverse("diagnosis:answer"), {"item": first_items()[0]["id"], "value": "3"})
    assert response.status_code == 400
    assert "작성 중인 진단을 찾지 못했습니다" in response.json()["error"]


def test_the_endpoint_needs_the_csrf_token() -> None:
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse("diagnosis:answer"), {"item": "w1", "value": "3"})
    assert response.status_code == 403


def test_the_counter_counts_answers_saved_in_the_draft(started: Client) -> None:
    items = first_items()
    for item in items[:3]:
        started.post(reverse("diagnosis:answer"), {"item": item["id"], "value": "3"})
    page = started.get(reverse("diagnosis:step", args=[1])).content.decode()
    assert f"{len(items)}개 문항 중 3개에 답했습니다." in page


def test_step_pages_are_not_kept_for_back_and_forward(started: Client) -> None:
    response = started.get(reverse("diagnosis:step", args=[1]))
    assert "no-store" in response["Cache-Control"]
