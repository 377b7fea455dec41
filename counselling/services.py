"""Counselling actions: every write here takes the acting person and writes its own
access-log rows inside its transaction (core.audit). Lifecycles are tables (core.states).

Booking actions (book, cancel, reschedule) and case-work actions (notes, agreed steps,
attendance, a counsellor's cancellation) build on `open_case` and the flows below.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from core.states import Transitions
from counselling.models import Booking, BookingStatus, Case, CaseStatus, ShareConsent
from programmes.models import Centre

BOOKING_FLOW = Transitions(
    Booking,
    {
        BookingStatus.CANCELLED: {BookingStatus.CONFIRMED},
        BookingStatus.ATTENDED: {BookingStatus.CONFIRMED, BookingStatus.NO_SHOW},
        BookingStatus.NO_SHOW: {BookingStatus.CONFIRMED, BookingStatus.ATTENDED},
    },
    stamp="status_changed_at",
)

CASE_FLOW = Transitions(
    Case,
    {CaseStatus.CLOSED: {CaseStatus.OPEN}, CaseStatus.OPEN: {CaseStatus.CLOSED}},
)


@transaction.atomic
def open_case(citizen: User, centre: Centre, *, share: list[str], recorded_by: User | None = None) -> Case:
    """The person's case at the centre (opened if new; a closed one is reopened) with the
    given share consent recorded as the one in force. Idempotent under concurrency: the
    unique (citizen, centre) constraint plus get_or_create's retry."""
    case, _created = Case.objects.get_or_create(citizen=citizen, centre=centre)
    if case.status == CaseStatus.CLOSED:
        CASE_FLOW.move(case, CaseStatus.OPEN, closed_at=None)
    latest = case.share_consents.first()
    if latest is None or sorted(latest.items) != sorted(share) or recorded_by is not None:
        ShareConsent.objects.create(case=case, items=sorted(set(share)), recorded_by=recorded_by)
    return case


def shared_items(case: Case) -> frozenset[str]:
    """What the person currently lets the case team see."""
    latest = case.share_consents.first()
    return frozenset(latest.items) if latest else frozenset()
