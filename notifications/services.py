"""Actions of the outbox: put a message in it, deliver it, recover what a crash left behind.

Exactly-once, as far as the outside world allows:

* `enqueue` writes the row in the caller's transaction, under a unique `dedupe_key`; a
  second enqueue of the same key returns the existing row and sends nothing. Only after
  the transaction commits is a `deliver` task put on the queue (`on_commit`), so a
  rolled-back action never mails anyone.
* `deliver` claims the row (pending → sending) in its own short transaction, holding the
  row lock (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite every atomic block starts with
  `BEGIN IMMEDIATE`, the database write lock), hands the message to the channel outside
  any transaction, then records sending → sent. A row already sent is never sent again.
  A row whose message a composer writes (notifications/composers.py) is written and
  stored on the row just before it is handed over.
* `sweep` (every minute) re-delivers pending rows the queue lost and takes over `sending`
  claims older than `NOTIFICATIONS_SENDING_TIMEOUT` (the worker died).

The one gap: a worker that dies after the SMTP server accepted a message but before
"sent" is committed leaves a `sending` row; its message goes out a second time when the
claim is taken over. See docs/jobs.md, "Crash safety".
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from core import compiled
from notifications import composers
from notifications.channels import get_channel
from notifications.composers import Later
from notifications.models import Notification, SmsContact

logger = logging.getLogger(__name__)

Status = Notification.Status
Channel = Notification.Channel

TASK_DELIVER = "notifications.tasks.deliver"
TASK_DELIVER_BATCH = "notifications.tasks.deliver_batch"
SWEEP_BATCH = 200
SWEEP_BUDGET_SECONDS = 40.0  # stay well inside the queue's task timeout


# --- the queue ------------------------------------------------------------------------


def _queue(func: str, *args: Any) -> None:
    """Hand a task to django-q after the action committed. Never raises: if the broker is
    unreachable the rows stay pending and the sweep delivers them.

    With the database broker on PostgreSQL the task row is committed without waiting for
    the disk (`synchronous_commit` off for its own short transaction): it is a wake-up call,
    not a record. The outbox row it points to was committed durably by the action; were
    the task row lost in a crash, that row would still be pending and the sweep would
    deliver it. Waiting for a second disk flush per action (the action's own commit is
    the first) roughly doubled an enrolment's time on a busy machine (bench/writes.py)."""
    from django_q.tasks import async_task

    sync = settings.NOTIFICATIONS_QUEUE_SYNC  # django-q's in-process mode, for tests that want the mail on commit
    relaxed = "orm" in settings.Q_CLUSTER and connection.vendor == "postgresql" and not sync
    try:
        with transaction.atomic() if relaxed else contextlib.nullcontext():
            if relaxed:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            async_task(func, *args, group="notifications", sync=sync)
    except Exception:
        logger.exception("notifications: could not queue %s%r; the sweep will retry", func, args)


def _queue_in_transaction(func: str, *args: Any) -> None:
    """Write the task row in the caller's transaction (database broker on this database).

    It commits with the outbox row it points to, or rolls back with it: the worker can
    never see the one without the other, and the action pays one INSERT instead of a
    second transaction after its commit (BEGIN, SET LOCAL, INSERT, COMMIT: four round
    trips and a commit record, bench/writes.py). Not for Redis (a push cannot join the
    transaction) nor django-q's in-process mode (it would deliver before the commit).

    Anything failing before the INSERT (building or signing the task) is logged and
    leaves the row pending for the sweep, as `_queue` does; a database error in the INSERT
    propagates: the broker is the action's own database, and PostgreSQL has already
    aborted the transaction, so the action fails whole."""
    from django.db import DatabaseError
    from django_q.tasks import async_task

    from notifications.broker import TaskRow

    try:
        async_task(func, *args, group="notifications", broker=TaskRow())
    except DatabaseError:
        raise
    except Exception:
        logger.exception("notifications: could not queue %s%r; the sweep will retry", func, args)


def _queue_joins_transaction() -> bool:
    """Whether the task row can be written in the current transaction (see above)."""
    return (
        settings.Q_CLUSTER.get("orm") == connection.alias
        and not settings.NOTIFICATIONS_QUEUE_SYNC
        and connection.in_atomic_block
    )


