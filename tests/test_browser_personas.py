"""The two report personas walk from the home page to a plan they can print and download.

1. 50대, 명예퇴직 예정, 25년 경력, 재취업 목표 — 구직 기술만 낮게 답해 '구직기술필요형'.
2. 40대 경력단절, 육아 병행(평일 10~14시만 가능), 목표 '결정하지 못함' — 상담부터 시작하는
   계획; 10~16시 교육은 '맞는 일정'이라 하지 않고 가까운 선택지를 보여 준다.
3. 이미 퇴직한 60세 — 진단 결과를 회원가입으로 내 계정에 저장하고, 계정·카탈로그 화면의
   접근성을 확인.
Each walk makes one mistake on purpose and checks that nothing typed is lost.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from programmes.tests.factories import CentreFactory, next_weekday, seoul, session
from tests.browser import phone_page, serious_violations  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSTRUMENT = json.loads(
    (Path(settings.BASE_DIR) / "diagnosis" / "instrument_data" / "v1.json").read_text(
        encoding="utf-8"
    )
)
ITEMS: dict[str, dict[str, Any]] = {
    item["id"]: item for section in INSTRUMENT["sections"] for item in section["items"]
}
STAGES = ("알아가기", "접근하기", "실행하기", "관리하기")
PASSWORD = "Saeroun-gil-2026!"

Answer = Callable[[dict[str, Any]], int]


@pytest.fixture
def site(live_server: Any) -> str:
    call_command("load_reference_data", verbosity=0)
    return str(live_server.url)


def low_on(*scales: str) -> Answer:
    """Strong everywhere except `scales`, which come out low (reverse-scored items flipped)."""

    def answer(item: dict[str, Any]) -> int:
        high = item["scale"] not in scales
        return (4 if high else 2) if not item["reverse"] else (2 if high else 4)

    return answer


def label_for(value: int) -> str:
    return next(c["label_ko"] for c in INSTRUMENT["choices"] if c["value"] == value)


def fill_profile(
    page: Any,
    *,
    birth_year: str,
    status: str,
    years: str,
    occupation: str,
    goal: str | None,
    availability: list[str],
) -> None:
    page.get_by_label("출생연도").fill(birth_year)
    page.get_by_label(status, exact=True).check()
    page.get_by_label("지금까지 일한 기간(년)").fill(years)
    page.get_by_label("가장 오래 일한 직업군").select_option(occupation)
    page.get_by_label("사는 지역 (시·도)").select_option("11")
    if goal:
        page.get_by_label(goal, exact=True).check()
    for slot in availability:  # "평일 오전": the checkbox's name is "평일 오전 9~12시"
        page.get_by_label(slot).check()


def answer_sections(page: Any, answer: Answer, *, skip_one_first: bool = False) -> None:
    """Answer every section; optionally leave the first item empty once and check the error."""
    first = True
    while True:
        groups = page.locator("fieldset.likert")
        count = groups.count()
        assert count > 1
        for i in range(count):
            group = groups.nth(i)
            item_id = group.get_attribute("id").removeprefix("q-")
            if first and skip_one_first and i == 0:
                continue
            group.get_by_label(label_for(answer(ITEMS[item_id])), exact=True).check()
        if first and skip_one_first:
            page.get_by_role("button", name="다음").click()
            assert page.locator("#error-summary").is_visible()
            assert page.get_by_text("이 문항에 답해 주세요").first.is_visible()
            groups = page.locator("fieldset.likert")
            assert groups.nth(0).locator("input:checked").count() == 0
            for i in range(1, groups.count()):  # earlier answers are kept
                assert groups.nth(i).locator("input:checked").count() == 1
            assert serious_violations(page) == []
            first_id = groups.nth(0).get_attribute("id").removeprefix("q-")
            groups.nth(0).get_by_label(label_for(answer(ITEMS[first_id])), exact=True).check()
        first = False
        done = page.get_by_role("button", name="결과 보기")
        if done.count():
            done.click()
            break
        page.get_by_role("button", name="다음").click()
    assert "/diagnosis/r/" in page.url


def start_from_home(page: Any, site: str) -> None:
    page.goto(site + "/")
    page.get_by_role("link", name="10분 자가진단 시작하기").click()


def make_plan(page: Any) -> str:
    page.get_by_role("button", name="나의 가이드맵 만들기").click()
    page.wait_for_url("**/plans/*/")
    assert page.locator("h1").inner_text() == "나의 생애경력설계 가이드맵"
    return str(page.url)


def download(page: Any, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    path = info.value.path()
    return Path(path).read_bytes()


def assert_pdf(page: Any) -> None:
    pdf = download(page, "PDF로 내려받기")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000


def test_retiree_in_his_fifties_gets_a_printable_plan(site: str, phone_page: Any) -> None:  # noqa: F811
    page = phone_page
    start_from_home(page, site)
    fill_profile(
        page,
        birth_year="1972",
        status="퇴직 예정",
        years="25",
        occupation="clerical",
        goal="재취업",
        availability=["평일 저녁", "주말 오전", "주말 오후"],
    )
    page.get_by_role("button", name="다음").click()
    answer_sections(page, low_on("job_search"), skip_one_first=True)

    assert page.locator("h1").inner_text().endswith("구직기술필요형")
    plan_url = make_plan(page)
    for stage in STAGES:
        assert page.get_by_role("heading", name=stage).first.is_visible()
    assert page.get_by_role("heading", name="먼저 걸어간 사람들의 이야기").is_visible()
    assert page.locator(".jr-case").count() > 0
    assert serious_violations(page) == []
    assert page.csp_errors == []

    assert_pdf(page)
    ics = download(page, "일정을 달력에 넣기 (.ics)").decode()
    assert ics.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in ics

    page.emulate_media(media="print")
    assert not page.locator(".lc-nav").is_visible()
    assert not page.get_by_role("link", name="PDF로 내려받기").is_visible()
    assert not page.locator(".jr-toggle").first.is_visible()
    assert page.locator("h1").is_visible()
    assert page.locator(".jr-timeline").is_visible()
    assert page.locator(".jr-step").first.is_visible()
    assert page.url == plan_url


def test_forties_career_break_parent_starts_with_counselling(site: str, phone_page: Any) -> None:  # noqa: F811
    ten_to_four = session(starts_at=seoul(next_weekday(1), 10), hours=6, centre=CentreFactory.create(region="11"))
    assert ten_to_four.region == "11"
    page = phone_page
    start_from_home(page, site)
    # Wrong on purpose: no goal chosen.
    fill_profile(
        page,
        birth_year="1982",
        status="경력단절",
        years="12",
        occupation="clerical",
        goal=None,
        availability=["평일 오전", "평일 점심"],  # 10:00-14:00, while the child is at school
    )
    page.get_by_role("button", name="다음").click()
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("지금까지 일한 기간(년)").input_value() == "12"
    assert page.get_by_label("경력단절", exact=True).is_checked()
    assert page.get_by_label("평일 오전").is_checked()
    assert page.get_by_label("평일 점심").is_checked()
    assert not page.get_by_label("평일 오후").is_checked()
    assert not page.get_by_label("평일 저녁").is_checked()
    page.get_by_label("결정하지 못함", exact=True).check()
    page.get_by_role("button", name="다음").click()
    answer_sections(page, low_on("self_understanding"))

    assert page.locator("h1").inner_text().endswith("형")
    make_plan(page)
    first_step = page.locator(".jr-step-title").first.inner_text()
    assert "상담" in first_step
    facts = page.locator(".jr-facts").inner_text()
    assert "평일 오전, 평일 점심" in facts
    assert "평일 오후" not in facts
    # The only session of her plan's own programme step runs 10:00-16:00 on a weekday:
    # the plan must not call it a fit, and says what comes closest.
    sessions = page.locator(".jr-sessions")
    assert sessions.count() > 0
    assert page.get_by_text("맞는 일정이").count() == 0
    assert page.locator(".jr-no-fit").first.is_visible()
    closest = page.locator(f".jr-closest a[href='/programmes/sessions/{ten_to_four.pk}/']")
    assert closest.count() > 0
    assert "10:00~16:00" in closest.first.inner_text()
    assert serious_violations(page) == []
    assert_pdf(page)


def test_saving_to_an_account_and_accessible_account_pages(site: str, phone_page: Any) -> None:  # noqa: F811
    page = phone_page
    page.goto(site + "/services/")
    assert serious_violations(page) == []
    page.locator("input[name=q]").fill("창업")
    page.get_by_role("button", name="찾기").click()
    assert "q=" in page.url
    assert serious_violations(page) == []

    start_from_home(page, site)
    fill_profile(
        page,
        birth_year="1968",
        status="퇴직함 (이미 퇴직)",  # took early retirement last year: not 구직, not 퇴직 예정
        years="25",
        occupation="machine",
        goal="재취업",
        availability=["평일 오전", "평일 오후"],
    )
    page.get_by_role("button", name="다음").click()
    answer_sections(page, low_on())
    result_url = page.url
    make_plan(page)
    page.goto(result_url)

    page.get_by_role("button", name="내 계정에 저장하기").click()
    assert "/accounts/signup/" in page.url
    assert serious_violations(page) == []
    # Wrong on purpose: consent left unticked and passwords differ.
    page.locator("#id_email").fill("persona@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD + "x")
    page.get_by_role("button", name="동의하고 가입하기").click()
    assert page.get_by_text("두 비밀번호가 서로 다릅니다").first.is_visible()
    assert page.locator("#id_email").input_value() == "persona@example.com"
    assert serious_violations(page) == []
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_label("위 내용을 읽었으며 개인정보 수집·이용에 동의합니다.").check()
    page.get_by_role("button", name="동의하고 가입하기").click()
    page.wait_for_url(result_url)

    page.goto(site + "/me/")  # the phone menu is collapsed; the link is tested by the base template
    assert page.locator("h1").inner_text() == "나의 생애경력설계"
    assert page.locator("[id^=plan-]").count() == 1
    assert page.locator(f"a[href='{result_url.removeprefix(site)}']").count() >= 1
    assert serious_violations(page) == []
    assert page.csp_errors == []

    page.context.clear_cookies()
    page.goto(site + "/accounts/login/")
    assert page.locator("#id_username").is_visible()
    assert serious_violations(page) == []
