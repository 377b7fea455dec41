"""Referrals on the person's timeline (core/timeline.py): each step with its date."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from core.localize import localized
from core.timeline import TimelineEvent
from referrals.models import ReferralEvent


def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]:
    rows = ReferralEvent.objects.filter(referral__citizen_id=user.pk).select_related("referral__service", "referral__partner")
    if before is not None:
        rows = rows.filter(at__lt=before)
    return [
        TimelineEvent(
            at=e.at,
            kind="referrals.status",
            title=_("연계: %(service)s (%(partner)s) — %(status)s")
            % {"service": localized(e.referral.service, "name"), "partner": e.referral.partner.name, "status": e.get_to_status_display()},
            key=f"referrals.event:{e.pk}",
            detail=e.reason,
        )
        for e in rows.order_by("-at", "-pk")[:limit]
    ]
