"""core.sqlite: a SQLite transaction holds the writers' turn from BEGIN to its end.

The turn is an exclusive flock on `<database>.writer-lock`; another descriptor's
non-blocking flock on that file tells whether somebody holds it. These tests open their own
connections to the test database, so they run outside the per-test transaction
(`transactional_db`), which would itself hold the turn.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection, connections

from core.sqlite.base import DatabaseWrapper, lock_path

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the turn is SQLite's engine"),
]


@pytest.fixture
def wrappers() -> Iterator[list[DatabaseWrapper]]:
    """Two new connections to the test database, closed after the test."""
    opened = [connections.create_connection("default") for _ in range(2)]
    assert all(isinstance(wrapper, DatabaseWrapper) for wrapper in opened)
    yield opened  # type: ignore[misc]  # narrowed by the assert above
    for wrapper in opened:
        wrapper.close()


def begin(wrapper: DatabaseWrapper) -> None:
    """What transaction.atomic does on entering its outermost block."""
    wrapper.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def end(wrapper: DatabaseWrapper, *, commit: bool) -> None:
    """What transaction.atomic does on leaving it."""
    wrapper.commit() if commit else wrapper.rollback()
    wrapper.set_autocommit(True)


def turn_is_taken(wrapper: DatabaseWrapper) -> bool:
    fd = os.open(lock_path(wrapper.settings_dict["NAME"]), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing the descriptor lets go of a lock it took
    return False


def test_the_engine_is_the_one_with_turns() -> None:
    assert isinstance(connections["default"], DatabaseWrapper)


@pytest.mark.parametrize("commit", [True, False], ids=["commit", "rollback"])
def test_a_transaction_holds_the_turn_until_it_ends(wrappers: list[DatabaseWrapper], commit: bool) -> None:
    first = wrappers[0]
    first.ensure_connection()
    assert not turn_is_taken(first)
    begin(first)
    assert turn_is_taken(first)
    end(first, commit=commit)
    assert not turn_is_taken(first)


def test_closing_a_connection_in_a_transaction_lets_the_turn_go(wrappers: list[DatabaseWrapper]) -> None:
    first = wrappers[0]
    begin(first)
    first.close()
    assert not turn_is_taken(first)


def test_a_failed_begin_lets_the_turn_go(wrappers: list[DatabaseWrapper]) -> None:
    first = wrappers[0]
    first.ensure_connection()
    first.connection.execute("BEGIN")  # a transaction already open: BEGIN IMMEDIATE fails
    with pytest.raises(DatabaseError):
        begin(first)
    assert not turn_is_taken(first)
    first.connection.execute("ROLLBACK")


def test_a_second_writer_waits_for_the_first_and_then_writes(wrappers: list[DatabaseWrapper]) -> None:
    first, second = wrappers
    first.ensure_connection()
    first.connection.execute("CREATE TABLE turn_probe (n integer)")
    begin(first)
    first.connection.execute("INSERT INTO turn_probe VALUES (1)")
    began = threading.Event()
    failures: list[BaseException] = []

    def write_second() -> None:
        try:
            second.inc_thread_sharing()  # opened in the test's thread, used in this one
            begin(second)
            began.set()
            second.connection.execute("INSERT INTO turn_probe VALUES (2)")
            end(second, commit=True)
        except BaseException as exc:  # reported to the test
            failures.append(exc)
        finally:
            second.dec_thread_sharing()

    writer = threading.Thread(target=write_second)
    writer.start()
    time.sleep(0.3)
    assert not began.is_set()  # still waiting (the turn; SQLite's own lock would hold it too)
    end(first, commit=True)
    writer.join(timeout=10)
    assert not writer.is_alive() and failures == []
    assert sorted(n for (n,) in first.connection.execute("SELECT n FROM turn_probe")) == [1, 2]
    first.connection.execute("DROP TABLE turn_probe")


def test_a_thread_holding_the_turn_does_not_wait_for_it_on_another_connection(wrappers: list[DatabaseWrapper]) -> None:
    """Two aliases of one database in one thread: the second transaction meets SQLite's own
    lock (and its busy timeout), never the turn its own thread holds."""
    first, second = wrappers
    second.settings_dict["OPTIONS"] = {**second.settings_dict["OPTIONS"], "timeout": 0.2}
    outcome: list[str] = []

    def both_in_one_thread() -> None:
        begin(first)
        try:
            begin(second)
            outcome.append("began")
        except DatabaseError:
            outcome.append("database is locked")
        finally:
            end(first, commit=False)

    for wrapper in wrappers:
        wrapper.inc_thread_sharing()
    # a thread of its own, so that a wait for the turn would fail the test, not hang the suite
    thread = threading.Thread(target=both_in_one_thread, daemon=True)
    thread.start()
    thread.join(timeout=10)
    assert outcome == ["database is locked"]


def test_a_forked_child_waits_for_its_parents_turn(wrappers: list[DatabaseWrapper]) -> None:
    """django-q2's cluster forks: a descriptor inherited from the parent shares the parent's
    lock, so the child must take its turn on a descriptor of its own."""
    first = wrappers[0]
    begin(first)
    end(first, commit=True)  # the descriptor is open now
    begin(first)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        os.close(read)
        first._take_turn()
        os.write(write, f"{time.monotonic()}".encode())
        os._exit(0)
    os.close(write)
    time.sleep(0.3)
    released_at = time.monotonic()
    end(first, commit=True)
    took_at = float(os.read(read, 64).decode())
    os.waitpid(child, 0)
    os.close(read)
    assert took_at >= released_at


def test_a_forked_child_does_not_let_go_of_its_parents_turn(wrappers: list[DatabaseWrapper]) -> None:
    first = wrappers[0]
    begin(first)
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's coverage is not collected
        first._end_turn()  # what its commit, rollback or close would do
        os._exit(0)
    os.waitpid(child, 0)
    assert turn_is_taken(first)
    end(first, commit=True)
