"""The after-care daily sweep (check-ins, reminders, unanswered check-ins, stalls and
stale referrals) (django-q2 schedule `aftercare.daily`, notifications/schedules.py).
Each step is set-based and idempotent; a crash mid-way is repaired by the next run."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from aftercare import checkins, stalls
from referrals.jobs import stale_referrals

logger = logging.getLogger(__name__)


def daily(now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    steps: dict[str, Callable[[dt.datetime], Any]] = {
        "scheduled": checkins.schedule_checkins,
        "sent": checkins.send_due,
        "unanswered_tasks": checkins.unanswered_tasks,
        "stalls": stalls.stalls,
        "stale_referrals": stale_referrals,
    }
    result: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    for name, step in steps.items():
        # Timed per step: the log line says which step grew (bench/sweep.py reads it too).
        started = time.perf_counter()
        result[name] = step(now)
        seconds[name] = round(time.perf_counter() - started, 3)
    result["seconds"] = seconds
    logger.info("aftercare.daily: %s", result)
    return result
