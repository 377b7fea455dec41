"""The shared pieces of counselling: roles' scopes, the case per person and centre, the
share consent in force, and the free-slot query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import StaffRole
from core import roles
from core.roles import Perm, Role
from core.tests.factories import UserFactory
from counselling import services, slots
from counselling.models import Booking, BookingStatus, Case, Mode, Slot, Topic
from programmes.models import Centre
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def _slot(centre: Centre, counsellor: User, hours_ahead: float, modes: tuple[str, ...] = ("visit", "phone")) -> Slot:
    start = timezone.now() + dt.timedelta(hours=hours_ahead)
    return Slot.objects.create(counsellor=counsellor, centre=centre, starts_at=start, ends_at=start + dt.timedelta(hours=1), modes=list(modes))


def test_a_counsellor_scope_is_their_centres_only() -> None:
    a, b = CentreFactory.create(), CentreFactory.create()
    user = UserFactory.create()
    StaffRole.objects.create(user=user, role=Role.COUNSELLOR, centre=a)
    assert roles.centre_scope(user, Perm.CASES_ASSIGNED) == frozenset({a.pk})
    assert roles.in_scope(user, Perm.CASES_ASSIGNED, a.pk)
    assert not roles.in_scope(user, Perm.CASES_ASSIGNED, b.pk)
    assert not roles.can(user, Perm.ROSTERS)


def test_a_national_operator_has_every_centre_and_a_citizen_none() -> None:
    operator, citizen = UserFactory.create(), UserFactory.create()
    StaffRole.objects.create(user=operator, role=Role.OPERATOR, centre=None)
    assert roles.centre_scope(operator, Perm.ROSTERS) is roles.ALL
    assert roles.grants_of(citizen).roles == frozenset()
    assert not roles.grants_of(citizen).is_staff_member


def test_a_counsellor_role_must_name_a_centre() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffRole.objects.create(user=UserFactory.create(), role=Role.COUNSELLOR, centre=None)


def test_open_case_is_one_per_person_and_centre_and_records_changed_consent() -> None:
    centre, citizen = CentreFactory.create(), UserFactory.create()
    first = services.open_case(citizen, centre, share=["plan"])
    again = services.open_case(citizen, centre, share=["plan"])
    assert first.pk == again.pk and first.share_consents.count() == 1
    services.open_case(citizen, centre, share=["latest_diagnosis"])
    assert services.shared_items(Case.objects.get(pk=first.pk)) == frozenset({"latest_diagnosis"})
    assert first.share_consents.count() == 2


def test_free_slots_leave_out_booked_withdrawn_and_too_soon_slots() -> None:
    centre, counsellor, citizen = CentreFactory.create(), UserFactory.create(), UserFactory.create()
    soon = _slot(centre, counsellor, 1)
    free = _slot(centre, counsellor, 30)
    booked = _slot(centre, counsellor, 50)
    gone = _slot(centre, counsellor, 70)
    Slot.objects.filter(pk=gone.pk).update(withdrawn=True)
    case = services.open_case(citizen, centre, share=[])
    Booking.objects.create(case=case, citizen=citizen, slot=booked, mode=Mode.VISIT, topic=Topic.UNSURE)
    assert list(slots.free_slots(centre_id=centre.pk)) == [free]
    assert soon not in slots.nearest_free(centre.pk, Mode.PHONE)


def test_a_cancelled_booking_frees_its_slot_and_the_database_refuses_two_live_ones() -> None:
    centre, counsellor, citizen = CentreFactory.create(), UserFactory.create(), UserFactory.create()
    slot = _slot(centre, counsellor, 30)
    case = services.open_case(citizen, centre, share=[])
    first = Booking.objects.create(case=case, citizen=citizen, slot=slot, mode=Mode.VISIT, topic=Topic.UNSURE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(case=case, citizen=citizen, slot=slot, mode=Mode.VISIT, topic=Topic.UNSURE)
    services.BOOKING_FLOW.move(first, BookingStatus.CANCELLED)
    assert list(slots.free_slots(centre_id=centre.pk)) == [slot]


def test_with_mode_keeps_slots_offering_that_mode() -> None:
    centre, counsellor = CentreFactory.create(), UserFactory.create()
    video = _slot(centre, counsellor, 30, modes=("video",))
    visit = _slot(centre, counsellor, 40, modes=("visit",))
    assert slots.with_mode([video, visit], Mode.VIDEO) == [video]
    assert slots.with_mode([video, visit], None) == [video, visit]
