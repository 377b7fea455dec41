from __future__ import annotations

import pytest
from django.utils import translation

from core.fragments import bump, forget_all, fragment, stamp, stamps

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


def test_the_stamps_of_several_scopes_are_read_in_one_round_trip(settings: object) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.FRAGMENT_STAMP_TTL = 60  # type: ignore[attr-defined]
    made = stamps("catalogue", "programmes", "site")
    forget_all()
    with CaptureQueriesContext(connection) as queries:
        assert stamps("catalogue", "programmes", "site") == made
    assert len(queries) == 1
    assert made[2] == "fixed"
    assert made[:2] == (stamp("catalogue"), stamp("programmes"))


def test_a_bump_inside_a_transaction_bumps_again_after_the_commit(django_capture_on_commit_callbacks: object) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # type: ignore[operator]
        bump("catalogue")
        during = stamp("catalogue")
    assert stamp("catalogue") != during


def test_fixed_text_is_kept_in_the_process_and_dropped_by_forget_all() -> None:
    from django.core.cache import caches

    from core.fragments import forget_all, fragment_key

    calls: list[int] = []

    def build() -> str:
        calls.append(1)
        return "chrome"

    assert fragment("site", "kept-text", build=build) == "chrome"
    assert fragment("site", "kept-text", build=build) == "chrome"
    assert len(calls) == 1
    assert caches["fragments"].get(fragment_key("site", "kept-text")) is None  # not in the cache
    forget_all()
    fragment("site", "kept-text", build=build)
    assert len(calls) == 2


def test_a_fixed_value_that_is_not_text_is_a_fresh_copy_each_time() -> None:
    first = fragment("instrument", "v-test", "rows", build=lambda: [{"id": "A"}])
    first[0]["id"] = "changed by a caller"
    assert fragment("instrument", "v-test", "rows", build=lambda: [{"id": "B"}]) == [{"id": "A"}]


def test_the_fixed_text_is_emptied_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    from core import fragments

    monkeypatch.setattr(fragments, "FIXED_TEXT_MAX", 2)
    for n in range(3):
        fragment("site", f"full-{n}", build=lambda n=n: f"text {n}")  # type: ignore[misc]
    assert len(fragments._FIXED_TEXT) == 1
    assert fragment("site", "full-0", build=lambda: "again") == "again"
