"""A plan's reasons in the reader's language (issue 8): the page, the calendar file, the API
and the browse pages say them in English on the English site, the Korean site shows the
stored sentence, and a step stored before reasons were kept as data keeps its sentence."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from journeys import services
from journeys.display import wording
from journeys.matching import ReasonParts, say
from journeys.models import Plan
from journeys.tests.factories import CaseStoryFactory, ResultFactory, basic_catalogue

TODAY = date(2026, 11, 25)
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
REASON = re.compile(r'<p class="jr-reason"><span class="jr-reason-label">[^<]*</span>\s*(.*?)</p>', re.S)


def make_plan(**result: object) -> Plan:
    basic_catalogue()
    CaseStoryFactory.create(slug="good", outcome="success")
    CaseStoryFactory.create(slug="bad", outcome="failure")
    return services.create_plan(ResultFactory.create(**result), today=TODAY)


def reasons_on_page(client: Client, plan: Plan, language: str) -> list[str]:
    client.cookies["django_language"] = language
    response = client.get(reverse("journeys:detail", args=[plan.public_id]))
    assert response.status_code == 200
    return [html.unescape(r.strip()) for r in REASON.findall(response.content.decode())]


@pytest.mark.django_db
def test_the_english_plan_page_says_every_reason_in_english(client: Client) -> None:
    plan = make_plan(availability=["evening"])  # evenings only: reasons get a time prefix too
    reasons = reasons_on_page(client, plan, "en")
    assert len(reasons) == plan.steps.count()
    assert [r for r in reasons if HANGUL.search(r) or not r[0].isupper()] == []
    assert "Available online whenever you like: finding vacancies and applying recommended first for your career type (Job-search skills need building)." in reasons


@pytest.mark.django_db
def test_the_korean_plan_page_shows_the_stored_sentences(client: Client) -> None:
    plan = make_plan(availability=["evening"])
    assert reasons_on_page(client, plan, "ko") == [s.reason for s in plan.steps.order_by("position")]


@pytest.mark.django_db
def test_a_step_stored_without_parts_keeps_its_sentence_in_english(client: Client) -> None:
    plan = make_plan()
    plan.steps.filter(position=1).update(reason="예전에 저장한 이유입니다.", reason_parts={})
    reasons = reasons_on_page(client, plan, "en")
    assert reasons[0] == "예전에 저장한 이유입니다."
    assert not any(HANGUL.search(r) for r in reasons[1:])


@pytest.mark.django_db
def test_the_calendar_file_says_reasons_in_english(client: Client) -> None:
    plan = make_plan()
    client.cookies["django_language"] = "en"
    events = Calendar.from_ical(client.get(reverse("journeys:ics", args=[plan.public_id])).content).walk("VEVENT")
    descriptions = [str(e["description"]) for e in events]
    assert descriptions and not any(HANGUL.search(d) for d in descriptions)


@pytest.mark.django_db
def test_the_api_says_reasons_in_the_requests_language(client: Client) -> None:
    plan = make_plan()
    stored = [s.reason for s in plan.steps.order_by("position")]

    def reasons(headers: dict[str, str] | None = None) -> list[str]:
        body = client.get(f"/api/v1/plans/{plan.public_id}", headers=headers).json()
        return [step["reason"] for stage in body["stages"] for step in stage["steps"]]

    english = reasons({"accept-language": "en"})
    assert english and not any(HANGUL.search(r) for r in english)
    assert reasons({"accept-language": "ko"}) == stored
    assert reasons() == stored  # no language asked: Korean, the site's language


@pytest.mark.django_db
def test_the_english_browse_page_says_reasons_in_english(client: Client) -> None:
    basic_catalogue()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("guide_maps:detail", args=["50s", "reemployment"])).content.decode()
    reasons = [html.unescape(r.strip()) for r in REASON.findall(page)]
    assert reasons and not any(HANGUL.search(r) for r in reasons)


def test_head_counts_and_hours_are_said_the_english_way() -> None:
    parts: ReasonParts = {
        "pattern": "firm",
        "prefix": "slots",
        "args": {"what": "전직지원 서비스", "firm_min": 1000, "slots": ["weekday_evening", "weekend_morning", "weekend_midday"]},
    }
    with translation.override("en"):
        assert say(parts, wording()) == (
            "Also available in your free time (weekday evening, weekend mornings, weekend midday): "
            "outplacement service open to people working at a firm with 1,000 or more staff."
        )
    with translation.override("ko"):
        assert say(parts, wording()) == "평일 저녁, 주말 오전·점심에도 참여할 수 있는, 1,000명 이상인 회사에 다니는 분이 받을 수 있는 전직지원 서비스입니다."
