"""Periodic programme jobs, called by the task queue (see notifications/schedules.py).
Keep these names stable: schedules refer to them by dotted path. Each is idempotent.
The 폐강 prevention jobs are in rescue/jobs.py."""

from __future__ import annotations

from programmes import reminders


def send_reminders() -> int:
    return reminders.send_reminders()
