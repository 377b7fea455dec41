"""The periodic jobs, in one list. `ensure_schedules` writes them as django-q `Schedule`
rows; it runs after every `migrate` (see apps.py), so a fresh database has them and a
changed interval reaches production with the next deploy. Idempotent."""

from __future__ import annotations

from typing import NamedTuple

from django_q.models import Schedule


class Periodic(NamedTuple):
    name: str
    func: str
    minutes: int


# The names are the rows' keys: keep them when a job moves (the rescue jobs kept their
# "programmes.*" names when they moved to rescue/jobs.py, so existing rows are updated).
SCHEDULES: tuple[Periodic, ...] = (
    Periodic("notifications.sweep", "notifications.tasks.sweep", 1),
    Periodic("notifications.purge", "notifications.tasks.purge", 24 * 60),
    Periodic("programmes.reminders", "programmes.jobs.send_reminders", 15),
    Periodic("counselling.reminders", "counselling.jobs.send_reminders", 15),
    Periodic("programmes.at_risk", "rescue.jobs.check_at_risk", 60),
    Periodic("programmes.expire_holds", "rescue.jobs.expire_holds", 5),
    Periodic("programmes.interest", "rescue.jobs.check_interest", 60),
    Periodic("programmes.open_after_priority", "rescue.jobs.open_after_priority", 5),
    # The employer contact notice promises deletion a year after a request closes.
    # Counsellors' slots six weeks ahead: each day adds the newly reached day.
    Periodic("counselling.generate_slots", "counselling.availability.generate_all", 24 * 60),
    Periodic("courses.purge_closed_requests", "courses.services.purge_closed_requests", 24 * 60),
    # Check-ins scheduled and sent, reminders, unanswered → tasks, stalls (aftercare/jobs.py).
    # Every step is idempotent: a missed or repeated run is harmless.
    Periodic("aftercare.daily", "aftercare.jobs.daily", 24 * 60),
    # Statistics roll-ups for the dashboards and the open statistics API (insights/rollup.py):
    # incremental from a watermark, safe to repeat.
    Periodic("insights.rollup", "insights.jobs.rollup", 24 * 60),
    # Referrals: signed webhooks due for a (re)try (stale referrals are part of aftercare.daily).
    Periodic("referrals.webhooks", "referrals.webhooks.sweep", 1),
)


def ensure_schedules() -> int:
    """Create or update our schedules; returns how many rows changed."""
    changed = 0
    for periodic in SCHEDULES:
        row = Schedule.objects.filter(name=periodic.name).first()
        wanted = {"func": periodic.func, "schedule_type": Schedule.MINUTES, "minutes": periodic.minutes, "repeats": -1}
        if row is None:
            Schedule.objects.create(name=periodic.name, **wanted)
            changed += 1
        elif any(getattr(row, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(row, name, value)
            row.save(update_fields=list(wanted))
            changed += 1
    return changed
