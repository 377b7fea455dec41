"""Stalls: 6 weeks without activity → one message with the next step; 12 weeks → one task.
Satisfaction: only for what was attended or finished, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from aftercare import feedback, stalls
from aftercare.models import Feedback, Task
from aftercare.tests.helpers import plan_with_act
from core.tests.factories import UserFactory
from journeys.models import Plan
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def idle_plan(weeks: int) -> Plan:
    plan = plan_with_act(start=timezone.localdate() - dt.timedelta(weeks=weeks))
    Plan.objects.filter(pk=plan.pk).update(created_at=timezone.now() - dt.timedelta(weeks=weeks))
    return plan


def test_six_quiet_weeks_bring_one_gentle_message_with_the_next_step() -> None:
    idle_plan(7)
    assert stalls.stalls()["nudged"] == 1
    assert stalls.stalls()["nudged"] == 0
    mail = Notification.objects.get(kind=Notification.Kind.STALL_NUDGE)
    assert "알아보기" in mail.body


def test_five_quiet_weeks_bring_nothing() -> None:
    idle_plan(5)
    assert stalls.stalls() == {"nudged": 0, "tasks": 0}


def test_twelve_quiet_weeks_make_one_task() -> None:
    idle_plan(13)
    stalls.stalls()
    stalls.stalls()
    assert Task.objects.filter(kind=Task.Kind.STALLED).count() == 1


def test_a_ticked_step_resets_the_clock() -> None:
    plan = idle_plan(13)
    plan.steps.filter(position=1).update(done_at=timezone.now() - dt.timedelta(days=2))
    assert stalls.stalls() == {"nudged": 0, "tasks": 0}


def test_a_finished_plan_can_be_rated_once_from_the_persons_page(client: Client) -> None:
    user = UserFactory.create()
    plan = plan_with_act(user, start=timezone.localdate(), done=True)
    assert [i.about_id for i in feedback.pending(user)] == [plan.pk]
    client.force_login(user)
    url = f"/aftercare/feedback/plan/{plan.pk}/"
    assert client.post(url, {"score": "9"}).status_code == 400
    assert client.post(url, {"score": "4", "comment": "좋았어요"}).status_code == 302
    client.post(url, {"score": "1"})
    assert list(Feedback.objects.values_list("score", flat=True)) == [4]
    assert feedback.pending(user) == []


def test_an_unfinished_plan_cannot_be_rated(client: Client) -> None:
    user = UserFactory.create()
    plan = plan_with_act(user, start=timezone.localdate())
    client.force_login(user)
    assert client.get(f"/aftercare/feedback/plan/{plan.pk}/").status_code == 404


@pytest.mark.parametrize(("done", "expected"), [([], False), ([True, False], False), ([True, True], True)])
def test_all_done_is_plan_completed_over_steps_already_read(done: list[bool], expected: bool) -> None:
    person = UserFactory.create()
    plan = plan_with_act(person, start=dt.date(2026, 3, 2))
    plan.steps.all().delete()
    for position, is_done in enumerate(done, start=1):
        plan.steps.create(position=position, stage="know", title=f"할 일 {position}", reason="-", start_week=1, duration_weeks=1, done_at=timezone.now() if is_done else None)
    assert feedback.all_done(plan.steps.all()) is expected
    assert Plan.objects.filter(pk=plan.pk).annotate(completed=feedback.plan_completed()).get().completed is expected
