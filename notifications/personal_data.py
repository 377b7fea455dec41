"""Messages sent to a person (the outbox), their SMS number and notice agreements."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from notifications.models import Agreement, Notification, SmsContact

HOLDINGS = [
    Holding("notifications.Notification", "recipient", "deleted (cascade)"),
    Holding("notifications.SmsContact", "user", "deleted (cascade)"),
    Holding("notifications.Agreement", "user", "deleted (cascade)"),
]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


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
                "subject": n.subject,
                "body": n.body,
                "status": n.status,
                "created_at": n.created_at.isoformat(),
                "sent_at": _iso(n.sent_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
    }
