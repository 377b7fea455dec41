"""The step pages keep rendered what everyone with the same answer sees ({% fragment %}):
a change of answer shows at once, and an answer with an error is always rendered live."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from diagnosis import services
from diagnosis.tests.helpers import VALID_PROFILE

pytestmark = pytest.mark.usefixtures("reference_data")

STEP0 = reverse("diagnosis:step", args=[0])
STEP1 = reverse("diagnosis:step", args=[1])


def _checked(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" id="[^"]+" value="(\d+)" checked', html)


def test_a_changed_profile_answer_shows_at_once(client: Client) -> None:
    client.get(STEP0)  # the empty questions are kept now
    client.post(STEP0, {**VALID_PROFILE, "region": "26"})
    assert re.search(r'<option value="26" selected>', client.get(STEP0).content.decode())
    client.post(STEP0, {**VALID_PROFILE, "region": "11"})
    page = client.get(STEP0).content.decode()
    assert re.search(r'<option value="11" selected>', page) and not re.search(r'<option value="26" selected>', page)


def test_a_profile_answer_with_an_error_is_shown_with_its_error(client: Client) -> None:
    client.get(STEP0)
    page = client.post(STEP0, {**VALID_PROFILE, "region": "99", "availability": ["someday"]}).content.decode()
    assert "목록에서 시·도를 골라 주세요." in page
    assert 'aria-invalid="true"' in page
    assert "목록에 있는 시간만 고를 수 있습니다." in page


def test_each_person_sees_their_own_likert_answers() -> None:
    item = services.sections(services.current_instrument())[0]["items"][0]["id"]
    one, two = Client(), Client()
    for person, value in ((one, "2"), (two, "5")):
        person.post(STEP0, VALID_PROFILE)
        person.post(reverse("diagnosis:answer"), {"item": item, "value": value})
    assert _checked(one.get(STEP1).content.decode(), item) == ["2"]
    assert _checked(two.get(STEP1).content.decode(), item) == ["5"]
    one.post(reverse("diagnosis:answer"), {"item": item, "value": "4"})
    assert _checked(one.get(STEP1).content.decode(), item) == ["4"]


def test_an_unanswered_likert_item_shows_its_error_after_next(client: Client) -> None:
    client.post(STEP0, VALID_PROFILE)
    client.get(STEP1)  # unanswered items kept now
    page = client.post(STEP1, {"action": "next"}).content.decode()
    assert page.count('class="likert is-error"') == len(services.sections(services.current_instrument())[0]["items"])
