"""Messages sent to a person (the outbox), their SMS number and notice agreements, and the
rescue offers, held seats and invitations made to them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from notifications.models import (
    Agreement,
    Invitation,
    Notification,
    RescueOffer,
    SeatHold,
    SmsContact,
)

HOLDINGS = [
    Holding("notifications.Notification", "recipient", "deleted (cascade)"),
    Holding("notifications.SmsContact", "user", "deleted (cascade)"),
    Holding("notifications.Agreement", "user", "deleted (cascade)"),
    Holding("notifications.RescueOffer", "user", "deleted (cascade)"),
    Holding("notifications.SeatHold", "user", "deleted (cascade); the seat is free again"),
    Holding("notifications.Invitation", "user", "deleted (cascade)"),
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
        "rescue_offers": [
            {
                "enrolment_session": o.enrolment.session_id,
                "reason": o.reason,
                "alternatives": list(o.alternatives),
                "status": o.status,
                "created_at": o.created_at.isoformat(),
                "expires_at": o.expires_at.isoformat(),
                "closed_at": _iso(o.closed_at),
            }
            for o in RescueOffer.objects.filter(user=user).select_related("enrolment").order_by("created_at", "pk")
        ],
        "seat_holds": [
            {
                "session": h.session_id,
                "status": h.status,
                "created_at": h.created_at.isoformat(),
                "expires_at": h.expires_at.isoformat(),
                "closed_at": _iso(h.closed_at),
            }
            for h in SeatHold.objects.filter(user=user).order_by("created_at", "pk")
        ],
        "invitations": [
            {
                "session": i.session_id,
                "priority_until": i.priority_until.isoformat(),
                "accepted": i.accepted_enrolment_id is not None,
                "created_at": i.created_at.isoformat(),
            }
            for i in Invitation.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }
