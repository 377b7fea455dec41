"""Hostile input never produces a server error.

NUL bytes, lone surrogates and other control characters are refused at the edge with a 400
(PostgreSQL refuses NUL in text and jsonb, so without that one rule each view raised DataError);
right-to-left marks and 10,000-character values reach the views and are answered with a 4xx
or an ordinary page, never a 5xx.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from core.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.usefixtures("reference_data")

NUL = "a%00b"

ISSUE_URLS = [
    "/api/v1/services?q=" + NUL,
    "/api/v1/sessions?programme=" + NUL,
    "/api/v1/services/" + NUL,
    "/api/v1/courses/" + NUL,
    "/api/v1/diagnosis/results/" + NUL,
    "/api/v1/plans/" + NUL,
    f"/diagnosis/r/{NUL}/",
    f"/diagnosis/resume/{NUL}/",
    f"/plans/{NUL}/",
    f"/plans/{NUL}/plan.ics",
    f"/courses/join/{NUL}/",
    f"/accounts/claim/{NUL}/",
    "/programmes/interest/?programme=" + NUL,
    f"/programmes/rescue/{NUL}/",
    f"/programmes/invitations/{NUL}/",
    "/programmes/staff/demand/open/?programme=" + NUL,
]


@pytest.fixture
def citizen_client(db: None) -> Client:
    client = Client()
    client.force_login(UserFactory.create())
    return client


@pytest.fixture
def staff_client(db: None) -> Client:
    client = Client()
    client.force_login(StaffFactory.create())
    return client


@pytest.mark.parametrize("url", ISSUE_URLS)
def test_a_nul_byte_in_the_path_or_query_is_refused_with_400(url: str, client: Client, citizen_client: Client, staff_client: Client) -> None:
    for who, c in (("anonymous", client), ("citizen", citizen_client), ("staff", staff_client)):
        response = c.get(url)
        assert response.status_code == 400, f"{who} GET {url} -> {response.status_code}"


def test_the_api_refuses_a_nul_byte_in_its_json_error_shape(client: Client) -> None:
    response = client.get("/api/v1/services?q=" + NUL)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert body["errors"] == [{"field": "q", "message": body["errors"][0]["message"], "code": "invalid_characters"}]


def test_a_site_page_refuses_a_nul_byte_with_a_korean_page(client: Client) -> None:
    response = client.get(f"/plans/{NUL}/")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_escaped_nul_in_a_json_body_is_refused(client: Client) -> None:
    response = client.post("/api/v1/plans", data=json.dumps({"result_id": "\u0000"}), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "result_id"


def test_an_escaped_lone_surrogate_in_a_json_body_is_refused(client: Client) -> None:
    response = client.post("/api/v1/plans", data='{"result_id": "\\ud800"}', content_type="application/json")
    assert response.status_code == 400


def test_a_json_body_that_is_not_utf8_is_refused(client: Client) -> None:
    response = client.post("/api/v1/plans", data=b'{"result_id": "\xed\xa0\x80"}', content_type="application/json")
    assert response.status_code == 400


def test_a_lone_surrogate_in_the_query_string_is_refused(client: Client) -> None:
    assert client.get("/api/v1/services?q=%ED%A0%80").status_code == 400


def test_a_nul_byte_in_a_form_value_is_refused_before_anything_is_saved(client: Client) -> None:
    from diagnosis.models import Draft

    response = client.post("/diagnosis/step/0/", {"birth_year": "19\x0068"})
    assert response.status_code == 400
    assert not Draft.objects.exists()


def test_a_nul_byte_in_a_multipart_form_value_is_refused(client: Client) -> None:
    # The test client sends a dict as multipart/form-data.
    response = client.post("/accounts/login/", {"username": "a\x00b@example.com", "password": "x"})
    assert response.status_code == 400


def test_tab_and_newline_in_a_form_value_are_allowed(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "a@example.com", "password": "x\ty\nz"})
    assert response.status_code == 200


def test_a_cookie_with_a_nul_byte_is_dropped_not_a_server_error(client: Client) -> None:
    client.cookies["sessionid"] = "abcdefghij\x00klmnop"
    response = client.get("/")
    assert response.status_code == 200


CLAIMS_THAT_ARE_NOT_PUBLIC_IDS = ["a/b", "a b", "x" * 10_000]


@pytest.mark.parametrize("claim", CLAIMS_THAT_ARE_NOT_PUBLIC_IDS)
def test_sign_up_ignores_a_claim_that_is_not_a_public_id(claim: str, client: Client) -> None:
    response = client.get("/accounts/signup/", {"claim": claim})
    assert response.status_code == 200
    assert response.context["claim"] is None


@pytest.mark.parametrize("claim", CLAIMS_THAT_ARE_NOT_PUBLIC_IDS)
def test_a_signed_in_visitor_at_sign_up_with_a_broken_claim_goes_home(claim: str, citizen_client: Client) -> None:
    response = citizen_client.get("/accounts/signup/", {"claim": claim})
    assert response.status_code == 302
    assert "/accounts/claim/" not in response["Location"]


@pytest.mark.parametrize("claim", CLAIMS_THAT_ARE_NOT_PUBLIC_IDS)
def test_consent_ignores_a_claim_that_is_not_a_public_id(claim: str, citizen_client: Client) -> None:
    response = citizen_client.get("/accounts/consent/", {"claim": claim})
    assert response.status_code < 500
    assert "/accounts/claim/" not in response.get("Location", "")


def test_a_very_long_username_at_log_in_is_a_form_error(client: Client) -> None:
    response = client.post("/accounts/login/", {"username": "a" * 290 + "@example.com", "password": "x-Strong-Pass-1234"})
    assert response.status_code == 200
    assert "150자 이하" in response.content.decode()


def test_an_invalid_birth_year_is_not_saved_into_the_draft(client: Client) -> None:
    from diagnosis.models import Draft

    response = client.post("/diagnosis/step/0/", {"birth_year": "x" * 10_000})
    assert response.status_code == 200
    draft = Draft.objects.get()
    assert "birth_year" not in draft.profile


def test_the_profile_step_keeps_the_valid_fields_when_another_is_wrong(client: Client) -> None:
    from diagnosis.models import Draft

    client.post("/diagnosis/step/0/", {"birth_year": "1968", "employment_status": "x" * 10_000})
    assert Draft.objects.get().profile.get("birth_year") == "1968"



def test_a_control_character_in_a_header_is_refused(client: Client) -> None:
    assert client.get("/", headers={"user-agent": "bot\x00"}).status_code == 400


def test_every_api_operation_documents_the_edge_refusal(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    undocumented = [f"{method} {path}" for path, ops in schema["paths"].items() for method, op in ops.items() if "400" not in op["responses"]]
    assert undocumented == []
