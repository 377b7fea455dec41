"""POST /api/v1/plans and GET /api/v1/plans/{id}."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from journeys import services
from journeys.tests.factories import (
    CaseStoryFactory,
    ResultFactory,
    StaffFactory,
    UserFactory,
    basic_catalogue,
)

pytestmark = pytest.mark.django_db


def post(client: Client, body: Any) -> Any:
    return client.post("/api/v1/plans", body, content_type="application/json")


def test_a_plan_is_made_from_a_result(client: Client) -> None:
    basic_catalogue()
    CaseStoryFactory.create(slug="good", outcome="success")
    CaseStoryFactory.create(slug="bad", outcome="failure")
    result = ResultFactory.create()
    response = post(client, {"result_id": result.public_id})
    assert response.status_code == 201
    body = response.json()
    assert body["result_id"] == result.public_id
    assert body["start_date"] == str(timezone.localdate())
    assert [s["stage"] for s in body["stages"]] == ["know", "approach", "act", "manage"]
    step = next(s for stage in body["stages"] for s in stage["steps"] if s["service"] == "jobkorea")
    assert step["title"] == "잡코리아"
    assert step["reason"]
    assert step["start_week"] >= 1 and step["duration_weeks"] >= 1
    assert step["start_date"] <= step["end_date"]
    assert step["service_url"].endswith("/services/jobkorea/")
    assert [c["slug"] for c in body["cases"]] == ["good", "bad"]
    assert body["cases_label"] == "실제 인물이 아닌 이해를 돕기 위한 가상 사례입니다."
    assert result.plans.get().public_id == body["id"]


def test_a_plan_is_read_back_by_id(client: Client) -> None:
    plan = services.create_plan(ResultFactory.create())
    response = client.get(f"/api/v1/plans/{plan.public_id}")
    assert response.status_code == 200
    assert response.json()["id"] == plan.public_id
    assert sum(len(s["steps"]) for s in response.json()["stages"]) == plan.steps.count()


def test_an_unknown_result_is_404_json(client: Client) -> None:
    response = post(client, {"result_id": "does-not-exist"})
    assert response.status_code == 404
    assert response.json() == {"detail": "찾을 수 없습니다.", "errors": []}


def test_an_unknown_plan_is_404_json(client: Client) -> None:
    response = client.get("/api/v1/plans/does-not-exist")
    assert response.status_code == 404
    assert response.json()["errors"] == []


def test_a_missing_result_id_is_a_field_error(client: Client) -> None:
    response = post(client, {})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["result_id"]


def test_unknown_fields_are_refused(client: Client) -> None:
    response = post(client, {"result_id": "x", "owner": 1})
    assert response.status_code == 422
    assert "owner" in [e["field"] for e in response.json()["errors"]]


def test_a_wrongly_typed_result_id_is_a_field_error(client: Client) -> None:
    response = post(client, {"result_id": 123})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "result_id"


def test_an_owned_result_is_404_for_others(client: Client) -> None:
    result = ResultFactory.create(owner=UserFactory.create())
    client.force_login(UserFactory.create())
    assert post(client, {"result_id": result.public_id}).status_code == 404


def test_an_owned_plan_is_read_only_by_its_owner(client: Client) -> None:
    owner = UserFactory.create()
    plan = services.create_plan(ResultFactory.create(owner=owner))
    url = f"/api/v1/plans/{plan.public_id}"
    assert client.get(url).status_code == 404
    client.force_login(StaffFactory.create())
    assert client.get(url).status_code == 404
    client.force_login(UserFactory.create())
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_unparseable_body_is_a_documented_400(client: Client) -> None:
    response = client.post("/api/v1/plans", "\x00", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "malformed_json"
    spec = client.get("/api/openapi.json").json()
    assert "400" in spec["paths"]["/api/v1/plans"]["post"]["responses"]
