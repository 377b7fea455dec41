"""Deny by default: walk every URL pattern as anonymous, two citizens, two people of each
staff role (in two centres), an account with only the admin flag and a superuser. A staff
page opens (not 403) exactly for the roles whose permissions meet the page's."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import StaffRole
from core.access import EXEMPT_NAMESPACES, is_exempt, perms_of, rule_of
from core.roles import PERMISSIONS, Perm, Role
from programmes.models import Centre
from referrals.tests.factories import partner_if


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


STAFF_PATTERNS = [(route, view, ns) for route, view, ns in APP_PATTERNS if rule_of(view) == "staff"]


@pytest.mark.parametrize("route,view,ns", STAFF_PATTERNS, ids=[r for r, _, _ in STAFF_PATTERNS])
def test_every_staff_view_names_its_permissions(route: str, view: Any, ns: tuple[str, ...]) -> None:
    assert perms_of(view), f"{route} ({view}) is a staff page without @staff_with(Perm...)"


# The staff pages of programmes and the catalogue, and the permission each needs (the
# table in core/roles.py). Other modules' pages are checked only for naming a permission.
EXPECTED_PERMS: dict[str, frozenset[Perm]] = {
    "programmes.staff_views": frozenset({Perm.ROSTERS}),
    "rescue.views": frozenset({Perm.ROSTERS}),
    "courses.views.staff": frozenset({Perm.EMPLOYER_REQUESTS}),
    "catalog.views": frozenset({Perm.CATALOGUE}),
}


@pytest.mark.parametrize("route,view,ns", STAFF_PATTERNS, ids=[r for r, _, _ in STAFF_PATTERNS])
def test_programme_and_catalogue_staff_pages_need_their_permission(route: str, view: Any, ns: tuple[str, ...]) -> None:
    expected = EXPECTED_PERMS.get(view.__module__)
    if expected is not None:
        assert perms_of(view) == expected, route


def test_every_role_in_the_sweep_has_a_persona() -> None:
    assert {role for role, _centre in ROLE_PERSONAS.values()} == set(Role.values)


@dataclass
class Persona:
    client: Client
    perms: frozenset[Perm] | None  # None: not staff; everything for the superuser


# Two of each role, in two centres ("a" and "b"), besides citizens, anonymous and a superuser.
ROLE_PERSONAS: dict[str, tuple[str, str]] = {
    f"{role}_{centre}": (role, centre) for role in Role.values for centre in ("a", "b")
}
EVERYTHING = frozenset(Perm)


@pytest.fixture(scope="module")
def personas(module_reference_data: None, django_db_blocker: Any) -> dict[str, Persona]:
    """Made once for the module, inside module_reference_data's outer transaction (rolled
    back after the module), so each test only makes requests."""
    user_model = get_user_model()
    with django_db_blocker.unblock():
        centres = {key: Centre.objects.create(slug=f"sweep-{key}", name=f"점검센터 {key}", region="11") for key in ("a", "b")}
        found: dict[str, Persona] = {"anonymous": Persona(Client(), None)}

        def login(name: str, **flags: bool) -> Client:
            user = user_model.objects.create_user(
                username=f"{name}@example.com", email=f"{name}@example.com", password="x-Strong-Pass-1234", **flags
            )
            client = Client()
            client.force_login(user)
            return client

        for name in ("citizen", "second"):
            found[name] = Persona(login(name), None)
        # The Django admin's flag alone opens no page.
        found["admin_flag_only"] = Persona(login("adminflag", is_staff=True), frozenset())
        found["superuser"] = Persona(login("root", is_staff=True, is_superuser=True), EVERYTHING)
        for name, (role, centre) in ROLE_PERSONAS.items():
            client = login(name)
            StaffRole.objects.create(user=user_model.objects.get(username=f"{name}@example.com"), role=role, centre=centres[centre], partner=partner_if(role))
            found[name] = Persona(client, PERMISSIONS[role])
    return found


def _asked_of(rule: str | None, names: list[str]) -> list[str]:
    # Public and citizen pages are walked by a few personas; staff pages by every one.
    if rule == "public":
        return ["anonymous", "citizen", "operator_a"]
    if rule == "citizen":
        return ["anonymous", "citizen", "second", "operator_a", "superuser"]
    return names


@pytest.mark.django_db
@pytest.mark.parametrize("route,view,ns", APP_PATTERNS, ids=[r for r, _, _ in APP_PATTERNS])
def test_each_persona_gets_what_the_rule_allows(route: str, view: Any, ns: tuple[str, ...], personas: dict[str, Persona]) -> None:
    url = concrete(route)
    rule = rule_of(view)
    needs = perms_of(view)
    for name in _asked_of(rule, list(personas)):
        persona = personas[name]
        response = persona.client.get(url)
        assert response.status_code < 500, f"{name} GET {url} -> {response.status_code}"
        if rule in ("citizen", "staff") and name == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        if rule == "staff" and name != "anonymous":
            allowed = persona.perms is not None and bool(needs & persona.perms)
            if allowed:
                assert response.status_code != 403, f"{name} GET {url} -> 403, but holds {sorted(needs & persona.perms)}"  # type: ignore[operator]
            else:
                assert response.status_code == 403, f"{name} GET {url} -> {response.status_code}, needs {sorted(needs)}"


def test_a_view_without_a_rule_is_refused(client: Client, settings: Any) -> None:
    settings.ROOT_URLCONF = "core.tests.urls_without_rule"
    assert client.get("/open/").status_code == 403


def test_a_staff_view_that_names_no_permission_is_refused_even_to_a_superuser(client: Client, settings: Any, db: None) -> None:
    settings.ROOT_URLCONF = "core.tests.urls_without_rule"
    boss = get_user_model().objects.create_superuser(username="boss@example.com", email="boss@example.com", password="x-Strong-Pass-1234")
    client.force_login(boss)
    assert client.get("/staff-open/").status_code == 403
