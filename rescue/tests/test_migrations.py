"""The rescue models moved from notifications to this app without touching their tables:
rows written before the move are the same rows after it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rescue.models import Invitation, RescueOffer, SeatHold

BEFORE = [("notifications", "0001_initial"), ("programmes", "0001_initial")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_move_are_read_by_the_rescue_app() -> None:
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    now = timezone.now()
    user = old.get_model("auth", "User").objects.create(username="a@example.com", email="a@example.com")
    centre = old.get_model("programmes", "Centre").objects.create(slug="c", name="서울센터", region="11")
    programme = old.get_model("programmes", "Programme").objects.create(
        slug="p", name_ko="과정", audience="employed", track="employed_tier"
    )
    session = old.get_model("programmes", "Session").objects.create(
        programme=programme, centre=centre, mode="centre", region="11", time_of_day="weekday_day", status="open",
        starts_at=now + dt.timedelta(days=5), ends_at=now + dt.timedelta(days=5, hours=2),
        enrolment_deadline=now + dt.timedelta(days=4), capacity=5, min_enrolment=1,
    )
    enrolment = old.get_model("programmes", "Enrolment").objects.create(
        session=session, user=user, status="confirmed", confirmed_at=now
    )
    offer = old.get_model("notifications", "RescueOffer").objects.create(
        user=user, enrolment=enrolment, reason="moved", alternatives=[session.pk], expires_at=now + dt.timedelta(hours=5)
    )
    old.get_model("notifications", "SeatHold").objects.create(
        session=session, user=user, offer=offer, expires_at=now + dt.timedelta(hours=5)
    )
    old.get_model("notifications", "Invitation").objects.create(session=session, user=user, priority_until=now)

    _migrate(executor.loader.graph.leaf_nodes())

    moved = RescueOffer.objects.get()
    assert (moved.pk, moved.token, moved.alternatives) == (offer.pk, offer.token, [session.pk])
    assert SeatHold.objects.get().offer == moved
    assert Invitation.objects.get().session_id == session.pk
