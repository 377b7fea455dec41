from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User

from core.tests.factories import UserFactory
from journeys.models import Plan, PlanStep
from journeys.tests.factories import ResultFactory


def plan_with_act(owner: User | None = None, *, start: dt.date, act_weeks: tuple[int, int] = (5, 4), done: bool = False) -> Plan:
    """A plan: one 알아가기 step (week 1) and one 실행하기 step (start_week, duration)."""
    owner = owner or UserFactory.create()
    plan = Plan.objects.create(result=ResultFactory.create(owner=owner), owner=owner, start_date=start)
    PlanStep.objects.create(plan=plan, position=1, stage="know", title="알아보기", reason="r", start_week=1, duration_weeks=1)
    PlanStep.objects.create(plan=plan, position=2, stage="act", title="지원하기", reason="r", start_week=act_weeks[0], duration_weeks=act_weeks[1])
    if done:
        plan.steps.update(done_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    return plan
