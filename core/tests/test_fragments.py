from __future__ import annotations

import pytest
from django.utils import translation

from core.fragments import bump, fragment, stamp

pytestmark = pytest.mark.django_db


def test_a_fragment_is_built_once_and_reused() -> None:
    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return "rendered"

    assert fragment("catalogue", "list", build=build) == "rendered"
    assert fragment("catalogue", "list", build=build) == "rendered"
    assert len(calls) == 1


def test_a_value_keep_refuses_is_built_every_time() -> None:
    built: list[str] = []

    def build(value: str) -> str:
        built.append(value)
        return value

    def keep(value: str) -> bool:
        return value != "with errors"

    assert fragment("catalogue", "page", build=lambda: build("with errors"), keep=keep) == "with errors"
    assert fragment("catalogue", "page", build=lambda: build("valid"), keep=keep) == "valid"
    assert fragment("catalogue", "page", build=lambda: build("again"), keep=keep) == "valid"
    assert built == ["with errors", "valid"]


def test_bumping_the_scope_renders_the_fragment_again() -> None:
    fragment("catalogue", "list", build=lambda: "old")
    bump("catalogue")
    assert fragment("catalogue", "list", build=lambda: "new") == "new"


def test_bumping_another_scope_keeps_the_fragment() -> None:
    fragment("catalogue", "list", build=lambda: "kept")
    bump("programmes")
    assert fragment("catalogue", "list", build=lambda: "rebuilt") == "kept"


def test_each_language_has_its_own_fragment() -> None:
    with translation.override("ko"):
        fragment("site", "nav", build=lambda: "한국어")
    with translation.override("en"):
        assert fragment("site", "nav", build=lambda: "English") == "English"


def test_the_stamp_is_remembered_for_the_ttl(settings: object) -> None:
    settings.FRAGMENT_STAMP_TTL = 60  # type: ignore[attr-defined]
    first = stamp("programmes")
    from django.core.cache import cache

    cache.set("fragment-stamp:programmes", "changed-elsewhere")
    assert stamp("programmes") == first


def test_a_bump_inside_a_transaction_bumps_again_after_the_commit(django_capture_on_commit_callbacks: object) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # type: ignore[operator]
        bump("catalogue")
        during = stamp("catalogue")
    assert stamp("catalogue") != during
