"""The access log (접속기록) is kept at least two years (안전성 확보조치 기준 §8, docs/privacy.md):
no periodic job deletes it, and no code outside the tests deletes its rows."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import re

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import AccessLog
from core.roles import Role
from counselling.tests.lead_factories import centre, log_row, staff
from notifications.schedules import SCHEDULES


@pytest.mark.django_db
@pytest.mark.parametrize("job", SCHEDULES, ids=[p.name for p in SCHEDULES])
def test_no_periodic_job_deletes_access_log_rows(job: object) -> None:
    counsellor = staff(Role.COUNSELLOR, centre())
    old = log_row(counsellor, timezone.now() - dt.timedelta(days=2 * 366))
    with time_machine.travel(timezone.now() + dt.timedelta(days=30), tick=False):
        import_string(job.func)()  # type: ignore[attr-defined]
    assert AccessLog.objects.filter(pk=old.pk).exists()


# Deleting through the ORM ("AccessLog.objects…delete()", "log.delete()" on a row fetched
# from it) or raw SQL against its table. django-axes' own AccessLog (log-in records, imported
# as AxesAccessLog) is a different table and is purged on purpose.
DELETES = re.compile(r"(?<!Axes)AccessLog\.objects[^\n]*\.delete\(|DELETE\s+FROM\s+\"?core_accesslog", re.IGNORECASE)


SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", ".git", "var"}


def test_no_code_deletes_access_log_rows() -> None:
    root = pathlib.Path(settings.BASE_DIR)
    offenders = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
        for name in files:
            path = pathlib.Path(folder) / name
            if name.endswith(".py") and DELETES.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_check_would_notice_a_purge() -> None:
    assert DELETES.search("AccessLog.objects.filter(at__lt=cutoff).delete()")
    assert not DELETES.search("AxesAccessLog.objects.filter(username=u).delete()")
