"""Tasks: bulk creation is idempotent by key; only the assignee or a lead of the centre
completes one, once, with the access log written."""

from __future__ import annotations

import pytest

from aftercare import tasks
from aftercare.models import Task
from core.models import AccessLog
from core.roles import Role
from core.tests.factories import UserFactory
from counselling.tests.factories import staff_member
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_creating_the_same_tasks_twice_keeps_one_of_each() -> None:
    person = UserFactory.create()
    batch = [tasks.NewTask(key=f"stalled:plan:{n}", kind=Task.Kind.STALLED, citizen_id=person.pk) for n in range(3)]
    tasks.create_many(batch)
    tasks.create_many(batch)
    assert Task.objects.count() == 3


def test_the_assignee_completes_a_task_once_and_it_is_logged() -> None:
    centre = CentreFactory.create()
    counsellor = staff_member(Role.COUNSELLOR, centre)
    person = UserFactory.create()
    tasks.create_many([tasks.NewTask(key="k1", kind=Task.Kind.FOLLOW_UP, citizen_id=person.pk, centre_id=centre.pk, assignee_id=counsellor.pk)])
    task = Task.objects.get()
    done = tasks.complete(counsellor, task.pk, note="전화 드림")
    assert done.done_by == counsellor and done.note == "전화 드림"
    assert AccessLog.objects.filter(actor=counsellor, subject_id=str(person.pk)).count() == 1
    with pytest.raises(tasks.TaskRefused):
        tasks.complete(counsellor, task.pk)


def test_a_counsellor_of_another_centre_cannot_complete_it() -> None:
    here, there = CentreFactory.create(), CentreFactory.create()
    person = UserFactory.create()
    assignee = staff_member(Role.COUNSELLOR, here)
    stranger = staff_member(Role.COUNSELLOR, there)
    tasks.create_many([tasks.NewTask(key="k2", kind=Task.Kind.FOLLOW_UP, citizen_id=person.pk, centre_id=here.pk, assignee_id=assignee.pk)])
    with pytest.raises(tasks.TaskRefused):
        tasks.complete(stranger, Task.objects.get().pk)


def test_a_lead_of_the_centre_may_complete_an_unassigned_task() -> None:
    centre = CentreFactory.create()
    lead = staff_member(Role.LEAD, centre)
    person = UserFactory.create()
    tasks.create_many([tasks.NewTask(key="k3", kind=Task.Kind.STALLED, citizen_id=person.pk, centre_id=centre.pk)])
    assert tasks.complete(lead, Task.objects.get().pk).done_at is not None
