"""Error pages in the site's layout, in Korean and English, sized for a phone (issue 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1">'


@pytest.fixture(autouse=True)
def _urls_that_fail(settings: Any) -> None:
    settings.ROOT_URLCONF = "core.tests.urls_errors"


@pytest.fixture
def visitor() -> Client:
    return Client(raise_request_exception=False)


def test_404_is_a_korean_page_in_the_site_layout_with_ways_forward(visitor: Client) -> None:
    response = visitor.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert VIEWPORT in page
    assert "페이지를 찾을 수 없습니다" in page
    assert 'id="krds-header"' in page
    for path in ('href="/"', 'href="/diagnosis/"', 'href="/services/"'):
        assert path in page
    assert "Not Found" not in page


def test_404_in_english(visitor: Client) -> None:
    page = visitor.get("/no-such-page/", headers={"accept-language": "en"}).content.decode()
    assert "페이지를 찾을 수 없습니다" not in page
    assert '<html lang="en">' in page


def test_a_bug_gets_the_500_page_in_the_site_look(visitor: Client) -> None:
    response = visitor.get("/test-errors/500/")
    page = response.content.decode()
    assert response.status_code == 500
    assert VIEWPORT in page
    assert "일시적인 오류가 발생했습니다" in page
    assert "lifecareer/css/app.css" in page
    assert 'href="/diagnosis/"' in page


def test_403_page(visitor: Client) -> None:
    response = visitor.get("/test-errors/403/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "이 페이지를 볼 수 없습니다" in page and VIEWPORT in page


def test_400_page(visitor: Client) -> None:
    response = visitor.get("/test-errors/400/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "요청을 처리할 수 없습니다" in page and VIEWPORT in page


@pytest.fixture
def browser_without_token() -> Client:
    return Client(enforce_csrf_checks=True)


def test_a_failed_csrf_check_gets_a_korean_page_in_the_site_layout(browser_without_token: Client) -> None:
    response = browser_without_token.post("/accounts/login/", {"username": "someone@example.com"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert VIEWPORT in page and 'id="krds-header"' in page
    assert "페이지를 새로 고친 뒤 다시 시도해 주세요" in page
    assert 'href="/diagnosis/"' in page
    assert "CSRF" not in page and "Forbidden" not in page


def test_the_csrf_page_links_back_to_the_page_the_form_was_on(browser_without_token: Client) -> None:
    response = browser_without_token.post(
        "/accounts/login/", {"username": "someone@example.com"}, headers={"referer": "http://testserver/accounts/login/?next=/me/"}
    )
    assert 'href="http://testserver/accounts/login/?next=/me/"' in response.content.decode()


def test_the_csrf_page_does_not_link_back_to_another_site(browser_without_token: Client) -> None:
    response = browser_without_token.post(
        "/accounts/login/", {"username": "someone@example.com"}, headers={"referer": "https://evil.example/form"}
    )
    page = response.content.decode()
    assert response.status_code == 403
    assert "evil.example" not in page


def test_the_csrf_page_in_english(browser_without_token: Client) -> None:
    page = browser_without_token.post("/accounts/login/", {}, headers={"accept-language": "en"}).content.decode()
    assert '<html lang="en">' in page
    assert "Refresh the page and try again." in page
