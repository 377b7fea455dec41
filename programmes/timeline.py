"""Courses attended, on the person's timeline (core/timeline.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from core.localize import localized
from core.timeline import TimelineEvent
from programmes.models import Enrolment


def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]:
    """Only attended sessions (출석 확인): a place booked is a plan, attending is history."""
    enrolments = Enrolment.objects.filter(user_id=user.pk, attended=True).select_related("session__programme")
    if before is not None:
        enrolments = enrolments.filter(session__starts_at__lt=before)
    return [
        TimelineEvent(
            at=e.session.starts_at,
            kind="programmes.attended",
            title=_("교육에 참여했어요: %(name)s") % {"name": localized(e.session.programme, "name")},
            key=f"programmes.enrolment:{e.pk}",
            url=reverse("programmes:my_enrolments"),
        )
        for e in enrolments.order_by("-session__starts_at", "-pk")[:limit]
    ]
