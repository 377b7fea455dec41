"""Programmes on a phone: from the guide map to a session place, and a one-click move after
an operator cancels a session."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.core.management import call_command

from accounts import consents
from accounts import services as accounts_services
from core.roles import Role
from core.tests.factories import grant
from diagnosis import services as diagnosis_services
from diagnosis.models import Instrument
from diagnosis.tests.helpers import VALID_PROFILE, all_answers
from journeys import services as journeys_services
from programmes import services as programmes_services
from programmes.models import Enrolment, Mode
from programmes.tests.factories import CentreFactory, ProgrammeFactory, seoul, session
from tests.browser import PHONE, phone_page, serious_violations  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Gyeongnyeok-2026!plan"
ONLY_EVENINGS = {**VALID_PROFILE, "employment_status": "employed", "availability": ["evening"], "region": "11"}


def sign_up(email: str, *, staff: bool = False) -> User:
    user = accounts_services.sign_up(email=email, password=PASSWORD, text=consents.current_text(), optional={})
    if staff:
        grant(user, Role.OPERATOR)  # national programme operator
    return user


def log_in(page: Any, site: str, email: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("이메일 주소").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def test_an_evening_worker_goes_from_the_guide_map_to_a_place(
    live_server: Any, settings: LazySettings, phone_page: Any  # noqa: F811
) -> None:
    settings.LOAD_DEMO_SCHEDULE = True
    call_command("load_reference_data", verbosity=0)
    site = str(live_server.url)
    user = sign_up("evening@example.com")
    instrument = Instrument.objects.get(is_current=True)
    result = diagnosis_services.create_result(instrument, ONLY_EVENINGS, all_answers(instrument), owner=user)
    plan = journeys_services.create_plan(result)
    assert plan.owner == user

    page = phone_page
    log_in(page, site, "evening@example.com")
    page.goto(f"{site}/plans/{plan.public_id}/")
    assert serious_violations(page) == []
    assert page.get_by_role("link", name=re.compile("온라인으로 참여하기")).count() > 0  # no weekday daytime
    page.get_by_role("link", name=re.compile("나에게 맞는 교육 일정 찾기")).first.click()

    assert "region=11" in page.url and "time_of_day=evening" in page.url
    cards = page.locator(".lc-session-list > li")
    assert cards.count() > 0
    for text in cards.all_inner_texts():
        assert "평일 저녁" in text or "온라인 실시간" in text
    assert serious_violations(page) == []

    first = cards.first.get_by_role("link").first
    programme_name = first.inner_text()
    first.click()
    page.get_by_role("link", name="신청하기").click()
    page.get_by_role("button", name="신청하기").click()

    assert page.url.endswith("/programmes/me/")
    assert page.get_by_text("수강 신청이 확정되었습니다").is_visible()
    assert page.locator(".lc-card", has_text=programme_name).get_by_text("신청 확정").is_visible()
    assert serious_violations(page) == []
    assert page.csp_errors == []
    enrolment = Enrolment.objects.select_related("session").get(user=user)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert enrolment.session.time_of_day == "evening" or enrolment.session.mode == Mode.ONLINE_LIVE


def test_after_an_operator_cancels_the_enrolee_moves_in_one_click(live_server: Any, phone_page: Any) -> None:  # noqa: F811
    call_command("load_reference_data", verbosity=0)
    site = str(live_server.url)
    citizen = sign_up("moved@example.com")
    sign_up("operator@lifecareer.example", staff=True)
    programme = ProgrammeFactory.create(name_ko="재직자 생애경력설계 기초")
    centre = CentreFactory.create()
    # Under its minimum and three days away: at risk of 폐강. The alternative is later.
    doomed = session(programme=programme, centre=centre, starts_at=seoul(3, 19), min_enrolment=2)
    alternative = session(programme=programme, centre=centre, starts_at=seoul(10, 19), min_enrolment=2)
    programmes_services.enrol(doomed.pk, citizen)

    staff_context = phone_page.context.browser.new_context(viewport=PHONE, locale="ko-KR")
    try:
        staff_page = staff_context.new_page()
        log_in(staff_page, site, "operator@lifecareer.example")
        staff_page.goto(site + "/programmes/staff/at-risk/")
        staff_page.get_by_text("4. 취소하고 다른 회차 제안하기").click()
        staff_page.get_by_role("button", name="회차 취소하고 제안 보내기").click()
        staff_page.wait_for_load_state()
    finally:
        staff_context.close()
    doomed.refresh_from_db()
    assert doomed.status == doomed.Status.CANCELLED

    page = phone_page
    log_in(page, site, "moved@example.com")
    page.goto(site + "/programmes/me/")
    assert page.get_by_role("heading", name="다른 회차로 옮길 수 있어요").is_visible()
    page.get_by_role("button", name="이 회차로 옮기기").click()

    assert page.url.endswith("/programmes/me/")
    assert page.get_by_text("새 회차로 옮겼습니다. 자리가 확정되었습니다.").is_visible()
    assert page.get_by_role("heading", name="다른 회차로 옮길 수 있어요").count() == 0
    moved = Enrolment.objects.get(user=citizen, session=alternative)
    assert moved.status == Enrolment.Status.CONFIRMED
    assert not Enrolment.objects.filter(user=citizen, session=doomed, status__in=Enrolment.ACTIVE).exists()
    assert serious_violations(page) == []
