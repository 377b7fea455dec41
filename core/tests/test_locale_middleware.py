"""core.locale_middleware.LocaleMiddleware chooses the language and writes the headers as Django's."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.test import RequestFactory
from django.utils import translation

from core.locale_middleware import LocaleMiddleware


def language_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _restore_language() -> object:
    with translation.override(None):
        yield None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, "ko"),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, "en"),
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, "ko"),
        ({"HTTP_ACCEPT_LANGUAGE": "ko", "HTTP_COOKIE": "django_language=en"}, "en"),
    ],
)
def test_the_language_comes_from_the_cookie_then_accept_language(headers: dict[str, Any], expected: str, rf: RequestFactory) -> None:
    response: Any = LocaleMiddleware(language_view)(rf.get("/", **headers))
    assert response.content.decode() == expected
    assert response["Content-Language"] == expected
    assert response["Vary"] == "Accept-Language"


def test_a_language_prefix_in_the_path_is_not_read_without_i18n_patterns(rf: RequestFactory) -> None:
    response = LocaleMiddleware(language_view)(rf.get("/en/services/"))
    assert response["Content-Language"] == "ko"


def test_a_content_language_set_by_the_view_is_kept(rf: RequestFactory) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("x")
        response["Content-Language"] = "en"
        return response

    assert LocaleMiddleware(view)(rf.get("/"))["Content-Language"] == "en"


def test_a_urlconf_with_i18n_patterns_gets_djangos_prefix_redirect(rf: RequestFactory) -> None:
    request = rf.get("/page/")
    request.urlconf = "core.tests.urls_i18n"
    response = LocaleMiddleware(lambda request: HttpResponseNotFound())(request)
    assert response.status_code == 302
    assert response["Location"] == "/ko/page/"


def test_a_urlconf_with_i18n_patterns_takes_the_language_from_the_path(rf: RequestFactory) -> None:
    request = rf.get("/en/page/")
    request.urlconf = "core.tests.urls_i18n"
    response: Any = LocaleMiddleware(language_view)(request)
    assert response.content == b"en"
