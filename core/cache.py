"""The shared cache when no Redis is configured: Django's database cache, with an atomic `incr`.

Django's `DatabaseCache.incr` is a read followed by a write and resets the key's expiry, so
two workers counting at once both see 4 and both write 5, and a fixed one-hour window
would restart on every hit. Here the row is locked (PostgreSQL `SELECT … FOR UPDATE`;
SQLite's IMMEDIATE transactions, see settings, take the write lock at BEGIN), and the
expiry is kept. Redis' own `incr` (INCRBY) already behaves this way.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        full_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        table = qn(self._table)  # type: ignore[attr-defined]
        sql = f"SELECT {qn('value')}, {qn('expires')} FROM {table} WHERE {qn('cache_key')} = %s{lock}"  # noqa: S608 - names are quoted identifiers
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(sql, [full_key])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            expires = row[1]
            expression = models.Expression(output_field=models.DateTimeField())
            for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
                expires = converter(expires, expression, connection)
            remaining = (expires - tz_now()).total_seconds()
            if remaining <= 0:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301 - our own cache rows
            new_value = value + delta
            self._base_set("set", full_key, new_value, max(1, round(remaining)))  # type: ignore[attr-defined]
        return new_value
