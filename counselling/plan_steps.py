"""The steps a person agreed with their counsellors, for the person's own plan page
("상담사와 합의한 단계"): read-only there, changed only by the case team."""

from __future__ import annotations

from counselling.models import AgreedStep, CaseStatus


def agreed_steps_of(user_id: int | None) -> list[AgreedStep]:
    """The agreed steps of the person's open cases, open ones first by date; one query
    (none for a plan without an account)."""
    if user_id is None:
        return []
    return list(
        AgreedStep.objects.filter(case__citizen_id=user_id, case__status=CaseStatus.OPEN)
        .select_related("case__centre")
        .order_by("done_at", "due_on", "pk")
    )
