"""Django's database session store, with the read of a session as one plain statement.

Every request that carries a session cookie reads its session (the diagnosis steps read
their draft's token from it, every signed-in page its user). Django does it with
`Session.objects.get(session_key=…, expire_date__gt=now)`: the ORM builds and compiles
that query each time (~0.1–0.2 ms, a tenth of a step page) to read one column. `load`
runs the same SELECT — same table, same conditions, the time adapted as the ORM adapts it,
so the same rows — as SQL written once, and reads only `session_data`. Everything else
(saving, creating, deleting, the async methods) is Django's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DjangoSessionStore):
    def load(self) -> dict[str, Any]:
        model = self.model
        connection = connections[router.db_for_read(model)]
        qn = connection.ops.quote_name
        sql = (
            f"SELECT {qn('session_data')} FROM {qn(model._meta.db_table)} "  # noqa: S608 - quoted identifiers
            f"WHERE {qn('session_key')} = %s AND {qn('expire_date')} > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:  # no such session, or expired: as Django's _get_session_from_db
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data
