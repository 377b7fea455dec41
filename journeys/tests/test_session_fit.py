"""The plan holds each step's real sessions against the person's hours (core.availability):
a 10:00-16:00 weekday session does not suit someone free 10:00-14:00."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from journeys import services
from journeys.models import Plan
from journeys.tests.factories import ResultFactory, ServiceFactory
from programmes.tests.factories import next_weekday, seoul, session

pytestmark = pytest.mark.django_db
SCHOOL_HOURS = ["weekday_morning", "weekday_midday"]  # 10:00-14:00 while the child is at school


def plan_for(availability: list[str]) -> Plan:
    ServiceFactory.create(
        slug="naeil-centre-lifecareer-design", name_ko="중장년내일센터 생애경력설계서비스", kind="own",
        stages=["approach"], delivery="both", time_slots=[],
    )
    plan = services.create_plan(ResultFactory.create(region="11", availability=availability), today=timezone.localdate())
    assert plan.steps.filter(service__kind="own").exists()
    return plan


def page(client: Client, plan: Plan) -> str:
    return client.get(reverse("journeys:detail", args=[plan.public_id])).content.decode()


def test_a_ten_to_four_session_is_not_offered_as_fitting_school_hours(client: Client) -> None:
    plan = plan_for(SCHOOL_HOURS)
    long_day = session(starts_at=seoul(next_weekday(1), 10), hours=6)
    html = page(client, plan)
    assert "모두 맞는 일정은 지금 없습니다" in html
    assert "평일 오전, 평일 점심" in html
    assert "나에게 맞는 교육 일정 찾기" not in html
    assert "맞는 일정이 1개" not in html
    assert reverse("programmes:session_detail", args=[long_day.pk]) in html  # the closest option
    assert "일부 시간만 맞습니다" in html
    assert "원하는 때 들을 수 있는 온라인 강의" in html
    assert "평일 저녁 일정" in html


def test_a_ten_to_two_session_fits_school_hours(client: Client) -> None:
    plan = plan_for(SCHOOL_HOURS)
    session(starts_at=seoul(next_weekday(1), 10), hours=4)
    html = page(client, plan)
    assert "참여할 수 있는 시간에 맞는 일정이 1개 있습니다." in html
    assert "나에게 맞는 교육 일정 찾기" in html
    assert "모두 맞는 일정은 지금 없습니다" not in html


def test_an_old_result_with_weekday_daytime_still_fits_a_ten_to_four_session(client: Client) -> None:
    plan = plan_for(["weekday_day"])
    session(starts_at=seoul(next_weekday(1), 10), hours=6)
    html = page(client, plan)
    assert "참여할 수 있는 시간에 맞는 일정이 1개 있습니다." in html
    assert "평일 오전, 평일 점심, 평일 오후" in html
