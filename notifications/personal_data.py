"""Messages sent to a person (the outbox), their SMS number and notice agreements."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from notifications import composers
from notifications.models import Agreement, Notification, SmsContact

logger = logging.getLogger(__name__)

HOLDINGS = [
    Holding("notifications.Notification", "recipient", "deleted (cascade)"),
    Holding("notifications.SmsContact", "user", "deleted (cascade)"),
    Holding("notifications.Agreement", "user", "deleted (cascade)"),
]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _text(n: Notification) -> tuple[str, str]:
    """The subject and body as sent or, for a row its composer has not written yet (it is
    about to be delivered), as it will be sent."""
    if composers.needs_writing(n):
        try:
            composers.write(n)
        except Exception:  # what it is about is gone: it will fail to send as well
            logger.warning("notifications: could not write %s for an export", n.dedupe_key, exc_info=True)
            return "", ""
    return n.subject, n.body


def export(user: User) -> dict[str, Any]:
    contact = SmsContact.objects.filter(user=user).first()
    return {
        "sms_contact": (
            {"phone": contact.phone, "notice_version": contact.notice_version, "consented_at": contact.consented_at.isoformat()}
            if contact
            else None
        ),
        "agreements": [
            {"notice": a.notice, "version": a.version, "agreed_at": a.agreed_at.isoformat()}
            for a in Agreement.objects.filter(user=user).order_by("agreed_at", "pk")
        ],
        "messages": [
            {
                "channel": n.channel,
                "kind": n.kind,
                "address": n.address,
                "phone": n.phone,
                "subject": subject,
                "body": body,
                "status": n.status,
                "created_at": n.created_at.isoformat(),
                "sent_at": _iso(n.sent_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
            for subject, body in [_text(n)]
        ],
    }
