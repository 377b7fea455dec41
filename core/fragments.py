"""Rendered pieces of reference data, kept per worker process and thrown away when the data changes.

Most of a citizen page's cost is rendering the same reference data (the catalogue, the
instrument, the programme list, the site chrome) for the thousandth time. Such a piece is
cached in the worker's own memory (`caches["fragments"]`, a LocMemCache: no network, no SQL)
under a key made of:

- the *scope* of the data it shows ("catalogue", "programmes", "instrument", "site", …),
- that scope's current *stamp*, a random token kept in the shared cache (`caches["default"]`,
  so every process sees a change) and replaced by `bump(scope)` whenever the data changes,
- the active language, and whatever else the caller names (a slug, a filter, a page number).

A process reads a scope's stamp from the shared cache at most once per `FRAGMENT_STAMP_TTL`
seconds (default 1 s), so an operator's edit in the admin shows everywhere within about a
second, and a page pays at most one cache read per scope per second, not one per request.
Personal data is never cached here: only what every visitor of a page in a language sees alike.

Two scopes have no stamp to read, as nothing but a new release of the code can change them:
"site" (the chrome every page shares: header, menu, footer) and "instrument" (the text of a
self-diagnosis instrument, always keyed by its version, which is immutable once loaded:
diagnosis.services.load_instrument_file refuses to change a released version).

Use `fragment(scope, *parts, build=callable)` in Python, or the `{% cache %}` tag with
`using="fragments"` and `fragment_key(scope, …)` as its vary-on value in templates.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache import caches
from django.db import transaction

from core.localize import active_language

T = TypeVar("T")

_SEEN: dict[str, tuple[float, str]] = {}
_LOCK = threading.Lock()
_STAMP_TIMEOUT = 60 * 60 * 24 * 30  # a month; a lost stamp only costs one re-render
# Scopes that change only with the code (a deploy starts new processes): see the docstring.
FIXED_SCOPES = frozenset({"site", "instrument"})


def _ttl() -> float:
    return float(getattr(settings, "FRAGMENT_STAMP_TTL", 1.0))


def stamp(scope: str) -> str:
    """The current stamp of `scope`, read from the shared cache at most once per TTL."""
    return stamps(scope)[0]


def stamps(*scopes: str) -> tuple[str, ...]:
    """The current stamps of `scopes`, in their order: those not read within the TTL are read
    from the shared cache together, in one round trip (a page keyed by several scopes)."""
    now = time.monotonic()
    found: dict[str, str] = {}
    stale = []
    for scope in scopes:
        seen = _SEEN.get(scope)
        if scope in FIXED_SCOPES:
            found[scope] = "fixed"
        elif seen is not None and now - seen[0] < _ttl():
            found[scope] = seen[1]
        else:
            stale.append(scope)
    if stale:
        read = shared_cache.get_many([f"fragment-stamp:{scope}" for scope in stale])
        for scope in stale:
            key = f"fragment-stamp:{scope}"
            value = read.get(key)
            if value is None:
                # add() so two processes starting together agree on one stamp
                shared_cache.add(key, secrets.token_hex(6), _STAMP_TIMEOUT)
                value = shared_cache.get(key) or secrets.token_hex(6)
            with _LOCK:
                _SEEN[scope] = (now, str(value))
            found[scope] = str(value)
    return tuple(found[scope] for scope in scopes)


def bump(scope: str) -> None:
    """The data of `scope` changed: every process renders its fragments again.

    Called inside the transaction that changes the data, it bumps now and once more after
    the commit: a process that read the new stamp before the commit (a Redis stamp is seen
    at once) may have rendered the old rows under it, and the second stamp retires that."""
    if scope in FIXED_SCOPES:
        raise ValueError(f"fragments of {scope!r} change only with the code; key them by what changes instead")
    _new_stamp(scope)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _new_stamp(scope), robust=True)


def _new_stamp(scope: str) -> None:
    shared_cache.set(f"fragment-stamp:{scope}", secrets.token_hex(6), _STAMP_TIMEOUT)
    with _LOCK:
        _SEEN.pop(scope, None)


def fragment_key(scope: str, *parts: Hashable) -> str:
    language = active_language()
    tail = ":".join(str(p) for p in parts)
    return f"{scope}:{stamp(scope)}:{language}:{tail}"


# Rendered text of the fixed scopes, in a plain dict of the process: it cannot change while
# the process runs, so it needs none of the LocMemCache's work (key check, lock, expiry,
# unpickling: ~8 µs a read, and a step page reads 15 such pieces). Text only: a str is
# immutable, while other values stay in the cache, which hands out a fresh copy per read.
# The parts of a key are finite (answers offered, menu entries, versions) but not fixed,
# so the dict is emptied when it reaches FIXED_TEXT_MAX entries.
_FIXED_TEXT: dict[str, str] = {}
FIXED_TEXT_MAX = 5_000


def fragment(scope: str, *parts: Hashable, build: Callable[[], T], keep: Callable[[T], bool] | None = None) -> T:
    """`build()`'s value for this scope, stamp, language and parts, built once per process.

    With `keep`, a built value is kept only when `keep(value)` is true: a page keyed by its
    query string is looked up before its form is built, and one whose form has errors (it
    echoes what was typed) is built every time and never kept."""
    key = fragment_key(scope, *parts)
    fixed = scope in FIXED_SCOPES
    if fixed:
        text = _FIXED_TEXT.get(key)
        if text is not None:
            return text  # type: ignore[return-value] # only build()'s own str values are kept here
    store = caches["fragments"]
    value = store.get(key)
    if value is None:
        value = build()
        if keep is not None and not keep(value):
            return value
        if fixed and isinstance(value, str):
            if len(_FIXED_TEXT) >= FIXED_TEXT_MAX:
                _FIXED_TEXT.clear()
            _FIXED_TEXT[key] = value
        else:
            store.set(key, value)
    return value


_MEMOS: list[dict[Any, Any]] = []


def process_memo() -> dict[Any, Any]:
    """A dict kept per process for rows only a deploy or a new version changes (a released
    instrument, its texts), emptied with the fragments by `forget_all` (tests reuse primary keys)."""
    memo: dict[Any, Any] = {}
    _MEMOS.append(memo)
    return memo


def forget_all() -> None:
    """Tests: drop this process's fragments and remembered stamps (and its kept personal
    page parts, core.page_cache: a cold cache is cold for both)."""
    caches["fragments"].clear()
    _FIXED_TEXT.clear()
    caches["personal"].clear()
    for memo in _MEMOS:
        memo.clear()
    with _LOCK:
        _SEEN.clear()
