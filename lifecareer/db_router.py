"""The database router: every write and every ordinary read on the primary ("default");
report reads on the streaming replica ("replica") only where a view asks for it.

Reads go to the replica **only** through `report_db()`, called by a read-only report or
staff-list view right before it builds its queryset (`qs.using(report_db())`). Nothing is
routed to the replica by model: a citizen who has just saved a result must see it on the
next page, and a replica a few hundred milliseconds behind would not have it yet. Staff
reports can live with that lag (docs/operations.md §10, docs/decisions/0010-topology.md).

`report_db()` answers "default" instead of "replica" when

- no replica is configured (`DATABASE_REPLICA_URL` unset; then there is no "replica" alias),
- this request has already written (any ORM write asks `db_for_write`, which notes it): a
  read that follows a write in the same request must see that write,
- the request is inside a transaction on the primary,
- the replica cannot be reached: the connection error is logged as a warning, and the
  replica is not tried again by this process for `REPLICA_RETRY_AFTER` seconds, so a dead
  replica costs one refused connection per process per interval, not one per request.

A report whose query fails on the replica after `report_db()` said yes (the replica died in
between) is a request in flight: it gets the ordinary server error, and the next one goes
to the primary.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from typing import Any

from django.core.signals import request_started
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model

logger = logging.getLogger(__name__)

REPLICA = "replica"
REPLICA_RETRY_AFTER = 30.0  # seconds a process keeps away from a replica it could not reach

_state = threading.local()  # per thread: granian runs one request at a time per thread
_replica_down_until = 0.0  # per process: monotonic time before which the replica is skipped


def _reset_request_state(**_kwargs: Any) -> None:
    _state.wrote = False


request_started.connect(_reset_request_state, dispatch_uid="lifecareer.db_router.reset")


def wrote_in_this_request() -> bool:
    return bool(getattr(_state, "wrote", False))


def replica_configured() -> bool:
    return REPLICA in connections.settings  # DATABASE_REPLICA_URL was set


def _replica_reachable() -> bool:
    global _replica_down_until
    if time.monotonic() < _replica_down_until:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()  # a kept connection to a replica that died
        replica.ensure_connection()
    except DatabaseError as exc:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_AFTER
        logger.warning("replica unreachable, report reads go to the primary for %.0f s: %s", REPLICA_RETRY_AFTER, exc)
        with contextlib.suppress(DatabaseError):
            replica.close()
        return False
    return True


def report_db() -> str:
    """The alias a read-only report reads from: the replica when it is safe and reachable."""
    if not replica_configured() or wrote_in_this_request():
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA if _replica_reachable() else DEFAULT_DB_ALIAS


class PrimaryReplicaRouter:
    """Writes and migrations: the primary only. Reads: wherever the caller or the instance
    says (Django's default), which is the primary unless `report_db()` chose the replica."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return None  # `.using()` or the instance's own database, else the primary

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        _state.wrote = True
        return DEFAULT_DB_ALIAS  # an object read from the replica is saved to the primary

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        both = {obj1._state.db or DEFAULT_DB_ALIAS, obj2._state.db or DEFAULT_DB_ALIAS}
        return True if both <= {DEFAULT_DB_ALIAS, REPLICA} else None  # the same data

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return False if db == REPLICA else None  # the replica follows the primary's WAL, schema included
