"""Referrals hold the person's referrals, their events and the webhook deliveries about
them (see core/personal_data.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from referrals.models import Referral, ReferralEvent, WebhookDelivery

HOLDINGS: list[Holding] = [
    Holding("referrals.Referral", "citizen", "deleted (cascade), with its events and webhook deliveries"),
    Holding("referrals.ReferralEvent", "referral__citizen", "deleted with the referral (cascade)"),
    Holding(
        "referrals.WebhookDelivery", "referral__citizen", "deleted with the referral (cascade)",
        exported=False, why="a technical copy of the status sent to the partner's system; the statuses are exported with the referral",
    ),
]


def export(user: User) -> dict[str, Any]:
    referrals = Referral.objects.filter(citizen=user).select_related("service", "partner").prefetch_related("events").order_by("created_at", "pk")
    return {
        "referrals": [
            {
                "service": r.service.name_ko,
                "partner": r.partner.name,
                "origin": r.origin,
                "shared_items": list(r.shared_items),
                "consented_at": r.consented_at.isoformat(),
                "note": r.note,
                "status": r.status,
                "decline_reason": r.decline_reason,
                "created_at": r.created_at.isoformat(),
                "events": [{"status": e.to_status, "at": e.at.isoformat(), "by": e.get_source_display(), "reason": e.reason} for e in r.events.all()],
            }
            for r in referrals
        ]
    }


def erase(user: User) -> None:
    """Referrals are PROTECT-free towards the person (cascade), but the events name partner
    staff by label only; nothing more to do than the cascade. Made explicit so the order is
    clear: the rows go before the user row."""
    ReferralEvent.objects.filter(referral__citizen=user).delete()
    WebhookDelivery.objects.filter(referral__citizen=user).delete()
    Referral.objects.filter(citizen=user).delete()
