"""What the courses app holds under a person's name (registry: core.personal_data).
Deleting the account deletes all of it (every FK to the user cascades); closed employer
requests are also deleted a year after closing (courses.services.purge_closed_requests)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from courses.models import Certificate, EmployerRequest, LessonProgress

HOLDINGS = [
    Holding("courses.LessonProgress", "user", "deleted (cascade)"),
    Holding("courses.Certificate", "user", "deleted (cascade); its code no longer verifies"),
    Holding("courses.EmployerRequest", "requester", "deleted (cascade); the session stays in programmes"),
]


def export(user: User) -> dict[str, Any]:
    progress = LessonProgress.objects.filter(user=user).select_related("lesson__course").order_by("completed_at", "pk")
    certificates = Certificate.objects.filter(user=user).select_related("course").order_by("issued_at")
    requests = EmployerRequest.objects.filter(requester=user).select_related("programme", "session").order_by("created_at")
    return {
        "lessons_completed": [
            {"course": p.lesson.course.slug, "lesson": p.lesson.order, "completed_at": p.completed_at.isoformat()}
            for p in progress
        ],
        "certificates": [
            {"course": c.course.slug, "issued_at": c.issued_at.isoformat(), "code": c.display_code} for c in certificates
        ],
        "employer_requests": [
            {
                "company_name": r.company_name,
                "contact_email": r.contact_email,
                "contact_phone": r.contact_phone,
                "programme": r.programme.slug,
                "headcount": r.headcount,
                "preferred_dates": [d.isoformat() for d in r.preferred_dates],
                "region": r.region,
                "place": r.place,
                "notes": r.notes,
                "status": r.status,
                "status_changed_at": r.status_changed_at.isoformat() if r.status_changed_at else None,
                "decline_reason": r.decline_reason,
                "session_starts_at": r.session.starts_at.isoformat() if r.session else None,
                "invitation_token": r.invite_token or None,
                "consent_version": r.consent_version,
                "consented_at": r.consented_at.isoformat(),
                "created_at": r.created_at.isoformat(),
            }
            for r in requests
        ],
    }
