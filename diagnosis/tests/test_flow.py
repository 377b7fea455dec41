"""The web flow of the self-diagnosis, as a person meets it (no JavaScript needed)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from core import vocabulary as vocab
from diagnosis import services
from diagnosis.forms import ProfileForm
from diagnosis.models import Draft, Result
from diagnosis.tests.helpers import VALID_PROFILE, all_answers

pytestmark = pytest.mark.usefixtures("reference_data")


def post_profile(client: Client, **overrides: Any) -> Any:
    data = {**VALID_PROFILE, **overrides}
    return client.post(reverse("diagnosis:step", args=[0]), data)


def input_tag(page: str, element_id: str) -> str:
    match = re.search(rf'<input[^>]*id="{re.escape(element_id)}"[^>]*>', page)
    assert match, f"no input {element_id}"
    return match.group(0)


def sections() -> list[dict[str, Any]]:
    return services.sections(services.current_instrument())


def test_home_starts_the_diagnosis_in_one_tap(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert reverse("diagnosis:step", args=[0]) in page.content.decode()


def test_home_offers_to_continue_a_saved_draft_at_its_first_unanswered_step(client: Client) -> None:
    post_profile(client)
    first = sections()[0]["items"]
    client.post(reverse("diagnosis:step", args=[1]), {item["id"]: "3" for item in first} | {"action": "next"})
    page = client.get("/").content.decode()
    assert "이어서 하기" in page
    assert f'href="{reverse("diagnosis:step", args=[2])}"' in page
    assert "처음부터 다시 하기" in page
    assert f'action="{reverse("diagnosis:restart")}"' in page


def test_home_continues_on_the_profile_page_while_it_is_incomplete(client: Client) -> None:
    post_profile(client, goal="")
    page = client.get("/").content.decode()
    assert "이어서 하기" in page
    assert f'href="{reverse("diagnosis:step", args=[0])}"' in page


def test_home_without_a_draft_just_starts(client: Client) -> None:
    page = client.get("/").content.decode()
    assert "이어서 하기" not in page
    assert "10분 자가진단 시작하기" in page


def test_profile_page_shows_progress_and_no_resident_number_question(client: Client) -> None:
    page = client.get(reverse("diagnosis:step", args=[0])).content.decode()
    assert f"1 / {len(sections()) + 1}" in page
    assert "주민등록번호는 묻지 않습니다" in page


def test_valid_profile_moves_to_first_section(client: Client) -> None:
    response = post_profile(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnosis:step", args=[1])


def test_too_young_gets_a_kind_korean_explanation_and_keeps_other_answers(client: Client) -> None:
    response = post_profile(client, birth_year=2000, career_years=7)
    page = response.content.decode()
    assert response.status_code == 200
    assert "만 40세 이상 중장년을 위한 것입니다" in page
    assert 'value="7"' in page  # what was typed is still there
    assert 'value="2000"' in page


@pytest.mark.parametrize("typed", ["82", "982", "19822"])
def test_a_birth_year_that_is_not_four_digits_asks_for_four_digits(client: Client, typed: str) -> None:
    page = post_profile(client, birth_year=typed).content.decode()
    assert "태어난 해를 네 자리로 적어 주세요 (예: 1982)" in page
    assert "75세까지" not in page
    assert "만 40세 이상" not in page
    assert f'value="{typed}"' in page


def test_a_real_four_digit_year_over_the_age_limit_keeps_the_too_old_explanation(client: Client) -> None:
    page = post_profile(client, birth_year=1940).content.decode()
    assert "75세까지를 위해 만들었습니다" in page
    assert "네 자리로 적어" not in page


def test_already_retired_is_an_employment_status_one_can_pick(client: Client) -> None:
    page = client.get(reverse("diagnosis:step", args=[0])).content.decode()
    assert "퇴직함 (이미 퇴직)" in page
    response = post_profile(client, employment_status="retired")
    assert response.status_code == 302


def test_non_numeric_birth_year_is_explained(client: Client) -> None:
    page = post_profile(client, birth_year="천구백").content.decode()
    assert "네 자리 숫자" in page
    assert 'value="천구백"' in page


def test_missing_choice_names_the_question(client: Client) -> None:
    data = {**VALID_PROFILE}
    del data["goal"]
    page = client.post(reverse("diagnosis:step", args=[0]), data).content.decode()
    assert "하나를 골라 주세요" in page
    assert "error-summary" in page


def test_unanswered_items_are_flagged_and_answered_ones_kept(client: Client) -> None:
    post_profile(client)
    first = sections()[0]["items"]
    data = {first[0]["id"]: "5", "action": "next"}
    page = client.post(reverse("diagnosis:step", args=[1]), data).content.decode()
    assert page.count("이 문항에 답해 주세요") >= len(first) - 1
    assert "checked" in input_tag(page, f'id_{first[0]["id"]}_4')  # value 5 is option 4 (from 0)


def test_going_back_keeps_partial_answers(client: Client) -> None:
    post_profile(client)
    first = sections()[0]["items"]
    client.post(reverse("diagnosis:step", args=[1]), {first[0]["id"]: "2", "action": "back"})
    draft = Draft.objects.get()
    assert draft.answers == {first[0]["id"]: 2}
    assert draft.step == 0
    page = client.get(reverse("diagnosis:step", args=[1])).content.decode()
    # Options are numbered from 0 as Django numbers a RadioSelect: value 2 is option 1.
    assert "checked" in input_tag(page, f'id_{first[0]["id"]}_1')
    assert "checked" not in input_tag(page, f'id_{first[0]["id"]}_2')


def test_out_of_range_value_is_refused_in_korean(client: Client) -> None:
    post_profile(client)
    first = sections()[0]["items"]
    data = {item["id"]: "3" for item in first}
    data[first[0]["id"]] = "9"
    data["action"] = "next"
    page = client.post(reverse("diagnosis:step", args=[1]), data).content.decode()
    assert "보기 중 하나를 골라 주세요" in page


def test_closing_the_browser_and_using_the_resume_link_continues(client: Client) -> None:
    post_profile(client)
    draft = Draft.objects.get()
    other_browser = Client()
    response = other_browser.get(reverse("diagnosis:resume", args=[draft.token]))
    assert response["Location"] == reverse("diagnosis:step", args=[1])
    assert other_browser.get(reverse("diagnosis:step", args=[1])).status_code == 200


def test_section_page_without_a_draft_goes_to_the_profile(client: Client) -> None:
    response = client.get(reverse("diagnosis:step", args=[2]))
    assert response["Location"] == reverse("diagnosis:step", args=[0])


def complete(client: Client) -> Any:
    post_profile(client)
    instrument = services.current_instrument()
    answers = all_answers(instrument, 4)
    response = None
    for n, section in enumerate(sections(), start=1):
        data: dict[str, Any] = {item["id"]: str(answers[item["id"]]) for item in section["items"]}
        data["action"] = "next"
        response = client.post(reverse("diagnosis:step", args=[n]), data)
    return response


def test_completing_every_section_stores_a_result_and_shows_it(client: Client) -> None:
    response = complete(client)
    result = Result.objects.get()
    assert response["Location"] == reverse("diagnosis:result", args=[result.public_id])
    page = client.get(response["Location"]).content.decode()
    info = services.type_info(result.instrument, result.type_code)
    assert info["name_ko"] in page
    assert "재취업" in page and "50대" in page
    assert result.instrument.version in page
    assert not Draft.objects.exists()


def test_result_url_is_unguessable(client: Client) -> None:
    complete(client)
    result = Result.objects.get()
    assert len(result.public_id) >= 22
    assert client.get(reverse("diagnosis:result", args=["abc"])).status_code == 404


def test_result_can_be_sent_by_real_smtp(client: Client, smtp_inbox: Any) -> None:
    complete(client)
    result = Result.objects.get()
    response = client.post(reverse("diagnosis:email", args=[result.public_id]), {"email": "person@example.com"})
    assert response.status_code == 302
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["X-Envelope-To"] == "person@example.com"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert result.public_id in body
    assert services.type_info(result.instrument, result.type_code)["name_ko"] in message["Subject"]


def test_bad_email_address_is_explained_and_kept(client: Client, smtp_inbox: Any) -> None:
    complete(client)
    result = Result.objects.get()
    response = client.post(reverse("diagnosis:email", args=[result.public_id]), {"email": "person@"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "이메일 주소 형식이 올바르지 않습니다" in page
    assert 'value="person@"' in page
    assert smtp_inbox.messages == []


def test_english_interface_through_language_switch(client: Client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("diagnosis:step", args=[0])).content.decode()
    assert "Year of birth" in page


def test_email_error_is_summarised_at_the_form_and_named_in_the_title(client: Client) -> None:
    complete(client)
    result = Result.objects.get()
    response = client.post(reverse("diagnosis:email", args=[result.public_id]), {"email": "person@"})
    page = response.content.decode()
    assert re.search(r"<title>오류: ", page)
    summary = page.index('class="error-summary"')
    form = page.index('id="email-form"')
    assert summary < form  # the summary sits right above the form it is about
    assert 'href="#id_email"' in page[summary:form]
    assert f'action="{reverse("diagnosis:email", args=[result.public_id])}#email-form"' in page


def choice_tag(page: str, name: str, code: str) -> str:
    terms = vocab.GOALS if name == "goal" else vocab.EMPLOYMENT_STATUSES
    return input_tag(page, f"id_{name}_{vocab.codes(terms).index(code)}")


def test_the_profile_page_preselects_the_goal_and_status_a_guide_map_passes_on(client: Client) -> None:
    page = client.get(reverse("diagnosis:step", args=[0]), {"goal": "rural", "status": "employed"}).content.decode()
    assert 'value="rural"' in choice_tag(page, "goal", "rural")
    assert "checked" in choice_tag(page, "goal", "rural")
    assert "checked" in choice_tag(page, "employment_status", "employed")


def test_the_profile_page_ignores_a_goal_or_status_outside_the_vocabulary(client: Client) -> None:
    query = {"goal": "travel", "status": "<b>"}
    assert ProfileForm.initial_from_query(query) == {}
    assert "checked" not in client.get(reverse("diagnosis:step", args=[0]), query).content.decode()


def test_a_saved_draft_wins_over_the_goal_in_the_link(client: Client) -> None:
    post_profile(client, goal="startup")
    page = client.get(reverse("diagnosis:step", args=[0]), {"goal": "rural"}).content.decode()
    assert "checked" in choice_tag(page, "goal", "startup")
    assert "checked" not in choice_tag(page, "goal", "rural")
