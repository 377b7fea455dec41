"""Plans on the person's timeline (core/timeline.py): made, finished, given up."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Case, F, Q, When
from django.urls import reverse
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent
from core.vocabulary import type_name
from journeys.models import Plan, PlanStatus


def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]:
    """A plan has up to two events (made; finished or given up). The plans are read in the
    order of their newest event before `before`, `limit` of them: the newest `limit` events
    are all among them (any other plan's events are older than each of these plans' newest)."""
    plans = Plan.objects.filter(owner_id=user.pk).select_related("result")
    if before is None:
        plans = plans.annotate(latest=Case(When(ended_at__isnull=False, then=F("ended_at")), default=F("created_at")))
    else:
        plans = plans.filter(created_at__lt=before).annotate(
            latest=Case(When(Q(ended_at__isnull=False, ended_at__lt=before), then=F("ended_at")), default=F("created_at"))
        )
    out: list[TimelineEvent] = []
    for plan in plans.order_by("-latest", "-pk")[:limit]:
        url = reverse("journeys:detail", args=[plan.public_id])
        name = type_name(plan.result.type_code)
        out.append(
            TimelineEvent(
                at=plan.created_at,
                kind="journeys.plan_created",
                title=_("새 가이드맵을 만들었어요 (%(type)s)") % {"type": name}
                if plan.supersedes_id is None
                else _("다시 시작해 새 가이드맵을 만들었어요 (%(type)s)") % {"type": name},
                key=f"journeys.plan:{plan.pk}:created",
                url=url,
            )
        )
        if plan.ended_at is not None and (before is None or plan.ended_at < before):
            done = plan.status == PlanStatus.COMPLETED
            out.append(
                TimelineEvent(
                    at=plan.ended_at,
                    kind="journeys.plan_completed" if done else "journeys.plan_abandoned",
                    title=_("가이드맵의 모든 단계를 마쳤어요") if done else _("가이드맵을 그만두었어요"),
                    detail="" if done else plan.abandon_reason,
                    key=f"journeys.plan:{plan.pk}:{plan.status}",
                    url=url,
                )
            )
    out.sort(key=lambda e: (e.at, e.key), reverse=True)
    return out[:limit]
