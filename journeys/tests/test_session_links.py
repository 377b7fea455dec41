"""The guide map links the provider's own programme steps to matching sessions."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Service
from journeys import plan_version, services
from journeys.display import session_links
from journeys.tests.factories import ResultFactory, ServiceFactory
from programmes.tests.factories import CentreFactory, session

TODAY = date(2026, 11, 25)
SEARCH = "/programmes/sessions/"


def own(slug: str = "naeil-centre-lifecareer-design", **kwargs: object) -> Service:
    """An unsaved catalogue service: session_links reads only its fields."""
    fields: dict[str, object] = {"slug": slug, "name_ko": "생애경력설계서비스", "kind": "own", "is_active": True}
    return Service(**(fields | kwargs))


def query(url: str | None) -> dict[str, list[str]]:
    assert url is not None
    parts = urlsplit(url)
    assert parts.path == SEARCH
    return parse_qs(parts.query)


def test_an_own_programme_links_to_sessions_in_the_region_at_the_first_free_time() -> None:
    matching, _online = session_links(own(), "11", ["weekend", "evening"])
    assert query(matching) == {"region": ["11"], "time_of_day": ["evening"]}


def test_no_weekday_daytime_adds_an_online_live_link() -> None:
    _matching, online = session_links(own(), "26", ["evening"])
    assert query(online) == {"time_of_day": ["evening"], "mode": ["online_live"]}


def test_weekday_daytime_needs_no_online_link() -> None:
    matching, online = session_links(own(), "11", ["weekday_day"])
    assert query(matching) == {"region": ["11"], "time_of_day": ["weekday_day"]}
    assert online is None


def test_the_one_to_one_service_searches_its_own_programme() -> None:
    matching, _online = session_links(own("career-planning-1on1"), "11", ["weekday_day"])
    assert query(matching)["programme"] == ["career-planning-1-career-diagnosis"]


def test_the_online_course_searches_online_sessions_anywhere() -> None:
    matching, online = session_links(own("lifecareer-online-video"), "11", ["evening"])
    assert query(matching) == {"mode": ["online_live"], "time_of_day": ["evening"]}
    assert online is None


@pytest.mark.parametrize(
    "service",
    [
        None,
        own(kind="agency"),
        own(is_active=False),
        own("own-free-id-photo"),
    ],
    ids=["no service", "not own", "unpublished", "own but not a programme"],
)
def test_other_steps_have_no_session_link(service: Service | None) -> None:
    assert session_links(service, "11", ["evening"]) == (None, None)


@pytest.mark.django_db
def test_the_plan_page_keeps_what_its_links_find(client: Client) -> None:
    ServiceFactory.create(slug="jobkorea", name_ko="잡코리아", stages=["act"])
    plain = services.create_plan(ResultFactory.create(availability=["evening"]), today=TODAY)
    plan_version.reference()  # the stamps every plan page reads, once per process as in production
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("journeys:detail", args=[plain.public_id]))
    ServiceFactory.create(
        slug="naeil-centre-lifecareer-design", name_ko="중장년내일센터 생애경력설계서비스", kind="own",
        stages=["approach"], delivery="both", time_slots=[],
    )
    plan = services.create_plan(ResultFactory.create(availability=["evening"]), today=TODAY)
    assert plan.steps.filter(service__kind="own").exists()
    with CaptureQueriesContext(connection) as after:
        html = client.get(reverse("journeys:detail", args=[plan.public_id])).content.decode()
    assert "나에게 맞는 교육 일정 찾기" in html
    assert f"{SEARCH}?region=11&amp;time_of_day=evening" in html
    assert "온라인으로 참여하기" in html
    # The candidate sessions and what each link finds (programmes.relax.outcomes) are kept
    # reference data (core.fragments, scope "programmes"): read once, then no query at all,
    # so the plan costs what a plan without session steps costs (rendered again, not the
    # kept page part of core.page_cache).
    caches["personal"].clear()
    with CaptureQueriesContext(connection) as again:
        warm = client.get(reverse("journeys:detail", args=[plan.public_id])).content.decode()
    assert sessions_link(warm) == sessions_link(html)
    assert len(after.captured_queries) > len(again.captured_queries) == len(before.captured_queries)


def own_programme_plan(**result: object) -> str:
    """The public id of a plan whose programme step links to the session search; the person
    is a 50대 employee, whom the factory's programme (재직자 50대) is for."""
    result = {"employment_status": "employed", **result}  # the factory person is 55 (50대)
    ServiceFactory.create(
        slug="naeil-centre-lifecareer-design", name_ko="중장년내일센터 생애경력설계서비스", kind="own",
        stages=["approach"], delivery="both", time_slots=[],
    )
    plan = services.create_plan(ResultFactory.create(**result), today=TODAY)
    return str(plan.public_id)


def sessions_link(page: str) -> str:
    match = re.search(r'href="(/programmes/sessions/\?[^"]*)">나에게 맞는 교육 일정 찾기', page)
    assert match is not None
    return match.group(1).replace("&amp;", "&")


@pytest.mark.django_db
def test_a_seoul_daytime_plan_without_seoul_sessions_links_to_alternatives(client: Client) -> None:
    session(centre=CentreFactory.create(name="경기중장년내일센터", region="41"))  # a weekday, 10:00
    public_id = own_programme_plan(region="11", availability=["weekday_day"])
    page = client.get(reverse("journeys:detail", args=[public_id])).content.decode()
    link = sessions_link(page)
    assert link.endswith("#alternatives")
    assert "온라인·가까운 지역·다른 시간대의 일정을 대신 보여 드립니다" in page
    target = client.get(link.split("#")[0]).content.decode()
    assert target.count('class="lc-card"') >= 1
    assert "경기중장년내일센터" in target


@pytest.mark.django_db
def test_a_plan_link_that_finds_nothing_leads_to_the_interest_form(client: Client) -> None:
    public_id = own_programme_plan(region="11", availability=["weekday_day"])
    page = client.get(reverse("journeys:detail", args=[public_id])).content.decode()
    link = sessions_link(page)
    assert link.endswith("#demand")
    target = client.get(link.split("#")[0]).content.decode()
    assert 'href="/programmes/interest/?region=11&amp;time_of_day=weekday_day"' in target
