"""Case work: notes, agreed steps, attendance and outcome, a counsellor's cancellation
with offers and the one-tap rebooking, walk-ins. Each action logs its change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from core.models import AccessLog
from core.tests.factories import UserFactory
from counselling import casework
from counselling.models import (
    AgreedStep,
    Booking,
    BookingStatus,
    Case,
    CaseNote,
    ShareConsent,
    ShareItem,
)
from counselling.tests.factories import (
    BookingFactory,
    CaseFactory,
    CounsellorFactory,
    SlotFactory,
    centre_of,
    seoul_at,
)
from notifications.models import Notification
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def my_case(counsellor: User) -> Case:
    return CaseFactory.create(centre=centre_of(counsellor), counsellor=counsellor, share=[])


def test_a_note_is_written_and_logged_for_the_person() -> None:
    counsellor = CounsellorFactory.create()
    case = my_case(counsellor)
    note = casework.add_note(counsellor, case, "  재취업 이력서 준비 중  ")
    assert note.body == "재취업 이력서 준비 중"
    row = AccessLog.objects.get()
    assert (row.action, row.subject_id, row.object_type) == (AccessLog.Action.CREATE, str(case.citizen_id), "counselling.casenote")


def test_someone_not_on_the_case_cannot_write_a_note() -> None:
    counsellor = CounsellorFactory.create()
    case = my_case(counsellor)
    colleague = CounsellorFactory.create(centre=case.centre)
    with pytest.raises(casework.CaseworkRefused):
        casework.add_note(colleague, case, "메모")
    assert not CaseNote.objects.exists() and not AccessLog.objects.exists()


def test_agreed_steps_are_added_and_marked_done() -> None:
    counsellor = CounsellorFactory.create()
    case = my_case(counsellor)
    step = casework.add_step(counsellor, case, "워크넷 구직 등록", due_on=dt.date(2030, 1, 10))
    casework.mark_step(counsellor, case, step.pk, done=True)
    step.refresh_from_db()
    assert step.done_at is not None
    casework.mark_step(counsellor, case, step.pk, done=False)
    step.refresh_from_db()
    assert step.done_at is None
    assert AccessLog.objects.filter(subject_id=str(case.citizen_id)).count() == 3


def test_attendance_with_outcome_updates_last_contact() -> None:
    counsellor = CounsellorFactory.create()
    slot = SlotFactory.create(counsellor=counsellor, starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1))
    booking = BookingFactory.create(slot=slot)
    casework.record_attendance(counsellor, booking.case, booking.pk, attended=True, outcome="이력서 초안을 함께 보기로 함")
    booking.refresh_from_db()
    booking.case.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED
    assert booking.outcome == "이력서 초안을 함께 보기로 함"
    assert booking.case.last_contact_at == slot.starts_at


def test_a_no_show_does_not_count_as_contact_and_can_be_corrected() -> None:
    counsellor = CounsellorFactory.create()
    slot = SlotFactory.create(counsellor=counsellor, starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1))
    booking = BookingFactory.create(slot=slot)
    casework.record_attendance(counsellor, booking.case, booking.pk, attended=False)
    booking.case.refresh_from_db()
    assert booking.case.last_contact_at is None
    casework.record_attendance(counsellor, booking.case, booking.pk, attended=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED


def test_attendance_before_the_session_starts_is_refused() -> None:
    counsellor = CounsellorFactory.create()
    booking = BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor))
    with pytest.raises(casework.CaseworkRefused, match="시작 시각이 지나야"):
        casework.record_attendance(counsellor, booking.case, booking.pk, attended=True)


def test_a_counsellor_cancels_with_a_reason_and_the_person_is_offered_three_times(django_capture_on_commit_callbacks: object) -> None:
    counsellor = CounsellorFactory.create()
    slot = SlotFactory.create(counsellor=counsellor, starts_at=seoul_at(5, 10), ends_at=seoul_at(5, 11))
    others = [SlotFactory.create(counsellor=counsellor, starts_at=seoul_at(5, h), ends_at=seoul_at(5, h + 1)) for h in (11, 13, 14, 15)]
    SlotFactory.create(counsellor=counsellor, starts_at=seoul_at(5, 16), ends_at=seoul_at(5, 17), modes=["visit"])  # wrong mode
    booking = BookingFactory.create(slot=slot, mode="phone")
    cancelled, offers = casework.cancel_by_counsellor(counsellor, booking.pk, "상담사 교육 일정")
    assert cancelled.status == BookingStatus.CANCELLED
    assert cancelled.cancelled_by == Booking.CancelledBy.COUNSELLOR
    assert cancelled.cancel_reason == "상담사 교육 일정"
    assert offers == others[:3]
    mail = Notification.objects.get(kind=Notification.Kind.BOOKING_CANCELLED)
    assert mail.address == booking.citizen.email
    assert "상담사 교육 일정" in mail.body
    assert "METHOD:CANCEL" in str(mail.attachments)  # the calendar entry is removed too
    for offer in offers:
        assert f"/counselling/rebook/{booking.pk}/{offer.pk}/" in mail.body
    assert AccessLog.objects.filter(action=AccessLog.Action.CHANGE, subject_id=str(booking.citizen_id)).count() == 1


def test_cancelling_needs_a_reason() -> None:
    counsellor = CounsellorFactory.create()
    booking = BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor))
    with pytest.raises(casework.CaseworkRefused, match="사유"):
        casework.cancel_by_counsellor(counsellor, booking.pk, "  ")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_person_rebooks_an_offered_time_with_one_tap() -> None:
    counsellor = CounsellorFactory.create()
    booking = BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor, starts_at=seoul_at(5, 10), ends_at=seoul_at(5, 11)))
    offered = SlotFactory.create(counsellor=counsellor, starts_at=seoul_at(6, 10), ends_at=seoul_at(6, 11))
    casework.cancel_by_counsellor(counsellor, booking.pk, "출장")
    client = client_for(booking.citizen)
    url = reverse("counselling:rebook", kwargs={"booking_id": booking.pk, "slot_id": offered.pk})
    assert client.get(url).status_code == 200
    assert not Booking.objects.filter(replaces=booking).exists()  # a GET (mail scanner) books nothing
    response = client.post(url)
    assert response.status_code == 302
    new = Booking.objects.get(replaces=booking)
    assert (new.slot_id, new.mode, new.topic, new.status) == (offered.pk, booking.mode, booking.topic, BookingStatus.CONFIRMED)
    assert Notification.objects.filter(kind=Notification.Kind.BOOKING_CONFIRMED, dedupe_key__contains=f"booking:{new.pk}:").exists()
    assert client.post(url).status_code == 409  # a second tap does not book twice


def test_someone_else_cannot_use_the_rebook_link() -> None:
    counsellor = CounsellorFactory.create()
    booking = BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor))
    offered = SlotFactory.create(counsellor=counsellor)
    casework.cancel_by_counsellor(counsellor, booking.pk, "출장")
    url = reverse("counselling:rebook", kwargs={"booking_id": booking.pk, "slot_id": offered.pk})
    assert client_for(UserFactory.create()).post(url).status_code == 404


def test_a_booking_the_person_cancelled_cannot_be_rebooked_through_an_offer_link() -> None:
    counsellor = CounsellorFactory.create()
    booking = BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor))
    offered = SlotFactory.create(counsellor=counsellor)
    with pytest.raises(casework.CaseworkRefused):
        casework.accept_offer(booking.citizen, booking.pk, offered.pk)


def person_with_account(email: str) -> User:
    user = UserFactory.create(username=email, email=email)
    Account.objects.create(user=user, email_normalised=email.lower())
    return user


def test_a_walk_in_opens_a_case_with_consent_recorded_on_the_spot() -> None:
    counsellor = CounsellorFactory.create()
    person = person_with_account("walkin@example.com")
    case = casework.open_walk_in(counsellor, centre_of(counsellor), email="WalkIn@Example.com ", share=[ShareItem.PLAN], consent_in_person=True)
    assert (case.citizen_id, case.counsellor_id) == (person.pk, counsellor.pk)
    consent = ShareConsent.objects.get(case=case)
    assert (consent.items, consent.recorded_by_id) == ([ShareItem.PLAN], counsellor.pk)
    assert AccessLog.objects.filter(action=AccessLog.Action.CREATE, subject_id=str(person.pk)).exists()


def test_a_walk_in_needs_an_exact_address_and_the_consent_box() -> None:
    counsellor = CounsellorFactory.create()
    person_with_account("walkin@example.com")
    with pytest.raises(casework.CaseworkRefused, match="계정이 없습니다"):
        casework.open_walk_in(counsellor, centre_of(counsellor), email="walkin@example", share=[], consent_in_person=True)
    with pytest.raises(casework.CaseworkRefused, match="동의"):
        casework.open_walk_in(counsellor, centre_of(counsellor), email="walkin@example.com", share=[], consent_in_person=False)
    assert not Case.objects.exists()


def test_a_walk_in_at_a_centre_outside_scope_is_refused() -> None:
    counsellor = CounsellorFactory.create()
    person_with_account("walkin@example.com")
    with pytest.raises(casework.CaseworkRefused):
        casework.open_walk_in(counsellor, CentreFactory.create(), email="walkin@example.com", share=[], consent_in_person=True)


def test_the_walk_in_page_keeps_what_was_typed_on_an_unknown_address() -> None:
    counsellor = CounsellorFactory.create()
    response = client_for(counsellor).post(
        reverse("counselling:walk_in"), {"centre": centre_of(counsellor).pk, "email": "nobody@example.com", "share": ["plan"], "consent": "on"}
    )
    html = response.content.decode()
    assert "계정이 없습니다" in html
    assert 'value="nobody@example.com"' in html


def test_the_case_page_adds_a_step_and_a_note_and_keeps_bad_input() -> None:
    counsellor = CounsellorFactory.create()
    case = my_case(counsellor)
    client = client_for(counsellor)
    url = reverse("counselling:case", kwargs={"case_id": case.pk})
    assert client.post(url, {"action": "step", "title": "구직 등록", "due_on": "2030-01-10"}).status_code == 302
    assert client.post(url, {"action": "note", "body": "첫 상담"}).status_code == 302
    response = client.post(url, {"action": "step", "title": "이력서", "due_on": "2030-13-45"})
    html = response.content.decode()
    assert "오류" in html and 'value="이력서"' in html
    assert list(AgreedStep.objects.values_list("title", flat=True)) == ["구직 등록"]
    assert CaseNote.objects.get().body == "첫 상담"


def test_the_cancel_page_cancels_with_the_reason() -> None:
    counsellor = CounsellorFactory.create()
    booking = BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor))
    url = reverse("counselling:cancel_booking", kwargs={"case_id": booking.case_id, "booking_id": booking.pk})
    client = client_for(counsellor)
    assert client.get(url).status_code == 200
    assert "취소 사유를 입력하세요" in client.post(url, {"reason": ""}).content.decode()
    assert client.post(url, {"reason": "센터 휴관"}).status_code == 302
    booking.refresh_from_db()
    assert booking.cancel_reason == "센터 휴관"
