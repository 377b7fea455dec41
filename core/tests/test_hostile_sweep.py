"""Walk every URL pattern with hostile values, as anonymous and as a citizen, and the staff
pages also as staff (anyone else is turned away before the view reads a thing): never a 5xx.

Each value goes into every path parameter, into every query parameter a view or API operation
reads, and into every form field name the site knows (posted as a form, and as JSON to the API).
The values: a NUL byte, a lone surrogate (sent percent-encoded: the test client cannot encode it
in a str), the right-to-left override U+202E and 10,000 characters. Runs on SQLite and on
PostgreSQL, which unlike SQLite refuses NUL in text.
"""

from __future__ import annotations

import json
import re
from importlib import import_module
from typing import Any
from urllib.parse import quote

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import get_resolver

from core.access import rule_of
from core.tests.factories import StaffFactory, UserFactory
from core.tests.test_url_access import walk

# (name, percent-encoded for a URL, decoded for a form or JSON body, status a URL must get)
NUL = ("nul", "a%00b", "a\x00b")
SURROGATE = ("surrogate", "a%ED%A0%80b", None)
RTL = ("rtl", "a%E2%80%AEb", "a\u202eb")
LONG = ("long", "x" * 10_000, "x" * 10_000)
VALUES = [NUL, SURROGATE, RTL, LONG]

# Parameters the site's views read from the query string besides their GET forms' fields.
QUERY_NAMES = {"q", "page", "programme", "region", "time_of_day", "claim", "next", "token"}
# Fields views read from a POST without a form class.
POST_NAMES = {"action", "session", "item", "value", "result", "done", "next", "claim"}

PATTERNS = [(route, view) for route, view, ns in walk(get_resolver().url_patterns) if "admin" not in ns]
ROUTES = [route for route, _view in PATTERNS]
STAFF_ROUTES = {route for route, view in PATTERNS if rule_of(view) == "staff"}
KWARG = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>")


def _form_field_names() -> set[str]:
    for config in apps.get_app_configs():
        if config.name.startswith("django.") or "site-packages" in config.path:
            continue
        for module in ("forms", "rescue_forms"):
            try:
                import_module(f"{config.name}.{module}")
            except ModuleNotFoundError:
                continue
    names: set[str] = set()
    stack: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("django."):
            names.update(getattr(cls, "base_fields", {}))
    return names


def _api_query_names() -> set[str]:
    from api.urls import api

    schema = api.get_openapi_schema()
    return {p["name"] for operations in schema["paths"].values() for op in operations.values() for p in op.get("parameters", []) if p["in"] == "query"}


def _get_form_names() -> set[str]:
    from catalog.forms import FilterForm
    from courses.forms import CertificateLookupForm
    from courses.views.staff import StatusFilterForm
    from programmes.forms import SessionSearchForm

    return {name for form in (FilterForm, StatusFilterForm, CertificateLookupForm, SessionSearchForm) for name in form.base_fields}


def concrete(route: str, value: str, ids: dict[str, str]) -> str | None:
    """The route with `value` in each non-integer parameter, or None if it has none."""
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    has_text_kwarg = False

    def fill(match: re.Match[str]) -> str:
        nonlocal has_text_kwarg
        if match["converter"] == "int":
            return ids.get(match["name"], "1")
        has_text_kwarg = True
        return value

    route = KWARG.sub(fill, route)
    route = re.sub(r"\(\?P<[^>]+>[^)]+\)", lambda _m: value, route)
    return "/" + route if has_text_kwarg else None


def plain(route: str, ids: dict[str, str]) -> str:
    """The route with a real object's id or slug where the test made one (`ids`, by parameter
    name), so that a page reads its input instead of stopping at a 404."""
    return "/" + KWARG.sub(
        lambda m: ids.get(m["name"], "1" if m["converter"] == "int" else "nosuchthing"),
        route.lstrip("^").rstrip("$").replace("\\Z", ""),
    )


@pytest.fixture(scope="module")
def names() -> dict[str, set[str]]:
    return {"query": QUERY_NAMES | _get_form_names() | _api_query_names(), "form": _form_field_names() | POST_NAMES}


def _requests(route: str, names: dict[str, set[str]], ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any], int | None]]:
    """(method, url, extra, expected status or None for "anything below 500")."""
    out: list[tuple[str, str, dict[str, Any], int | None]] = []
    base = plain(route, ids)
    for kind, encoded, decoded in VALUES:
        refused = 400 if kind == "nul" else None
        path = concrete(route, encoded, ids)
        if path is not None:
            out.append(("GET", path, {}, refused))
        query = "&".join(f"{quote(name)}={encoded}" for name in sorted(names["query"]))
        out.append(("GET", f"{base}?{query}", {}, 400 if kind in ("nul", "surrogate") else None))
        if decoded is None:
            body = "{" + ", ".join(f'"{name}": "\\ud800"' for name in sorted(names["form"])) + "}"
            out.append(("POST", base, {"data": body, "content_type": "application/json"}, 400))
            continue
        fields = dict.fromkeys(sorted(names["form"]), decoded)
        if base.startswith("/api/"):
            out.append(("POST", base, {"data": json.dumps(fields), "content_type": "application/json"}, refused))
        else:
            out.append(("POST", base, {"data": fields}, refused))
    return out


def _objects_for_staff_pages() -> dict[str, str]:
    """A session with someone enrolled, an employer's request and a service, by the URL
    parameter names of the staff pages that show them."""
    from catalog.models import Service
    from courses.tests.factories import employer_request
    from rescue.tests.rescue_factories import centre, enrol, programme, session

    target = session(programme(), where=centre(), capacity=5)
    (enrolment,) = enrol(target, 1)
    service = Service.objects.order_by("pk").first()
    return {
        "session_id": str(target.pk), "enrolment_id": str(enrolment.pk), "pk": str(employer_request().pk),
        **({"slug": service.slug} if service is not None else {}),
    }


# One test per top-level section: loading the reference data for each of ~100 routes would
# cost more than the requests themselves.
SECTIONS: dict[str, list[str]] = {}
for _route in ROUTES:
    SECTIONS.setdefault(_route.split("/", 1)[0] or "home", []).append(_route)


@pytest.mark.usefixtures("reference_data")
@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_hostile_values_never_cause_a_server_error(section: str, names: dict[str, set[str]]) -> None:
    people = {"anonymous": None, "citizen": UserFactory.create(), "staff": StaffFactory.create()}
    ids = _objects_for_staff_pages() if STAFF_ROUTES & set(SECTIONS[section]) else {}
    failures = []
    for route in SECTIONS[section]:
        # Staff pass only where the view is for staff: elsewhere staff see what a citizen sees.
        personas = ("anonymous", "citizen", "staff") if route in STAFF_ROUTES else ("anonymous", "citizen")
        for persona in personas:
            for method, url, extra, expected in _requests(route, names, ids):
                # A server error is logged with its traceback; the test lists every one of them.
                client = Client(raise_request_exception=False)
                if (someone := people[persona]) is not None:
                    client.force_login(someone)  # again for each request: a POST may have logged out
                response = client.get(url) if method == "GET" else client.post(url, **extra)
                if response.status_code >= 500 or (expected is not None and response.status_code != expected):
                    shown = url if len(url) < 120 else url[:120] + "…"
                    failures.append(f"{persona} {method} {shown} -> {response.status_code} (route {route})")
    assert not failures, "\n".join(failures)
