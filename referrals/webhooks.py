"""Signed webhooks to partners' own systems, through an outbox of their own
(`WebhookDelivery`), like the notification outbox: the row is written in the action's
transaction under a unique key; after commit a django-q task POSTs it; a failure (network,
timeout, any non-2xx answer) is retried with backoff by the every-minute sweep, up to
MAX_ATTEMPTS, then marked failed.

Each POST carries
* `X-Lifecareer-Timestamp`: Unix seconds when it was signed, and
* `X-Lifecareer-Signature`: `sha256=` + hex HMAC-SHA256 with the partner's secret over
  `<timestamp>.<body>` (the timestamp inside the signature stops an old body being
  replayed with a fresh timestamp; partners should refuse timestamps older than 5 minutes).

The body names the referral and its status only (no personal data): the partner reads the
shared items through its page, link or the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.states import Transitions
from referrals.models import WebhookDelivery

if TYPE_CHECKING:
    from referrals.models import Referral, ReferralEvent

logger = logging.getLogger(__name__)

D = WebhookDelivery.Status
TASK = "referrals.webhooks.deliver"
MAX_ATTEMPTS = 8
TIMEOUT_SECONDS = 10
SENDING_TIMEOUT = dt.timedelta(minutes=5)
BASE_DELAY = dt.timedelta(seconds=30)

DELIVERY_FLOW = Transitions(
    WebhookDelivery,
    {D.SENDING: {D.PENDING, D.SENDING}, D.SENT: {D.SENDING}, D.PENDING: {D.SENDING}, D.FAILED: {D.PENDING, D.SENDING}},
)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, … at most 6 hours."""
    return min(BASE_DELAY * 2 ** max(attempts - 1, 0), dt.timedelta(hours=6))


def payload(referral: Referral, event: ReferralEvent) -> dict[str, Any]:
    return {
        "event": "referral.created" if event.to_status == "received" else "referral.status_changed",
        "referral_id": referral.pk,
        "service": referral.service.slug,
        "status": event.to_status,
        "reason": event.reason,
        "at": event.at.isoformat(),
        "event_id": event.pk,
    }


def _queue(delivery_id: int) -> None:
    from django.conf import settings
    from django_q.tasks import async_task

    try:
        async_task(TASK, delivery_id, group="webhooks", sync=settings.NOTIFICATIONS_QUEUE_SYNC)
    except Exception:
        logger.exception("webhooks: could not queue %s; the sweep will retry", delivery_id)


def enqueue_for(referral: Referral, event: ReferralEvent) -> WebhookDelivery | None:
    """In the caller's transaction: the row for this event, if the partner has a webhook."""
    partner = referral.partner
    if not partner.webhook_url:
        return None
    body = json.dumps(payload(referral, event), ensure_ascii=False, sort_keys=True)
    delivery, created = WebhookDelivery.objects.get_or_create(
        dedupe_key=f"referral:{referral.pk}:event:{event.pk}",
        defaults={"partner": partner, "referral": referral, "url": partner.webhook_url, "body": body},
    )
    if created:
        transaction.on_commit(partial(_queue, delivery.pk), robust=True)
    return delivery


def _claim(delivery_id: int) -> WebhookDelivery | None:
    now = timezone.now()
    with transaction.atomic():
        row = WebhookDelivery.objects.select_for_update().select_related("partner").filter(pk=delivery_id).first()
        if row is None or row.status in (D.SENT, D.FAILED):
            return None
        if row.status == D.SENDING and row.claimed_at is not None and row.claimed_at > now - SENDING_TIMEOUT:
            return None
        if row.status == D.PENDING and row.retry_at is not None and row.retry_at > now:
            return None  # not yet: the backoff has not passed
        DELIVERY_FLOW.move(row, D.SENDING, attempts=row.attempts + 1, claimed_at=now)
        return row


def _post(row: WebhookDelivery) -> None:
    body = row.body.encode("utf-8")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the URL is an https/http address an administrator entered
        row.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "lifecareer-webhook/1",
            "X-Lifecareer-Timestamp": timestamp,
            "X-Lifecareer-Signature": sign(row.partner.webhook_secret, timestamp, body),
            "X-Lifecareer-Delivery": row.dedupe_key,
        },
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(row.url, response.status, "not 2xx", response.headers, None)


def deliver(delivery_id: int) -> str:
    """POST one delivery if it is due; returns the resulting status or 'skipped'."""
    row = _claim(delivery_id)
    if row is None:
        return "skipped"
    error = ""
    try:
        _post(row)
    except Exception as exc:  # any failure of the far side is retried
        error = f"{type(exc).__name__}: {exc}"[:500]
        logger.warning("webhooks: %s failed: %s", row.dedupe_key, error)
    with transaction.atomic():
        row = WebhookDelivery.objects.select_for_update().get(pk=row.pk)
        if row.status != D.SENDING:
            return str(row.status)
        if not error:
            DELIVERY_FLOW.move(row, D.SENT, sent_at=timezone.now(), last_error="")
        elif row.attempts >= MAX_ATTEMPTS:
            DELIVERY_FLOW.move(row, D.FAILED, last_error=error)
        else:
            DELIVERY_FLOW.move(row, D.PENDING, last_error=error, claimed_at=None, retry_at=timezone.now() + retry_delay(row.attempts))
        return str(row.status)


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Every minute: deliveries whose retry time has come, lost ones, dead workers' claims."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(
            Q(status=D.PENDING, retry_at__isnull=True, created_at__lt=now - dt.timedelta(seconds=30))
            | Q(status=D.PENDING, retry_at__lte=now)
            | Q(status=D.SENDING, claimed_at__lt=now - SENDING_TIMEOUT)
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:200]
    )
    counts: dict[str, int] = {}
    for delivery_id in list(due):
        outcome = deliver(delivery_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts
