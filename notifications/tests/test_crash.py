"""Kill -9 the worker processes in the middle of a job, restart them, and check that every
recipient got exactly one message: nothing lost, nothing doubled.

A real `manage.py qcluster` runs as a subprocess group against the test database (a file
for SQLite, `test_<name>` for PostgreSQL) and sends over real SMTP to `smtp_inbox`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction

from notifications import services
from notifications.models import Notification

RECIPIENTS = 20
DELAY_MS = 200  # each message waits this long after its claim, so the kill lands in a wait
KILL_AFTER_SENT = 5
QUEUE_RETRY = 12  # the killed job is handed out again this many seconds after it was taken


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(db["NAME"])
        assert not name.startswith("file:") and name != ":memory:", "the crash test needs a file-based SQLite test DB"
        return f"sqlite:///{name}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def sent_count() -> int:
    return Notification.objects.filter(status=Notification.Status.SENT).count()


class Cluster:
    """`manage.py qcluster` in its own process group, so one signal reaches every worker."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"], cwd=settings.BASE_DIR, env=self.env,
                stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=15)
        self.process = None


@pytest.fixture
def cluster(smtp_inbox: Any, settings: Any) -> Iterator[Cluster]:
    settings.NOTIFICATIONS_QUEUE_SYNC = False  # this process only queues; the cluster works
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": settings.EMAIL_HOST,
        "EMAIL_PORT": str(settings.EMAIL_PORT),
        "EMAIL_USE_TLS": "0",
        "EMAIL_TIMEOUT": "2",
        "NOTIFICATIONS_SENDING_TIMEOUT": "3",
        "NOTIFICATIONS_TEST_DELAY_MS": str(DELAY_MS),
        "NOTIFICATIONS_QUEUE_SYNC": "0",
        "Q_WORKERS": "2",
        "Q_TIMEOUT": "10",
        "Q_RETRY": str(QUEUE_RETRY),
        "SQLITE_NO_PERSIST": "1",
        "LOG_LEVEL": "INFO",
    }
    log = Path(tempfile.mkstemp(prefix="qcluster-", suffix=".log")[1])
    running = Cluster(env, log)
    try:
        yield running
    finally:
        running.kill()
        if os.environ.get("KEEP_QCLUSTER_LOG"):
            print(f"qcluster log: {log}")
        else:
            log.unlink(missing_ok=True)


@pytest.mark.django_db(transaction=True)
def test_killing_the_workers_mid_job_loses_and_doubles_nothing(cluster: Cluster, smtp_inbox: Any) -> None:
    addresses = [f"person{i:02d}@example.com" for i in range(RECIPIENTS)]
    fanout = services.Fanout()
    with transaction.atomic():
        for i, address in enumerate(addresses):
            row, created = services.enqueue(
                kind="other", dedupe_key=f"crash-test:{i}", address=address,
                subject="교육 안내", body=f"{address} 님께 드리는 안내입니다.", deliver=False,
            )
            fanout.add(row, created)
        fanout.deliver_later()  # one batch job for all twenty, queued on commit

    cluster.start()
    wait_for(lambda: sent_count() >= KILL_AFTER_SENT, timeout=60, what=f"{KILL_AFTER_SENT} messages sent")
    cluster.kill(signal.SIGKILL)  # the whole worker group, mid-job, no clean-up

    sent_before_restart = sent_count()
    assert KILL_AFTER_SENT <= sent_before_restart < RECIPIENTS, "the kill must land in the middle of the job"
    assert Notification.objects.filter(status=Notification.Status.SENDING).count() <= 1

    cluster.start()
    wait_for(lambda: sent_count() == RECIPIENTS, timeout=QUEUE_RETRY + 60, what="every message sent after restart")
    time.sleep(1)  # a late duplicate would arrive now

    received = Counter(message["To"] for message in smtp_inbox.messages)
    assert received == Counter(addresses), f"expected each recipient exactly once, got {received}"
    assert not Notification.objects.exclude(status=Notification.Status.SENT).exists()
