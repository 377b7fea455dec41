"""Run code in many threads at once, each on its own database connection.

PostgreSQL and a file-based SQLite test database are shared by new connections as they
are. An in-memory SQLite test database is not usable from other threads for concurrent
writes (shared-cache mode answers "database table is locked" at once instead of waiting),
so `shared_database()` copies it to a temporary file and points the `default` connection
of every participating thread at that file, with the project's own SQLite options
(WAL, BEGIN IMMEDIATE, busy timeout): the same engine production uses.
"""

from __future__ import annotations

import contextlib
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connection, connections


class _SharedFile:
    def __init__(self) -> None:
        self.settings: dict[str, Any] | None = None

    def attach(self) -> None:
        """Call first in each worker thread (and in the main thread via shared_database)."""
        if self.settings is None:
            return
        from django.db.utils import load_backend

        engine = load_backend(self.settings["ENGINE"])  # the project's own (core.sqlite)
        connections[DEFAULT_DB_ALIAS] = engine.DatabaseWrapper(dict(self.settings), alias=DEFAULT_DB_ALIAS)


@contextlib.contextmanager
def shared_database() -> Iterator[_SharedFile]:
    shared = _SharedFile()
    if connection.vendor != "sqlite" or not cast(Any, connection).is_in_memory_db():
        yield shared
        return
    connection.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="lifecareer-concurrency-") as tmp:
        path = Path(tmp) / "db.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        shared.settings = {**connection.settings_dict, "NAME": str(path)}
        original = connections[DEFAULT_DB_ALIAS]
        shared.attach()
        try:
            yield shared
        finally:
            connections[DEFAULT_DB_ALIAS].close()
            connections[DEFAULT_DB_ALIAS] = original


def run_in_threads(shared: _SharedFile, work: Callable[[int], Any], count: int, *, timeout: float = 120) -> list[BaseException]:
    """Start `count` threads that wait at a barrier, then each call work(i); returns the
    exceptions raised (an empty list when all succeeded)."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            shared.attach()
            barrier.wait(timeout=timeout)
            work(i)
        except BaseException as exc:  # reported to the test
            with lock:
                errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,), name=f"worker-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    alive = [t.name for t in threads if t.is_alive()]
    if alive:
        errors.append(TimeoutError(f"threads still running: {alive}"))
    return errors
