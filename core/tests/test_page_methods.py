"""HTML pages answer GET/HEAD/POST only: PUT, PATCH and DELETE are 405 everywhere, also on
the "if POST: change, else: show a confirmation" pages that used to answer 200."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from core.tests.factories import StaffFactory
from core.tests.test_url_access import APP_PATTERNS, concrete


@pytest.fixture
def staff_client(db: None) -> Client:
    user = StaffFactory.create()  # a national programme operator
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("route,view,ns", APP_PATTERNS, ids=[r for r, _, _ in APP_PATTERNS])
def test_no_page_accepts_put_patch_or_delete(route: str, view: Any, ns: tuple[str, ...], staff_client: Client) -> None:
    url = concrete(route)
    for method in ("put", "patch", "delete"):
        response = getattr(staff_client, method)(url)
        assert response.status_code == 405, f"{method.upper()} {url}"
        assert "POST" in response["Allow"]

