"""Periodic 폐강 prevention jobs, called by the task queue (see notifications/schedules.py).
Keep these names stable: schedules refer to them by dotted path. Each is idempotent."""

from __future__ import annotations

from rescue import pooling
from rescue import services as rescue


def check_at_risk() -> int:
    return rescue.check_at_risk()


def expire_holds() -> int:
    return rescue.expire_holds()


def check_interest() -> int:
    return pooling.check_interest()


def open_after_priority() -> int:
    return pooling.open_after_priority()
