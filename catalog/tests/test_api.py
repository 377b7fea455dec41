"""GET /api/v1/services and /api/v1/services/{id}."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from catalog.tests.factories import ServiceFactory, bulk_services

pytestmark = pytest.mark.django_db

URL = "/api/v1/services"


def test_list_returns_count_and_items(client: Client) -> None:
    ServiceFactory.create(slug="polytech", name_ko="폴리텍 신중년 특화과정", goals=["reemployment"], regions=[])
    body = client.get(URL).json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == "polytech"
    assert item["goals"] == [{"code": "reemployment", "name": "재취업"}]
    assert item["nationwide"] is True
    assert item["cost_ko"] is None  # unknown, not ""
    assert item["page_url"].endswith("/services/polytech/")


def test_list_uses_the_same_filters_as_the_page(client: Client) -> None:
    ServiceFactory.create(slug="tech-startup", name_ko="중장년 기술창업센터", goals=["startup"], age_min=40, delivery="both")
    ServiceFactory.create(slug="polytech", name_ko="폴리텍", goals=["reemployment"], regions=["11"])
    assert [i["id"] for i in client.get(URL, {"q": "창업"}).json()["items"]] == ["tech-startup"]
    assert [i["id"] for i in client.get(URL, {"goal": "startup", "age": "50", "delivery": "online"}).json()["items"]] == ["tech-startup"]
    assert client.get(URL, {"region": "26"}).json()["count"] == 1  # only the nationwide one


def test_limit_and_offset(client: Client) -> None:
    bulk_services(30)
    body = client.get(URL, {"limit": 10, "offset": 25}).json()
    assert body["count"] == 30
    assert len(body["items"]) == 5
    assert client.get(URL, {"offset": 100}).json() == {"count": 30, "items": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"age": "abc"}, "age"), ({"goal": "flying"}, "goal"), ({"region": "99"}, "region"), ({"limit": 0}, "limit"), ({"limit": 1000}, "limit"), ({"offset": -1}, "offset")],
)
def test_bad_query_params_are_422_field_errors(client: Client, params: dict[str, Any], field: str) -> None:
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["detail"]
    assert any(e["field"] == field for e in body["errors"])


def test_detail(client: Client) -> None:
    ServiceFactory.create(slug="polytech", name_ko="폴리텍", sources=["https://example.test/a"])
    body = client.get(f"{URL}/polytech").json()
    assert body["id"] == "polytech"
    assert body["sources"] == ["https://example.test/a"]


def test_unknown_or_unpublished_service_is_404_json(client: Client) -> None:
    ServiceFactory.create(slug="hidden", is_active=False)
    for slug in ("nope", "hidden"):
        response = client.get(f"{URL}/{slug}")
        assert response.status_code == 404
        assert response.json() == {"detail": "찾을 수 없습니다.", "errors": []}


def test_openapi_declares_the_error_responses(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"200", "422"} <= set(paths["/api/v1/services"]["get"]["responses"])
    assert {"200", "404"} <= set(paths["/api/v1/services/{service_id}"]["get"]["responses"])


def test_owner_filter_and_label(client: Client) -> None:
    ServiceFactory.create(slug="centre", kind="own")
    ServiceFactory.create(slug="jobkorea", kind="private")
    body = client.get(URL, {"owner": "other"}).json()
    assert [i["id"] for i in body["items"]] == ["jobkorea"]
    assert body["items"][0]["owner"] == {"code": "other", "name": "타 기관 (지방자치단체·공공기관·민간)"}
    assert body["items"][0]["kind"]["code"] == "private"


def test_unknown_owner_is_a_422_field_error(client: Client) -> None:
    response = client.get(URL, {"owner": "nobody"})
    assert response.status_code == 422
    assert any(e["field"] == "owner" for e in response.json()["errors"])


def test_eligibility_facts_are_in_the_payload(client: Client) -> None:
    ServiceFactory.create(slug="saeil", audiences=["career_break_women"], firm_size_max=999)
    item = client.get(f"{URL}/saeil").json()
    assert item["audiences"] == [{"code": "career_break_women", "name": "경력단절 여성"}]
    assert (item["firm_size_min"], item["firm_size_max"]) == (None, 999)
