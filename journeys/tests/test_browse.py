"""Guide maps to browse without a diagnosis: /guide-maps/ and /guide-maps/<band>/<goal>/."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core import vocabulary as vocab

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


def test_the_index_links_every_band_and_goal(client: Client, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(0):  # type: ignore[operator]
        html = client.get(reverse("guide_maps:index")).content.decode()
    for band in ("40s", "50s", "60s"):
        for goal in vocab.codes(vocab.GOALS):
            assert reverse("guide_maps:detail", args=[band, goal]) in html
    assert reverse("diagnosis:step", args=[0]) in html


def test_a_guide_map_shows_four_stages_cases_and_ends_with_making_ones_own(client: Client, django_assert_num_queries: object) -> None:
    with django_assert_num_queries(2):  # type: ignore[operator]  # active services, case stories
        response = client.get(reverse("guide_maps:detail", args=["60s", "rural"]))
    html = response.content.decode()
    assert response.status_code == 200
    for stage in ("알아가기", "접근하기", "실행하기", "관리하기"):
        assert stage in html
    assert "귀농귀촌종합센터" in html
    assert "실제 인물이 아닌 이해를 돕기 위한 가상 사례입니다." in html
    assert html.rindex("내 상황에 맞게 만들기") > html.index("먼저 걸어간 사람들의 이야기")
    assert reverse("diagnosis:step", args=[0]) in html


def test_the_status_changes_the_guide_map(client: Client) -> None:
    url = reverse("guide_maps:detail", args=["50s", "reemployment"])
    jobseeker = client.get(url, {"status": "jobseeker"}).content.decode()
    employed = client.get(url, {"status": "employed"}).content.decode()
    transition = reverse("catalog:detail", args=["naeil-centre-transition-support"])  # for jobseekers and people about to retire
    assert transition in jobseeker and transition not in employed


def test_age_bands_change_the_guide_map(client: Client) -> None:
    fifties = client.get(reverse("guide_maps:detail", args=["50s", "social"])).content.decode()
    sixties = client.get(reverse("guide_maps:detail", args=["60s", "social"])).content.decode()
    assert "노인일자리 및 사회활동 지원사업" in sixties and "노인일자리 및 사회활동 지원사업" not in fifties


def test_an_unknown_band_or_goal_is_404_and_an_unknown_status_falls_back(client: Client) -> None:
    assert client.get("/guide-maps/30s/reemployment/").status_code == 404
    assert client.get("/guide-maps/50s/travel/").status_code == 404
    assert client.get(reverse("guide_maps:detail", args=["50s", "startup"]), {"status": "<script>"}).status_code == 200


def test_home_and_services_pages_link_the_guide_maps(client: Client) -> None:
    index = reverse("guide_maps:index")
    assert index in client.get("/").content.decode()
    assert index in client.get(reverse("catalog:list")).content.decode()


def test_making_ones_own_passes_the_goal_and_the_chosen_status_to_the_diagnosis(client: Client) -> None:
    url = reverse("guide_maps:detail", args=["50s", "rural"])
    assert f'href="{reverse("diagnosis:step", args=[0])}?goal=rural"' in client.get(url).content.decode()
    with_status = client.get(url, {"status": "employed"}).content.decode()
    assert f'href="{reverse("diagnosis:step", args=[0])}?goal=rural&amp;status=employed"' in with_status
