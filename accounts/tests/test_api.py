from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from accounts.tests import factories
from diagnosis.models import Instrument


def test_me_api_refuses_anonymous_with_json_401(client: Client, consent_text: object) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "로그인이 필요합니다.", "errors": []}


def test_me_api_returns_email_and_counts(client: Client, owner: User, other: User, instrument: Instrument) -> None:
    factories.plan(factories.result(instrument, owner=owner))
    factories.result(instrument, owner=owner)
    factories.result(instrument, owner=other)
    client.force_login(owner)
    data = client.get("/api/v1/me").json()
    assert data["email"] == "owner@example.com"
    assert data["result_count"] == 2
    assert data["plan_count"] == 1
    assert "date_joined" in data


def test_me_api_is_in_the_openapi_schema_with_401(client: Client, db: None) -> None:
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/me"]["get"]
    assert set(operation["responses"]) >= {"200", "401"}
