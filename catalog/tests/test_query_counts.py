"""SQL query counts are pinned: 20 services or 2,000, the pages cost the same.

The public pages keep the catalogue's rendered fragments per process (core.fragments): the
first request of a page after a change ("cold") runs the queries below, the next ones none.
The stamp of the scope is read once first, as a worker does at most once a second.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.tests.factories import bulk_services
from core.fragments import bump, stamp

pytestmark = pytest.mark.django_db

LIST_QUERIES = 2  # cold: the ids the search finds, in order + the page of 20 services
DETAIL_QUERIES = 1  # cold
WARM_QUERIES = 0  # the same page again: everything from the fragments
API_LIST_QUERIES = 2
API_DETAIL_QUERIES = 1


@pytest.fixture(autouse=True)
def _stamp_read_once_a_minute(settings: Any) -> None:
    settings.FRAGMENT_STAMP_TTL = 60


def count_queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    stamp("catalogue")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_list_detail_and_api_cost_the_same_for_20_and_2000_services(client: Client) -> None:
    bulk_services(20)
    bump("catalogue")  # bulk_create sends no signal
    small = {
        "list": count_queries(client, reverse("catalog:list")),
        "filtered": count_queries(client, reverse("catalog:list"), {"goal": "startup", "region": "26"}),
        "detail": count_queries(client, reverse("catalog:detail", args=["service-7"])),
        "api": count_queries(client, "/api/v1/services"),
        "api_detail": count_queries(client, "/api/v1/services/service-7"),
    }
    bulk_services(1980, start=20)
    bump("catalogue")
    large = {
        "list": count_queries(client, reverse("catalog:list")),
        "filtered": count_queries(client, reverse("catalog:list"), {"goal": "startup", "region": "26"}),
        "detail": count_queries(client, reverse("catalog:detail", args=["service-1999"])),
        "api": count_queries(client, "/api/v1/services"),
        "api_detail": count_queries(client, "/api/v1/services/service-1999"),
    }
    assert small == large
    assert large == {"list": LIST_QUERIES, "filtered": LIST_QUERIES, "detail": DETAIL_QUERIES, "api": API_LIST_QUERIES, "api_detail": API_DETAIL_QUERIES}
    warm = {
        "list": count_queries(client, reverse("catalog:list")),
        "filtered": count_queries(client, reverse("catalog:list"), {"goal": "startup", "region": "26"}),
        "detail": count_queries(client, reverse("catalog:detail", args=["service-1999"])),
    }
    assert warm == {"list": WARM_QUERIES, "filtered": WARM_QUERIES, "detail": WARM_QUERIES}
