"""A new user on a phone completes the diagnosis, with one wrong submit, and reads the result."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import phone_page, serious_violations  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> str:
    call_command("load_reference_data", verbosity=0)
    return str(live_server.url)


def test_new_user_completes_diagnosis_on_a_phone(site: str, phone_page: Any) -> None:  # noqa: F811
    page = phone_page
    page.goto(site + "/")
    assert serious_violations(page) == []
    page.get_by_role("link", name="10분 자가진단 시작하기").click()

    # Profile: a wrong birth year first, on purpose.
    page.get_by_label("출생연도").fill("2010")
    page.get_by_label("퇴직 예정").check()
    page.get_by_label("지금까지 일한 기간(년)").fill("25")
    page.get_by_label("가장 오래 일한 직업군").select_option("clerical")
    page.get_by_label("사는 지역 (시·도)").select_option("11")
    page.get_by_label("재취업").check()
    page.get_by_label("평일 저녁").check()
    page.get_by_role("button", name="다음").click()
    assert page.get_by_text("만 40세 이상 중장년을 위한 것입니다").first.is_visible()
    assert page.get_by_label("지금까지 일한 기간(년)").input_value() == "25"  # nothing lost
    assert page.get_by_label("평일 저녁").is_checked()
    assert serious_violations(page) == []
    page.get_by_label("출생연도").fill("1968")
    page.get_by_role("button", name="다음").click()

    # Sections: answer every item with the 4th option ("그렇다").
    first_section = True
    while True:
        heading = page.locator("h1").inner_text()
        assert heading
        groups = page.locator("fieldset.likert")
        count = groups.count()
        assert count > 0
        for i in range(count):
            groups.nth(i).get_by_label("그렇다", exact=True).check()
        if first_section:
            assert serious_violations(page) == []
            first_section = False
        done = page.get_by_role("button", name="결과 보기")
        if done.count():
            done.click()
            break
        page.get_by_role("button", name="다음").click()

    assert "/diagnosis/r/" in page.url
    assert page.locator("h1").inner_text().endswith("형")
    assert page.get_by_role("table").first.is_visible()
    assert page.get_by_text("재취업").first.is_visible()
    assert serious_violations(page) == []
    assert page.csp_errors == []
    # Nothing sticks out sideways on a 390 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_answers_are_saved_as_they_are_chosen_and_survive_a_reload(site: str, phone_page: Any) -> None:  # noqa: F811
    page = phone_page
    page.goto(site + "/diagnosis/step/0/")
    page.get_by_label("출생연도").fill("1970")
    page.get_by_label("구직", exact=True).check()
    page.get_by_label("지금까지 일한 기간(년)").fill("20")
    page.get_by_label("가장 오래 일한 직업군").select_option("clerical")
    page.get_by_label("사는 지역 (시·도)").select_option("11")
    page.get_by_label("재취업").check()
    page.get_by_label("평일 저녁").check()
    page.get_by_role("button", name="다음").click()
    groups = page.locator("fieldset.likert")
    total = groups.count()
    counter = page.locator("#answered-count")
    assert counter.inner_text() == f"{total}개 문항 중 0개에 답했습니다."

    groups.nth(0).get_by_label("그렇다", exact=True).check()
    groups.nth(3).get_by_label("보통이다", exact=True).check()
    # Waits on the page's own state from outside: the site's CSP (no unsafe-eval) refuses
    # the string functions wait_for_function would inject.
    page.locator("form[data-lc-saving]").wait_for(state="detached")
    expect(counter).to_have_text(f"{total}개 문항 중 2개에 답했습니다.")

    page.reload()  # nothing pressed: the two answers were saved as they were chosen
    groups = page.locator("fieldset.likert")
    assert groups.nth(0).get_by_label("그렇다", exact=True).is_checked()
    assert groups.nth(3).get_by_label("보통이다", exact=True).is_checked()
    assert page.locator("fieldset.likert input:checked").count() == 2
    assert page.locator("#answered-count").inner_text() == f"{total}개 문항 중 2개에 답했습니다."

    # Back to the profile and forward again: the page shows what is saved, and says so.
    page.go_back()
    page.go_forward()
    assert page.locator("fieldset.likert input:checked").count() == 2
    assert page.locator("#answered-count").inner_text() == f"{total}개 문항 중 2개에 답했습니다."
    assert page.csp_errors == []


def test_the_firm_size_question_appears_only_for_people_with_an_employer(site: str, phone_page: Any) -> None:  # noqa: F811
    page = phone_page
    page.goto(site + "/diagnosis/step/0/")
    firm_size = page.get_by_role("group", name="다니는 회사의 직원 수")
    expect(firm_size).to_be_hidden()
    page.get_by_label("구직", exact=True).check()
    expect(firm_size).to_be_hidden()
    page.get_by_label("재직", exact=True).check()
    expect(firm_size).to_be_visible()
    page.get_by_label("300명 미만").check()  # the label still names its radio
    assert page.get_by_label("300명 미만").is_checked()
    page.get_by_label("퇴직함 (이미 퇴직)").check()
    expect(firm_size).to_be_hidden()
    assert page.csp_errors == []