def deliver_later(notification_ids: Sequence[int]) -> None:
    """Queue delivery of these rows with the current transaction: one task for one row,
    one batch task for many (a fan-out such as a cancelled session). With the database
    broker the task row is written now, in the transaction; otherwise it is handed to
    the broker once the transaction commits."""
    ids = list(notification_ids)
    if not ids:
        return
    task = (TASK_DELIVER, ids[0]) if len(ids) == 1 else (TASK_DELIVER_BATCH, ids)
    if _queue_joins_transaction():
        _queue_in_transaction(*task)
    else:
        transaction.on_commit(partial(_queue, *task), robust=True)


# --- putting messages in the outbox ---------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: str
    mimetype: str = "text/plain"

    def as_json(self) -> dict[str, str]:
        return {"filename": self.filename, "content": self.content, "mimetype": self.mimetype}


def enqueue(
    *,
    kind: str,
    dedupe_key: str,
    body: str = "",
    channel: str = Channel.EMAIL,
    recipient: User | None = None,
    address: str = "",
    phone: str = "",
    subject: str = "",
    attachments: Iterable[Attachment] = (),
    deliver: bool = True,
    fresh: bool = False,
    later: Later | None = None,
) -> tuple[Notification, bool]:
    """Create the outbox row for `dedupe_key` unless it exists. Returns (row, created).

    Either the message itself (`subject`, `body`, `attachments`) or `later`: the composer
    that writes it at delivery (notifications/composers.py).

    With `deliver=False` the caller queues delivery itself (`deliver_later`), e.g. one
    batch task for a whole fan-out.

    The insert comes first, in a savepoint: a new key (nearly always: keys name a new
    place or booking) costs SAVEPOINT, INSERT, RELEASE inside the caller's transaction; a
    key already there rolls back to the savepoint (the caller's transaction stays usable)
    and the existing row is returned. `fresh=True`: the key names a row the caller has
    created in this same transaction (a new place, a new booking), so it cannot exist yet;
    the row is inserted without the savepoint (should it ever exist, the IntegrityError
    rolls the caller's action back: nothing is half done)."""
    if channel == Channel.EMAIL and not address and recipient is not None:
        address = getattr(recipient, "email", "") or ""
    if channel == Channel.EMAIL and not address:
        raise ValueError("an e-mail notification needs an address")
    if channel == Channel.SMS and not phone:
        raise ValueError("an SMS notification needs a phone number")
    if later is not None and (body or subject or attachments):
        raise ValueError("a message is either written now or by its composer, not both")
    if later is None and not body:
        raise ValueError("a notification needs a body or a composer")
    notification = Notification(
        dedupe_key=dedupe_key,
        recipient=recipient,
        address=address if channel == Channel.EMAIL else "",
        phone=phone if channel == Channel.SMS else "",
        channel=channel,
        kind=kind,
        subject=subject[:200],
        body=body,
        attachments=[a.as_json() for a in attachments],
        composer=later.composer if later else "",
        composer_args=later.args if later else {},
    )
    if fresh:
        compiled.insert(notification)
        if deliver:
            deliver_later([notification.pk])
        return notification, True
    try:
        with transaction.atomic():
            compiled.insert(notification)
    except IntegrityError:
        existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
        if existing is None:
            raise  # another constraint than the key: a bug, not a duplicate
        return existing, False
    if deliver:
        deliver_later([notification.pk])
    return notification, True


def sms_phone(user: User) -> str:
    """The person's mobile number if they opted in to text reminders, else ''."""
    contact = SmsContact.objects.filter(user=user).first()
    return contact.phone if contact else ""


@dataclass
class Fanout:
    """Collects the rows of one fan-out and queues a single batch task for them."""

    ids: list[int] = field(default_factory=list)

    def add(self, notification: Notification, created: bool) -> None:
        if created:
            self.ids.append(notification.pk)

    def deliver_later(self) -> None:
        deliver_later(self.ids)
        self.ids = []


