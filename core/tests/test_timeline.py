"""The person's timeline (core/timeline.py): the registry, the merge, paging, the page and
the API, with one query per source."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import timeline
from core.tests.factories import UserFactory
from core.timeline import TimelineEvent, merge
from journeys import services as journeys_services
from journeys.tests.factories import ResultFactory, basic_catalogue
from outcomes import services as outcome_services
from outcomes.services import OutcomeIn

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


def event(minutes: int, key: str) -> TimelineEvent:
    return TimelineEvent(at=T0 + timedelta(minutes=minutes), kind="test", title=key, key=key)


def test_merge_takes_the_newest_across_sources() -> None:
    page = merge([[event(5, "a5"), event(1, "a1")], [event(3, "b3")]], limit=2)
    assert [e.key for e in page.events] == ["a5", "b3"]
    assert page.next_before == T0 + timedelta(minutes=3)


def test_merge_ends_when_every_source_is_exhausted() -> None:
    page = merge([[event(5, "a5")], [event(3, "b3")]], limit=5)
    assert [e.key for e in page.events] == ["a5", "b3"]
    assert page.next_before is None


def test_a_source_that_filled_its_quota_means_more() -> None:
    page = merge([[event(5, "a5"), event(4, "a4")], []], limit=2)
    assert page.next_before == T0 + timedelta(minutes=4)


def test_the_registry_finds_the_apps_sources(db: None) -> None:
    labels = {label for label, _module in timeline.modules()}
    assert {"diagnosis", "journeys", "programmes", "counselling", "outcomes"} <= labels


@pytest.fixture
def person(db: None) -> User:
    return UserFactory.create()


@pytest.fixture(autouse=True)
def catalogue(db: None) -> None:
    basic_catalogue()


def history(person: User) -> None:
    old = journeys_services.create_plan(ResultFactory.create(owner=person))
    journeys_services.abandon_plan(person, old, "맞지 않았어요")
    journeys_services.restart_plan(person, ResultFactory.create(owner=person, goal="startup"), old)
    outcome_services.record_own(person, OutcomeIn(kind="searching", on_date=date(2026, 10, 1)))


def test_the_page_is_newest_first_with_every_kind(person: User) -> None:
    history(person)
    page = timeline.page(person)
    kinds = [e.kind for e in page.events]
    assert kinds[0] == "outcomes.outcome"
    assert {"diagnosis.result", "journeys.plan_created", "journeys.plan_abandoned"} <= set(kinds)
    assert [e.at for e in page.events] == sorted((e.at for e in page.events), reverse=True)
    abandoned = next(e for e in page.events if e.kind == "journeys.plan_abandoned")
    assert abandoned.detail == "맞지 않았어요"


def test_paging_walks_every_event_once(person: User) -> None:
    history(person)
    everything = [e.key for e in timeline.page(person, limit=100).events]
    seen: list[str] = []
    before = None
    while True:
        page = timeline.page(person, before=before, limit=2)
        seen += [e.key for e in page.events]
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == everything


def test_one_query_per_source(person: User) -> None:
    history(person)
    sources = len(timeline.modules())
    with CaptureQueriesContext(connection) as small:
        timeline.page(person)
    for _ in range(3):
        history(person)
    with CaptureQueriesContext(connection) as large:
        timeline.page(person)
    assert len(small) == len(large) == sources


def test_someone_elses_history_is_not_shown(person: User) -> None:
    history(UserFactory.create())
    assert timeline.page(person).events == []


def test_the_me_page_lists_the_history(person: User) -> None:
    history(person)
    client = Client()
    client.force_login(person)
    page = client.get(reverse("me:timeline")).content.decode()
    assert "가이드맵을 그만두었어요" in page and "다시 시작해 새 가이드맵을 만들었어요" in page
    assert client.get(reverse("me:timeline") + "?before=nonsense").status_code == 200


def test_the_api_returns_pages(person: User) -> None:
    history(person)
    client = Client()
    client.force_login(person)
    body = client.get("/api/v1/me/timeline?limit=2").json()
    assert len(body["items"]) == 2 and body["next_before"]
    older = client.get("/api/v1/me/timeline", {"limit": 2, "before": body["next_before"]}).json()
    assert not {i["key"] for i in older["items"]} & {i["key"] for i in body["items"]}


def test_the_api_needs_login(db: None) -> None:
    assert Client().get("/api/v1/me/timeline").status_code == 401


def test_attended_counselling_and_courses_are_on_the_timeline(person: User) -> None:
    from counselling.models import BookingStatus
    from counselling.tests.factories import BookingFactory
    from programmes import services as programme_services
    from programmes.models import Enrolment
    from programmes.tests.factories import session

    attended = BookingFactory.create(citizen=person)
    BookingFactory.create(citizen=person)  # still only booked: not history
    type(attended).objects.filter(pk=attended.pk).update(status=BookingStatus.ATTENDED)  # casework is tested in counselling
    course = session()
    enrolment = programme_services.enrol(course.pk, person)
    Enrolment.objects.filter(pk=enrolment.pk).update(attended=True)
    kinds = [e.kind for e in timeline.page(person).events]
    assert kinds.count("counselling.attended") == 1
    assert kinds.count("programmes.attended") == 1
