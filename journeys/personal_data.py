"""Guide maps saved in a person's account, with their steps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from journeys.models import Plan

HOLDINGS = [
    Holding("journeys.Plan", "owner", "deleted (cascade)"),
    Holding("journeys.PlanStep", "plan__owner", "deleted (cascade)"),
]


def export(user: User) -> dict[str, Any]:
    plans = Plan.objects.filter(owner=user).select_related("result", "supersedes").prefetch_related("steps").order_by("created_at")
    return {
        "plans": [
            {
                "id": p.public_id,
                "result_id": p.result.public_id,
                "start_date": p.start_date.isoformat(),
                "created_at": p.created_at.isoformat(),
                "status": p.status,
                "ended_at": p.ended_at.isoformat() if p.ended_at else None,
                "abandon_reason": p.abandon_reason,
                "supersedes": p.supersedes.public_id if p.supersedes else None,
                "steps": [
                    {
                        "position": s.position,
                        "stage": s.stage,
                        "title": s.title,
                        "reason": s.reason,
                        "start_week": s.start_week,
                        "duration_weeks": s.duration_weeks,
                        "done_at": s.done_at.isoformat() if s.done_at else None,
                        "carried_over": s.carried_from_id is not None,
                    }
                    for s in p.steps.all()
                ],
            }
            for p in plans
        ]
    }
