"""After-care tasks on the counsellor's workspace: mine and (for a lead) my centre's, done
with one form; someone else's task is a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from aftercare import tasks
from aftercare.models import CheckIn, Task
from core.models import AccessLog
from core.roles import Role
from core.tests.factories import UserFactory
from counselling.tests.factories import staff_member
from programmes.models import Centre
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db
WORKSPACE = "/counsellor/"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def task_for(centre: Centre, *, assignee: User | None = None, key: str = "t") -> Task:
    person = UserFactory.create()
    tasks.create_many([tasks.NewTask(key=key, kind=Task.Kind.STALLED, citizen_id=person.pk, centre_id=centre.pk, assignee_id=assignee.pk if assignee else None)])
    return Task.objects.get(key=key)


def test_a_counsellor_sees_their_task_and_the_read_is_logged() -> None:
    centre = CentreFactory.create()
    counsellor = staff_member(Role.COUNSELLOR, centre)
    task = task_for(centre, assignee=counsellor)
    html = client_for(counsellor).get(WORKSPACE).content.decode()
    assert "12주 동안 진행 없음" in html and task.citizen.email in html
    assert AccessLog.objects.filter(actor=counsellor, subject_id=str(task.citizen_id), object_type="aftercare.task").exists()


def test_each_done_button_names_its_task() -> None:
    # Several identical "처리 완료" buttons: each is described by its own task's line.
    centre = CentreFactory.create()
    counsellor = staff_member(Role.COUNSELLOR, centre)
    task = task_for(centre, assignee=counsellor)
    html = client_for(counsellor).get(WORKSPACE).content.decode()
    assert f'<p id="task-{task.pk}-title">' in html
    assert f'type="submit" aria-describedby="task-{task.pk}-title">처리 완료</button>' in html


def test_a_counsellor_does_not_see_an_unassigned_task_but_the_lead_does() -> None:
    centre = CentreFactory.create()
    counsellor = staff_member(Role.COUNSELLOR, centre)
    lead = staff_member(Role.LEAD, centre)
    task = task_for(centre)
    assert task.citizen.email not in client_for(counsellor).get(WORKSPACE).content.decode()
    assert task.citizen.email in client_for(lead).get(WORKSPACE).content.decode()


def test_marking_done_removes_it_from_the_list() -> None:
    centre = CentreFactory.create()
    counsellor = staff_member(Role.COUNSELLOR, centre)
    task = task_for(centre, assignee=counsellor)
    client = client_for(counsellor)
    response = client.post(reverse("aftercare:complete_task", args=[task.pk]), {"note": "통화함"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_by == counsellor and task.note == "통화함"
    assert task.citizen.email not in client.get(WORKSPACE).content.decode()


def test_another_centres_counsellor_gets_404() -> None:
    here, there = CentreFactory.create(), CentreFactory.create()
    task = task_for(here, assignee=staff_member(Role.COUNSELLOR, here))
    stranger = staff_member(Role.COUNSELLOR, there)
    assert client_for(stranger).post(reverse("aftercare:complete_task", args=[task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_a_check_in_task_says_which_check_in() -> None:
    centre = CentreFactory.create()
    counsellor = staff_member(Role.COUNSELLOR, centre)
    person = UserFactory.create()
    checkin = CheckIn.objects.create(citizen=person, anchor_kind="plan_act_end", anchor_date=dt.date(2026, 1, 1), month=3, due_on=dt.date(2026, 4, 1), nonce="n", token_hash="h")
    tasks.create_many([tasks.NewTask(key="c1", kind=Task.Kind.CHECKIN_UNANSWERED, citizen_id=person.pk, centre_id=centre.pk, assignee_id=counsellor.pk, about_type="aftercare.checkin", about_id=str(checkin.pk))])
    assert "3개월 사후관리 설문" in client_for(counsellor).get(WORKSPACE).content.decode()
