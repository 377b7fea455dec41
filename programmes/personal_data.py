"""A person's places in sessions (current and past) and their "tell me when it runs"
interests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from programmes import services
from programmes.models import Enrolment, Interest

HOLDINGS = [
    Holding("programmes.Enrolment", "user", "active places are cancelled first (the waitlist moves up), then deleted (cascade)"),
    Holding("programmes.Interest", "user", "deleted (cascade)"),
]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: User) -> dict[str, Any]:
    enrolments = Enrolment.objects.filter(user=user).select_related("session__programme").order_by("created_at", "pk")
    interests = Interest.objects.filter(user=user).select_related("programme").order_by("created_at", "pk")
    return {
        "enrolments": [
            {
                "session": e.session_id,
                "programme": e.session.programme.slug,
                "starts_at": e.session.starts_at.isoformat(),
                "mode": e.session.mode,
                "status": e.status,
                "waitlist_position": e.position,
                "attended": e.attended,
                "created_at": e.created_at.isoformat(),
                "confirmed_at": _iso(e.confirmed_at),
                "promoted_at": _iso(e.promoted_at),
                "cancelled_at": _iso(e.cancelled_at),
                "cancel_reason": e.cancel_reason,
            }
            for e in enrolments
        ],
        "interests": [
            {
                "programme": i.programme.slug,
                "region": i.region,
                "time_of_day": i.time_of_day,
                "created_at": i.created_at.isoformat(),
            }
            for i in interests
        ],
    }


def erase(user: User) -> None:
    # Deleting the rows alone would leave seats and queue positions behind without moving
    # anybody up: give them up through the ordinary cancellation first.
    services.withdraw_person(user.pk)
