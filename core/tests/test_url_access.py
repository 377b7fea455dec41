"""Deny by default: walk every URL pattern as anonymous, a citizen, a second citizen and staff."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.access import EXEMPT_NAMESPACES, is_exempt, rule_of


def walk(patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[tuple[str, Any, tuple[str, ...]]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = (*namespaces, p.namespace) if p.namespace else namespaces
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback, namespaces


def concrete(route: str) -> str:
    route = route.lstrip("^").rstrip("$").replace("\\Z", "")
    route = re.sub(r"<int:[^>]+>", "999999", route)
    route = re.sub(r"<(?:str|slug|path|uuid):?[^>]*>", "nosuchthing", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]+\)", "nosuchthing", route)
    return "/" + route


APP_PATTERNS = [
    (route, view, ns) for route, view, ns in walk(get_resolver().url_patterns) if not (EXEMPT_NAMESPACES & set(ns)) and not is_exempt(view)
]


@pytest.mark.parametrize("route,view,ns", APP_PATTERNS, ids=[r for r, _, _ in APP_PATTERNS])
def test_every_view_declares_an_access_rule(route: str, view: Any, ns: tuple[str, ...]) -> None:
    assert rule_of(view) in {"public", "citizen", "staff"}, f"{route} ({view}) has no access rule"


@pytest.fixture
def personas(db: None) -> dict[str, Client | None]:
    user_model = get_user_model()
    clients: dict[str, Client | None] = {"anonymous": Client()}
    for name, is_staff in (("citizen", False), ("second", False), ("staff", True)):
        user = user_model.objects.create_user(username=f"{name}@example.com", email=f"{name}@example.com", password="x-Strong-Pass-1234", is_staff=is_staff)
        client = Client()
        client.force_login(user)
        clients[name] = client
    return clients


@pytest.mark.usefixtures("module_reference_data")
@pytest.mark.parametrize("route,view,ns", APP_PATTERNS, ids=[r for r, _, _ in APP_PATTERNS])
def test_each_persona_gets_what_the_rule_allows(route: str, view: Any, ns: tuple[str, ...], personas: dict[str, Client]) -> None:
    url = concrete(route)
    rule = rule_of(view)
    for name, client in personas.items():
        response = client.get(url)
        assert response.status_code < 500, f"{name} GET {url} -> {response.status_code}"
        if rule == "citizen" and name == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        if rule == "staff" and name in ("anonymous",):
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        if rule == "staff" and name in ("citizen", "second"):
            assert response.status_code == 403, f"{name} GET {url} -> {response.status_code}"


def test_a_view_without_a_rule_is_refused(client: Client, settings: Any) -> None:
    settings.ROOT_URLCONF = "core.tests.urls_without_rule"
    assert client.get("/open/").status_code == 403
