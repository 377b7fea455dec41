from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from programmes import services
from programmes.models import Enrolment, Mode
from programmes.tests.factories import (
    CentreFactory,
    ProgrammeFactory,
    UserFactory,
    enrol_many,
    next_weekday,
    seoul,
    session,
)

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/sessions"


def enrolments_url(session_id: int) -> str:
    return f"{SESSIONS}/{session_id}/enrolments"


@pytest.fixture
def owner() -> User:
    return UserFactory.create()


def test_programmes_are_listed(client: Client, reference_data: None) -> None:
    data = client.get("/api/v1/programmes").json()
    slugs = [p["slug"] for p in data]
    assert "employed-40s-basic" in slugs
    basic = next(p for p in data if p["slug"] == "employed-40s-basic")
    assert basic["tier"] == {"code": "basic", "name": "기초"}
    assert basic["age_band"]["code"] == "40s"


def test_sessions_are_filtered_and_paginated(client: Client) -> None:
    busan = CentreFactory.create(region="26")
    for day in range(3, 8):
        session(centre=busan, starts_at=seoul(day, 19))
    session(mode=Mode.ONLINE_LIVE)
    data = client.get(SESSIONS, {"region": "26", "limit": "2"}).json()
    assert data["count"] == 5
    assert len(data["items"]) == 2
    item = data["items"][0]
    assert item["region"]["code"] == "26"
    assert {"seats_left", "waitlist", "is_demo", "time_of_day", "status"} <= set(item)
    assert client.get(SESSIONS, {"mode": "online_live"}).json()["count"] == 1


def test_session_filters_match_the_web_search(client: Client) -> None:
    evening = session(starts_at=seoul(next_weekday(2), 19))
    session(starts_at=seoul(next_weekday(5), 10))
    data = client.get(SESSIONS, {"time_of_day": "evening", "month": evening.local_starts_at.strftime("%Y-%m")}).json()
    assert [i["id"] for i in data["items"]] == [evening.pk]
    assert client.get(SESSIONS, {"programme": evening.programme.slug}).json()["count"] == 1


@pytest.mark.parametrize("params", [{"month": "2025-13"}, {"region": "99"}, {"time_of_day": "night"}, {"limit": 0}])
def test_bad_filters_are_422_with_the_field_named(client: Client, params: dict[str, Any]) -> None:
    response = client.get(SESSIONS, params)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == next(iter(params))


def test_session_list_query_count_does_not_grow(client: Client) -> None:
    session()
    with CaptureQueriesContext(connection) as few:
        client.get(SESSIONS)
    for day in range(3, 15):
        enrol_many(session(programme=ProgrammeFactory.create(), starts_at=seoul(day)), 1)
    with CaptureQueriesContext(connection) as many:
        client.get(SESSIONS)
    assert len(few) == len(many)


def test_enrolling_takes_a_seat(client: Client, owner: User) -> None:
    s = session()
    client.force_login(owner)
    response = client.post(enrolments_url(s.pk))
    assert response.status_code == 201
    data = response.json()
    assert data["status"]["code"] == "confirmed"
    assert data["position"] is None
    assert data["session"]["seats_left"] == s.capacity - 1


@pytest.mark.parametrize("capacity", [1, 5])
def test_the_enrolment_answer_shows_the_session_as_the_action_left_it_without_reading_it_again(
    client: Client, owner: User, settings: Any, django_assert_num_queries: Any, capacity: int
) -> None:
    """The session in the 201 is the row the action locked, with its totals counted under
    the lock: the same as a fresh read, and no query after the commit — the login
    session and the user, then the action as for the enrol button (9 in all; it was 11)."""
    settings.NOTIFICATIONS_QUEUE_SYNC = False
    s = session(capacity=capacity)
    enrol_many(s, 2)
    client.force_login(owner)
    with django_assert_num_queries(9):
        response = client.post(enrolments_url(s.pk))
    assert response.status_code == 201
    answer = response.json()["session"]
    assert (answer["seats_left"], answer["waitlist"]) == ((0, 2) if capacity == 1 else (2, 0))
    assert answer == client.get(SESSIONS).json()["items"][0]  # what a fresh read shows


def test_a_full_session_answers_201_waitlisted(client: Client, owner: User) -> None:
    s = session(capacity=1)
    enrol_many(s, 2)
    client.force_login(owner)
    response = client.post(enrolments_url(s.pk))
    assert response.status_code == 201
    assert response.json()["status"]["code"] == "waitlisted"
    assert response.json()["position"] == 2


def test_anonymous_enrolment_is_401(client: Client) -> None:
    s = session()
    response = client.post(enrolments_url(s.pk))
    assert response.status_code == 401
    assert response.json()["detail"]


