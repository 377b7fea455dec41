"""The guide-map pages: making a plan, reading it, ticking steps, printing, the calendar file."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from core import fragments
from journeys import plan_version, services
from journeys.models import Plan
from journeys.tests.factories import (
    CaseStoryFactory,
    ResultFactory,
    ServiceFactory,
    basic_catalogue,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def make_plan(**result: object) -> Plan:
    basic_catalogue()
    CaseStoryFactory.create(slug="good", title_ko="좋은 예", outcome="success")
    CaseStoryFactory.create(slug="bad", title_ko="아쉬운 예", outcome="failure")
    return services.create_plan(ResultFactory.create(**result), today=TODAY)


def page(client: Client, plan: Plan) -> str:
    response = client.get(reverse("journeys:detail", args=[plan.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_result_button_makes_a_plan_and_opens_it(client: Client) -> None:
    result = ResultFactory.create()
    response = client.post(reverse("journeys:new"), {"result": result.public_id})
    plan = result.plans.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("journeys:detail", args=[plan.public_id])


def test_a_double_tap_does_not_make_a_second_plan(client: Client) -> None:
    result = ResultFactory.create()
    client.post(reverse("journeys:new"), {"result": result.public_id})
    client.post(reverse("journeys:new"), {"result": result.public_id})
    assert result.plans.count() == 1


def test_an_unknown_result_is_404(client: Client) -> None:
    assert client.post(reverse("journeys:new"), {"result": "nope"}).status_code == 404
    assert client.post(reverse("journeys:new"), {}).status_code == 404


def test_making_a_plan_needs_a_post(client: Client) -> None:
    assert client.get(reverse("journeys:new")).status_code == 405


def test_the_page_shows_the_four_stages_in_order(client: Client) -> None:
    html = page(client, make_plan())
    headings = re.findall(r'<h2 class="jr-stage-title">.*?</span> (\S+)</h2>', html)
    assert headings == ["알아가기", "접근하기", "실행하기", "관리하기"]


def test_a_service_step_links_to_its_catalogue_page(client: Client) -> None:
    html = page(client, make_plan())
    assert f'href="{reverse("catalog:detail", args=["jobkorea"])}"' in html
    assert "잡코리아" in html


def test_each_step_shows_weeks_dates_and_reason(client: Client) -> None:
    plan = make_plan()
    html = page(client, plan)
    first = plan.steps.order_by("position").first()
    assert first is not None
    assert re.search(r"<strong>1주차</strong>", html)  # a one-week step
    assert re.search(r"<strong>\d+주차–\d+주차</strong>", html)
    assert 'datetime="2026-11-25"' in html
    assert "추천 이유" in html
    assert first.reason in html


def test_the_case_stories_carry_the_illustrative_label(client: Client) -> None:
    html = page(client, make_plan())
    assert "실제 인물이 아닌 이해를 돕기 위한 가상 사례입니다." in html
    assert "좋은 예" in html and "아쉬운 예" in html
    assert "성공 사례" in html and "실패 사례" in html


def test_the_page_links_a_print_stylesheet_and_offers_downloads(client: Client) -> None:
    plan = make_plan()
    html = page(client, plan)
    assert re.search(r'<link rel="stylesheet" href="[^"]*journeys/plan-print[^"]*\.css" media="print">', html)
    assert "인쇄하기" in html
    assert reverse("journeys:pdf", args=[plan.public_id]) in html
    assert reverse("journeys:ics", args=[plan.public_id]) in html


def test_the_page_has_no_inline_styles_or_scripts(client: Client) -> None:
    html = page(client, make_plan())
    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)


def test_the_page_is_not_for_search_engines(client: Client) -> None:
    plan = make_plan()
    response = client.get(reverse("journeys:detail", args=[plan.public_id]))
    assert "noindex" in response["X-Robots-Tag"]


def test_ticking_a_step_marks_it_done(client: Client) -> None:
    plan = make_plan()
    response = client.post(reverse("journeys:toggle-step", args=[plan.public_id, 1]), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith("#step-1")
    assert plan.steps.get(position=1).done_at is not None
    assert "완료 취소" in page(client, plan)


def test_unticking_a_step(client: Client) -> None:
    plan = make_plan()
    client.post(reverse("journeys:toggle-step", args=[plan.public_id, 1]), {"done": "1"})
    client.post(reverse("journeys:toggle-step", args=[plan.public_id, 1]), {"done": "0"})
    assert plan.steps.get(position=1).done_at is None


def test_ticking_an_unknown_step_is_404(client: Client) -> None:
    plan = make_plan()
    assert client.post(reverse("journeys:toggle-step", args=[plan.public_id, 99]), {"done": "1"}).status_code == 404


def test_the_calendar_has_one_all_day_event_per_step(client: Client) -> None:
    plan = make_plan()
    response = client.get(reverse("journeys:ics", args=[plan.public_id]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    steps = list(plan.steps.order_by("position"))
    assert len(events) == len(steps)
    first = events[0]
    assert first.decoded("dtstart") == TODAY  # a date, not a datetime: all day
    assert str(first.get("summary")) == steps[0].title
    assert str(first.get("description")) == steps[0].reason
    assert len({str(e.get("uid")) for e in events}) == len(events)


def test_the_calendar_events_start_on_each_steps_first_day(client: Client) -> None:
    plan = make_plan()
    events = Calendar.from_ical(client.get(reverse("journeys:ics", args=[plan.public_id])).content).walk("VEVENT")
    last = plan.steps.order_by("position").last()
    assert last is not None
    assert events[-1].decoded("dtstart") == date.fromordinal(TODAY.toordinal() + 7 * (last.start_week - 1))


def queries_for_page(client: Client, plan: Plan) -> int:
    """The page's queries with nothing kept (core.fragments), so two plans compare alike
    (the stamps are read beforehand: their first creation costs a few cache queries)."""
    fragments.forget_all()
    plan_version.reference()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("journeys:detail", args=[plan.public_id])).status_code == 200
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_the_catalogue(client: Client) -> None:
    small = make_plan()
    small_count = queries_for_page(client, small)
    for n in range(40):
        ServiceFactory.create(slug=f"more-{n}", goals=["startup"], stages=["act"])
    CaseStoryFactory.create_batch(10, goal="startup")
    large = services.create_plan(ResultFactory.create(goal="startup", type_code="hurried"), today=TODAY)
    assert large.steps.count() > small.steps.count()
    assert queries_for_page(client, large) == small_count


def test_each_step_posts_its_tick_to_its_own_address(client: Client) -> None:
    plan = make_plan()
    html = page(client, plan)
    for position in plan.steps.values_list("position", flat=True):
        assert f'action="{reverse("journeys:toggle-step", args=[plan.public_id, position])}"' in html


def test_step_dates_follow_the_page_language(client: Client) -> None:
    plan = make_plan()
    first = plan.steps.order_by("position").first()
    assert first is not None and first.duration_weeks >= 1
    korean = page(client, plan)
    assert '<time datetime="2026-11-25">2026년 11월 25일</time>' in korean
    client.cookies["django_language"] = "en"
    english = page(client, plan)
    assert '<time datetime="2026-11-25">25 November 2026</time>' in english
    assert "<strong>Week 1</strong>" in english and "주차" not in english


def test_a_step_shows_what_happened_to_people_like_the_reader(client: Client) -> None:
    from insights.models import PeerCell

    plan = make_plan()
    result = plan.result
    step = plan.steps.exclude(service=None).order_by("position").first()
    assert step is not None and step.service_id is not None
    PeerCell.objects.create(
        kind="service", ref_id=step.service_id, age_band=result.age_band, status=result.employment_status, goal=result.goal,
        due_6m=212, employed_6m=81, due_12m=0, employed_12m=0, first_month=date(2026, 1, 1), last_month=date(2026, 6, 1),
    )
    html = page(client, plan)
    assert html.count('class="lc-peers lc-muted"') == 1
    assert "취업·창업 38%" in html and "비슷한 분 210명" in html
