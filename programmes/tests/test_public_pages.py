from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.fragments import stamp
from programmes.models import Mode, Session, Track
from programmes.tests.factories import (
    CentreFactory,
    ProgrammeFactory,
    UserFactory,
    enrol_many,
    next_weekday,
    seoul,
    session,
)

pytestmark = pytest.mark.django_db

SEARCH = reverse("programmes:session_search")


def cards(response: Any) -> int:
    return response.content.decode().count('class="lc-card"')


def test_the_programme_list_groups_employed_by_age_band_and_tier(client: Client, reference_data: None) -> None:
    page = client.get(reverse("programmes:list")).content.decode()
    assert "재직자 과정" in page
    for band in ("40대", "50대", "60대 이상"):
        assert f'<th scope="row">{band}</th>' in page
    assert page.index("인생 들여다보기") < page.index("인생 되돌아보기") < page.index("제2인생 계획하기") < page.index("제2인생 실행하기")
    assert "1:1 커리어 플래닝 (6주)" in page
    assert "온라인 무료 강의" in page


def test_programme_detail_lists_upcoming_sessions(client: Client) -> None:
    s = session(capacity=3)
    enrol_many(s, 1)
    page = client.get(reverse("programmes:detail", args=[s.programme.slug])).content.decode()
    assert "잔여 2석" in page
    assert reverse("programmes:enrol", args=[s.pk]) in page


def test_an_online_course_has_no_sessions_to_enrol_in(client: Client) -> None:
    course = ProgrammeFactory.create(track=Track.ONLINE_COURSE, min_enrolment=None, default_capacity=None, modes=[])
    page = client.get(reverse("programmes:detail", args=[course.slug])).content.decode()
    assert "신청할 일정이 없습니다" in page


def test_a_full_session_shows_the_waitlist(client: Client) -> None:
    s = session(capacity=1)
    enrol_many(s, 3)
    page = client.get(SEARCH).content.decode()
    assert "정원 마감 · 대기 2명" in page
    assert "대기 신청하기" in page


def test_search_filters_by_region(client: Client) -> None:
    session(centre=CentreFactory.create(region="26"))
    session(centre=CentreFactory.create(region="11"))
    response = client.get(SEARCH, {"region": "26"})
    assert cards(response) == 1
    assert "부산광역시" in response.content.decode()


def test_search_filters_by_programme(client: Client) -> None:
    wanted = session()
    session()
    assert cards(client.get(SEARCH, {"programme": wanted.programme.slug})) == 1


def test_search_filters_by_month_in_seoul_time(client: Client) -> None:
    first = seoul(40)
    month_start = dt.datetime(first.year, first.month, 1, 0, 30, tzinfo=first.tzinfo)  # 00:30 Seoul = previous day in UTC
    in_month = session(starts_at=month_start)  # at least 10 days ahead
    session(starts_at=in_month.starts_at + dt.timedelta(days=35))
    assert cards(client.get(SEARCH, {"month": in_month.local_starts_at.strftime("%Y-%m")})) == 1


def test_search_filters_by_time_of_day(client: Client) -> None:
    session(starts_at=seoul(next_weekday(2), 19))  # Wednesday evening
    session(starts_at=seoul(next_weekday(5), 10))  # Saturday
    session(starts_at=seoul(next_weekday(1), 10))  # Tuesday daytime
    for slot in ("evening", "weekend", "weekday_day"):
        assert cards(client.get(SEARCH, {"time_of_day": slot})) == 1, slot


def test_search_filters_by_mode(client: Client) -> None:
    session(mode=Mode.ONLINE_LIVE)
    session(mode=Mode.CENTRE)
    session(mode=Mode.EMPLOYER_SITE)
    response = client.get(SEARCH, {"mode": "online_live"})
    assert cards(response) == 1
    assert "온라인 실시간" in response.content.decode()


def test_an_invalid_filter_is_reported_and_ignored(client: Client) -> None:
    session()
    response = client.get(SEARCH, {"region": "99"})
    assert response.status_code == 200
    assert "오류:" in response.content.decode()
    assert cards(response) == 1


def test_past_and_cancelled_sessions_are_not_listed(client: Client) -> None:
    from programmes import services

    cancelled = session()
    services.cancel_session(cancelled.pk)
    assert cards(client.get(SEARCH)) == 0


def test_search_works_without_javascript_as_a_get_form(client: Client) -> None:
    page = client.get(SEARCH).content.decode()
    assert 'method="get"' in page
    assert "<script>" not in page


def test_demo_sessions_are_marked(client: Client) -> None:
    s = session()
    Session.objects.filter(pk=s.pk).update(is_demo=True)
    for url in (SEARCH, reverse("programmes:session_detail", args=[s.pk]), reverse("programmes:detail", args=[s.programme.slug])):
        assert "시연용 일정" in client.get(url).content.decode(), url


def test_session_detail_of_an_unknown_session_is_404(client: Client) -> None:
    assert client.get(reverse("programmes:session_detail", args=[999999])).status_code == 404


@pytest.fixture
def stamp_read_once(settings: Any) -> None:
    """As in a worker: the fragments' stamp is read from the shared cache at most once a
    second, not once per fragment (core.fragments); the counts below are the page's own."""
    settings.FRAGMENT_STAMP_TTL = 60


def _queries(client: Client, url: str) -> int:
    stamp("programmes")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("as_citizen", [False, True])
def test_search_query_count_does_not_grow_with_sessions(client: Client, as_citizen: bool, stamp_read_once: None) -> None:
    if as_citizen:
        client.force_login(UserFactory.create())
    programme = ProgrammeFactory.create()
    centre = CentreFactory.create()
    s = session(programme=programme, centre=centre, capacity=1)
    enrol_many(s, 2)
    few = _queries(client, SEARCH)
    for day in range(3, 18):
        other = session(programme=ProgrammeFactory.create(), centre=CentreFactory.create(), starts_at=seoul(day, 19))
        enrol_many(other, 2)
    many = _queries(client, SEARCH)
    assert few == many
    # Warm (the programmes' fragments rendered): the seat counts, and for a citizen the
    # session, the user and their own places besides (no staff-role query: the log-in
    # marked the session, core.access.is_staff_session).
    assert _queries(client, SEARCH) == (4 if as_citizen else 1)


def test_programme_detail_query_count_does_not_grow_with_sessions(client: Client, stamp_read_once: None) -> None:
    programme = ProgrammeFactory.create()
    session(programme=programme)
    url = reverse("programmes:detail", args=[programme.slug])
    few = _queries(client, url)
    for day in range(3, 12):
        enrol_many(session(programme=programme, starts_at=seoul(day)), 1)
    assert _queries(client, url) == few
    assert _queries(client, url) == 2  # warm: the programme and the seat counts


def test_employer_sessions_are_not_public(client: Client) -> None:
    employer = session(mode=Mode.EMPLOYER_SITE)
    assert cards(client.get(SEARCH)) == 0
    assert client.get(reverse("programmes:session_detail", args=[employer.pk])).status_code == 404
    client.force_login(UserFactory.create())
    assert client.post(reverse("programmes:enrol", args=[employer.pk])).status_code == 404
