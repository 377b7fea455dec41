from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

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
