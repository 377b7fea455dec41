"""What after-care holds about a person: tasks counsellors had for them, check-ins and
their answers, satisfaction answers. All deleted with the account (cascade)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from aftercare.models import CheckIn, Feedback, Task
from core.personal_data import Holding

HOLDINGS = [
    Holding("aftercare.Task", "citizen", "deleted (cascade)"),
    Holding("aftercare.CheckIn", "citizen", "deleted (cascade)"),
    Holding("aftercare.Feedback", "citizen", "deleted (cascade)"),
]


def _iso(value: Any) -> Any:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    return {
        "aftercare_tasks": [
            {"kind": t.kind, "created_at": t.created_at.isoformat(), "done_at": _iso(t.done_at)}
            for t in Task.objects.filter(citizen=user).order_by("created_at", "pk")
        ],
        "aftercare_checkins": [
            {
                "month": c.month, "anchor": c.anchor_kind, "anchor_date": _iso(c.anchor_date), "due_on": _iso(c.due_on),
                "sent_at": _iso(c.sent_at), "reminders": [_iso(d) for d in (c.reminder_1_at, c.reminder_2_at) if d],
                "answered_at": _iso(c.answered_at), "status": c.situation or None, "satisfaction": c.satisfaction, "comment": c.comment,
            }
            for c in CheckIn.objects.filter(citizen=user).order_by("due_on", "pk")
        ],
        "aftercare_feedback": [
            {"about": f.about, "about_id": f.about_id, "score": f.score, "comment": f.comment, "created_at": f.created_at.isoformat()}
            for f in Feedback.objects.filter(citizen=user).order_by("created_at", "pk")
        ],
    }
