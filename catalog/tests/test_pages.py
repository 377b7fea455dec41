"""The public catalogue pages, as a person meets them (no JavaScript needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from catalog.tests.factories import ServiceFactory, bulk_services

pytestmark = pytest.mark.django_db

LIST = reverse("catalog:list")


def test_list_shows_count_and_links_each_card_to_its_page(client: Client) -> None:
    ServiceFactory.create(slug="tech-startup", name_ko="중장년 기술창업센터")
    ServiceFactory.create(slug="polytech", name_ko="폴리텍 신중년 특화과정")
    page = client.get(LIST).content.decode()
    assert "2개 서비스" in page
    assert reverse("catalog:detail", args=["tech-startup"]) in page
    assert reverse("catalog:detail", args=["polytech"]) in page


def test_search_box_filters_and_keeps_what_was_typed(client: Client) -> None:
    ServiceFactory.create(slug="tech-startup", name_ko="중장년 기술창업센터")
    ServiceFactory.create(slug="polytech", name_ko="폴리텍 신중년 특화과정")
    page = client.get(LIST, {"q": "창업"}).content.decode()
    assert "1개 서비스" in page
    assert "중장년 기술창업센터" in page
    assert "폴리텍 신중년" not in page
    assert 'value="창업"' in page


def test_filter_form_is_a_get_form_with_labelled_fields(client: Client) -> None:
    page = client.get(LIST).content.decode()
    assert 'method="get"' in page
    for name in ("q", "goal", "stage", "age", "region", "delivery"):
        assert f'for="id_{name}"' in page
    assert "귀농·귀촌" in page and "서울특별시" in page


def test_invalid_filter_is_explained_in_korean_and_ignored(client: Client) -> None:
    ServiceFactory.create()
    response = client.get(LIST, {"age": "쉰", "goal": "flying"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "나이는 52처럼 숫자로 적어 주세요" in page
    assert "목록에서 목표 유형을 골라 주세요" in page
    assert 'value="쉰"' in page
    assert "1개 서비스" in page


def test_pagination_is_20_per_page_and_keeps_the_filters(client: Client) -> None:
    bulk_services(45)
    first = client.get(LIST, {"goal": "startup"}).content.decode()
    assert "45개 서비스" in first
    assert first.count('class="lc-card"') == 20
    assert "?goal=startup&amp;page=2" in first
    third = client.get(LIST, {"goal": "startup", "page": "3"}).content.decode()
    assert third.count('class="lc-card"') == 5


def test_out_of_range_page_shows_the_last_page(client: Client) -> None:
    bulk_services(3)
    assert client.get(LIST, {"page": "99"}).status_code == 200
    assert client.get(LIST, {"page": "abc"}).status_code == 200


def test_empty_result_suggests_what_to_do(client: Client) -> None:
    page = client.get(LIST, {"q": "없는말"}).content.decode()
    assert "0개 서비스" in page
    assert "조건에 맞는 서비스가 없습니다" in page


def test_detail_shows_facts_checked_date_and_sources(client: Client) -> None:
    ServiceFactory.create(
        slug="polytech", name_ko="폴리텍 신중년 특화과정", age_min=40, cost_ko="무료", checked_on=dt.date(2026, 11, 25),
        sources=["https://example.test/a", "seed report"], regions=["11"], statuses=[],
    )
    page = client.get(reverse("catalog:detail", args=["polytech"])).content.decode()
    assert "폴리텍 신중년 특화과정" in page
    assert "만 40세 이상" in page
    assert "무료" in page
    assert "확인일" in page and "2026년 11월 25일" in page
    assert 'href="https://example.test/a"' in page
    assert "서비스디자인 보고서" in page
    assert "서울특별시" in page
    assert "모든 고용 상태" in page


def test_unknown_facts_are_shown_as_not_confirmed(client: Client) -> None:
    ServiceFactory.create(slug="sparse", cost_ko="", how_to_apply_ko="", url="", checked_on=None, sources=[])
    page = client.get(reverse("catalog:detail", args=["sparse"])).content.decode()
    # cost, duration, time slots, age, checked date, sources
    assert page.count("확인되지 않음") >= 6


def test_unknown_way_to_apply_or_site_offers_a_way_forward(client: Client) -> None:
    ServiceFactory.create(slug="sparse", how_to_apply_ko="", url="")
    page = client.get(reverse("catalog:detail", args=["sparse"])).content.decode()
    assert "고용노동부 고객상담센터(국번 없이 1350)" in page
    assert "공식 누리집은 찾지 못했습니다" in page


def test_nationwide_service_says_so(client: Client) -> None:
    ServiceFactory.create(slug="nationwide", regions=[])
    assert "전국" in client.get(reverse("catalog:detail", args=["nationwide"])).content.decode()


def test_unknown_or_unpublished_service_is_404(client: Client) -> None:
    ServiceFactory.create(slug="hidden", is_active=False)
    assert client.get(reverse("catalog:detail", args=["hidden"])).status_code == 404
    assert client.get(reverse("catalog:detail", args=["nope"])).status_code == 404


def test_pages_need_no_login(client: Client) -> None:
    ServiceFactory.create(slug="a")
    assert client.get(LIST).status_code == 200
    assert client.get(reverse("catalog:detail", args=["a"])).status_code == 200


def test_owner_filter_on_the_list_page(client: Client) -> None:
    ServiceFactory.create(slug="centre", name_ko="1:1 상담", kind="own")
    ServiceFactory.create(slug="saeil", name_ko="여성새로일하기센터", kind="agency")
    page = client.get(LIST, {"owner": "own"}).content.decode()
    assert "1개 서비스" in page and "1:1 상담" in page and "여성새로일하기센터" not in page
    assert 'name="owner"' in page


def test_unknown_owner_is_explained_in_korean_and_ignored(client: Client) -> None:
    ServiceFactory.create(slug="centre", kind="own")
    page = client.get(LIST, {"owner": "nobody"}).content.decode()
    assert "목록에서 운영 주체를 골라 주세요" in page
    assert "1개 서비스" in page


def test_firm_size_rule_is_shown(client: Client) -> None:
    ServiceFactory.create(slug="career-planning", firm_size_max=999)
    page = client.get(reverse("catalog:detail", args=["career-planning"])).content.decode()
    assert "1,000명 미만 기업 재직자" in page
