"""core.csp sets the site policy's headers as django-csp would, from headers built once."""

from __future__ import annotations

from typing import Any

from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from core.csp import SitePolicyCSPMiddleware

POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}


def respond(rf: RequestFactory, path: str = "/page/") -> Any:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse("x")

    return SitePolicyCSPMiddleware(view)(rf.get(path))


def test_the_header_is_django_csps_policy(rf: RequestFactory) -> None:
    response = respond(rf)
    assert response["Content-Security-Policy"] == build_policy()
    assert not response.has_header("Content-Security-Policy-Report-Only")


@override_settings(CONTENT_SECURITY_POLICY={**POLICY, "EXCLUDE_URL_PREFIXES": ["/excluded/"]})
def test_an_excluded_prefix_gets_no_header(rf: RequestFactory) -> None:
    assert not respond(rf, "/excluded/page/").has_header("Content-Security-Policy")
    assert respond(rf, "/page/")["Content-Security-Policy"] == "default-src 'self'"


@override_settings(CONTENT_SECURITY_POLICY=None, CONTENT_SECURITY_POLICY_REPORT_ONLY={"DIRECTIVES": {"img-src": ["'self'"]}})
def test_a_report_only_policy_is_sent_alone(rf: RequestFactory) -> None:
    response = respond(rf)
    assert not response.has_header("Content-Security-Policy")
    assert response["Content-Security-Policy-Report-Only"] == build_policy(report_only=True)
    assert "img-src 'self'" in response["Content-Security-Policy-Report-Only"]


def test_a_changed_setting_changes_the_header(rf: RequestFactory) -> None:
    respond(rf)
    with override_settings(CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'none'"]}}):
        assert respond(rf)["Content-Security-Policy"] == "default-src 'none'"
    assert respond(rf)["Content-Security-Policy"] == build_policy()
