"""The shared cache when no Redis is configured: Django's database cache, with an atomic `incr`
and a one-transaction `count_hit` for the rate limiter.

Django's `DatabaseCache.incr` is a read followed by a write and resets the key's expiry, so
two workers counting at once both see 4 and both write 5, and a fixed one-hour window
would restart on every hit. Here the row is locked (PostgreSQL `SELECT … FOR UPDATE`;
SQLite's IMMEDIATE transactions, see settings, take the write lock at BEGIN), and the
expiry is kept. Redis' own `incr` (INCRBY) already behaves this way.
"""

from __future__ import annotations

import base64
import datetime
import itertools
import pickle
import time
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import IntegrityError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.timezone import now as tz_now

# Django's set/add count the whole table (SELECT COUNT(*)) on every write to see whether to
# cull; count_hit checks on every CULL_CHECK_EVERY-th new key of a process instead, so the
# table may pass MAX_ENTRIES by a few rows before the next check, never by more.
CULL_CHECK_EVERY = 64


def _writes_locked_from_begin(connection: BaseDatabaseWrapper) -> bool:
    """SQLite with IMMEDIATE transactions (settings): BEGIN takes the write lock."""
    options = connection.settings_dict.get("OPTIONS") or {}
    return connection.vendor == "sqlite" and str(options.get("transaction_mode", "")).upper() == "IMMEDIATE"


class DatabaseCache(DjangoDatabaseCache):
    _new_keys = itertools.count(1)

    def _locked_row(self, connection: BaseDatabaseWrapper, cursor: Any, full_key: str) -> tuple[Any, float] | None:
        """(value, seconds left) of `full_key`, its row locked till the transaction ends
        (seconds left <= 0: the row is there but expired); None when there is no row."""
        qn = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        table = qn(self._table)  # type: ignore[attr-defined]
        sql = f"SELECT {qn('value')}, {qn('expires')} FROM {table} WHERE {qn('cache_key')} = %s{lock}"  # noqa: S608 - names are quoted identifiers
        cursor.execute(sql, [full_key])
        row = cursor.fetchone()
        if row is None:
            return None
        expires = row[1]
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        remaining = (expires - tz_now()).total_seconds()
        if remaining <= 0:
            return None, remaining
        value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301 - our own cache rows
        return value, remaining

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        full_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db), connection.cursor() as cursor:
            row = self._locked_row(connection, cursor, full_key)
            if row is None or row[1] <= 0:
                raise ValueError(f"Key '{key}' not found")
            value, remaining = row
            new_value = value + delta
            self._base_set("set", full_key, new_value, max(1, round(remaining)))  # type: ignore[attr-defined]
        return new_value

    def count_hit(self, key: Any, window: int, limit: int | None = None, version: int | None = None) -> tuple[int, bool]:
        """Count one hit on `key`, in a fixed window of `window` seconds that starts at the
        window's first hit, unless the count has reached `limit` already. Returns (the count,
        this hit included when counted; whether the hit was refused). One transaction with
        the row locked: a read and one write — instead of the get, add and incr (two
        transactions, a dozen statements) the same thing takes through the cache API."""
        full_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self._table)  # type: ignore[attr-defined]
        # No savepoint when the caller's transaction holds the action the hit counts (a result
        # saved): the count is that transaction's, and undone with it.
        with transaction.atomic(using=db, savepoint=False), connection.cursor() as cursor:
            row = self._locked_row(connection, cursor, full_key)
            if row is None:
                # No row to lock: workers counting a new key at once all get here. The first
                # INSERT wins; the others wait for it on the unique key, fail, and count on its
                # row, locked this time (a savepoint keeps the transaction usable). SQLite's
                # IMMEDIATE transactions hold the write lock from BEGIN, so there nobody can
                # have inserted the key since the SELECT, and the savepoint is left out.
                try:
                    with transaction.atomic(using=db, savepoint=not _writes_locked_from_begin(connection)):
                        if next(self._new_keys) % CULL_CHECK_EVERY == 0:
                            self._cull_if_full(db, connection, cursor)
                        cursor.execute(
                            f"INSERT INTO {table} ({qn('value')}, {qn('expires')}, {qn('cache_key')}) VALUES (%s, %s, %s)",  # noqa: S608 - quoted identifiers
                            self._window_params(connection, window, full_key),
                        )
                    return 1, False
                except IntegrityError:
                    row = self._locked_row(connection, cursor, full_key)
            if row is not None and row[1] > 0:
                value = row[0]
                if limit is not None and value >= limit:
                    return int(value), True
                count = int(value) + 1
                cursor.execute(
                    f"UPDATE {table} SET {qn('value')} = %s WHERE {qn('cache_key')} = %s",  # noqa: S608 - quoted identifiers
                    [self._encode(count), full_key],
                )
                return count, False
            # An expired row of the same key: a window starts now.
            cursor.execute(
                f"UPDATE {table} SET {qn('value')} = %s, {qn('expires')} = %s WHERE {qn('cache_key')} = %s",  # noqa: S608 - quoted identifiers
                self._window_params(connection, window, full_key),
            )
        return 1, False

    def _window_params(self, connection: BaseDatabaseWrapper, window: int, full_key: str) -> list[Any]:
        """A count of 1 expiring `window` seconds from now, as Django's set would write it."""
        expires = datetime.datetime.fromtimestamp(time.time() + window, tz=datetime.UTC).replace(microsecond=0)
        return [self._encode(1), connection.ops.adapt_datetimefield_value(expires), full_key]

    def _encode(self, value: Any) -> str:
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")

    def _cull_if_full(self, db: str, connection: BaseDatabaseWrapper, cursor: Any) -> None:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(self._table)}")  # type: ignore[attr-defined] # noqa: S608
        num = cursor.fetchone()[0]
        if num > self._max_entries:
            self._cull(db, cursor, tz_now().replace(microsecond=0), num)  # type: ignore[attr-defined]
