"""The case team's actions: notes, agreed next steps, attendance and outcome, a
counsellor's cancellation (with offers of the nearest free times), walk-ins.

Each action takes the acting counsellor as `actor`, checks they may work on the case
(`access.may_open`: the same rule as the case page), and logs what it changed
(`core.audit.record_changes`) inside its transaction, so a refused action leaves no row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Account
from core.audit import record_changes
from core.models import AccessLog
from core.roles import Perm, in_scope
from counselling import notify, services
from counselling import slots as slot_queries
from counselling.access import may_open
from counselling.models import (
    AgreedStep,
    Booking,
    BookingStatus,
    Case,
    CaseNote,
    ShareItem,
    Slot,
)
from counselling.services import BOOKING_FLOW, open_case
from notifications.models import Notification
from notifications.services import notify_person
from programmes.models import Centre

OFFERS = 3  # free times offered after a counsellor's cancellation


class CaseworkRefused(ValueError):
    """An action that cannot be done; the message is for the counsellor."""


def _of_case(case: Case) -> Callable[[Any], Any]:
    return lambda _obj: case.citizen_id


def _check(actor: User, case: Case) -> None:
    if not may_open(actor, case):
        raise CaseworkRefused(_("이 상담 사례를 다룰 권한이 없습니다."))


@transaction.atomic
def add_note(actor: User, case: Case, body: str, *, booking: Booking | None = None) -> CaseNote:
    _check(actor, case)
    body = body.strip()
    if not body:
        raise CaseworkRefused(_("메모 내용을 입력하세요."))
    note = CaseNote.objects.create(case=case, author=actor, body=body, booking=booking)
    record_changes(actor, [note], action=AccessLog.Action.CREATE, subject=_of_case(case))
    return note


@transaction.atomic
def add_step(actor: User, case: Case, title: str, *, due_on: dt.date | None) -> AgreedStep:
    _check(actor, case)
    title = title.strip()
    if not title:
        raise CaseworkRefused(_("합의한 할 일을 입력하세요."))
    step = AgreedStep.objects.create(case=case, title=title, due_on=due_on, agreed_by=actor)
    record_changes(actor, [step], action=AccessLog.Action.CREATE, subject=_of_case(case))
    return step


@transaction.atomic
def mark_step(actor: User, case: Case, step_id: int, *, done: bool) -> AgreedStep:
    _check(actor, case)
    step = AgreedStep.objects.select_for_update().filter(pk=step_id, case=case).first()
    if step is None:
        raise CaseworkRefused(_("이 사례의 단계가 아닙니다."))
    step.done_at = (step.done_at or timezone.now()) if done else None
    step.save(update_fields=["done_at"])
    record_changes(actor, [step], subject=_of_case(case))
    return step


def _booking(case: Case, booking_id: int) -> Booking:
    booking = Booking.objects.select_for_update().filter(pk=booking_id, case=case).first()
    if booking is None:
        raise CaseworkRefused(_("이 사례의 예약이 아닙니다."))
    return booking


@transaction.atomic
def record_attendance(actor: User, case: Case, booking_id: int, *, attended: bool, outcome: str = "") -> Booking:
    """Attended or no-show (BOOKING_FLOW; a mistake can be corrected), with a short outcome:
    what was agreed. Attending counts as contact (the caseload's "last contact")."""
    _check(actor, case)
    booking = _booking(case, booking_id)
    slot = Slot.objects.get(pk=booking.slot_id)
    if slot.starts_at > timezone.now():
        raise CaseworkRefused(_("상담 시작 시각이 지나야 참석 여부를 기록할 수 있습니다."))
    target = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    fields = {"outcome": outcome.strip()}
    if booking.status == target:
        booking.outcome = fields["outcome"]
        booking.save(update_fields=["outcome"])
    else:
        BOOKING_FLOW.move(booking, target, **fields)
    if attended and (case.last_contact_at is None or case.last_contact_at < slot.starts_at):
        case.last_contact_at = slot.starts_at
        case.save(update_fields=["last_contact_at"])
    record_changes(actor, [booking], subject=_of_case(case))
    return booking


def rebook_url(booking: Booking, slot: Slot) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("counselling:rebook", kwargs={"booking_id": booking.pk, "slot_id": slot.pk})


@transaction.atomic
def cancel_by_counsellor(actor: User, booking_id: int, reason: str) -> tuple[Booking, list[Slot]]:
    """Cancel a confirmed booking with a reason the person reads. The person is e-mailed
    (outbox, same transaction) with the reason and the nearest free times in the same mode
    at the centre, each with a one-tap link (`counselling:rebook`). Returns the booking
    and the offered slots."""
    reason = reason.strip()
    if not reason:
        raise CaseworkRefused(_("취소 사유를 입력하세요. 내담자에게 그대로 전달됩니다."))
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None:
        raise CaseworkRefused(_("없는 예약입니다."))
    case = Case.objects.select_related("centre").get(pk=booking.case_id)
    _check(actor, case)
    BOOKING_FLOW.check(booking, BookingStatus.CANCELLED)
    BOOKING_FLOW.move(booking, BookingStatus.CANCELLED, cancelled_by=Booking.CancelledBy.COUNSELLOR, cancel_reason=reason[:200])
    slot = Slot.objects.select_related("centre").get(pk=booking.slot_id)
    offers = slot_queries.nearest_free(slot.centre_id, booking.mode, around=slot.starts_at, limit=OFFERS, exclude_ids=[slot.pk])
    if len(offers) < OFFERS:  # nothing after the old time: the nearest from now
        more = slot_queries.nearest_free(slot.centre_id, booking.mode, limit=OFFERS, exclude_ids=[slot.pk, *(s.pk for s in offers)])
        offers = sorted([*offers, *more], key=lambda s: (s.starts_at, s.pk))[:OFFERS]
    citizen = User.objects.get(pk=booking.citizen_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "booking": booking,
            "slot": slot,
            "centre": slot.centre,
            "reason": reason,
            "offers": [(s, rebook_url(booking, s)) for s in offers],
            "book_url": settings.SITE_URL.rstrip("/") + f"/counselling/book/?centre={slot.centre.slug}",
        }
        subject = " ".join(render_to_string("counselling/messages/cancelled_subject.txt", context).split())
        body = render_to_string("counselling/messages/cancelled_body.txt", context)
    notify_person(
        citizen, kind=Notification.Kind.BOOKING_CANCELLED, key=f"counselling:cancelled_by_counsellor:{booking.pk}",
        subject=subject, body=body, attachments=[notify.calendar(booking, "CANCEL")],
    )
    record_changes(actor, [booking], subject=_of_case(case))
    return booking, offers


# --- the citizen's one tap on an offer --------------------------------------------------


@transaction.atomic
def accept_offer(citizen: User, booking_id: int, slot_id: int) -> Booking:
    """Book the offered time in place of a booking the counsellor cancelled: same mode,
    topic, note and current share consent. Refused when the old booking is not the
    person's, was not cancelled by the counsellor, or was already replaced."""
    old = Booking.objects.select_for_update().filter(pk=booking_id, citizen=citizen).first()
    if old is None or old.status != BookingStatus.CANCELLED or old.cancelled_by != Booking.CancelledBy.COUNSELLOR:
        raise CaseworkRefused(_("이 예약은 다시 잡을 수 없습니다."))
    if Booking.objects.filter(replaces=old).exists():
        raise CaseworkRefused(_("이미 다른 시간으로 다시 예약했습니다."))
    case = Case.objects.get(pk=old.case_id)
    target = Slot.objects.filter(pk=slot_id, centre_id=case.centre_id).first()
    if target is None:
        raise CaseworkRefused(_("이 시간은 이제 예약할 수 없습니다. 다른 시간을 골라 주세요."))
    try:
        new = services.book(citizen, target.pk, mode=old.mode, topic=old.topic, share=sorted(services.shared_items(case)), note=old.note, replaces=old)
    except services.BookingRefused as refused:
        raise CaseworkRefused(refused.message) from refused
    notify.booked(new)  # `book` leaves the message to the caller when a booking is replaced
    return new


# --- walk-ins ---------------------------------------------------------------------------


def find_person(email: str) -> User | None:
    """The account with exactly this e-mail address (case-insensitive, as accounts store
    it): no partial matches, so the search cannot be used to browse people."""
    account = Account.objects.select_related("user").filter(email_normalised=email.strip().lower()).first()
    return account.user if account is not None and account.user.is_active else None


@transaction.atomic
def open_walk_in(actor: User, centre: Centre, *, email: str, share: list[str], consent_in_person: bool) -> Case:
    """A person who came to the centre without booking: their case, with the share
    consent they gave on the spot, recorded by the counsellor."""
    if not in_scope(actor, Perm.CASES_ASSIGNED, centre.pk):
        raise CaseworkRefused(_("이 센터의 상담 사례를 열 권한이 없습니다."))
    if not consent_in_person:
        raise CaseworkRefused(_("본인이 이 자리에서 동의했는지 확인해 주세요."))
    if any(item not in ShareItem.values for item in share):
        raise CaseworkRefused(_("공유 항목을 다시 골라 주세요."))
    person = find_person(email)
    if person is None:
        raise CaseworkRefused(_("이 이메일 주소로 가입한 계정이 없습니다. 주소를 정확히 입력했는지 확인하거나, 먼저 가입하도록 안내해 주세요."))
    if person.pk == actor.pk:
        raise CaseworkRefused(_("본인의 상담 사례는 열 수 없습니다."))
    case = open_case(person, centre, share=share, recorded_by=actor)
    if case.counsellor_id is None:
        case.counsellor = actor
        case.save(update_fields=["counsellor"])
    elif case.counsellor_id != actor.pk:
        case.shared_with.add(actor)
    record_changes(actor, [case], action=AccessLog.Action.CREATE, subject=_of_case(case))
    return case
