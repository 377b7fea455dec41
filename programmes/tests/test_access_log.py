"""The access log is written by the actions, inside their transaction, once per person
whose place a staff member changed; never before the action can refuse."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from programmes import services
from programmes.models import Enrolment, Session
from programmes.tests.factories import StaffFactory, UserFactory, enrol_many, session
from rescue import services as rescue

pytestmark = pytest.mark.django_db

ENROLEES = 12


@pytest.fixture
def staff_user() -> User:
    return StaffFactory.create()


def changes(actor: User) -> list[str]:
    return sorted(AccessLog.objects.filter(action="change", actor=actor).values_list("subject_id", flat=True))


def subjects(enrolments: list[Enrolment]) -> list[str]:
    return sorted(str(e.user_id) for e in enrolments)


def test_cancelling_from_the_roster_logs_one_change_per_enrolee(client: Client, staff_user: User) -> None:
    s = session(capacity=ENROLEES, min_enrolment=1)
    enrolled = enrol_many(s, ENROLEES)
    client.force_login(staff_user)
    client.post(reverse("programmes:staff_session_status", args=[s.pk]), {"action": "cancel"})
    assert changes(staff_user) == subjects(enrolled)


def test_cancelling_from_the_at_risk_page_logs_the_same_rows_as_the_roster(client: Client, staff_user: User) -> None:
    s = session(capacity=ENROLEES, min_enrolment=ENROLEES)
    enrolled = enrol_many(s, ENROLEES - 1)
    client.force_login(staff_user)
    client.post(reverse("programmes:rescue_cancel", args=[s.pk]))
    assert changes(staff_user) == subjects(enrolled)  # once each, not twice


def test_the_roster_and_the_at_risk_page_cancel_through_one_action(client: Client, staff_user: User) -> None:
    from programmes import staff_views

    assert staff_views.STATUS_ACTIONS["cancel"] is rescue.cancel_with_offers


def test_raising_capacity_logs_each_person_moved_up(staff_user: User) -> None:
    s = session(capacity=2, min_enrolment=1)
    _seated, first, second, third = enrol_many(s, 2)[0], *enrol_many(s, 3)
    services.update_session(s.pk, actor=staff_user, capacity=4)
    assert changes(staff_user) == subjects([first, second])
    third.refresh_from_db()
    assert third.status == Enrolment.Status.WAITLISTED


def test_raising_capacity_through_the_edit_form_is_logged(client: Client, staff_user: User) -> None:
    s = session(capacity=1, min_enrolment=1)
    _holder, waiting = enrol_many(s, 2)
    client.force_login(staff_user)
    local = s.starts_at.astimezone(s.local_starts_at.tzinfo)
    data = {
        "programme": s.programme.pk, "mode": "centre", "centre": s.centre.pk,  # type: ignore[union-attr]
        "region": "", "employer_place": "", "online_url": "",
        "starts_at": local.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": s.local_ends_at.strftime("%Y-%m-%dT%H:%M"),
        "enrolment_deadline": s.enrolment_deadline.astimezone(local.tzinfo).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 2, "min_enrolment": 1,
    }
    assert client.post(reverse("programmes:staff_session_edit", args=[s.pk]), data).status_code == 302
    assert changes(staff_user) == [str(waiting.user_id)]


def test_refused_attendance_logs_no_change(client: Client, staff_user: User) -> None:
    s = session()
    enrolment = services.enrol(s.pk, UserFactory.create())
    client.force_login(staff_user)
    client.post(reverse("programmes:staff_attendance", args=[enrolment.pk]), {"attended": "1"})  # before the day
    assert changes(staff_user) == []


def test_attendance_is_logged_by_the_action(staff_user: User) -> None:
    s = session()
    enrolment = services.enrol(s.pk, UserFactory.create())
    with time_machine.travel(s.starts_at):
        services.mark_attendance(enrolment.pk, True, actor=staff_user)
    assert changes(staff_user) == [str(enrolment.user_id)]


def test_completing_a_session_logs_each_waitlisted_place_it_closes(staff_user: User) -> None:
    s = session(capacity=1, min_enrolment=1)
    _seated, waiting = enrol_many(s, 2)
    with time_machine.travel(s.starts_at + dt.timedelta(minutes=5)):
        services.complete_session(s.pk, actor=staff_user)
    assert changes(staff_user) == [str(waiting.user_id)]


def test_a_staff_cancellation_logs_the_place_and_the_person_moved_up(staff_user: User) -> None:
    s = session(capacity=1, min_enrolment=1)
    seated, waiting = enrol_many(s, 2)
    services.cancel_enrolment(seated.pk, by_staff=True, actor=staff_user)
    assert changes(staff_user) == subjects([seated, waiting])


def test_a_persons_own_cancellation_is_not_logged() -> None:
    s = session(capacity=1, min_enrolment=1)
    seated, _waiting = enrol_many(s, 2)
    services.cancel_enrolment(seated.pk, actor=seated.user)
    assert not AccessLog.objects.exists()


def test_an_illegal_cancel_logs_nothing(client: Client, staff_user: User) -> None:
    s = session()
    enrol_many(s, 2)
    services.cancel_session(s.pk)
    client.force_login(staff_user)
    client.post(reverse("programmes:staff_session_status", args=[s.pk]), {"action": "cancel"})
    assert changes(staff_user) == []
    assert Session.objects.get(pk=s.pk).status == Session.Status.CANCELLED


def test_the_change_row_carries_the_address_it_came_from(client: Client, staff_user: User) -> None:
    s = session()
    enrol_many(s, 1)
    client.force_login(staff_user)
    client.post(reverse("programmes:staff_session_status", args=[s.pk]), {"action": "cancel"}, REMOTE_ADDR="203.0.113.9")
    assert list(AccessLog.objects.filter(action="change").values_list("ip_address", flat=True)) == ["203.0.113.9"]
