from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from programmes import services
from programmes.models import Enrolment, Mode, Session, TimeOfDay, time_of_day_for
from programmes.tests.factories import UserFactory, enrol_many, next_weekday, seoul, session

pytestmark = pytest.mark.django_db

CONFIRMED = Enrolment.Status.CONFIRMED
WAITLISTED = Enrolment.Status.WAITLISTED
CANCELLED = Enrolment.Status.CANCELLED


def test_a_free_seat_is_confirmed_at_once() -> None:
    s = session(capacity=2)
    enrolment = services.enrol(s.pk, UserFactory.create())
    assert enrolment.status == CONFIRMED
    assert enrolment.position is None
    assert enrolment.confirmed_at is not None


def test_a_full_session_puts_people_on_the_waitlist_in_order() -> None:
    s = session(capacity=1)
    first, second, third = enrol_many(s, 3)
    assert first.status == CONFIRMED
    assert (second.status, second.position) == (WAITLISTED, 1)
    assert (third.status, third.position) == (WAITLISTED, 2)


def test_the_same_person_cannot_enrol_twice() -> None:
    s = session()
    person = UserFactory.create()
    services.enrol(s.pk, person)
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrol(s.pk, person)
    assert refused.value.code == "already_enrolled"


def test_a_person_may_enrol_again_after_cancelling() -> None:
    s = session()
    person = UserFactory.create()
    services.cancel_enrolment(services.enrol(s.pk, person).pk)
    assert services.enrol(s.pk, person).status == CONFIRMED


def test_a_session_not_yet_open_refuses_enrolment() -> None:
    s = session(open_now=False)
    with pytest.raises(services.EnrolmentRefused) as refused:
        services.enrol(s.pk, UserFactory.create())
    assert refused.value.code == "not_open"


def test_enrolment_closes_at_the_deadline() -> None:
    s = session()
    with time_machine.travel(s.enrolment_deadline + dt.timedelta(minutes=1)), pytest.raises(services.EnrolmentRefused) as refused:
        services.enrol(s.pk, UserFactory.create())
    assert refused.value.code == "deadline_passed"


def test_a_freed_seat_goes_to_the_first_person_waiting() -> None:
    s = session(capacity=1)
    holder, first_waiting, second_waiting = enrol_many(s, 3)
    services.cancel_enrolment(holder.pk)
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == CONFIRMED
    assert first_waiting.promoted_at is not None
    assert first_waiting.position is None
    assert (second_waiting.status, second_waiting.position) == (WAITLISTED, 1)


def test_leaving_the_waitlist_closes_the_gap() -> None:
    s = session(capacity=1)
    _holder, *waiting = enrol_many(s, 4)
    services.cancel_enrolment(waiting[1].pk)
    assert services.waitlist_positions(s) == [1, 2]
    waiting[2].refresh_from_db()
    assert waiting[2].position == 2


def test_cancelling_a_waitlisted_place_promotes_nobody() -> None:
    s = session(capacity=1)
    holder, waiting = enrol_many(s, 2)
    services.cancel_enrolment(waiting.pk)
    holder.refresh_from_db()
    assert holder.status == CONFIRMED
    assert services.confirmed_count(s) == 1


def test_cancelling_twice_is_an_illegal_transition() -> None:
    s = session()
    enrolment = services.enrol(s.pk, UserFactory.create())
    services.cancel_enrolment(enrolment.pk)
    with pytest.raises(services.IllegalTransition, match="취소"):
        services.cancel_enrolment(enrolment.pk)


def test_an_illegal_session_jump_is_refused_and_nothing_changes() -> None:
    s = session()
    services.cancel_session(s.pk)
    with pytest.raises(services.IllegalTransition) as illegal:
        services.open_session(s.pk)
    assert (illegal.value.current, illegal.value.target) == ("cancelled", "open")
    s.refresh_from_db()
    assert s.status == Session.Status.CANCELLED


def test_scheduled_cannot_jump_to_completed() -> None:
    s = session(open_now=False, starts_at=seoul(1))
    with time_machine.travel(s.starts_at + dt.timedelta(hours=1)), pytest.raises(services.IllegalTransition):
        services.complete_session(s.pk)


def test_session_lifecycle_open_close_reopen() -> None:
    s = session(open_now=False)
    assert services.open_session(s.pk).status == Session.Status.OPEN
    assert services.close_enrolment(s.pk).status == Session.Status.CLOSED
    assert services.open_session(s.pk).status == Session.Status.OPEN


