"""Django's SQLite engine, with writers that wait their turn in the kernel instead of asleep.

With WAL and IMMEDIATE transactions (settings), every transaction takes SQLite's one write
lock at BEGIN. A writer that finds the lock taken waits in SQLite's busy handler, which sleeps
1, 2, 5, 10, 15, … ms between tries, however short the holder's transaction: a diagnosis
submit holds the lock for a fraction of a millisecond. Under load, the two app workers were
idle a third of the time, asleep while the lock was free (ADR 0013 has the figures).

Here a transaction first takes its turn: an exclusive `flock` on a file beside the database
(`<database>.writer-lock`), let go when the transaction commits or rolls back. A writer that
finds the turn taken blocks in the kernel and wakes the moment it is let go. SQLite's own
locking is unchanged underneath, so nothing depends on the turn for correctness: statements
outside a transaction, other programs (the `sqlite3` shell, a backup) and a second connection
of a thread that holds the turn still meet SQLite's lock and its busy timeout, as before.

The turn is a file of its own because closing any descriptor of the database file would drop
SQLite's POSIX locks on it (sqlite.org/howtocorrupt.html, "posix advisory locks canceled").
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from typing import Any

from django.db.backends.sqlite3 import base, creation

_held = threading.local()


def _turns_held() -> set[str]:
    """The lock files this thread holds a turn on, in this process: a second connection of
    the thread to the same database (another alias) must not wait for its own thread's turn."""
    if getattr(_held, "pid", None) != os.getpid():  # a forked child holds none of its parent's
        _held.pid, _held.paths = os.getpid(), set()
    paths: set[str] = _held.paths
    return paths


def lock_path(database_name: str) -> str:
    return f"{database_name}.writer-lock"


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name: str, verbosity: int) -> None:
        super()._destroy_test_db(test_database_name, verbosity)  # type: ignore[misc]  # Django's, private, so not in django-stubs
        if test_database_name and not self.is_in_memory_db(test_database_name):
            with contextlib.suppress(FileNotFoundError):
                os.remove(lock_path(test_database_name))


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation

    _turn_fd: int | None = None
    _turn_fd_pid: int | None = None  # the process that opened _turn_fd
    _turn_held: str | None = None  # the lock file while this connection holds the turn

    def _lock_file(self) -> str | None:
        """None when transactions do not take the write lock at BEGIN (then they need no
        turn) or the database is in memory (one connection, no file beside it)."""
        if str(getattr(self, "transaction_mode", None) or "").upper() != "IMMEDIATE" or self.is_in_memory_db():
            return None
        return lock_path(str(self.settings_dict["NAME"]))

    def _take_turn(self) -> None:
        path = self._lock_file()
        if path is None or path in _turns_held():
            return
        if self._turn_fd is not None and self._turn_fd_pid != os.getpid():
            # Inherited across a fork: the descriptor shares the parent's lock, so it cannot
            # exclude the parent. Closing the child's copy leaves the parent's lock alone.
            os.close(self._turn_fd)
            self._turn_fd = None
        if self._turn_fd is None:
            self._turn_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._turn_fd_pid = os.getpid()
        fcntl.flock(self._turn_fd, fcntl.LOCK_EX)  # releases the GIL while it waits
        self._turn_held = path
        _turns_held().add(path)

    def _end_turn(self) -> None:
        if self._turn_held is None or self._turn_fd is None:
            return
        _turns_held().discard(self._turn_held)
        self._turn_held = None
        if self._turn_fd_pid == os.getpid():  # a forked child's copy would let go of its parent's turn
            fcntl.flock(self._turn_fd, fcntl.LOCK_UN)

    def _start_transaction_under_autocommit(self) -> None:
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # Django's, private, so not in django-stubs
        except BaseException:
            self._end_turn()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]  # Django's, private, so not in django-stubs
        finally:
            self._end_turn()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]  # Django's, private, so not in django-stubs
        finally:
            self._end_turn()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]  # Django's, private, so not in django-stubs
        finally:
            self._end_turn()
            if self._turn_fd is not None:
                os.close(self._turn_fd)  # a forked child's copy too: the parent's stays open
                self._turn_fd = None
