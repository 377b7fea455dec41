"""Every way into a session (enrol, an offer's one click, a merge, an invitation) goes
through `programmes.services.enrol`: people already waiting get a free seat first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from programmes import services
from programmes.models import Enrolment, Session
from rescue import pooling
from rescue import services as rescue
from rescue.models import Invitation, RescueOffer, SeatHold
from rescue.tests.rescue_factories import at, centre, enrol, person, programme, session

pytestmark = pytest.mark.django_db
Confirmed, Waitlisted = Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED


@pytest.fixture
def prog() -> Any:
    return programme(min_enrolment=1)


def full_with_one_waiting(prog: Any) -> tuple[Session, Enrolment]:
    """Capacity 1, its seat held for someone displaced, and a person on the waitlist
    behind that hold. The hold then lapses; the expiry job has not run yet."""
    target = session(prog, where=centre(), starts_at=at(6), capacity=1, min_enrolment=1)
    SeatHold.objects.create(session=target, user=person(), expires_at=timezone.now() + dt.timedelta(minutes=5))
    (waiting,) = enrol(target, 1)
    assert waiting.status == Waitlisted
    return target, waiting


def later() -> Any:
    return time_machine.travel(timezone.now() + dt.timedelta(minutes=10))


def test_moving_to_an_offered_session_does_not_jump_its_waitlist(prog: Any) -> None:
    target, waiting = full_with_one_waiting(prog)
    risky = session(prog, where=centre(), starts_at=at(4))
    (mover,) = enrol(risky, 1)
    rescue.move_online(risky.pk, "https://meet.example.org/x")
    offer = RescueOffer.objects.get(enrolment=mover)
    with later():
        moved = rescue.accept_offer(offer.token, mover.user, target.pk)
    waiting.refresh_from_db()
    assert (waiting.status, moved.status, moved.position) == (Confirmed, Waitlisted, 1)


def test_merging_does_not_jump_the_targets_waitlist(prog: Any) -> None:
    target, waiting = full_with_one_waiting(prog)
    small = session(prog, where=centre(), starts_at=at(4))
    (mover,) = enrol(small, 1)
    with later():
        outcome = rescue.merge_into(small.pk, target.pk)
    waiting.refresh_from_db()
    assert waiting.status == Confirmed and (outcome.confirmed, outcome.waitlisted) == (0, 1)


def test_an_invited_person_does_not_jump_people_waiting_in_a_scheduled_session(prog: Any) -> None:
    people = [person() for _ in range(4)]
    for someone in people:
        pooling.register_interest(someone, prog, region="11", time_of_day="evening", notice_version=pooling.INTEREST_NOTICE_VERSION)
    starts = at(10, 19)
    new = pooling.NewSession(
        mode="centre", centre=centre("11"), starts_at=starts, ends_at=starts + dt.timedelta(hours=3),
        enrolment_deadline=starts - dt.timedelta(days=1), capacity=2, min_enrolment=1,
    )
    pooled, _invited = pooling.open_pooled_session(prog, "11", "evening", new, actor=None)
    first, _second, third = (pooling.accept_invitation(Invitation.objects.get(user=p).token, p) for p in people[:3])
    assert third.status == Waitlisted
    services.cancel_enrolment(first.pk)  # a seat frees up while the session is still invitation-only
    last = pooling.accept_invitation(Invitation.objects.get(user=people[3]).token, people[3])
    third.refresh_from_db()
    assert (third.status, last.status) == (Confirmed, Waitlisted)


def test_a_held_seat_goes_to_its_holder_even_with_people_waiting(prog: Any) -> None:
    target = session(prog, where=centre(), starts_at=at(6), capacity=1, min_enrolment=1)
    holder = person()
    SeatHold.objects.create(session=target, user=holder, expires_at=timezone.now() + dt.timedelta(hours=1))
    (waiting,) = enrol(target, 1)
    mine = services.enrol(target.pk, holder)
    waiting.refresh_from_db()
    assert (mine.status, waiting.status) == (Confirmed, Waitlisted)
    assert SeatHold.objects.get().status == SeatHold.Status.TAKEN


def test_a_held_seat_may_be_taken_after_enrolment_closes(prog: Any) -> None:
    target = session(prog, where=centre(), starts_at=at(6), capacity=2, min_enrolment=1)
    holder = person()
    SeatHold.objects.create(session=target, user=holder, expires_at=timezone.now() + dt.timedelta(hours=1))
    services.close_enrolment(target.pk)
    with pytest.raises(services.EnrolmentRefused):
        services.enrol(target.pk, person())
    assert services.enrol(target.pk, holder).status == Confirmed
