"""Outcomes recorded about a person: exported, and deleted with the account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from outcomes.models import Outcome

HOLDINGS = [
    Holding("outcomes.Outcome", "citizen", "deleted (cascade)"),
    Holding(
        "outcomes.Outcome", "recorded_by", "kept; recorded_by set to NULL (the counsellor's account)",
        exported=False, why="staff who recorded someone else's outcome; the person's own rows are exported under citizen",
    ),
]


def export(user: User) -> dict[str, Any]:
    return {
        "outcomes": [
            {
                "kind": o.kind,
                "contract": o.contract,
                "date": o.on_date.isoformat(),
                "source": o.source,
                "note": o.note,
                "recorded_at": o.created_at.isoformat(),
            }
            for o in Outcome.objects.filter(citizen=user).order_by("on_date", "pk")
        ]
    }