def test_a_closed_session_still_moves_the_waitlist_up() -> None:
    s = session(capacity=1)
    holder, waiting = enrol_many(s, 2)
    services.close_enrolment(s.pk)
    services.cancel_enrolment(holder.pk)
    waiting.refresh_from_db()
    assert waiting.status == CONFIRMED


def test_cancelling_a_session_cancels_every_active_place() -> None:
    s = session(capacity=1)
    enrol_many(s, 3)
    services.cancel_session(s.pk)
    reasons = set(Enrolment.objects.filter(session=s).values_list("status", "cancel_reason"))
    assert reasons == {(CANCELLED, Enrolment.CancelReason.SESSION_CANCELLED)}


def test_a_session_cannot_be_completed_before_it_starts() -> None:
    s = session()
    with pytest.raises(services.SessionChangeRefused):
        services.complete_session(s.pk)


def test_completing_a_session_closes_the_waitlist() -> None:
    s = session(capacity=1)
    holder, waiting = enrol_many(s, 2)
    with time_machine.travel(s.ends_at):
        services.complete_session(s.pk)
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == CONFIRMED
    assert (waiting.status, waiting.cancel_reason) == (CANCELLED, Enrolment.CancelReason.WAITLIST_EXPIRED)


def test_a_started_session_cannot_be_cancelled_by_the_person() -> None:
    s = session()
    enrolment = services.enrol(s.pk, UserFactory.create())
    with time_machine.travel(s.starts_at + dt.timedelta(minutes=5)), pytest.raises(services.EnrolmentRefused):
        services.cancel_enrolment(enrolment.pk)


def test_raising_the_capacity_promotes_people_waiting() -> None:
    s = session(capacity=1)
    _holder, first, second = enrol_many(s, 3)
    services.update_session(s.pk, capacity=2)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == CONFIRMED
    assert second.position == 1


def test_the_capacity_cannot_drop_below_the_confirmed_count() -> None:
    s = session(capacity=3)
    enrol_many(s, 3)
    with pytest.raises(services.SessionChangeRefused) as refused:
        services.update_session(s.pk, capacity=2)
    assert refused.value.field == "capacity"


def test_promote_next_refuses_to_run_outside_a_transaction() -> None:
    s = session()
    with pytest.raises(RuntimeError):
        # pytest-django wraps each test in a transaction; leave it to prove the guard.
        connection = transaction.get_connection()
        saved = connection.in_atomic_block
        connection.in_atomic_block = False
        try:
            services.promote_next(s)
        finally:
            connection.in_atomic_block = saved


def test_attendance_is_recorded_from_the_day_of_the_session() -> None:
    s = session()
    enrolment = services.enrol(s.pk, UserFactory.create())
    with pytest.raises(services.EnrolmentRefused):
        services.mark_attendance(enrolment.pk, True)
    with time_machine.travel(s.starts_at):
        assert services.mark_attendance(enrolment.pk, True).attended is True


def test_attendance_is_only_for_confirmed_places() -> None:
    s = session(capacity=1)
    _holder, waiting = enrol_many(s, 2)
    with time_machine.travel(s.starts_at), pytest.raises(services.EnrolmentRefused):
        services.mark_attendance(waiting.pk, True)


# --- the database backs the rules ----------------------------------------------------------


def test_the_database_refuses_a_second_active_place_for_one_person() -> None:
    s = session()
    person = UserFactory.create()
    services.enrol(s.pk, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(session=s, user=person, status=WAITLISTED, position=1)


def test_the_database_refuses_an_unknown_status() -> None:
    s = session()
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=s.pk).update(status="full")


def test_the_database_refuses_a_waitlisted_place_without_a_position() -> None:
    s = session()
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(session=s, user=UserFactory.create(), status=WAITLISTED)


def test_status_is_not_editable_through_forms_or_the_admin() -> None:
    assert Session._meta.get_field("status").editable is False
    assert Enrolment._meta.get_field("status").editable is False


# --- derived values ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekday", "hour", "minute", "expected"),
    [
        (1, 10, 0, TimeOfDay.WEEKDAY_DAY),
        (1, 17, 59, TimeOfDay.WEEKDAY_DAY),
        (1, 18, 0, TimeOfDay.EVENING),
        (4, 19, 30, TimeOfDay.EVENING),
        (5, 10, 0, TimeOfDay.WEEKEND),
        (6, 19, 0, TimeOfDay.WEEKEND),
    ],
)
def test_time_of_day_is_read_in_seoul_time(weekday: int, hour: int, minute: int, expected: str) -> None:
    starts_at = seoul(next_weekday(weekday), hour, minute)
    assert time_of_day_for(starts_at.astimezone(dt.UTC)) == expected


