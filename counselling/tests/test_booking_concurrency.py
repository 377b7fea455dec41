"""Never double-booked, under real concurrency: many threads, each on its own database
connection, book at the same moment, on SQLite and PostgreSQL alike (run this file with
DATABASE_URL set for PostgreSQL)."""

from __future__ import annotations

import threading

import pytest

from counselling import services
from counselling.models import Booking, BookingStatus, Mode, Topic
from counselling.tests.factories import UserFactory, slot, slots
from programmes.tests.concurrency import run_in_threads, shared_database

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 20


def test_twenty_people_booking_one_slot_at_once_give_one_booking_and_nineteen_taken() -> None:
    with shared_database() as shared:
        target, *later = slots(5)
        people = UserFactory.create_batch(PEOPLE)
        refusals: list[services.BookingRefused] = []
        lock = threading.Lock()

        def work(i: int) -> None:
            try:
                services.book(people[i], target.pk, mode=Mode.PHONE, topic=Topic.UNSURE, share=[])
            except services.BookingRefused as refused:
                with lock:
                    refusals.append(refused)

        errors = run_in_threads(shared, work, PEOPLE)

        assert errors == []
        assert Booking.objects.filter(slot=target, status=BookingStatus.CONFIRMED).count() == 1
        assert Booking.objects.count() == 1
        assert len(refusals) == PEOPLE - 1
        assert {r.code for r in refusals} == {"taken"}
        assert all([s.pk for s in r.next_free] == [s.pk for s in later[:3]] for r in refusals), "each is offered the next three free slots"


def test_one_person_booking_three_slots_at_once_holds_exactly_two() -> None:
    with shared_database() as shared:
        # Three centres: three different cases, so nothing but the person's lock orders them.
        targets = [slot() for _ in range(3)]
        person = UserFactory.create()
        codes: list[str] = []
        lock = threading.Lock()

        def work(i: int) -> None:
            try:
                services.book(person, targets[i].pk, mode=Mode.VISIT, topic=Topic.STARTUP, share=[])
            except services.BookingRefused as refused:
                with lock:
                    codes.append(refused.code)

        errors = run_in_threads(shared, work, len(targets))

        assert errors == []
        assert Booking.objects.filter(citizen=person, status=BookingStatus.CONFIRMED).count() == 2
        assert codes == ["limit"]
