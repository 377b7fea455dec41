"""No overselling under real concurrency: many threads, each with its own connection,
enrol into one session at the same moment, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from programmes import services
from programmes.models import Enrolment
from programmes.tests.concurrency import run_in_threads, shared_database
from programmes.tests.factories import UserFactory, enrol_many, session

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 50
SEATS = 10


def test_fifty_people_at_once_take_exactly_ten_seats_and_queue_in_arrival_order() -> None:
    with shared_database() as shared:
        target = session(capacity=SEATS, min_enrolment=1)
        people = UserFactory.create_batch(PEOPLE)

        errors = run_in_threads(shared, lambda i: services.enrol(target.pk, people[i]), PEOPLE)

        assert errors == []
        enrolments = list(Enrolment.objects.filter(session=target).order_by("created_at", "pk"))
        assert len(enrolments) == PEOPLE
        confirmed = [e for e in enrolments if e.status == Enrolment.Status.CONFIRMED]
        waitlisted = [e for e in enrolments if e.status == Enrolment.Status.WAITLISTED]
        assert len(confirmed) == SEATS
        assert len(waitlisted) == PEOPLE - SEATS
        # Arrival order = the order in which each transaction got the session lock; the
        # row's created_at is stamped inside the lock, so it records that order.
        assert enrolments[:SEATS] == confirmed, "the confirmed places are the first ten to arrive"
        assert [e.position for e in waitlisted] == list(range(1, PEOPLE - SEATS + 1)), "positions 1..40, unique, in arrival order"
        assert len({e.user_id for e in enrolments}) == PEOPLE


def test_cancellations_racing_new_enrolments_never_oversell_or_break_the_queue() -> None:
    with shared_database() as shared:
        target = session(capacity=SEATS, min_enrolment=1)
        existing = enrol_many(target, SEATS + 20)  # 10 seated, 20 waiting
        leaving = [e.pk for e in existing[:SEATS]]
        newcomers: list[User] = UserFactory.create_batch(20)

        def work(i: int) -> None:
            if i < len(leaving):
                services.cancel_enrolment(leaving[i])
            else:
                services.enrol(target.pk, newcomers[i - len(leaving)])

        errors = run_in_threads(shared, work, len(leaving) + len(newcomers))

        assert errors == []
        active = Enrolment.objects.filter(session=target, status__in=Enrolment.ACTIVE)
        assert active.filter(status=Enrolment.Status.CONFIRMED).count() == SEATS
        assert services.waitlist_positions(target) == list(range(1, 20 + 20 - SEATS + 1))
        promoted = Enrolment.objects.filter(pk__in=[e.pk for e in existing[SEATS:]], promoted_at__isnull=False)
        assert set(promoted.values_list("pk", flat=True)) == {e.pk for e in existing[SEATS : 2 * SEATS]}, (
            "the seats went to the first ten who were waiting"
        )
