"""1:1 counselling on a phone, end to end (issue 10).

The career-break persona (40대 경력단절, free 평일 오전+점심 = 10:00–14:00, goal 결정하지
못함) books a phone counselling from her plan's 1:1 상담 step, sharing her latest diagnosis
but not her enrolments, and makes one mistake on the way. Her counsellor sees exactly what
she shared, writes a note, agrees two next steps and records the session; the steps appear
in her plan. A counsellor of another centre gets 404 on her case, and the centre lead sees
the counsellor's reads on the access review.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from accounts import consents
from accounts import services as accounts_services
from core.models import AccessLog
from core.roles import Role
from core.vocabulary import SEOUL
from counselling.models import AgreedStep, Booking, BookingStatus, CaseNote, Mode, ShareItem, Slot
from counselling.tests.factories import seoul_at, slot, staff_member
from diagnosis import services as diagnosis_services
from diagnosis.models import Instrument
from diagnosis.tests.helpers import all_answers
from journeys import services as journeys_services
from programmes import services as programmes_services
from programmes.models import Enrolment
from programmes.tests.factories import CentreFactory, ProgrammeFactory, session
from tests.browser import PHONE, phone_page, serious_violations  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Sangdam-2026!gil"
CAREER_BREAK = {
    "birth_year": timezone.localdate().year - 45,
    "employment_status": "career_break",
    "career_years": 8,
    "occupation": "clerical",
    "region": "11",
    "goal": "undecided",
    "availability": ["weekday_morning", "weekday_midday"],  # 10:00–14:00 while the child is at school
}


def account(email: str) -> User:
    return accounts_services.sign_up(email=email, password=PASSWORD, text=consents.current_text(), optional={})


def log_in(page: Any, site: str, email: str) -> None:
    page.goto(site + "/accounts/login/")
    page.get_by_label("이메일 주소").fill(email)
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url


def weekday_offsets(count: int, *, after_days: int = 2) -> list[int]:
    """The next `count` weekdays (as days from today) at least `after_days` away."""
    today = timezone.localdate()
    days = [d for d in range(after_days, after_days + 14) if (today + dt.timedelta(days=d)).weekday() < 5]
    return days[:count]


def badges_outside_their_option(page: Any) -> list[str]:
    """Badges whose text spills out of the badge or out of the bordered option box (a
    badge squeezed into a narrow column of the flex label breaks its text over lines)."""
    return list(page.evaluate("""() => [...document.querySelectorAll('.lc-option label .krds-badge')].filter(b => {
        const r = b.getBoundingClientRect(), box = b.closest('label').getBoundingClientRect();
        return b.scrollHeight > b.clientHeight + 1 || r.top < box.top || r.bottom > box.bottom || r.left < box.left || r.right > box.right;
    }).map(b => b.closest('label').textContent.trim())"""))


def checked_clean(page: Any) -> None:
    assert serious_violations(page) == [], page.url
    assert page.csp_errors == [], page.url


def test_the_career_break_parent_books_from_her_plan_and_her_counsellor_follows_up(
    live_server: Any, smtp_inbox: Any, phone_page: Any  # noqa: F811
) -> None:
    call_command("load_reference_data", verbosity=0)
    site = str(live_server.url)

    # --- her account, diagnosis, plan and one enrolment -------------------------------
    citizen = account("gyeongnyeok@example.com")
    instrument = Instrument.objects.get(is_current=True)
    result = diagnosis_services.create_result(instrument, CAREER_BREAK, all_answers(instrument), owner=citizen)
    plan = journeys_services.create_plan(result)
    centre_a = CentreFactory.create(name="서울 중장년내일센터", region="11")
    centre_b = CentreFactory.create(name="부산 중장년내일센터", region="26")
    enrolment = programmes_services.enrol(session(programme=ProgrammeFactory.create(name_ko="경력단절 여성 재도약 과정", audience="all", age_band=""), centre=centre_a).pk, citizen)
    assert enrolment.status == Enrolment.Status.CONFIRMED

    # --- a counsellor at A with weekday 10–14 slots and evening slots; one at B ----------
    counsellor = staff_member(Role.COUNSELLOR, centre_a, account("counsellor-a@centre.example"))
    other = staff_member(Role.COUNSELLOR, centre_b, account("counsellor-b@centre.example"))
    staff_member(Role.LEAD, centre_a, account("lead-a@centre.example"))
    first_day, second_day = weekday_offsets(2)
    # Evenings first in time, so "fits her hours first" is the page's ordering, not the clock's.
    for day, hour in ((first_day, 19), (first_day, 20)):
        slot(centre=centre_a, counsellor_user=counsellor, starts_at=seoul_at(day, hour), modes=[Mode.VISIT, Mode.PHONE])
    fitting = [slot(centre=centre_a, counsellor_user=counsellor, starts_at=seoul_at(second_day, h), modes=[Mode.VISIT, Mode.PHONE]) for h in (10, 12)]
    slot(centre=centre_b, counsellor_user=other, starts_at=seoul_at(second_day, 10))

    # --- she books from her plan -------------------------------------------------------
    page = phone_page
    page.set_viewport_size({"width": 360, "height": 740})  # the narrowest phone we design for
    log_in(page, site, "gyeongnyeok@example.com")
    page.goto(f"{site}/plans/{plan.public_id}/")
    checked_clean(page)
    page.get_by_role("link", name=re.compile("^상담 예약하기")).first.click()
    assert "/counselling/book/" in page.url and "from=plan" in page.url
    checked_clean(page)
    page.get_by_label("상담받을 중장년내일센터").select_option(centre_a.slug)
    page.get_by_role("button", name="가능한 시간 보기").click()
    page.get_by_label("전화", exact=True).check()
    page.get_by_role("button", name="가능한 시간 보기").click()
    # Her goal (결정하지 못함) is chosen for her as the topic.
    assert page.get_by_label("어떤 길로 갈지 정하기 (아직 결정하지 못함)").is_checked()
    # The slots that fit 10–14 on a weekday come first, and say so; the evenings after.
    assert page.get_by_role("heading", name="말씀하신 시간에 맞아요").is_visible()
    slot_radios = page.locator("input[name=slot]")
    assert slot_radios.count() == 4
    assert [slot_radios.nth(i).get_attribute("value") for i in range(2)] == [str(s.pk) for s in fitting]
    assert badges_outside_their_option(page) == []
    checked_clean(page)

    page.get_by_label("최근 자가진단 결과").check()
    assert not page.get_by_label("프로그램 신청 내역").is_checked()
    page.get_by_label("상담사에게 남기는 말 (선택)").fill("아이 하교 전인 오후 2시까지만 통화할 수 있어요.")
    # The mistake: confirm without choosing a time.
    page.get_by_role("button", name="이대로 예약하기").click()
    summary = page.get_by_role("alert").filter(has_text="입력한 내용을 확인해 주세요")
    summary.get_by_role("link", name="상담 시간을 골라 주세요.").click()  # takes her to the first time
    assert page.evaluate("() => location.hash") == f"#slot-{fitting[0].pk}"
    assert page.get_by_label("전화", exact=True).is_checked()
    assert page.get_by_label("최근 자가진단 결과").is_checked()
    assert not page.get_by_label("프로그램 신청 내역").is_checked()
    assert page.get_by_label("상담사에게 남기는 말 (선택)").input_value() == "아이 하교 전인 오후 2시까지만 통화할 수 있어요."
    assert Booking.objects.count() == 0
    checked_clean(page)

    page.locator(f"#slot-{fitting[0].pk}").check()
    page.get_by_role("button", name="이대로 예약하기").click()
    assert re.search(r"/counselling/mine/\d+/$", page.url)
    assert page.get_by_text("상담 예약이 확정되었습니다").is_visible()
    assert page.get_by_text("최근 자가진단 결과").is_visible()
    assert page.get_by_text("프로그램 신청 내역").count() == 0
    checked_clean(page)

    booking = Booking.objects.select_related("case").get(citizen=citizen)
    assert (booking.slot_id, booking.mode, booking.status) == (fitting[0].pk, Mode.PHONE, BookingStatus.CONFIRMED)
    case = booking.case
    assert case.counsellor_id == counsellor.pk
    [mail] = [m for m in smtp_inbox.messages if "1:1 상담 예약이 확정되었습니다" in m["Subject"]]
    assert mail["X-Envelope-To"] == "gyeongnyeok@example.com"
    attachments = [part for part in mail.iter_attachments() if part.get_content_type() == "text/calendar"]
    assert len(attachments) == 1
    assert "BEGIN:VEVENT" in attachments[0].get_content()

    # --- her counsellor ------------------------------------------------------------------
    staff_context = page.context.browser.new_context(viewport=PHONE, locale="ko-KR")
    try:
        staff_page = staff_context.new_page()
        staff_page.csp_errors = []
        log_in(staff_page, site, "counsellor-a@centre.example")
        staff_page.goto(site + "/counsellor/")
        checked_clean(staff_page)
        case_link = staff_page.locator(f"a[href='/counsellor/cases/{case.pk}/']").first
        assert case_link.is_visible()
        case_link.click()
        assert staff_page.url.endswith(f"/counsellor/cases/{case.pk}/")
        shared_section = staff_page.locator("section", has=staff_page.get_by_role("heading", name="본인이 공유한 정보"))
        assert shared_section.get_by_role("heading", name="최근 자가진단 결과").is_visible()
        assert shared_section.get_by_text("결정하지 못함").is_visible()
        assert shared_section.get_by_text(re.compile("공유하지 않은 항목.*프로그램 신청 내역")).is_visible()
        assert "경력단절 여성 재도약 과정" not in staff_page.content()  # no enrolment data on the page
        checked_clean(staff_page)

        staff_page.get_by_role("textbox", name="상담 메모").fill("오전 통화 선호. 진로 방향을 아직 정하지 못해 탐색부터 하기로 함.")
        staff_page.get_by_role("button", name="메모 남기기").click()
        assert staff_page.get_by_text("메모를 남겼습니다.").is_visible()
        due_1 = timezone.localdate() + dt.timedelta(days=14)
        due_2 = timezone.localdate() + dt.timedelta(days=30)
        for title, due in (("직업선호도 검사 받아 보기", due_1), ("관심 직무 두 가지 정해 오기", due_2)):
            staff_page.get_by_label("합의한 할 일").fill(title)
            staff_page.get_by_label("목표 날짜 (선택)").fill(due.isoformat())
            staff_page.get_by_role("button", name="단계 더하기").click()
            assert staff_page.get_by_text("합의한 단계를 더했습니다").is_visible()

        # The appointment has taken place (moved to earlier today so the page offers the
        # attendance form; the browser cannot wait for the real hour).
        now = timezone.now()
        midnight = dt.datetime.combine(now.astimezone(SEOUL).date(), dt.time(0), tzinfo=SEOUL)
        starts = max(midnight, now - dt.timedelta(hours=1))
        Slot.objects.filter(pk=booking.slot_id).update(starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
        staff_page.reload()
        visit = staff_page.locator(".lc-card", has=staff_page.get_by_role("button", name="참석·결과 기록"))
        visit.get_by_label("참석", exact=True).check()
        visit.get_by_label("상담 결과 (합의한 내용)").fill("탐색 단계부터 시작. 두 가지 할 일에 합의.")
        visit.get_by_role("button", name="참석·결과 기록").click()
        assert staff_page.get_by_text("참석 여부와 상담 결과를 기록했습니다.").is_visible()
        checked_clean(staff_page)
    finally:
        staff_context.close()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED and "두 가지" in booking.outcome
    assert CaseNote.objects.filter(case=case).count() == 1
    assert list(AgreedStep.objects.filter(case=case).order_by("due_on").values_list("due_on", flat=True)) == [due_1, due_2]

    # --- the steps appear in her plan ------------------------------------------------------
    page.goto(f"{site}/plans/{plan.public_id}/")
    agreed = page.locator("section", has=page.get_by_role("heading", name="상담사와 합의한 단계"))
    assert agreed.get_by_text("직업선호도 검사 받아 보기").is_visible()
    assert agreed.get_by_text("관심 직무 두 가지 정해 오기").is_visible()
    checked_clean(page)

    # --- a counsellor of another centre: 404 -----------------------------------------------
    other_context = page.context.browser.new_context(viewport=PHONE, locale="ko-KR")
    try:
        other_page = other_context.new_page()
        log_in(other_page, site, "counsellor-b@centre.example")
        response = other_page.goto(f"{site}/counsellor/cases/{case.pk}/")
        assert response is not None and response.status == 404
    finally:
        other_context.close()
    assert not AccessLog.objects.filter(actor=other, subject_id=str(citizen.pk)).exists()

    # --- the lead of A reviews this month's access rows -------------------------------------
    reads = AccessLog.objects.filter(actor=counsellor, subject_id=str(citizen.pk), action=AccessLog.Action.VIEW)
    assert reads.filter(object_type=ShareItem.LATEST_DIAGNOSIS).exists()
    assert not reads.filter(object_type=ShareItem.ENROLMENTS).exists()
    lead_context = page.context.browser.new_context(viewport=PHONE, locale="ko-KR")
    try:
        lead_page = lead_context.new_page()
        lead_page.csp_errors = []
        log_in(lead_page, site, "lead-a@centre.example")
        month = timezone.now().astimezone(SEOUL).strftime("%Y-%m")
        lead_page.goto(f"{site}/counsellor/access-review/?centre={centre_a.pk}&month={month}")
        rows = lead_page.get_by_role("row").filter(has_text="counsellor-a@centre.example")
        assert rows.filter(has_text="조회 · 상담 사례").count() >= 1
        assert rows.filter(has_text="조회 · 최근 자가진단 결과").count() >= 1
        assert rows.filter(has_text="프로그램 신청 내역").count() == 0
        checked_clean(lead_page)
    finally:
        lead_context.close()
