"""Every page of the accounts app declares who may use it; personal pages refuse strangers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

PERSONAL_PAGES = ["/me/", "/me/consents/", "/me/export/", "/me/delete/"]
PUBLIC_PAGES = ["/accounts/signup/", "/accounts/login/", "/accounts/password-reset/", "/accounts/password-reset/sent/", "/accounts/reset/done/"]


@pytest.mark.parametrize("url", PERSONAL_PAGES)
def test_personal_pages_send_anonymous_to_login(client: Client, consent_text: object, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_for_anonymous(client: Client, consent_text: object, url: str) -> None:
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", PERSONAL_PAGES)
def test_personal_pages_open_for_their_owner_and_staff_see_only_their_own(client: Client, owner: User, staff: User, url: str) -> None:
    client.force_login(owner)
    assert client.get(url).status_code == 200
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert "owner@example.com" not in response.content.decode()


def test_consent_page_needs_login(client: Client, consent_text: object) -> None:
    assert client.get("/accounts/consent/")["Location"].startswith("/accounts/login/?next=")


def test_consent_page_opens_for_an_account_without_consent(client: Client, staff: User, consent_text: object) -> None:
    client.force_login(staff)
    assert client.get("/accounts/consent/").status_code == 200
