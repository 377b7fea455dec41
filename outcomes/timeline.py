"""Outcomes on the person's timeline (core/timeline.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent
from outcomes.models import Kind, Outcome


def label(outcome: Outcome) -> str:
    if outcome.kind == Kind.EMPLOYED and outcome.contract:
        return f"{outcome.get_kind_display()} · {outcome.get_contract_display()}"
    return str(outcome.get_kind_display())


def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]:
    """At the time it was recorded (the date it is about is in the title): the timeline is
    what happened along the way, in the order it happened to us."""
    outcomes = Outcome.objects.filter(citizen_id=user.pk)
    if before is not None:
        outcomes = outcomes.filter(created_at__lt=before)
    return [
        TimelineEvent(
            at=o.created_at,
            kind="outcomes.outcome",
            title=_("지금 상황을 기록했어요: %(what)s (%(date)s, %(source)s)")
            % {"what": label(o), "date": o.on_date.isoformat(), "source": o.get_source_display()},
            key=f"outcomes.outcome:{o.pk}",
            detail=o.note,
            url=reverse("outcomes:mine"),
        )
        for o in outcomes.order_by("-created_at", "-pk")[:limit]
    ]
