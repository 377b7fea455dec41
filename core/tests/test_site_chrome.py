"""The shared chrome (base.html) is kept rendered per language ({% fragment %}, scope "site"),
but what differs per person or page stays live: the log-in state, the CSRF tokens, the
language switch's way back, the menu entry of the current page, the messages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from core.fragments import bump
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _csrf_tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_the_language_switch_returns_to_the_page_it_was_on(client: Client) -> None:
    assert '<input type="hidden" name="next" value="/privacy/">' in client.get("/privacy/").content.decode()
    assert '<input type="hidden" name="next" value="/accessibility/?x=1">' in client.get("/accessibility/?x=1").content.decode()


def test_the_menu_marks_the_section_of_the_page(client: Client) -> None:
    home = client.get("/").content.decode()
    assert 'aria-current="page"' not in home.split('<main')[0]
    diagnosis = client.get("/diagnosis/").content.decode().split("<main")[0]
    assert re.search(r'href="/diagnosis/" aria-current="page"', diagnosis)
    again = client.get("/").content.decode().split("<main")[0]
    assert 'aria-current="page"' not in again


def test_logged_in_and_anonymous_menus_differ_on_the_same_page(client: Client) -> None:
    anonymous = client.get("/privacy/").content.decode()
    assert "/accounts/login/" in anonymous
    client.force_login(UserFactory.create())
    person = client.get("/privacy/").content.decode()
    assert "/accounts/logout/" in person and 'href="/me/"' in person
    assert 'href="/accounts/login/"' not in person.split("<main")[0]


def test_each_page_carries_its_own_csrf_token(client: Client) -> None:
    first = _csrf_tokens(client.get("/privacy/").content.decode())
    second = _csrf_tokens(Client().get("/privacy/").content.decode())
    assert first and second and first != second  # masked per response, never one kept copy


def test_each_language_gets_its_own_chrome(client: Client) -> None:
    korean = client.get("/privacy/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get("/privacy/").content.decode()
    assert "본문 바로가기" in korean and "본문 바로가기" not in english
    assert 'lang="en" class="krds-btn medium text" aria-current="true"' in english
    with translation.override("ko"):
        assert 'lang="ko" class="krds-btn medium text" aria-current="true"' in korean


def test_the_site_scope_cannot_be_bumped() -> None:
    with pytest.raises(ValueError):
        bump("site")
    with pytest.raises(ValueError):
        bump("instrument")


def test_the_csp_header_is_the_site_policy_and_views_can_still_change_it(client: Client) -> None:
    page = client.get("/privacy/")["Content-Security-Policy"]
    assert "style-src 'self'" in page and "unsafe-inline" not in page
    docs = client.get("/api/docs")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in docs  # @csp_update on the API docs only
    assert client.get("/privacy/")["Content-Security-Policy"] == page


def test_a_changed_policy_setting_is_used_at_once(client: Client, settings: object) -> None:
    client.get("/privacy/")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}  # type: ignore[attr-defined]
    assert client.get("/privacy/")["Content-Security-Policy"] == "default-src 'none'"