@transaction.atomic(savepoint=False)  # nothing in it raises before a write; see enqueue
def notify_person(
    user: User,
    *,
    kind: str,
    key: str,
    subject: str = "",
    body: str = "",
    sms_text: str = "",
    attachments: Iterable[Attachment] = (),
    fanout: Fanout | None = None,
    fresh: bool = False,
    phone: str | None = None,
    later: Later | None = None,
) -> list[Notification]:
    """E-mail the person and, if they opted in and `sms_text` is given, text them too.
    `key` names the event (e.g. `reminder_3d:session:12:user:5`); the channel is appended
    to make each row's dedupe key. `phone`: their opt-in number ('' for none) when the
    caller has read it already, e.g. with the lock it takes on the person; None: read here.
    `later`: instead of the texts, the composer that writes both at delivery (its `sms`
    says whether there is a text message)."""
    rows: list[Notification] = []
    collect = fanout or Fanout()
    email = getattr(user, "email", "") or ""
    if email:
        row, created = enqueue(
            kind=kind, dedupe_key=f"{key}:email", recipient=user, address=email,
            subject=subject, body=body, attachments=attachments, deliver=False, fresh=fresh, later=later,
        )
        collect.add(row, created)
        rows.append(row)
    if not (sms_text or (later is not None and later.sms)):
        phone = ""
    elif phone is None:
        phone = sms_phone(user)
    if phone:
        row, created = enqueue(
            kind=kind, dedupe_key=f"{key}:sms", channel=Channel.SMS, recipient=user, phone=phone,
            body="" if later else sms_text, deliver=False, fresh=fresh, later=later,
        )
        collect.add(row, created)
        rows.append(row)
    if fanout is None:
        collect.deliver_later()
    return rows


@dataclass(frozen=True)
class PersonMessage:
    """One `notify_person` call, for `notify_many`."""

    user: User
    kind: str
    key: str
    subject: str
    body: str
    sms_text: str = ""


DELIVER_CHUNK = 20  # rows per delivery task: a task stays well inside the queue's timeout


@transaction.atomic
def notify_many(messages: Sequence[PersonMessage]) -> int:
    """`notify_person` for many people at once (a daily job's mail): the same rows under the
    same dedupe keys, with one query for the SMS opt-ins and one bulk INSERT that skips keys
    already in the outbox; delivery is queued after commit in tasks of DELIVER_CHUNK rows.
    Returns how many rows were written."""
    if not messages:
        return 0
    texted = {m.user.pk for m in messages if m.sms_text}
    phones = dict(SmsContact.objects.filter(user_id__in=texted).values_list("user_id", "phone")) if texted else {}
    rows: list[Notification] = []
    for m in messages:
        email = getattr(m.user, "email", "") or ""
        if email:
            rows.append(Notification(
                recipient=m.user, address=email, channel=Channel.EMAIL, kind=m.kind, dedupe_key=f"{m.key}:email",
                subject=m.subject[:200], body=m.body, attachments=[],
            ))
        phone = phones.get(m.user.pk, "") if m.sms_text else ""
        if phone:
            rows.append(Notification(recipient=m.user, phone=phone, channel=Channel.SMS, kind=m.kind, dedupe_key=f"{m.key}:sms", body=m.sms_text))
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    keys = [r.dedupe_key for r in rows]
    # Queue what is pending under these keys (a row that existed before is queued again at
    # most: delivery claims each row, so nothing goes out twice).
    ids = list(Notification.objects.filter(dedupe_key__in=keys, status=Status.PENDING).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), DELIVER_CHUNK):
        deliver_later(ids[start : start + DELIVER_CHUNK])
    return len(rows)


# --- delivering -----------------------------------------------------------------------


def retry_delay(attempts: int) -> dt.timedelta:
    """Back off after each failed attempt: grace, 2×grace, 4×grace … at most 6 hours."""
    seconds = settings.NOTIFICATIONS_PENDING_GRACE * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 6 * 3600))


def _stale_before(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=settings.NOTIFICATIONS_SENDING_TIMEOUT)


