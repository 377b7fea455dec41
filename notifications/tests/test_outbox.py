"""The outbox: one row per dedupe key, delivery exactly once, recovery by the sweep."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from core.states import IllegalTransition
from notifications import services
from notifications.models import Notification
from notifications.tests.factories import make_user, queued

pytestmark = pytest.mark.django_db
Status = Notification.Status


def queued_tasks() -> list[dict[str, Any]]:
    return [SignedPackage.loads(row.payload) for row in OrmQ.objects.order_by("pk")]


def test_a_second_enqueue_of_the_same_key_does_nothing() -> None:
    first, created = services.enqueue(kind="other", dedupe_key="k:1", address="a@example.com", body="하나")
    second, created_again = services.enqueue(kind="other", dedupe_key="k:1", address="a@example.com", body="둘")
    assert created and not created_again
    assert second.pk == first.pk and second.body == "하나"
    assert Notification.objects.count() == 1


def test_enqueue_takes_the_address_from_the_recipient() -> None:
    user = make_user(email="kim@example.com")
    row, _ = services.enqueue(kind="other", dedupe_key="k:2", recipient=user, body="본문")
    assert row.address == "kim@example.com" and row.recipient == user


def test_enqueue_refuses_a_message_without_an_address() -> None:
    with pytest.raises(ValueError):
        services.enqueue(kind="other", dedupe_key="k:3", body="본문")
    with pytest.raises(ValueError):
        services.enqueue(kind="other", dedupe_key="k:4", channel="sms", body="본문")


@pytest.fixture
def real_queue(settings: Any) -> None:
    settings.NOTIFICATIONS_QUEUE_SYNC = False  # the root conftest may make tests deliver in-process


@pytest.mark.usefixtures("real_queue")
def test_the_task_row_is_written_in_the_actions_transaction(django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        row = queued("k:5", deliver=True)
        tasks = queued_tasks()
    assert callbacks == []  # nothing left for after the commit: the row commits with the outbox row
    assert [(t["func"], t["args"]) for t in tasks] == [("notifications.tasks.deliver", (row.pk,))]


@pytest.mark.usefixtures("real_queue")
def test_a_rolled_back_action_leaves_no_task_row() -> None:
    from django.db import transaction

    try:
        with transaction.atomic():
            queued("k:5b", deliver=True)
            raise RuntimeError("the action failed")
    except RuntimeError:
        pass
    assert OrmQ.objects.count() == 0 and Notification.objects.count() == 0


@pytest.mark.usefixtures("real_queue")
def test_with_another_broker_delivery_is_queued_after_commit(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "orm": "another"}  # e.g. Redis: a push cannot join the transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued("k:5c", deliver=True)
    assert len(callbacks) == 1 and OrmQ.objects.count() == 0


def test_the_compiled_task_row_is_the_orm_brokers_and_the_cluster_takes_it() -> None:
    from django_q.brokers.orm import ORM
    from django_q.conf import Conf

    from notifications.broker import TaskRow

    package = SignedPackage.dumps({"id": "t", "func": services.TASK_DELIVER, "args": (1,), "kwargs": {}})
    by_orm, mine = ORM(list_key=Conf.CLUSTER_NAME).enqueue(package), TaskRow(list_key=Conf.CLUSTER_NAME).enqueue(package)
    rows = {row.pk: row for row in OrmQ.objects.all()}
    assert (rows[mine].key, rows[mine].payload) == (rows[by_orm].key, rows[by_orm].payload) == (Conf.CLUSTER_NAME, package)
    assert rows[mine].lock is not None and abs(rows[mine].lock - rows[by_orm].lock) < dt.timedelta(seconds=5)
    rows[mine].lock = rows[by_orm].lock = timezone.now() - dt.timedelta(seconds=1)  # due, as the cluster sees it
    OrmQ.objects.bulk_update(rows.values(), ["lock"])
    broker = ORM(list_key=Conf.CLUSTER_NAME)
    taken = [pk for _ in range(2) for pk, _payload in broker.dequeue() or []]  # Conf.BULK tasks at a time
    assert sorted(taken) == sorted([by_orm, mine])


def test_a_rolled_back_action_queues_nothing(django_capture_on_commit_callbacks: Any) -> None:
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                queued("k:6", deliver=True)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
    assert callbacks == [] and Notification.objects.count() == 0


@pytest.mark.usefixtures("real_queue")
def test_a_fanout_queues_one_batch_task(django_capture_on_commit_callbacks: Any) -> None:
    users = [make_user() for _ in range(3)]
    fanout = services.Fanout()
    with django_capture_on_commit_callbacks(execute=True):
        for user in users:
            services.notify_person(user, kind="other", key=f"fan:{user.pk}", subject="s", body="b", fanout=fanout)
        fanout.deliver_later()
    (task,) = queued_tasks()
    assert task["func"] == "notifications.tasks.deliver_batch"
    assert sorted(task["args"][0]) == sorted(Notification.objects.values_list("pk", flat=True))


def test_in_sync_mode_the_queue_delivers_on_commit(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.NOTIFICATIONS_QUEUE_SYNC = True
    with django_capture_on_commit_callbacks(execute=True):
        row = queued("k:sync", deliver=True)
    row.refresh_from_db()
    assert row.status == Status.SENT and len(mail.outbox) == 1
    assert OrmQ.objects.count() == 0


def test_deliver_sends_once_and_records_it() -> None:
    row = queued("k:7")
    assert services.deliver(row.pk) == Status.SENT
    assert services.deliver(row.pk) == "skipped"
    row.refresh_from_db()
    assert row.status == Status.SENT and row.sent_at is not None and row.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["X-Lifecareer-Notification"] == "k:7"


def test_deliver_attaches_text_files() -> None:
    row = queued("k:8", attachments=[services.Attachment("a.ics", "BEGIN:VCALENDAR", "text/calendar")])
    services.deliver(row.pk)
    assert mail.outbox[0].attachments[0][:2] == ("a.ics", "BEGIN:VCALENDAR")


def test_a_fresh_claim_is_left_to_its_worker() -> None:
    row = queued("k:9")
    row.claim()
    assert services.deliver(row.pk) == "skipped"
    assert mail.outbox == []


def test_a_stale_claim_is_taken_over(settings: Any) -> None:
    row = queued("k:10")
    with time_machine.travel(timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT + 5)):
        row.claim()
    assert services.deliver(row.pk) == Status.SENT
    row.refresh_from_db()
    assert row.attempts == 2 and len(mail.outbox) == 1


def test_a_failed_send_is_retried_later_with_backoff(settings: Any) -> None:
    settings.EMAIL_BACKEND = "notifications.tests.test_outbox.BrokenBackend"
    row = queued("k:11")
    assert services.deliver(row.pk) == Status.PENDING
    row.refresh_from_db()
    assert "SMTP down" in row.last_error
    assert row.retry_at is not None and row.retry_at > timezone.now()
    assert row.pk not in services.due_for_sweep()
    assert row.pk in services.due_for_sweep(row.retry_at + dt.timedelta(seconds=1))


def test_a_message_fails_for_good_after_the_last_attempt(settings: Any) -> None:
    settings.EMAIL_BACKEND = "notifications.tests.test_outbox.BrokenBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    row = queued("k:12")
    assert services.deliver(row.pk) == Status.PENDING
    assert services.deliver(row.pk) == Status.FAILED
    assert services.deliver(row.pk) == "skipped"


def test_the_sweep_delivers_what_the_queue_lost_and_what_a_dead_worker_left(settings: Any) -> None:
    long_ago = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT + 60)
    with time_machine.travel(long_ago):
        queued("k:13")
        dead = queued("k:14")
        dead.claim()
    fresh = queued("k:15")
    assert services.sweep() == {Status.SENT: 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["k-13@example.com", "k-14@example.com"]
    fresh.refresh_from_db()
    assert fresh.status == Status.PENDING
    assert services.sweep() == {}


def test_transitions_refuse_illegal_jumps() -> None:
    row = queued("k:16")
    with pytest.raises(IllegalTransition):
        row.mark_sent()


def test_old_sent_messages_are_purged(settings: Any) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS + 1)):
        old = queued("k:17")
        services.deliver(old.pk)
        queued("k:18")
    recent = queued("k:19")
    services.deliver(recent.pk)
    assert services.purge_old() == 1
    assert set(Notification.objects.values_list("dedupe_key", flat=True)) == {"k:18", "k:19"}


class BrokenBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("SMTP down")