def test_a_centre_session_takes_its_region_from_the_centre() -> None:
    s = session()
    assert s.region == s.centre.region  # type: ignore[union-attr]


def test_an_online_session_has_no_region() -> None:
    s = session(mode=Mode.ONLINE_LIVE)
    assert s.region == ""
    assert s.centre is None


def test_now_is_aware() -> None:
    assert timezone.is_aware(seoul(1))


def test_withdrawing_a_person_passes_their_seat_on() -> None:
    s = session(capacity=1)
    person = UserFactory.create()
    services.enrol(s.pk, person)
    waiting = enrol_many(s, 2)
    other = session(capacity=1)
    services.enrol(other.pk, UserFactory.create())
    services.enrol(other.pk, person)  # waitlisted at 1 there

    assert len(services.withdraw_person(person.pk)) == 2
    waiting[0].refresh_from_db()
    assert waiting[0].status == CONFIRMED
    assert services.waitlist_positions(s) == [1]
    assert services.waitlist_positions(other) == []


def test_an_enrolment_costs_a_fixed_handful_of_queries(django_assert_num_queries: Any) -> None:
    """The lock with programme, centre and the person's diagnosis, one seat-state query,
    the place and its outbox row (4), plus the SAVEPOINT/RELEASE that the test's own
    transaction makes of the action's — as many for the 2nd place as for the 1st
    (bench/writes.py measures what each one costs under concurrency)."""
    s = session(capacity=5)
    services.enrol(s.pk, UserFactory.create())
    person = UserFactory.create()
    with django_assert_num_queries(6):
        enrolment = services.enrol(s.pk, person)
    assert Notification.objects.filter(dedupe_key=f"programmes:confirmed:enrolment:{enrolment.pk}:email").exists()


def test_the_confirmation_is_written_by_the_worker_with_its_calendar_file() -> None:
    from notifications import services as outbox

    s = session(capacity=5)
    enrolment = services.enrol(s.pk, UserFactory.create())
    row = Notification.objects.get(dedupe_key=f"programmes:confirmed:enrolment:{enrolment.pk}:email")
    assert (row.body, row.composer, row.composer_args) == ("", "programmes.enrolment", {"event": "confirmed", "enrolment": enrolment.pk})
    outbox.deliver(row.pk)
    row.refresh_from_db()
    assert s.programme.name_ko in row.body and row.attachments[0]["filename"] == "lifecareer-session.ics"


def test_the_calendar_file_of_an_employer_site_session_gives_the_employer_place() -> None:
    from notifications import services as outbox

    s = session(mode=Mode.EMPLOYER_SITE)
    enrolment = services.enrol(s.pk, UserFactory.create())
    row = Notification.objects.get(dedupe_key=f"programmes:confirmed:enrolment:{enrolment.pk}:email")
    outbox.deliver(row.pk)
    row.refresh_from_db()
    assert "LOCATION:테스트(주) 본사 교육장" in row.attachments[0]["content"]


def test_the_waitlist_message_says_the_place_in_the_queue_when_they_joined_it() -> None:
    """Written at delivery, the message still gives the position of the moment they joined
    (the place may have moved up, or been confirmed, by then)."""
    from notifications import services as outbox

    s = session(capacity=1)
    services.enrol(s.pk, UserFactory.create())
    waiting = services.enrol(s.pk, UserFactory.create())
    Enrolment.objects.filter(pk=waiting.pk).update(position=None, status=CONFIRMED)  # promoted before the worker ran
    row = Notification.objects.get(dedupe_key=f"programmes:waitlisted:enrolment:{waiting.pk}:email")
    outbox.deliver(row.pk)
    row.refresh_from_db()
    assert "현재 대기 순번은 1번입니다" in row.body and row.attachments == []


def test_the_enrol_button_costs_a_fixed_handful_of_queries_in_all(
    client: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    """The whole page POST with the real queue: the login session and the user, then the
    action above with the public-session check on the row it locks (no read of the session
    before it) and the delivery task's row in its transaction (no second transaction after
    the commit), and no staff-role query for a citizen (core.access.is_staff_session).
    Was 15 statements, then 10 (docs/performance.md)."""
    settings.NOTIFICATIONS_QUEUE_SYNC = False
    s = session(capacity=5)
    person = UserFactory.create()
    client.force_login(person)
    with django_assert_num_queries(9):
        response = client.post(f"/programmes/sessions/{s.pk}/enrol/")
    assert response.status_code == 302 and response["Location"] == "/programmes/me/"