def test_anonymous_is_401_even_without_a_csrf_token() -> None:
    s = session()
    assert Client(enforce_csrf_checks=True).post(enrolments_url(s.pk)).status_code == 401


def test_an_unknown_session_is_404(client: Client, owner: User) -> None:
    client.force_login(owner)
    assert client.post(enrolments_url(999999)).status_code == 404


def test_enrolling_twice_is_409_already_enrolled(client: Client, owner: User) -> None:
    s = session()
    client.force_login(owner)
    client.post(enrolments_url(s.pk))
    response = client.post(enrolments_url(s.pk))
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "already_enrolled"


def test_a_session_not_open_is_409_not_open(client: Client, owner: User) -> None:
    s = session(open_now=False)
    client.force_login(owner)
    response = client.post(enrolments_url(s.pk))
    assert response.status_code == 409
    assert response.json()["errors"][0]["code"] == "not_open"


def test_unsafe_methods_need_the_csrf_token(owner: User) -> None:
    s = session()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.post(enrolments_url(s.pk)).status_code == 403
    assert not Enrolment.objects.exists()
    browser.get("/programmes/")  # any page sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    assert browser.post(enrolments_url(s.pk), HTTP_X_CSRFTOKEN=token).status_code == 201


def test_deleting_my_enrolment_promotes_the_next_person(client: Client, owner: User) -> None:
    s = session(capacity=1)
    mine = services.enrol(s.pk, owner)
    [waiting] = enrol_many(s, 1)
    client.force_login(owner)
    response = client.delete(f"/api/v1/enrolments/{mine.pk}")
    assert response.status_code == 200
    assert response.json()["status"]["code"] == "cancelled"
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED


def test_deleting_someone_elses_enrolment_is_404(client: Client, owner: User) -> None:
    s = session()
    theirs = services.enrol(s.pk, UserFactory.create())
    client.force_login(owner)
    assert client.delete(f"/api/v1/enrolments/{theirs.pk}").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Enrolment.Status.CONFIRMED


def test_deleting_twice_is_409(client: Client, owner: User) -> None:
    s = session()
    mine = services.enrol(s.pk, owner)
    client.force_login(owner)
    client.delete(f"/api/v1/enrolments/{mine.pk}")
    assert client.delete(f"/api/v1/enrolments/{mine.pk}").status_code == 409


def test_anonymous_delete_is_401(client: Client) -> None:
    s = session()
    mine = services.enrol(s.pk, UserFactory.create())
    assert client.delete(f"/api/v1/enrolments/{mine.pk}").status_code == 401


def test_my_enrolments_lists_only_mine(client: Client, owner: User) -> None:
    a, b = session(), session()
    services.enrol(a.pk, owner)
    services.enrol(b.pk, UserFactory.create())
    client.force_login(owner)
    data = client.get("/api/v1/me/enrolments").json()
    assert data["count"] == 1
    assert data["items"][0]["session"]["id"] == a.pk
    client.logout()
    assert client.get("/api/v1/me/enrolments").status_code == 401


def test_every_operation_declares_its_error_responses(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    post = spec["paths"]["/api/v1/sessions/{session_id}/enrolments"]["post"]["responses"]
    assert {"201", "401", "403", "404", "409"} <= set(post)
    delete = spec["paths"]["/api/v1/enrolments/{enrolment_id}"]["delete"]["responses"]
    assert {"200", "401", "403", "404", "409"} <= set(delete)


def test_employer_sessions_are_not_listed_or_open_through_the_api(client: Client, owner: User) -> None:
    employer = session(mode=Mode.EMPLOYER_SITE)
    assert client.get(SESSIONS).json()["count"] == 0
    assert client.get(SESSIONS, {"mode": "employer_site"}).status_code == 422
    client.force_login(owner)
    assert client.post(enrolments_url(employer.pk)).status_code == 404


@pytest.mark.parametrize("params", [{"month": "0000-01"}, {"offset": "13752953915612669673472"}])
def test_out_of_range_filters_are_422_not_500(client: Client, params: dict[str, str]) -> None:
    assert client.get(SESSIONS, params).status_code == 422


def test_a_malformed_form_body_is_400_not_500(owner: User) -> None:
    s = session()
    browser = Client(enforce_csrf_checks=True)  # the CSRF check is what reads the form body
    browser.force_login(owner)
    browser.cookies["csrftoken"] = "a" * 32  # a cookie but no header: Django looks in the body
    response = browser.generic("POST", enrolments_url(s.pk), b"x", content_type="multipart/form-data")
    assert response.status_code == 400
    assert not Enrolment.objects.exists()
