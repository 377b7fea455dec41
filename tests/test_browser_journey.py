"""Issue 8 on a phone: a diagnosis, then 신청하기 while logged out → a log-in page that says
why → sign-up through its link, keeping `next` → back at the session with the button ready
→ enrolled → 나의 생애경력설계 shows the enrolment and the result made before signing up."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from diagnosis.models import Result
from programmes.models import Enrolment
from programmes.tests.factories import ProgrammeFactory, session
from tests.browser import phone_page, serious_violations  # noqa: F401 - fixture
from tests.test_browser_personas import answer_sections, fill_profile, low_on, start_from_home

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Saeroun-gil-2026!"


def test_enrol_while_logged_out_then_sign_up_and_land_back(live_server: Any, phone_page: Any) -> None:  # noqa: F811
    call_command("load_reference_data", verbosity=0)
    site = str(live_server.url)
    # A programme for job-seekers, as she is one (enrolment checks whom a programme is for).
    target = session(
        programme=ProgrammeFactory.create(
            name_ko="인생3모작 설계 과정", audience="jobseeker", age_band="", tier="", track="jobseeker_modules"
        )
    )
    page = phone_page

    start_from_home(page, site)
    fill_profile(page, birth_year="1968", status="구직", years="25", occupation="machine", goal="재취업", availability=["평일 오전", "평일 점심", "평일 오후"])
    page.get_by_role("button", name="다음").click()
    answer_sections(page, low_on())
    assert "/diagnosis/r/" in page.url

    page.goto(f"{site}/programmes/sessions/{target.pk}/")
    page.get_by_role("link", name="신청하기").click()
    assert "/accounts/login/" in page.url
    assert page.get_by_text("수강 신청을 하려면 로그인해 주세요.").is_visible()
    assert page.get_by_text("인생3모작 설계 과정").first.is_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="회원가입", exact=True).last.click()
    assert "/accounts/signup/" in page.url and "next=" in page.url
    assert page.get_by_text("수강 신청을 하려면 로그인해 주세요.").is_visible()
    offer = page.get_by_role("group", name="이 브라우저에서 만든 진단 결과와 계획을 내 계정에 저장합니다")
    assert offer.get_by_role("checkbox").first.is_checked()
    assert serious_violations(page) == []
    page.locator("#id_email").fill("journey@example.com")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("input[name=consent_account]").check()
    page.get_by_role("button", name="동의하고 가입하기").click()

    assert page.url.endswith(f"/programmes/sessions/{target.pk}/enrol/")
    assert not Enrolment.objects.exists()  # ready, not done for them
    page.get_by_role("button", name="신청하기").click()
    assert page.get_by_text("수강 신청이 확정되었습니다").is_visible()

    page.goto(site + "/me/")
    next_box = page.locator("section", has=page.get_by_role("heading", name="다음에 할 일"))
    assert "인생3모작 설계 과정" in next_box.inner_text()
    assert page.get_by_role("link", name="내 수강 신청").is_visible()
    result = Result.objects.get()
    assert result.owner is not None and result.owner.email == "journey@example.com"
    assert page.locator(f'a[href="/diagnosis/r/{result.public_id}/"]').count() == 1
    assert serious_violations(page) == []
