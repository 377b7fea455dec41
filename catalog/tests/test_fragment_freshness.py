"""The public pages render the catalogue once per process (core.fragments); a change made
through the service layer or the admin must show on the next request, in every process."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from catalog import services
from catalog.models import Service
from catalog.tests.factories import ServiceFactory, bulk_services
from core.fragments import bump, forget_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _stamp_remembered(settings: Any) -> None:
    # As in production a process remembers a stamp; bump() must still show the change at once here.
    settings.FRAGMENT_STAMP_TTL = 60


def test_an_edit_shows_on_the_list_and_the_detail_page_at_once(client: Client) -> None:
    ServiceFactory(slug="fresh", name_ko="처음 이름")
    service = Service.objects.get(slug="fresh")
    list_url, detail_url = reverse("catalog:list"), reverse("catalog:detail", args=["fresh"])
    assert "처음 이름" in client.get(list_url).content.decode()
    assert "처음 이름" in client.get(detail_url).content.decode()

    services.update_service(service, {"name_ko": "바뀐 이름"}, by=None, reason="시험")

    assert "바뀐 이름" in client.get(list_url).content.decode()
    assert "처음 이름" not in client.get(list_url).content.decode()
    assert "바뀐 이름" in client.get(detail_url).content.decode()


def test_a_new_and_a_withdrawn_service_show_at_once(client: Client) -> None:
    ServiceFactory(slug="kept", name_ko="남는 서비스")
    kept = Service.objects.get(slug="kept")
    list_url = reverse("catalog:list")
    assert "남는 서비스" in client.get(list_url).content.decode()
    ServiceFactory(slug="added", name_ko="새 서비스")
    assert "새 서비스" in client.get(list_url).content.decode()

    services.update_service(kept, {"is_active": False}, by=None, reason="시험")
    assert "남는 서비스" not in client.get(list_url).content.decode()
    assert client.get(reverse("catalog:detail", args=["kept"])).status_code == 404


def test_a_deleted_service_is_gone_at_once(client: Client) -> None:
    ServiceFactory(slug="gone", name_ko="지울 서비스")
    detail_url = reverse("catalog:detail", args=["gone"])
    assert client.get(detail_url).status_code == 200
    Service.objects.get(slug="gone").delete()
    assert client.get(detail_url).status_code == 404


def test_an_invalid_search_is_echoed_but_not_shared(client: Client) -> None:
    ServiceFactory(slug="one")
    first = client.get(reverse("catalog:list"), {"age": "쉰"}).content.decode()
    assert 'value="쉰"' in first
    assert 'value="쉰"' not in client.get(reverse("catalog:list")).content.decode()


def test_a_kept_list_page_repeats_its_own_query_string_in_the_page_links() -> None:
    # The content is kept per query string as sent: its page links repeat it, in its order.
    bulk_services(45)
    bump("catalogue")  # bulk_create sends no signal
    list_url = reverse("catalog:list")
    urls = [f"{list_url}?page=2&goal=startup", f"{list_url}?goal=startup&page=2", f"{list_url}?page=2"]
    kept = [Client().get(url).content.decode() for url in urls for _ in range(2)][1::2]
    forget_all()
    fresh = [Client().get(url).content.decode() for url in urls]
    assert [_no_token(p) for p in kept] == [_no_token(p) for p in fresh]
    assert 'href="?page=1&amp;goal=startup"' in kept[0]
    assert 'href="?goal=startup&amp;page=1"' in kept[1]
    assert "<title>연계 서비스 찾기 (2쪽) |" in kept[2]


def test_a_list_with_errors_is_titled_so_every_time(client: Client) -> None:
    ServiceFactory(slug="one")
    for _ in range(2):
        page = client.get(reverse("catalog:list"), {"age": "쉰"}).content.decode()
        assert "<title>오류: 연계 서비스 찾기 |" in page
        assert "나이는 52처럼 숫자로 적어 주세요." in page
    assert "<title>연계 서비스 찾기 |" in client.get(reverse("catalog:list"), {"age": "52"}).content.decode()


def _no_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
