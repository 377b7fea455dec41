from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts import services as account_services
from programmes.models import Enrolment
from rescue import holds
from rescue.models import SeatHold
from rescue.tests.rescue_factories import centre, enrol, person, programme, session

pytestmark = pytest.mark.django_db


def test_free_seats_count_confirmed_places_and_live_holds() -> None:
    target = session(programme(), where=centre(), capacity=4)
    enrol(target, 1)
    holder = person()
    SeatHold.objects.create(session=target, user=holder, expires_at=timezone.now() + dt.timedelta(hours=1))
    SeatHold.objects.create(session=target, user=person(), expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert holds.free_seats(target) == 2
    assert holds.free_seats(target, for_user_id=holder.pk) == 3  # their own hold is theirs to use


def test_deleting_an_account_gives_its_held_seat_to_the_next_person_waiting() -> None:
    target = session(programme(), where=centre(), capacity=2)
    enrol(target, 1)
    holder = person()
    SeatHold.objects.create(session=target, user=holder, expires_at=timezone.now() + dt.timedelta(hours=1))
    (waiting,) = enrol(target, 1)
    assert waiting.status == Enrolment.Status.WAITLISTED
    account_services.delete_account(holder)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED
    assert not SeatHold.objects.exists()
