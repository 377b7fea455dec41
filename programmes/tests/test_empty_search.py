"""No search is a dead end: an empty session search shows the nearest alternatives
(programmes.relax) and the 개설 희망 form prefilled with what was searched for; lists
sort by programme position, then date."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from programmes import relax
from programmes.models import Mode, Track
from programmes.queries import SessionFilters
from programmes.tests.factories import (
    CentreFactory,
    ProgrammeFactory,
    UserFactory,
    next_weekday,
    seoul,
    session,
)

SEARCH = reverse("programmes:session_search")
SEOUL_DAYTIME = SessionFilters(programme="p1", region="11", time_of_day="weekday_day")


def html(response: Any) -> str:
    assert response.status_code == 200
    return str(response.content.decode())


def interest_link(page: str) -> dict[str, list[str]]:
    match = re.search(r'href="(/programmes/interest/[^"]*)"', page)
    assert match is not None, "no link to the 개설 희망 form"
    return parse_qs(urlsplit(match.group(1).replace("&amp;", "&")).query)


# --- the pure function -----------------------------------------------------------------


def test_relaxations_loosen_one_thing_at_a_time_nearest_first() -> None:
    kinds = [r.kind for r in relax.relaxations(SEOUL_DAYTIME, Track.JOBSEEKER_MODULES)]
    assert kinds == [relax.ONLINE, relax.NEARBY, relax.OTHER_TIMES, relax.SAME_TRACK, relax.ANYWHERE]


def test_online_keeps_the_programme_and_time_but_drops_the_region() -> None:
    online = relax.relaxations(SEOUL_DAYTIME, Track.JOBSEEKER_MODULES)[0]
    assert online.filters == SessionFilters(programme="p1", time_of_day="weekday_day", mode=Mode.ONLINE_LIVE)


def test_nearby_means_the_bordering_regions_named_in_the_heading() -> None:
    nearby = relax.relaxations(SEOUL_DAYTIME, Track.JOBSEEKER_MODULES)[1]
    assert nearby.filters.regions == ("28", "41")
    assert nearby.filters.region == ""
    assert nearby.heading == "가까운 지역(인천광역시, 경기도)의 일정"


def test_the_same_track_excludes_the_programme_searched_for() -> None:
    same = relax.relaxations(SEOUL_DAYTIME, Track.JOBSEEKER_MODULES)[3]
    assert (same.filters.programme, same.filters.track, same.filters.exclude_programme) == (
        "", Track.JOBSEEKER_MODULES, "p1"
    )
    assert same.heading == "같은 과정 묶음(구직자 과정)의 다른 프로그램 일정"


def test_jeju_has_no_nearby_regions_and_an_online_search_no_online_relaxation() -> None:
    jeju = relax.relaxations(SessionFilters(region="50"))
    assert [r.kind for r in jeju] == [relax.ONLINE]
    online = relax.relaxations(SessionFilters(mode=Mode.ONLINE_LIVE, time_of_day="evening"))
    assert [r.kind for r in online] == [relax.OTHER_TIMES]


def test_the_interest_query_carries_programme_region_and_time() -> None:
    assert parse_qs(relax.interest_query(SEOUL_DAYTIME)) == {
        "programme": ["p1"], "region": ["11"], "time_of_day": ["weekday_day"],
    }


# --- the page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_search_shows_online_and_nearby_sessions_of_the_programme(client: Client) -> None:
    programme = ProgrammeFactory.create(slug="jobseeker-1", track=Track.JOBSEEKER_MODULES, order=1)
    session(programme=programme, mode=Mode.ONLINE_LIVE)
    session(programme=programme, centre=CentreFactory.create(name="경기중장년내일센터", region="41"))
    page = html(client.get(SEARCH, {"programme": "jobseeker-1", "region": "11", "time_of_day": "weekday_day"}))
    assert "일정 0건" in page
    assert 'id="alternatives"' in page
    assert "지역과 관계없이 들을 수 있는 온라인 실시간 일정" in page
    assert "가까운 지역(인천광역시, 경기도)의 일정" in page
    assert page.count('class="lc-card"') == 2


@pytest.mark.django_db
def test_an_empty_search_links_to_the_prefilled_interest_form(client: Client) -> None:
    ProgrammeFactory.create(slug="jobseeker-1", track=Track.JOBSEEKER_MODULES)
    page = html(client.get(SEARCH, {"programme": "jobseeker-1", "region": "11", "time_of_day": "weekday_day"}))
    assert 'id="demand"' in page
    assert interest_link(page) == {"programme": ["jobseeker-1"], "region": ["11"], "time_of_day": ["weekday_day"]}


@pytest.mark.django_db
def test_the_interest_form_opens_prefilled(client: Client) -> None:
    ProgrammeFactory.create(slug="jobseeker-1", track=Track.JOBSEEKER_MODULES)
    client.force_login(UserFactory.create())
    page = html(client.get(reverse("programmes:interest"), {"programme": "jobseeker-1", "region": "41", "time_of_day": "evening"}))
    assert re.search(r'<option value="41"[^>]*selected', page)
    assert re.search(r'value="evening"[^>]*checked|checked[^>]*value="evening"', page)


@pytest.mark.django_db
def test_other_programmes_of_the_track_are_offered_when_the_programme_has_no_session(client: Client) -> None:
    ProgrammeFactory.create(slug="jobseeker-2", name_ko="구직자 과정 2", track=Track.JOBSEEKER_MODULES, order=2)
    first = ProgrammeFactory.create(slug="jobseeker-1", name_ko="구직자 과정 1", track=Track.JOBSEEKER_MODULES, order=1)
    session(programme=first)
    page = html(client.get(SEARCH, {"programme": "jobseeker-2", "region": "11"}))
    assert "같은 과정 묶음(구직자 과정)의 다른 프로그램 일정" in page
    assert "구직자 과정 1" in page


@pytest.mark.django_db
def test_a_search_with_results_shows_no_alternatives(client: Client) -> None:
    session(programme=ProgrammeFactory.create(slug="jobseeker-1"))
    page = html(client.get(SEARCH, {"programme": "jobseeker-1"}))
    assert 'id="alternatives"' not in page


# --- order -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_sessions_are_listed_by_programme_position_then_date(client: Client) -> None:
    track = Track.JOBSEEKER_MODULES
    second = ProgrammeFactory.create(name_ko="구직자 과정 2", track=track, order=2)
    tenth = ProgrammeFactory.create(name_ko="구직자 과정 10", track=track, order=10)
    first = ProgrammeFactory.create(name_ko="구직자 과정 1", track=track, order=1)
    tuesday = next_weekday(1)
    session(programme=second, starts_at=seoul(tuesday))
    session(programme=tenth, starts_at=seoul(tuesday + 1))
    session(programme=first, starts_at=seoul(tuesday + 14))
    session(programme=first, starts_at=seoul(tuesday + 7))
    page = html(client.get(SEARCH))
    titles = re.findall(r"(구직자 과정 \d+)</a>", page)
    assert titles == ["구직자 과정 1", "구직자 과정 1", "구직자 과정 2", "구직자 과정 10"]
    dates = re.findall(r'href="/programmes/sessions/(\d+)/"', page)
    assert int(dates[0]) > int(dates[1])  # the later-made session of 과정 1 starts first


@pytest.mark.django_db
def test_a_programme_moved_in_its_track_moves_its_sessions_in_the_list(client: Client) -> None:
    # The order is stored on each session (programmes.ranks): a programme's new position
    # must reach the sessions it already has.
    track = Track.JOBSEEKER_MODULES
    first = ProgrammeFactory.create(name_ko="구직자 과정 1", track=track, order=1)
    second = ProgrammeFactory.create(name_ko="구직자 과정 2", track=track, order=2)
    tuesday = next_weekday(1)
    session(programme=first, starts_at=seoul(tuesday + 1))
    session(programme=second, starts_at=seoul(tuesday))
    first.order = 3
    first.save()
    page = html(client.get(SEARCH))
    assert re.findall(r"(구직자 과정 \d+)</a>", page) == ["구직자 과정 2", "구직자 과정 1"]


@pytest.mark.django_db
def test_programmes_without_a_position_come_after_the_numbered_ones_by_name(client: Client) -> None:
    track = Track.JOBSEEKER_MODULES
    tuesday = next_weekday(1)
    session(programme=ProgrammeFactory.create(name_ko="나 과정", track=track, order=None), starts_at=seoul(tuesday))
    session(programme=ProgrammeFactory.create(name_ko="가 과정", track=track, order=None), starts_at=seoul(tuesday + 1))
    session(programme=ProgrammeFactory.create(name_ko="다 과정", track=track, order=5), starts_at=seoul(tuesday + 2))
    page = html(client.get(SEARCH))
    assert re.findall(r"([가나다] 과정)</a>", page) == ["다 과정", "가 과정", "나 과정"]


@pytest.mark.django_db
def test_a_search_that_finds_more_than_a_list_keeps_says_so_and_asks_to_narrow(client: Client, monkeypatch: Any) -> None:
    from programmes import queries

    monkeypatch.setattr(queries, "LISTED_CAP", 2)
    programme = ProgrammeFactory.create(name_ko="구직자 과정 1", track=Track.JOBSEEKER_MODULES, order=1)
    tuesday = next_weekday(1)
    for day in range(3):
        session(programme=programme, starts_at=seoul(tuesday + day))
    page = html(client.get(SEARCH))
    assert "일정 2건 이상" in page
    assert "앞에서부터 2건까지 보여 드립니다." in page
    assert page.count('class="lc-card"') == 2


@pytest.mark.django_db
def test_a_search_within_the_cap_gives_the_exact_number(client: Client) -> None:
    programme = ProgrammeFactory.create(name_ko="구직자 과정 1", track=Track.JOBSEEKER_MODULES, order=1)
    for day in range(3):
        session(programme=programme, starts_at=seoul(next_weekday(1) + day))
    page = html(client.get(SEARCH))
    assert "일정 3건" in page
    assert "이상" not in page.split('id="results"')[1].split("</h2>")[0]


@pytest.mark.django_db
def test_a_repeated_search_keeps_the_chosen_values_in_its_form(client: Client) -> None:
    from django.http import QueryDict

    from programmes.forms import search_filters

    # The filters are kept before the form is ever rendered: the form, bound again from
    # them, still shows the choice.
    assert search_filters(QueryDict("region=41"))[1] is None
    for _ in range(2):
        page = html(client.get(SEARCH, {"region": "41"}))
        assert re.search(r'<option value="41"[^>]*selected', page)


@pytest.mark.django_db
def test_a_search_with_a_wrong_value_says_so_every_time(client: Client) -> None:
    for _ in range(2):
        page = html(client.get(SEARCH, {"region": "99"}))
        assert "<title>오류:" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("programme", "목록에서 프로그램을 골라 주세요."),
        ("region", "목록에서 시·도를 골라 주세요."),
        ("month", "목록에서 달을 골라 주세요."),
        ("time_of_day", "목록에서 시간대를 골라 주세요."),
        ("mode", "목록에서 방식을 골라 주세요."),
        ("for_band", "목록에서 연령대를 골라 주세요."),
        ("for_status", "목록에서 지금 상황을 골라 주세요."),
        ("for_firm", "목록에서 직원 수를 골라 주세요."),
    ],
)
def test_a_wrong_filter_value_is_named_in_plain_korean(client: Client, field: str, message: str) -> None:
    # Django's own message ("… 이/가 선택가능항목에 없습니다") echoes the raw value.
    page = html(client.get(SEARCH, {field: "no-such-value"}))
    assert message in page and "선택가능항목" not in page
