"""Periodic counselling jobs, called by the task queue (notifications/schedules.py).
Keep the names stable: schedules refer to them by dotted path. Each is idempotent."""

from __future__ import annotations

from counselling import reminders


def send_reminders() -> int:
    return reminders.send_reminders()
