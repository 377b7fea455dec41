"""The person's diagnoses on their timeline (core/timeline.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent
from core.vocabulary import type_name
from diagnosis.models import Result


def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]:
    results = Result.objects.filter(owner_id=user.pk)
    if before is not None:
        results = results.filter(created_at__lt=before)
    return [
        TimelineEvent(
            at=r.created_at,
            kind="diagnosis.result",
            title=_("자가진단을 했어요: %(type)s") % {"type": type_name(r.type_code)},
            key=f"diagnosis.result:{r.pk}",
            url=reverse("diagnosis:result", args=[r.public_id]),
        )
        for r in results.only("pk", "public_id", "created_at", "type_code").order_by("-created_at", "-pk")[:limit]
    ]
