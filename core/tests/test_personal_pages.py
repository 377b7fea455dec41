"""Every personal page (rule citizen or staff) and the API answering a logged-in person is
sent with Cache-Control: no-store, so no browser or cache keeps a copy."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.access import PERSONAL_RULES, rule_of
from core.tests.test_url_access import APP_PATTERNS, concrete

PERSONAL = [(route, view) for route, view, _ns in APP_PATTERNS if rule_of(view) in PERSONAL_RULES]


@pytest.fixture
def staff_client(db: None) -> Client:
    # A superuser holds every permission, so each staff page renders (not only its 403).
    user = get_user_model().objects.create_superuser(username="s@example.com", email="s@example.com", password="x-Strong-Pass-1234")
    client = Client()
    client.force_login(user)
    return client


def assert_not_stored(response: Any) -> None:
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("route,view", PERSONAL, ids=[r for r, _ in PERSONAL])
def test_every_personal_page_is_not_stored(route: str, view: Any, staff_client: Client) -> None:
    assert_not_stored(staff_client.get(concrete(route)))


@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("url", ["/me/", "/me/consents/", "/programmes/me/", "/api/v1/me", "/api/v1/me/enrolments"])
def test_the_named_personal_pages_are_not_stored(url: str, staff_client: Client) -> None:
    response = staff_client.get(url)
    assert response.status_code == 200
    assert_not_stored(response)


def test_public_pages_stay_cacheable(client: Client, db: None) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")
