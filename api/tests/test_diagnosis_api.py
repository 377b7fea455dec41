from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from diagnosis import services
from diagnosis.tests.helpers import VALID_PROFILE, all_answers

pytestmark = pytest.mark.usefixtures("reference_data")

INSTRUMENT = "/api/v1/diagnosis/instrument"
RESULTS = "/api/v1/diagnosis/results"


def body(**overrides: Any) -> dict[str, Any]:
    instrument = services.current_instrument()
    data = {"instrument_version": instrument.version, "profile": dict(VALID_PROFILE), "answers": all_answers(instrument, 4)}
    data.update(overrides)
    return data


def fields_of(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def test_instrument_describes_items_choices_and_profile(client: Client) -> None:
    data = client.get(INSTRUMENT).json()
    assert data["official"] is False
    assert [c["value"] for c in data["choices"]] == [1, 2, 3, 4, 5]
    items = [i for s in data["sections"] for i in s["items"]]
    assert 30 <= len(items) <= 45
    assert set(items[0]) == {"id", "text", "scale", "reverse"}
    ids = [q["id"] for q in data["profile"]]
    assert ids == ["birth_year", "employment_status", "career_years", "occupation", "region", "goal", "availability", "firm_size"]
    regions = next(q for q in data["profile"] if q["id"] == "region")["choices"]
    assert len(regions) == 17


def test_posting_answers_returns_201_with_type_named_as_in_the_report(client: Client) -> None:
    response = client.post(RESULTS, body(), content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert data["type"]["name_ko"].endswith("형")
    assert data["goal_type"] == {"code": "reemployment", "name": "재취업"}
    assert data["age_band"]["code"] == "50s"
    assert len(data["scale_scores"]) >= 8
    again = client.get(f"{RESULTS}/{data['id']}")
    assert again.status_code == 200
    assert again.json()["type"] == data["type"]


def test_missing_and_unknown_items_are_listed_per_field(client: Client) -> None:
    payload = body()
    first = next(iter(payload["answers"]))
    del payload["answers"][first]
    payload["answers"]["ZZ9"] = 3
    response = client.post(RESULTS, payload, content_type="application/json")
    assert response.status_code == 422
    assert {f"answers.{first}", "answers.ZZ9"} <= fields_of(response)


def test_out_of_range_answer_is_422(client: Client) -> None:
    payload = body()
    first = next(iter(payload["answers"]))
    payload["answers"][first] = 7
    response = client.post(RESULTS, payload, content_type="application/json")
    assert response.status_code == 422
    assert fields_of(response) == {f"answers.{first}"}


def test_stale_instrument_version_is_refused(client: Client) -> None:
    response = client.post(RESULTS, body(instrument_version="2017.1"), content_type="application/json")
    assert response.status_code == 422
    assert fields_of(response) == {"instrument_version"}


def test_birth_year_outside_40_to_75_is_explained(client: Client) -> None:
    response = client.post(RESULTS, body(profile={**VALID_PROFILE, "birth_year": 2001}), content_type="application/json")
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["field"] == "profile.birth_year"
    assert "40세" in error["message"]


def test_malformed_json_is_400_not_500(client: Client) -> None:
    response = client.post(RESULTS, "{not json", content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["errors"]


def test_wrong_types_are_field_errors(client: Client) -> None:
    response = client.post(RESULTS, {"instrument_version": 1, "profile": [], "answers": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert {"profile", "answers"} <= fields_of(response) | {f.split(".")[0] for f in fields_of(response)}


def test_unknown_result_is_404(client: Client) -> None:
    assert client.get(f"{RESULTS}/nope").status_code == 404


def test_openapi_document_is_served(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    assert "/api/v1/diagnosis/results" in spec["paths"]


def test_saving_results_over_the_per_client_limit_is_429_in_the_error_shape(client: Client) -> None:
    from core import ratelimit

    for _n in range(ratelimit.RESULT_CREATE_PER_CLIENT.limit):
        assert client.post(RESULTS, body(), content_type="application/json").status_code == 201
    response = client.post(RESULTS, body(), content_type="application/json")
    assert response.status_code == 429
    data = response.json()
    assert "저장한 진단 결과가 너무 많습니다" in data["detail"]
    assert data["errors"] == [{"field": "", "message": data["detail"], "code": "rate_limited"}]
    assert int(response["Retry-After"]) > 0
    elsewhere = client.post(RESULTS, body(), content_type="application/json", REMOTE_ADDR="198.51.100.20")
    assert elsewhere.status_code == 201


def test_the_openapi_documents_the_429(client: Client) -> None:
    operation = client.get("/api/openapi.json").json()["paths"][RESULTS]["post"]
    assert "429" in operation["responses"]


def test_the_openapi_lists_the_accepted_instrument_versions(client: Client) -> None:
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    field = schemas["ResultIn"]["properties"]["instrument_version"]
    assert field["enum"] == [services.current_instrument().version]


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("value", [1, 2, 4, 5])
def test_a_result_is_sent_as_validating_it_as_result_out_would_send_it(client: Client, language: str, value: int) -> None:
    # The operations send result_payload without ninja's validation: it must already be
    # exactly what ResultOut makes of it, on the submit and when read again.
    from ninja.responses import NinjaJSONEncoder

    from api.diagnosis import result_payload
    from api.schemas import ResultOut
    from diagnosis.models import Result

    answers = {item_id: (value if n % 3 else 6 - value) for n, item_id in enumerate(all_answers(services.current_instrument()))}
    created = client.post(RESULTS, body(answers=answers), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    read = client.get(f"{RESULTS}/{created.json()['id']}", HTTP_ACCEPT_LANGUAGE=language)
    for response in (created, read):
        payload = result_payload(response.wsgi_request, Result.objects.get(public_id=created.json()["id"]))
        validated = ResultOut.model_validate(payload).model_dump()
        assert validated == payload
        assert response.content.decode() == json.dumps(validated, cls=NinjaJSONEncoder)
        assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (created.status_code, read.status_code) == (201, 200)
