"""Test data for counselling: counsellors (a StaffRole at a centre), slots, cases and
bookings made directly (the booking action is tested on its own), and the plain helpers
`slot`/`slots` the booking tests use."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import factory
from django.contrib.auth.models import User
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import StaffRole
from core.roles import Role
from core.tests.factories import UserFactory
from core.vocabulary import SEOUL
from counselling.models import Booking, Case, Mode, ShareConsent, Slot, Topic
from programmes.models import Centre
from programmes.tests.factories import CentreFactory
from referrals.tests.factories import partner_if


def seoul_at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """`days` from today (Seoul) at hour:minute, Seoul time."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SEOUL)


_staff_numbers = itertools.count(1)


def staff_member(role: str, centre: Centre | None, user: User | None = None) -> User:
    """A staff member holding `role` at `centre` (None = national)."""
    user = user or UserFactory.create(username=f"{role}-{next(_staff_numbers)}@centre.example")
    StaffRole.objects.create(user=user, role=role, centre=centre, partner=partner_if(role))
    return user


class CounsellorFactory(UserFactory):
    """A counsellor at one centre (pass `centre=`, or a new centre is made)."""

    username = factory.Sequence(lambda n: f"counsellor{n}@centre.example")

    @factory.post_generation
    def centre(obj: Any, create: bool, extracted: Centre | None, **kwargs: Any) -> None:
        if create:
            StaffRole.objects.create(user=obj, role=Role.COUNSELLOR, centre=extracted or CentreFactory.create())


class LeadFactory(UserFactory):
    username = factory.Sequence(lambda n: f"lead{n}@centre.example")

    @factory.post_generation
    def centre(obj: Any, create: bool, extracted: Centre | None, **kwargs: Any) -> None:
        if create:
            StaffRole.objects.create(user=obj, role=Role.LEAD, centre=extracted or CentreFactory.create())


def centre_of(counsellor: User) -> Centre:
    role = StaffRole.objects.filter(user=counsellor).select_related("centre").first()
    assert role is not None and role.centre is not None
    return role.centre


class SlotFactory(DjangoModelFactory[Slot]):
    class Meta:
        model = Slot

    counsellor = factory.SubFactory(CounsellorFactory)
    centre = factory.LazyAttribute(lambda o: centre_of(o.counsellor))
    starts_at = factory.Sequence(lambda n: seoul_at(3 + n // 8, 9 + n % 8))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=1))
    modes = factory.LazyFunction(lambda: [Mode.VISIT, Mode.PHONE, Mode.VIDEO])


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    citizen = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    counsellor = None

    @factory.post_generation
    def share(obj: Any, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted is not None:
            ShareConsent.objects.create(case=obj, items=sorted(extracted))


class BookingFactory(DjangoModelFactory[Booking]):
    """A confirmed booking of `slot` in the citizen's case at the slot's centre."""

    class Meta:
        model = Booking

    slot = factory.SubFactory(SlotFactory)
    citizen = factory.SubFactory(UserFactory)
    case = factory.LazyAttribute(
        lambda o: Case.objects.get_or_create(citizen=o.citizen, centre=o.slot.centre, defaults={"counsellor": o.slot.counsellor})[0]
    )
    mode = Mode.PHONE
    topic = Topic.REEMPLOYMENT


ALL_MODES = [Mode.VISIT.value, Mode.PHONE.value, Mode.VIDEO.value]


def counsellor(centre: Centre | None = None) -> User:
    """A counsellor holding the role at `centre` (a new centre if none)."""
    return staff_member(Role.COUNSELLOR, centre or CentreFactory.create())


def slot(
    *,
    centre: Centre | None = None,
    counsellor_user: User | None = None,
    starts_at: dt.datetime | None = None,
    minutes: int = 60,
    modes: list[str] | None = None,
    **fields: Any,
) -> Slot:
    """A bookable slot (three days ahead at 10:00 by default), created directly: the
    generation from weekly hours is tested where it lives."""
    starts_at = starts_at or seoul_at(3, 10)
    centre = centre or CentreFactory.create()
    return Slot.objects.create(
        centre=centre,
        counsellor=counsellor_user or counsellor(centre),
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        modes=list(ALL_MODES if modes is None else modes),
        **fields,
    )


def slots(count: int, *, centre: Centre | None = None, counsellor_user: User | None = None, first: dt.datetime | None = None, **fields: Any) -> list[Slot]:
    """`count` consecutive hourly slots of one counsellor at one centre."""
    centre = centre or CentreFactory.create()
    person = counsellor_user or counsellor(centre)
    start = first or seoul_at(3, 10)
    return [slot(centre=centre, counsellor_user=person, starts_at=start + dt.timedelta(hours=i), **fields) for i in range(count)]
