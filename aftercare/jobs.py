"""The after-care daily sweep (check-ins, reminders, unanswered check-ins, stalls and
stale referrals) (django-q2 schedule `aftercare.daily`, notifications/schedules.py).
Each step is set-based and idempotent; a crash mid-way is repaired by the next run."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.utils import timezone

from aftercare import checkins, stalls
from referrals.jobs import stale_referrals

logger = logging.getLogger(__name__)


def daily(now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    result: dict[str, Any] = {
        "scheduled": checkins.schedule_checkins(now),
        "sent": checkins.send_due(now),
        "unanswered_tasks": checkins.unanswered_tasks(now),
        "stalls": stalls.stalls(now),
        "stale_referrals": stale_referrals(now),
    }
    logger.info("aftercare.daily: %s", result)
    return result
