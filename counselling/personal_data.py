"""What counselling holds about a person: their cases at centres, what they agreed to share,
bookings, the case team's notes and the agreed next steps (all theirs to see and export).
Counsellors' own hours and slots are staff data, deleted with the staff account."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from counselling.models import AgreedStep, Booking, Case, CaseNote, ShareConsent

HOLDINGS = [
    Holding("counselling.Case", "citizen", "deleted (cascade) with its consents, bookings, notes and steps"),
    Holding("counselling.ShareConsent", "case__citizen", "deleted (cascade)"),
    Holding("counselling.Booking", "citizen", "deleted (cascade); the slot is free again"),
    Holding("counselling.CaseNote", "case__citizen", "deleted (cascade)"),
    Holding("counselling.AgreedStep", "case__citizen", "deleted (cascade)"),
    Holding("counselling.WeeklyHours", "counsellor", "deleted (cascade)", exported=False, why="a counsellor's working hours; staff only"),
    Holding("counselling.HoursException", "counsellor", "deleted (cascade)", exported=False, why="a counsellor's leave; staff only"),
    Holding("counselling.Slot", "counsellor", "deleted (cascade)", exported=False, why="a counsellor's bookable times; staff only"),
    Holding(
        "counselling.AccessReview", "reviewed_by", "kept; reviewed_by set to NULL, the reviewer's account name stays as text",
        exported=False, why="a lead's record of the monthly access-log check (안전성 확보조치 기준 §8); staff work, not a citizen's data",
    ),
]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: User) -> dict[str, Any]:
    cases = Case.objects.filter(citizen=user).select_related("centre").order_by("opened_at", "pk")
    return {
        "counselling_cases": [
            {
                "centre": case.centre.name,
                "status": case.status,
                "opened_at": case.opened_at.isoformat(),
                "closed_at": _iso(case.closed_at),
                "shared_items": [
                    {"items": consent.items, "given_at": consent.given_at.isoformat(), "in_person": consent.recorded_by_id is not None}
                    for consent in ShareConsent.objects.filter(case=case).order_by("given_at", "pk")
                ],
                "bookings": [
                    {
                        "starts_at": b.slot.starts_at.isoformat(),
                        "ends_at": b.slot.ends_at.isoformat(),
                        "mode": b.mode,
                        "topic": b.topic,
                        "note": b.note,
                        "status": b.status,
                        "cancelled_by": b.cancelled_by,
                        "cancel_reason": b.cancel_reason,
                        "outcome": b.outcome,
                        "created_at": b.created_at.isoformat(),
                    }
                    for b in Booking.objects.filter(case=case).select_related("slot").order_by("slot__starts_at", "pk")
                ],
                "notes": [
                    {"written_at": n.created_at.isoformat(), "body": n.body}
                    for n in CaseNote.objects.filter(case=case).order_by("created_at", "pk")
                ],
                "agreed_steps": [
                    {"title": s.title, "due_on": _iso(s.due_on), "agreed_at": s.agreed_at.isoformat(), "done_at": _iso(s.done_at)}
                    for s in AgreedStep.objects.filter(case=case).order_by("agreed_at", "pk")
                ],
            }
            for case in cases
        ]
    }
