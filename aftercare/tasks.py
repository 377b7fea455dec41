"""Tasks for counsellors: created in bulk by the daily sweep (idempotent by key), done by a
counsellor through `complete`. Who sees a task: the assignee; a lead of its centre."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare.models import Task
from core.audit import record_changes
from core.roles import Perm, in_scope


@dataclass(frozen=True)
class NewTask:
    key: str
    kind: str
    citizen_id: int
    centre_id: int | None = None
    case_id: int | None = None
    assignee_id: int | None = None
    about_type: str = ""
    about_id: str = ""


def create_many(tasks: Iterable[NewTask]) -> int:
    """Insert the tasks not already there (by key) in one statement; returns how many were
    offered. Safe to re-run: a key that exists is skipped by the database."""
    rows = [Task(**vars(t)) for t in tasks]
    Task.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
    return len(rows)


class TaskRefused(ValueError):
    pass


def may_work_on(user: User, task: Task) -> bool:
    if task.assignee_id == user.pk and in_scope(user, Perm.CASES_ASSIGNED, task.centre_id):
        return True
    return in_scope(user, Perm.CASES_CENTRE, task.centre_id)


@transaction.atomic
def complete(actor: User, task_id: int, *, note: str = "") -> Task:
    task = Task.objects.select_for_update().filter(pk=task_id).first()
    if task is None or not may_work_on(actor, task):
        raise TaskRefused(_("이 할 일을 찾을 수 없습니다."))
    if task.done_at is not None:
        raise TaskRefused(_("이미 처리한 할 일입니다."))
    task.done_at = timezone.now()
    task.done_by = actor
    task.note = note.strip()[:500]
    task.save(update_fields=["done_at", "done_by", "note"])
    record_changes(actor, [task], subject=lambda t: t.citizen_id)
    return task
