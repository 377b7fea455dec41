"""The rescue offers, held seats and invitations made to a person (폐강 예방)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from rescue import services
from rescue.models import Invitation, RescueOffer, SeatHold

HOLDINGS = [
    Holding("rescue.RescueOffer", "user", "deleted (cascade)"),
    Holding("rescue.SeatHold", "user", "held seats are released first (the waitlist moves up), then deleted (cascade)"),
    Holding("rescue.Invitation", "user", "deleted (cascade)"),
    Holding(
        "rescue.RescueAction", "actor", "kept; actor set to NULL (the name stays in actor_label, as in core.AccessLog)",
        exported=False, why="the record of an operator's action on a session; not data about a citizen",
    ),
]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: User) -> dict[str, Any]:
    return {
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


def erase(user: User) -> None:
    # Deleting the rows alone would leave the held seats' waitlists where they are: give
    # the seats back through the ordinary release first.
    services.release_holds_of(user.pk)
