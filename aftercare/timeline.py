"""Check-in answers on the person's timeline (core/timeline.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from aftercare.models import CheckIn
from core.timeline import TimelineEvent


def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]:
    rows = CheckIn.objects.filter(citizen_id=user.pk, answered_at__isnull=False)
    if before is not None:
        rows = rows.filter(answered_at__lt=before)
    return [
        TimelineEvent(
            at=c.answered_at,
            kind="aftercare.checkin",
            title=_("%(month)d개월 사후관리 설문에 답했어요: %(situation)s (만족도 %(score)d/5)")
            % {"month": c.month, "situation": c.get_situation_display(), "score": c.satisfaction or 0},
            key=f"aftercare.checkin:{c.pk}",
            detail=c.comment,
        )
        for c in rows.order_by("-answered_at", "-pk")[:limit]
        if c.answered_at is not None
    ]
