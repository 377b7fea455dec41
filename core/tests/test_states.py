"""Every lifecycle moves through one helper (core/states.py): illegal jumps are refused
and nothing outside the helper assigns a status."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.utils.module_loading import autodiscover_modules

from core.states import MACHINES, IllegalTransition, Transitions
from notifications.models import NOTIFICATION_FLOW, Notification
from notifications.tests.factories import queued

autodiscover_modules("services")  # the tables that live next to their actions
ROOT = Path(settings.BASE_DIR)
# Assigning something called `status` that is not a lifecycle.
NOT_LIFECYCLES = {
    "api/errors.py": "an HTTP status code",
    "bench/population.py": "a data generator: writes a million rows already in their final states with SQL (a comparison, not a move)",
}
DIRECT = re.compile(r"\.status\s*=(?!=)|\.update\([^)]*\bstatus\s*=|[\"']status[\"']\s*:\s*\w+\.Status\.")


def _project_models() -> list[type[Model]]:
    return [m for m in apps.get_models() if Path(apps.get_app_config(m._meta.app_label).path).is_relative_to(ROOT)]


def test_every_status_with_choices_has_a_table() -> None:
    lifecycles = {
        m._meta.label for m in _project_models()
        if any(f.name == "status" and f.choices for f in m._meta.get_fields() if hasattr(f, "choices"))
    }
    tabled = {machine.model._meta.label for machine in MACHINES}
    assert lifecycles and lifecycles <= tabled, lifecycles - tabled


@pytest.mark.parametrize("machine", MACHINES, ids=repr)
def test_an_illegal_jump_is_refused(machine: Transitions) -> None:
    states = [str(v) for v, _label in machine.model._meta.get_field(machine.field).choices]
    to, current = next((t, c) for t in machine.flow for c in states if not machine.allows(c, t))
    obj = machine.model(**{machine.field: current})
    with pytest.raises(IllegalTransition) as refused:
        machine.move(obj, to)  # raises before anything is saved (the object has no row)
    assert (refused.value.current, refused.value.target) == (current, to)
    assert str(machine.model._meta.verbose_name) in str(refused.value)


def test_no_status_is_assigned_outside_the_tables() -> None:
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "var/", "node_modules/")) or "/tests/" in relative or "/migrations/" in relative:
            continue
        if relative in NOT_LIFECYCLES or relative == "core/states.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DIRECT.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.django_db
def test_a_move_saves_the_status_and_the_named_fields_only() -> None:
    row = queued("states:1")
    Notification.objects.filter(pk=row.pk).update(subject="바뀐 제목")  # someone else's change
    row.claim()
    fresh = Notification.objects.get(pk=row.pk)
    assert (fresh.status, fresh.attempts, fresh.subject) == (Notification.Status.SENDING, 1, "바뀐 제목")
    assert fresh.claimed_at is not None


@pytest.mark.django_db
def test_a_bulk_move_leaves_rows_that_may_not_move() -> None:
    waiting, sending = queued("states:2"), queued("states:3")
    sending.claim()
    moved = NOTIFICATION_FLOW.bulk_move(Notification.objects.all(), Notification.Status.PENDING, claimed_at=None)
    assert moved == 1
    waiting.refresh_from_db()
    sending.refresh_from_db()
    assert (waiting.attempts, sending.status) == (0, Notification.Status.PENDING)
