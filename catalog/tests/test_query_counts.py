"""SQL query counts are pinned: 20 services or 2,000, the pages cost the same."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import bulk_services

pytestmark = pytest.mark.django_db

LIST_QUERIES = 2  # COUNT(*) for "N개 서비스" + the page of 20
DETAIL_QUERIES = 1
API_LIST_QUERIES = 2


def count_queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_detail_and_api_cost_the_same_for_20_and_2000_services(client: Client) -> None:
    bulk_services(20)
    small = {
        "list": count_queries(client, reverse("catalog:list")),
        "filtered": count_queries(client, reverse("catalog:list"), {"q": "서비스", "goal": "startup", "region": "11", "age": "50", "page": "2"}),
        "detail": count_queries(client, reverse("catalog:detail", args=["service-7"])),
        "api": count_queries(client, "/api/v1/services"),
        "api_detail": count_queries(client, "/api/v1/services/service-7"),
    }
    bulk_services(1980, start=20)
    large = {
        "list": count_queries(client, reverse("catalog:list")),
        "filtered": count_queries(client, reverse("catalog:list"), {"q": "서비스", "goal": "startup", "region": "11", "age": "50", "page": "2"}),
        "detail": count_queries(client, reverse("catalog:detail", args=["service-1999"])),
        "api": count_queries(client, "/api/v1/services"),
        "api_detail": count_queries(client, "/api/v1/services/service-1999"),
    }
    assert small == large
    assert large == {"list": LIST_QUERIES, "filtered": LIST_QUERIES, "detail": DETAIL_QUERIES, "api": API_LIST_QUERIES, "api_detail": DETAIL_QUERIES}
