"""Referral, after-care and coming back, on a phone, end to end (issue 11).

The early-retiree persona (50대 명예퇴직, 25년 경력, 목표 재취업) has an account, a plan and a
counselling case at centre A. His counsellor refers him to a partner organisation without
staff accounts for a service of his plan; the partner opens the e-mailed signed link (no
login) and moves the referral received → contacted → in progress → completed, and after each
move he sees the change with its date on 나의 생애경력설계. His 1-month check-in is sent by
the daily sweep; he answers it from the mail ("아직 준비 중", 2/5) after one mistake, and the
link cannot be replayed. Later he starts again: the diagnosis is pre-filled, and the new plan
keeps his finished steps and says what changed. The timeline lists the referral steps and
the check-in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from accounts import consents
from accounts import services as accounts_services
from aftercare import jobs
from aftercare.checkins import act_end, add_months
from aftercare.models import CheckIn, CheckInStatus
from core.roles import Role
from core.vocabulary import SEOUL
from counselling.services import open_case
from counselling.tests.factories import staff_member
from diagnosis import services as diagnosis_services
from diagnosis.models import Instrument
from diagnosis.tests.helpers import all_answers
from journeys import services as journeys_services
from journeys.models import Plan, PlanStatus
from programmes.tests.factories import CentreFactory
from referrals.models import Referral, ReferralStatus
from referrals.tests.factories import PartnerFactory
from tests.browser import PHONE, phone_page, serious_violations  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Myeongtoe-2026!gil"
EARLY_RETIREE = {
    "birth_year": timezone.localdate().year - 55,
    "employment_status": "retired",  # 명예퇴직 last year
    "career_years": 25,
    "occupation": "machine",
    "region": "11",
    "goal": "reemployment",
    "availability": ["weekday_morning", "weekday_afternoon"],
}
NARROW = {"width": 360, "height": 740}


def account(email: str) -> User:
    return accounts_services.sign_up(email=email, password=PASSWORD, text=consents.current_text(), optional={})


def log_in(page: Any, site: str, email: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("이메일 주소").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def checked_clean(page: Any) -> None:
    assert serious_violations(page) == [], page.url
    assert page.csp_errors == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], page.url


def link_in(mail: Any, path_part: str) -> str:
    """The path of the link in a mail's text (the mail names the configured site; the test
    server has its own address)."""
    body = mail.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://\S*" + re.escape(path_part) + r"\S+", body)
    assert match, body
    return urlsplit(match.group(0)).path


def new_context_page(page: Any) -> Any:
    context = page.context.browser.new_context(viewport=NARROW, locale="ko-KR", is_mobile=True, has_touch=True)
    other = context.new_page()
    other.csp_errors = []
    other.on("console", lambda msg: other.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return other


def test_the_early_retiree_is_referred_checked_in_on_and_starts_again(
    live_server: Any, smtp_inbox: Any, phone_page: Any  # noqa: F811
) -> None:
    call_command("load_reference_data", verbosity=0)
    site = str(live_server.url)

    # --- his account, plan and counselling case at centre A ------------------------------
    citizen = account("myeongtoe@example.com")
    instrument = Instrument.objects.get(is_current=True)
    result = diagnosis_services.create_result(instrument, EARLY_RETIREE, all_answers(instrument), owner=citizen)
    plan = journeys_services.create_plan(result)
    step = plan.steps.filter(service__isnull=False).order_by("position").first()
    assert step is not None and step.service is not None
    centre_a = CentreFactory.create(name="서울 중장년내일센터", region="11")
    counsellor = staff_member(Role.COUNSELLOR, centre_a, account("counsellor-a@centre.example"))
    case = open_case(citizen, centre_a, share=["latest_diagnosis", "plan"])
    case.counsellor = counsellor
    case.save(update_fields=["counsellor"])
    partner = PartnerFactory.create(name="서울 재취업지원 협력기관", email="desk@partner.example", services=[step.service])
    assert not partner.staff_roles.exists()  # no staff accounts: the signed link is its way in

    # --- his counsellor refers him, with the items he agreed to -------------------------
    page = phone_page
    page.set_viewport_size(NARROW)
    staff_page = new_context_page(page)
    try:
        log_in(staff_page, site, "counsellor-a@centre.example")
        staff_page.goto(f"{site}/counsellor/cases/{case.pk}/")
        checked_clean(staff_page)
        staff_page.get_by_role("link", name=re.compile("연계 의뢰하기")).first.click()
        assert staff_page.url.endswith(f"/counsellor/cases/{case.pk}/refer/")
        checked_clean(staff_page)
        staff_page.get_by_label("연계 서비스와 기관").select_option(f"{step.service_id}:{partner.pk}")
        staff_page.get_by_label("최근 자가진단 결과").check()
        staff_page.get_by_label("본인이 동의했습니다").check()
        staff_page.get_by_role("button", name="연계 의뢰하기").click()
        assert staff_page.url.endswith(f"/counsellor/cases/{case.pk}/")
        assert staff_page.get_by_text("연계를 의뢰했습니다").is_visible()
        checked_clean(staff_page)
    finally:
        staff_page.context.close()
    referral = Referral.objects.get(citizen=citizen)
    assert (referral.partner_id, referral.status) == (partner.pk, ReferralStatus.RECEIVED)

    # --- the partner opens the e-mailed link, no login ------------------------------------
    [mail] = [m for m in smtp_inbox.messages if m["X-Envelope-To"] == "desk@partner.example"]
    assert "연계 의뢰가 도착했습니다" in mail["Subject"]
    assert "myeongtoe" not in mail.get_body(preferencelist=("plain",)).get_content()  # no personal data in the mail
    partner_path = link_in(mail, "/partner/link/")
    assert partner_path.startswith("/partner/link/")

    log_in(page, site, "myeongtoe@example.com")
    partner_page = new_context_page(page)
    try:
        partner_page.goto(site + partner_path)
        assert partner_page.get_by_role("heading", name=f"연계 의뢰 #{referral.pk}").is_visible()
        assert partner_page.get_by_text(step.service.name_ko).first.is_visible()
        checked_clean(partner_page)
        today = timezone.localdate().isoformat()
        for label in ("연락함", "진행 중", "완료"):
            partner_page.get_by_label("바꿀 상태").select_option(label=label)
            partner_page.get_by_role("button", name="상태 바꾸기").click()
            assert partner_page.locator("dd", has_text=label).first.is_visible()
            # He sees the change, dated, on his own page.
            page.goto(site + "/me/")
            card = page.locator("li.lc-card", has=page.get_by_role("heading", name=step.service.name_ko))
            assert card.get_by_text(label, exact=True).first.is_visible()
            assert card.get_by_text(f"{today} · {label}").is_visible()
        checked_clean(partner_page)
        assert partner_page.get_by_text("끝난 연계 의뢰입니다").is_visible()
        history = partner_page.locator("section", has=partner_page.get_by_role("heading", name="진행 기록")).get_by_role("listitem")
        assert [t.split(" · ")[-1] for t in history.all_inner_texts()] == ["접수", "연락함", "진행 중", "완료"]
    finally:
        partner_page.context.close()
    checked_clean(page)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert list(referral.events.order_by("at", "pk").values_list("to_status", flat=True)) == ["received", "contacted", "in_progress", "completed"]

    # --- he finishes a step of his plan --------------------------------------------------
    first = plan.steps.order_by("position").first()
    assert first is not None
    page.goto(site + "/me/")
    page.locator(f"button[aria-describedby='step-{first.pk}-title']").click()
    first.refresh_from_db()
    assert first.done_at is not None

    # --- a month after his plan's 실행하기 stage, the daily sweep sends the check-in -----------
    jobs.daily(now=timezone.now())  # nothing is due yet
    assert not CheckIn.objects.filter(sent_at__isnull=False).exists()
    last_week = max(s.start_week + s.duration_weeks for s in plan.steps.filter(stage="act"))
    due = add_months(act_end(plan.start_date, last_week), 1)
    jobs.daily(now=dt.datetime.combine(due, dt.time(10), tzinfo=SEOUL))
    [checkin] = list(CheckIn.objects.filter(citizen=citizen, sent_at__isnull=False))
    assert checkin.month == 1
    [ask] = [m for m in smtp_inbox.messages if m["X-Envelope-To"] == "myeongtoe@example.com" and "요즘 어떻게 지내세요" in m["Subject"]]
    checkin_path = link_in(ask, "/aftercare/checkin/")

    page.goto(site + checkin_path)
    assert page.get_by_role("heading", name="요즘 어떻게 지내세요?").is_visible()
    checked_clean(page)
    # The mistake: no satisfaction chosen.
    page.get_by_label("아직 준비 중").check()
    page.get_by_label(re.compile("하고 싶은 말")).fill("면접을 두 번 봤는데 아직 소식이 없어요.")
    page.get_by_role("button", name="답 보내기").click()
    summary = page.locator("#error-summary")
    assert summary.inner_text().splitlines()[1:] == ["만족도를 1부터 5 사이에서 골라 주세요."]  # in Korean, no field names
    summary.get_by_role("link", name="만족도를 1부터 5 사이에서 골라 주세요.").click()
    assert page.evaluate("() => location.hash") == "#satisfaction-1"
    assert page.get_by_label("아직 준비 중").is_checked()
    assert page.get_by_label(re.compile("하고 싶은 말")).input_value() == "면접을 두 번 봤는데 아직 소식이 없어요."
    checked_clean(page)
    page.get_by_label("2 · 불만족").check()
    page.get_by_role("button", name="답 보내기").click()
    assert page.get_by_role("heading", name="답해 주셔서 고맙습니다").is_visible()
    assert page.get_by_role("link", name="다시 시작하기").is_visible()  # "아직 준비 중" offers a new start
    checked_clean(page)
    checkin.refresh_from_db()
    assert (checkin.situation, checkin.satisfaction) == (CheckInStatus.PREPARING, 2)

    page.goto(site + checkin_path)  # the same link again cannot overwrite the answer
    assert page.get_by_role("heading", name="이미 답해 주셨습니다").is_visible()
    assert page.get_by_role("button", name="답 보내기").count() == 0
    checked_clean(page)

    # --- the timeline lists the referral steps and the check-in ------------------------------
    page.goto(site + "/me/timeline/")
    timeline = page.locator("ol.lc-timeline")
    for label in ("접수", "연락함", "진행 중", "완료"):
        assert timeline.get_by_text(re.compile(label)).count() >= 1, label
    assert timeline.get_by_text(re.compile("아직 준비 중")).count() >= 1
    checked_clean(page)

    # --- later he starts again ----------------------------------------------------------------
    page.goto(site + "/me/")
    page.get_by_role("link", name="다시 시작하기").click()
    assert "/plans/restart/" in page.url
    checked_clean(page)
    page.get_by_role("button", name="자가진단 다시 시작하기").click()
    assert "/diagnosis/step/0/" in page.url
    # Pre-filled from his last diagnosis.
    assert page.get_by_label("출생연도").input_value() == str(EARLY_RETIREE["birth_year"])
    assert page.get_by_label("퇴직함 (이미 퇴직)").is_checked()
    assert page.get_by_label("지금까지 일한 기간(년)").input_value() == "25"
    assert page.get_by_label("재취업", exact=True).is_checked()
    assert page.get_by_label("평일 오전").is_checked()
    checked_clean(page)
    page.get_by_label("평일 저녁").check()  # what changed: he can also come in the evening now
    page.get_by_role("button", name="다음").click()
    while True:
        groups = page.locator("fieldset.likert")
        for i in range(groups.count()):
            groups.nth(i).get_by_label("그렇다", exact=True).check()
        done = page.get_by_role("button", name="결과 보기")
        if done.count():
            done.click()
            break
        page.get_by_role("button", name="다음").click()
    assert "/diagnosis/r/" in page.url
    page.get_by_role("button", name="나의 가이드맵 만들기").click()
    page.wait_for_url("**/plans/*/")
    new = Plan.objects.exclude(pk=plan.pk).get(owner=citizen)
    assert new.supersedes_id == plan.pk
    assert page.get_by_text("이전 계획과 달라진 점").first.is_visible()
    assert page.get_by_text(re.compile("참여 가능 시간이 .*바뀌었습니다")).first.is_visible()
    carried = new.steps.filter(carried_from__isnull=False)
    assert carried.exists() and all(s.done_at for s in carried)
    assert page.get_by_text("이전 계획에서 완료").first.is_visible()
    checked_clean(page)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ABANDONED
