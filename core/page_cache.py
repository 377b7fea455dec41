"""A person's own page, rendered once and served again while nothing it shows has changed.

The per-person pages (/me/, a plan) are mostly small queries and a template, and most of
their cost is Django's work on them, not the database's: the ORM building and compiling
each query, making model instances, the template walking them. A person reloads such a
page far more often than its data changes (coming back from a programme page, after
logging in, from a bookmark), so the rendered main part is kept and served again:

- under a **version**: a hash of every row the part shows, read by one short hand-written
  query per page (`version(sql, params)`), so no write path anywhere has to remember to
  throw the rendering away. A counsellor cancelling a booking, a partner answering a
  referral, an operator moving a session, the clock passing a session's start: the rows
  differ, the hash differs, the part is rendered again. The page's own module keeps that
  query beside the code that reads the same rows, and its tests change each of them;
- in the worker's own memory (`caches["personal"]`, a LocMemCache: no network, no SQL),
  a few minutes at most (its TIMEOUT) and never shared between processes, so that
  rendered personal data does not travel or outlive its use; the key holds the person's id,
  the version and the language;
- with the CSRF token left out: the part is rendered with `CSRF_PLACEHOLDER` as its token
  and the requester's own token is put in when it is served.

Reference data the part shows by name (a service's name) is keyed by its fragment stamp
(`core.fragments.stamp`), added to the version by the caller.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.core.cache import caches
from django.db import connection
from django.db.models import Model
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import translation

# What the part is rendered with in place of the CSRF token: the template context's
# `csrf_token`, which `{% csrf_token %}` prints. Served, it becomes the requester's token.
CSRF_PLACEHOLDER = "lc-csrf-token-placeholder"


def version(sql: str, params: Mapping[str, Any] | Sequence[Any], *extra: Any) -> str:
    """The hash of the rows `sql` returns (in the order it returns them) and of `extra`."""
    digest = hashlib.sha256(repr(extra).encode())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for row in cursor.fetchall():
            digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


def table(model: type[Model]) -> str:
    """A model's table name, quoted for the database (for a version query)."""
    return connection.ops.quote_name(model._meta.db_table)


def per_database(build: Callable[[], str]) -> Callable[[], str]:
    """A version query's SQL, put together once per process and kind of database (quoting
    differs between them)."""
    made: dict[str, str] = {}

    def sql() -> str:
        if connection.vendor not in made:
            made[connection.vendor] = build()
        return made[connection.vendor]

    return sql


def text_columns(width: int, tag: str, *columns: str) -> str:
    """A SELECT list for one branch of a UNION ALL of different tables: the tag, then each
    column cast to text (PostgreSQL wants one type per position) and NULLs up to `width`."""
    if len(columns) > width:
        raise ValueError(f"{tag}: {len(columns)} columns, at most {width}")
    cells = [f"CAST({c} AS TEXT)" for c in columns] + ["NULL"] * (width - len(columns))
    return ", ".join([f"'{tag}'", *cells])


def served(request: HttpRequest, scope: str, owner: Any, key: str | None, build: Callable[[], str], *, seconds: int | None = None) -> str:
    """The part `scope` of `owner` under version `key` in the active language: kept (at most
    `seconds`, else the store's TIMEOUT), or `build()` (rendered with `CSRF_PLACEHOLDER` as
    its token) and kept, with the requester's CSRF token put in. With `key` None (a state the
    version does not cover), built and not kept."""
    store = caches["personal"]
    cache_key = f"{scope}:{owner}:{translation.get_language()}:{key}"
    html = store.get(cache_key) if key is not None else None
    if html is None:
        html = build()
        if key is not None:
            store.set(cache_key, html, *(() if seconds is None else (seconds,)))
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, token(request))
    return html


def token(request: HttpRequest) -> str:
    """The requester's CSRF token as this response shows it, masked once. The page around a
    kept part passes it to its template as `csrf_token`: else Django's context processor
    masks the secret a second time for the page's own forms (the header's language and
    log-out forms), 32 characters drawn from the OS each time."""
    masked: str | None = getattr(request, "_lc_csrf_token", None)
    if masked is None:
        masked = get_token(request)
        request._lc_csrf_token = masked  # type: ignore[attr-defined]
    return masked