def _claim(notification_id: int) -> Notification | None:
    """pending → sending under the row lock; None when there is nothing to do."""
    now = timezone.now()
    with transaction.atomic():
        row = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if row is None or row.status in (Status.SENT, Status.FAILED):
            return None
        if row.status == Status.SENDING and row.claimed_at is not None and row.claimed_at > _stale_before(now):
            return None  # another worker is sending it right now
        if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            row.mark_failed(row.last_error or "too many attempts")
            logger.error("notifications: %s failed after %d attempts", row.dedupe_key, row.attempts)
            return None
        row.claim()
        return row


def _finish(notification_id: int, error: str | None) -> str:
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(pk=notification_id)
        if row.status != Status.SENDING:
            return str(row.status)  # a takeover already finished it
        if error is None:
            row.mark_sent()
        elif row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
            row.mark_failed(error)
        else:
            row.mark_retry(error, timezone.now() + retry_delay(row.attempts))
        return str(row.status)


def deliver(notification_id: int) -> str:
    """Send one outbox row if it still needs sending. Returns the resulting status, or
    'skipped' when it was already sent, failed or being sent by another worker."""
    row = _claim(notification_id)
    if row is None:
        return "skipped"
    if settings.NOTIFICATIONS_TEST_DELAY_MS:
        time.sleep(settings.NOTIFICATIONS_TEST_DELAY_MS / 1000)
    try:
        if composers.needs_writing(row):
            composers.write_and_keep(row)
        get_channel(row.channel).send(row)
    except Exception as exc:
        logger.warning("notifications: sending %s failed: %r", row.dedupe_key, exc)
        return _finish(row.pk, f"{type(exc).__name__}: {exc}")
    return _finish(row.pk, None)


def deliver_batch(notification_ids: Iterable[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for notification_id in notification_ids:
        outcome = deliver(notification_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def due_for_sweep(now: dt.datetime | None = None) -> list[int]:
    now = now or timezone.now()
    pending_before = now - dt.timedelta(seconds=settings.NOTIFICATIONS_PENDING_GRACE)
    return list(
        Notification.objects.filter(
            Q(status=Status.PENDING, retry_at__isnull=True, created_at__lt=pending_before)
            | Q(status=Status.PENDING, retry_at__lte=now)
            | Q(status=Status.SENDING, claimed_at__lt=_stale_before(now))
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def sweep() -> dict[str, int]:
    """Deliver what the queue lost or a dead worker left `sending` (runs every minute)."""
    started = time.monotonic()
    counts: dict[str, int] = {}
    for notification_id in due_for_sweep():
        if time.monotonic() - started > SWEEP_BUDGET_SECONDS:
            break
        outcome = deliver(notification_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    if counts:
        logger.info("notifications: sweep %s", counts)
    return counts


def purge_old(now: dt.datetime | None = None) -> int:
    """Delete sent and failed messages after the retention period (least data)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.NOTIFICATIONS_RETENTION_DAYS)
    deleted, _ = Notification.objects.filter(status__in=[Status.SENT, Status.FAILED], created_at__lt=cutoff).delete()
    return deleted


# --- text-message opt-in ----------------------------------------------------------------

SMS_NOTICE_VERSION = SmsContact.NOTICE_VERSION


@transaction.atomic
def opt_in_sms(user: User, phone: str, *, notice_version: str) -> SmsContact:
    """Keep the person's mobile number for text reminders, with the notice version they
    agreed to (a changed notice needs a new agreement)."""
    from notifications.models import Agreement

    if notice_version != SMS_NOTICE_VERSION:
        raise ValueError("the notice changed; ask again")
    contact, _created = SmsContact.objects.update_or_create(
        user=user, defaults={"phone": phone, "notice_version": notice_version, "consented_at": timezone.now()}
    )
    Agreement.objects.create(user=user, notice=Agreement.Notice.SMS, version=notice_version)
    return contact


@transaction.atomic
def opt_out_sms(user: User) -> bool:
    """Forget the number (least data). Texts not yet sent to it are not sent."""
    deleted, _rows = SmsContact.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user, channel=Channel.SMS, status=Status.PENDING).delete()
    return deleted > 0
