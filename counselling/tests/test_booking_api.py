"""The bookings API: status codes, the error shape, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from counselling.models import Booking, BookingStatus
from counselling.tests.factories import UserFactory, slot, slots

pytestmark = pytest.mark.django_db

URL = "/api/v1/bookings"


@pytest.fixture
def person(client: Client) -> User:
    user = UserFactory.create()
    client.force_login(user)
    return user


def post(client: Client, **body: Any) -> Any:
    return client.post(URL, json.dumps(body), content_type="application/json")


def body_for(slot_id: int, **extra: Any) -> dict[str, Any]:
    return {"slot_id": slot_id, "mode": "phone", "topic": "unsure", "share": ["latest_diagnosis"], "note": "", **extra}


def test_booking_answers_201_with_the_booking(client: Client, person: User) -> None:
    s = slot()
    response = post(client, **body_for(s.pk))
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "confirmed" and data["mode"] == "phone"
    assert data["centre"] == {"id": s.centre_id, "name": s.centre.name}
    assert Booking.objects.get(pk=data["id"]).citizen_id == person.pk


def test_a_taken_slot_answers_409_in_korean_with_the_next_free_slots(client: Client, person: User) -> None:
    first, second = slots(2)
    Booking.objects.create(case_id=_case_for(first), citizen=UserFactory.create(), slot=first, mode="phone", topic="unsure")
    response = post(client, **body_for(first.pk))
    assert response.status_code == 409
    data = response.json()
    assert "다른 분이" in data["detail"]
    assert data["errors"][0]["code"] == "taken"
    assert [s["id"] for s in data["next_free"]] == [second.pk]
    assert set(data["next_free"][0]) == {"id", "starts_at", "ends_at", "modes"}


def _case_for(s: Any) -> int:
    from counselling.services import open_case

    return open_case(UserFactory.create(), s.centre, share=[]).pk


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"mode": "fax"}, 400),
        ({"topic": "money"}, 400),
        ({"share": ["bank_account"]}, 400),
        ({"note": "가" * 1001}, 400),
        ({"slot_id": 987_654}, 404),
        ({"slot_id": "abc"}, 422),
        ({"slot_id": 10**30}, 422),
    ],
)
def test_bad_input_is_a_4xx_with_the_error_shape(client: Client, person: User, change: dict[str, Any], status: int) -> None:
    response = post(client, **{**body_for(slot().pk), **change})
    assert response.status_code == status
    assert set(response.json()) >= {"detail", "errors"}
    assert not Booking.objects.exists()


def test_a_body_that_is_not_json_is_400(client: Client, person: User) -> None:
    response = client.post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400


def test_anonymous_gets_401(client: Client) -> None:
    assert post(client, **body_for(slot().pk)).status_code == 401
    assert client.get("/api/v1/me/bookings").status_code == 401


def test_posting_without_the_csrf_token_is_403() -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory.create())
    assert post(browser, **body_for(slot().pk)).status_code == 403


def test_my_bookings_lists_only_mine(client: Client, person: User) -> None:
    a, b = slots(2)
    mine = post(client, **body_for(a.pk)).json()
    other = Client()
    other.force_login(UserFactory.create())
    post(other, **body_for(b.pk))
    data = client.get("/api/v1/me/bookings").json()
    assert data["count"] == 1 and data["items"][0]["id"] == mine["id"]


def test_deleting_my_booking_cancels_it_and_someone_elses_is_404(client: Client, person: User) -> None:
    a, b = slots(2)
    mine = post(client, **body_for(a.pk)).json()
    other = Client()
    other.force_login(UserFactory.create())
    theirs = post(other, **body_for(b.pk)).json()
    assert client.delete(f"{URL}/{theirs['id']}").status_code == 404
    assert client.delete(f"{URL}/999999").status_code == 404
    response = client.delete(f"{URL}/{mine['id']}")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Booking.objects.get(pk=theirs["id"]).status == BookingStatus.CONFIRMED
    assert client.delete(f"{URL}/{mine['id']}").status_code == 409


def test_the_operations_are_in_the_openapi(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/bookings"]
    assert "delete" in paths["/api/v1/bookings/{booking_id}"]
    assert "get" in paths["/api/v1/me/bookings"]
