"""Staff sessions end after 30 idle minutes (sliding); citizens keep the usual lifetime."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import PASSWORD
from accounts.tests.factories import StaffFactory as AccountStaffFactory
from core.access import NO_STAFF_ACCESS_KEY, STAFF_IDLE_SECONDS, STAFF_SLIDE_STEP
from core.roles import Role
from core.tests.factories import StaffFactory, UserFactory
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
STAFF_PAGE = "/programmes/staff/"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_idle_limit_is_thirty_minutes() -> None:
    assert STAFF_IDLE_SECONDS == 1800


@pytest.mark.parametrize(
    "make",
    [
        lambda: StaffFactory.create(),
        lambda: StaffFactory.create(roles=[(Role.COUNSELLOR, CentreFactory.create())]),
        lambda: StaffFactory.create(roles=[(Role.PARTNER, None)]),  # a role with no page yet
        lambda: User.objects.create_superuser("root@example.com", "root@example.com", "pw-not-used-0123"),
        lambda: UserFactory.create(is_staff=True),  # the admin's flag only
    ],
    ids=["operator", "counsellor", "partner", "superuser", "admin-flag"],
)
def test_a_staff_session_cookie_lasts_thirty_minutes(make: object) -> None:
    client = logged_in(make())  # type: ignore[operator]
    response = client.get("/")
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == STAFF_IDLE_SECONDS
    assert client.session.get_expiry_age() == STAFF_IDLE_SECONDS


def test_a_citizen_keeps_the_usual_session_lifetime() -> None:
    client = logged_in(UserFactory.create())
    client.get("/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_each_request_slides_the_limit_and_thirty_idle_minutes_log_out() -> None:
    client = logged_in(StaffFactory.create())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert client.get(STAFF_PAGE).status_code == 200
        for _ in range(3):  # an hour and a half of work, a request every 25 minutes
            clock.move_to(timezone.now() + dt.timedelta(minutes=25))
            assert client.get(STAFF_PAGE).status_code == 200
        clock.move_to(timezone.now() + dt.timedelta(minutes=31))
        response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_staff_page_is_not_stored() -> None:
    response = logged_in(StaffFactory.create()).get(STAFF_PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.usefixtures("reference_data")
def test_the_limit_starts_with_the_log_in_itself(client: Client) -> None:
    staff = AccountStaffFactory.create()
    response = client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == STAFF_IDLE_SECONDS


def test_a_request_within_a_minute_does_not_write_the_session_again() -> None:
    client = logged_in(StaffFactory.create())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        first = client.get(STAFF_PAGE)
        assert settings.SESSION_COOKIE_NAME in first.cookies  # written: the limit starts
        clock.move_to(start + dt.timedelta(seconds=STAFF_SLIDE_STEP - 1))
        again = client.get(STAFF_PAGE)
        assert again.status_code == 200 and settings.SESSION_COOKIE_NAME not in again.cookies
        clock.move_to(start + dt.timedelta(seconds=STAFF_SLIDE_STEP + 1))
        later = client.get(STAFF_PAGE)
        assert later.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == STAFF_IDLE_SECONDS


def test_the_limit_counts_from_the_last_write_so_it_never_grows_longer() -> None:
    # Requests that did not write the session do not move the end: thirty minutes after the
    # last write (at most a minute before the last request) the session has ended.
    client = logged_in(StaffFactory.create())
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert client.get(STAFF_PAGE).status_code == 200
        clock.move_to(start + dt.timedelta(seconds=STAFF_SLIDE_STEP - 1))
        assert client.get(STAFF_PAGE).status_code == 200
        clock.move_to(start + dt.timedelta(seconds=STAFF_IDLE_SECONDS + 1))
        response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def role_queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return sum("accounts_staffrole" in q["sql"] for q in queries.captured_queries)


def test_a_citizens_requests_after_the_log_in_do_not_read_roles() -> None:
    client = logged_in(UserFactory.create())
    assert role_queries(client, "/") == 0
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_a_session_from_before_the_mark_reads_roles_once() -> None:
    client = logged_in(UserFactory.create())
    session = client.session
    del session[NO_STAFF_ACCESS_KEY]
    session.save()
    assert role_queries(client, "/") == 1
    assert role_queries(client, "/") == 0


def test_a_citizen_given_a_role_while_logged_in_gets_the_limit_with_the_first_staff_page() -> None:
    from core.tests.factories import NATIONAL_OPERATOR, grant_all

    person = UserFactory.create()
    client = logged_in(person)
    client.get("/")
    grant_all(person, NATIONAL_OPERATOR)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 200
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == STAFF_IDLE_SECONDS
    assert NO_STAFF_ACCESS_KEY not in client.session
    client.get("/")  # and from then on on every page, as for any staff session
    assert client.session.get_expiry_age() == STAFF_IDLE_SECONDS
