from __future__ import annotations

import pytest
from django_q.models import Schedule

from notifications.schedules import SCHEDULES, ensure_schedules

pytestmark = pytest.mark.django_db


def test_migrate_creates_every_periodic_job() -> None:
    assert set(Schedule.objects.values_list("name", "func")) >= {(p.name, p.func) for p in SCHEDULES}


def test_ensuring_twice_changes_nothing_and_repairs_drift() -> None:
    assert ensure_schedules() == 0
    Schedule.objects.filter(name="notifications.sweep").update(minutes=10)
    assert ensure_schedules() == 1
    assert Schedule.objects.get(name="notifications.sweep").minutes == 1


def test_every_scheduled_function_exists() -> None:
    from django.utils.module_loading import import_string

    for periodic in SCHEDULES:
        assert callable(import_string(periodic.func))


def test_closed_employer_requests_are_purged_daily() -> None:
    row = Schedule.objects.get(name="courses.purge_closed_requests")
    assert (row.func, row.schedule_type, row.minutes) == ("courses.services.purge_closed_requests", Schedule.MINUTES, 24 * 60)
