"""What after-care holds about a person: the tasks counsellors had for them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from aftercare.models import Task
from core.personal_data import Holding

HOLDINGS = [
    Holding("aftercare.Task", "citizen", "deleted (cascade)"),
]


def export(user: User) -> dict[str, Any]:
    return {
        "aftercare_tasks": [
            {"kind": t.kind, "created_at": t.created_at.isoformat(), "done_at": t.done_at.isoformat() if t.done_at else None}
            for t in Task.objects.filter(citizen=user).order_by("created_at", "pk")
        ]
    }
