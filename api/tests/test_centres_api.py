from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from centres.tests.helpers import NOTE, book, centre, slot

pytestmark = pytest.mark.django_db

LIST = "/api/v1/centres"


def codes_of(response: Any) -> set[str]:
    return {e["code"] for e in response.json()["errors"]}


def test_the_list_filters_by_region(client: Client) -> None:
    centre(name="서울센터가", region="11")
    busan = centre(name="부산센터나", region="26", sigungu="동구", address="부산 동구 중앙대로 244", phone="051-860-1300")
    data = client.get(LIST, {"region": "26"}).json()
    assert [c["id"] for c in data] == [busan.pk]
    assert data[0]["region"] == {"code": "26", "name": "부산광역시"}
    assert data[0]["sigungu"] == "동구" and data[0]["phone"] == "051-860-1300"
    assert data[0]["url"].endswith(f"/centres/{busan.slug}/")


def test_the_list_filters_by_sigungu_within_the_region(client: Client) -> None:
    a = centre(region="11", sigungu="중구", address="서울 중구")
    centre(region="11", sigungu="", address=None)
    assert [c["id"] for c in client.get(LIST, {"region": "11", "sigungu": "중구"}).json()] == [a.pk]


def test_a_region_without_centres_is_an_empty_list(client: Client) -> None:
    centre(region="11")
    response = client.get(LIST, {"region": "36"})
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("params,code", [({"region": "99"}, "invalid_region"), ({"sigungu": "중구"}, "region_required"), ({"region": "11", "sigungu": "가" * 31}, "too_long")])
def test_bad_list_filters_are_400_in_korean(client: Client, params: dict[str, str], code: str) -> None:
    response = client.get(LIST, params)
    assert response.status_code == 400
    assert code in codes_of(response)
    assert response.json()["detail"] == "입력 내용을 확인해 주세요."


def test_one_centre_has_its_facts_and_map_links_but_never_research_notes(client: Client) -> None:
    c = centre(address="부산 동구 중앙대로 244", source=["https://example.org/a"], counselling_modes=["visit"])
    response = client.get(f"{LIST}/{c.pk}")
    assert response.status_code == 200
    data = response.json()
    assert data["counselling_modes"] == [{"code": "visit", "name": "방문"}]
    assert data["map_urls"]["kakao"].startswith("https://map.kakao.com/?q=")
    assert data["source"] == ["https://example.org/a"]
    assert data["takes_bookings"] is False and data["bookable_modes"] == []
    assert NOTE not in response.content.decode()
    assert "notes" not in data


def test_takes_bookings_and_bookable_modes_follow_published_slots(client: Client) -> None:
    c = centre()
    slot(c, modes=("phone", "video"))
    data = client.get(f"{LIST}/{c.pk}").json()
    assert data["takes_bookings"] is True
    assert [m["code"] for m in data["bookable_modes"]] == ["phone", "video"]
    assert client.get(LIST).json()[0]["takes_bookings"] is True


def test_an_unknown_centre_is_404(client: Client) -> None:
    for url in (f"{LIST}/999999", f"{LIST}/999999/slots"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.json()["detail"] == "찾을 수 없습니다."


def test_slots_are_the_free_ones_in_the_range_and_mode(client: Client) -> None:
    c = centre()
    free_phone = slot(c, days=2, hour=10, modes=("phone",))
    slot(c, days=2, hour=11, modes=("visit",))
    book(slot(c, days=2, hour=12, modes=("phone",)))
    slot(c, days=20, hour=10, modes=("phone",))  # outside the range
    slot(centre(), days=2, hour=10, modes=("phone",))  # another centre
    start = timezone.localdate()
    response = client.get(f"{LIST}/{c.pk}/slots", {"from": start.isoformat(), "to": (start + dt.timedelta(days=6)).isoformat(), "mode": "phone"})
    assert response.status_code == 200
    data = response.json()
    assert [s["id"] for s in data["items"]] == [free_phone.pk]
    assert data["count"] == 1
    assert data["items"][0]["modes"] == [{"code": "phone", "name": "전화"}]
    assert data["from"] == start.isoformat()
    assert data["centre"] == {"id": c.pk, "name": c.name}


def test_slots_default_to_the_next_two_weeks(client: Client) -> None:
    c = centre()
    near = slot(c, days=5)
    slot(c, days=15)
    data = client.get(f"{LIST}/{c.pk}/slots").json()
    assert [s["id"] for s in data["items"]] == [near.pk]


@pytest.mark.parametrize(
    "params,code",
    [
        ({"from": "2026-13-01"}, "invalid_date"),
        ({"from": "tomorrow"}, "invalid_date"),
        ({"to": "9999-12-31"}, "invalid_date"),
        ({"from": "2026-12-10", "to": "2026-12-01"}, "invalid_range"),
        ({"from": "2026-12-01", "to": "2027-01-15"}, "range_too_long"),
        ({"mode": "fax"}, "invalid_mode"),
    ],
)
def test_bad_slot_parameters_are_400_in_korean(client: Client, params: dict[str, str], code: str) -> None:
    c = centre()
    response = client.get(f"{LIST}/{c.pk}/slots", params)
    assert response.status_code == 400
    assert code in codes_of(response)
    assert all(e["message"] for e in response.json()["errors"])


def test_a_non_numeric_centre_id_is_a_documented_422_in_korean(client: Client) -> None:
    for url in (f"{LIST}/abc", f"{LIST}/abc/slots"):
        response = client.get(url)
        assert response.status_code == 422
        assert response.json()["errors"] == [{"field": "centre_id", "message": "숫자로 적어 주세요.", "code": "int_parsing"}]
    schema = client.get("/api/openapi.json").json()
    assert "422" in schema["paths"]["/api/v1/centres/{centre_id}"]["get"]["responses"]
    assert client.get(f"{LIST}/99999999999999999999").status_code == 404  # beyond bigint


def test_the_endpoints_are_in_the_openapi_document(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/centres", "/api/v1/centres/{centre_id}", "/api/v1/centres/{centre_id}/slots"} <= set(paths)
    params = {p["name"] for p in paths["/api/v1/centres/{centre_id}/slots"]["get"]["parameters"]}
    assert {"from", "to", "mode"} <= params
