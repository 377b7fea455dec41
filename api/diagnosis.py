from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from api.errors import FieldErrors, FieldErrorsException
from api.schemas import ErrorOut, InstrumentOut, ResultIn, ResultOut
from core import ratelimit
from core import vocabulary as vocab
from core.clientip import client_ip
from diagnosis import profile as profile_defs
from diagnosis import services
from diagnosis.access import access_result
from diagnosis.forms import ProfileForm
from diagnosis.models import Result

router = Router(tags=["diagnosis"])


def _str_choices(terms: vocab.Terms) -> list[dict[str, str]]:
    return [{"value": t.code, "label": str(t.label)} for t in terms]


@router.get("/instrument", response={200: InstrumentOut}, summary="현재 자가진단 도구", auth=None)
def get_instrument(request: HttpRequest) -> dict[str, Any]:
    instrument = services.current_instrument()
    spec = instrument.spec
    form = ProfileForm()
    earliest, latest = profile_defs.birth_year_bounds(timezone.localdate())
    return {
        "version": instrument.version,
        "title": services.loc(spec, "title"),
        "official": False,
        "choices": [{"value": v, "label": label} for v, label in services.choices(instrument)],
        "scales": [{"code": s["code"], "name": services.loc(s, "name"), "description": services.loc(s, "description")} for s in spec["scales"]],
        "sections": services.sections(instrument),
        "profile": [
            {"id": "birth_year", "label": str(form.fields["birth_year"].label), "type": "integer", "minimum": earliest, "maximum": latest},
            {"id": "employment_status", "label": str(form.fields["employment_status"].label), "type": "choice", "choices": _str_choices(vocab.EMPLOYMENT_STATUSES)},
            {"id": "career_years", "label": str(form.fields["career_years"].label), "type": "integer", "minimum": 0, "maximum": profile_defs.MAX_CAREER_YEARS},
            {"id": "occupation", "label": str(form.fields["occupation"].label), "type": "choice", "choices": _str_choices(vocab.OCCUPATIONS)},
            {"id": "region", "label": str(form.fields["region"].label), "type": "choice", "choices": _str_choices(vocab.REGIONS)},
            {"id": "goal", "label": str(form.fields["goal"].label), "type": "choice", "choices": _str_choices(vocab.GOALS)},
            {"id": "availability", "label": str(form.fields["availability"].label), "type": "multiple_choice", "choices": _str_choices(vocab.DAY_PARTS)},
            {"id": "firm_size", "label": str(form.fields["firm_size"].label), "type": "choice", "choices": _str_choices(vocab.FIRM_SIZES), "required": False},
        ],
    }


def result_payload(request: HttpRequest, result: Result) -> dict[str, Any]:
    instrument = result.instrument
    info = services.type_info(instrument, result.type_code)
    texts = services.item_texts(instrument)
    return {
        "id": result.public_id,
        "url": request.build_absolute_uri(reverse("diagnosis:result", args=[result.public_id])),
        "instrument_version": instrument.version,
        "created_at": result.created_at,
        "type": {k: info[k] for k in ("code", "name_ko", "name", "summary", "first_steps")},
        "scale_scores": services.scale_rows(result),
        "goal_type": {"code": result.goal, "name": vocab.label_of(vocab.GOALS, result.goal)},
        "age_band": {"code": result.age_band, "name": vocab.label_of(vocab.AGE_BANDS, result.age_band)},
        "explanation": info["summary"],
        "weighted_answers": [
            {"item_id": w["item_id"], "scale": w["scale"], "value": int(w["value"]), "text": texts.get(w["item_id"], "")}
            for w in result.details.get("weighted_answers", [])
        ],
        "what_would_change": [
            {k: c[k] for k in ("scale", "direction", "points_needed", "target_type_code")}
            for c in result.details.get("what_would_change", [])
        ],
    }


def result_response(request: HttpRequest, result: Result, status: int) -> HttpResponse:
    """`result` as ResultOut renders it, without ninja validating it again (an HttpResponse is
    sent as it is): result_payload builds exactly what that validation would give (same
    keys and order, ints, strs, the stored datetime; tests/…test_api_diagnosis checks it), and
    validating ~20 nested objects was ~3 % of the submit. The operations still declare
    ResultOut, so the OpenAPI document is unchanged."""
    from api.urls import api  # the API this router is mounted on (api.urls imports this module)

    return api.create_response(request, result_payload(request, result), status=status)


@router.post(
    "/results",
    response={201: ResultOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="진단 응답을 채점하고 결과를 저장",
    description="한 접속 주소에서 한 시간에 저장할 수 있는 결과 수에는 제한이 있습니다(웹 화면과 합산). "
    "넘으면 429와 `Retry-After`(초)를 돌려주며, 오류 항목의 code는 `rate_limited`입니다.",
    auth=None,
)
def create_result(request: HttpRequest, payload: ResultIn) -> HttpResponse:
    errors = FieldErrors()
    # The version the client names, if it is the current one (one compiled look-up); else the
    # current one, named in the error.
    instrument = services.instrument_of_version(payload.instrument_version)
    if instrument is None or not instrument.is_current:
        current = services.current_instrument()
        errors.add("instrument_version", _("진단 도구 버전이 바뀌었습니다. 현재 버전은 %(v)s입니다. 문항을 다시 받아 주세요.") % {"v": current.version}, "stale_version")
        raise FieldErrorsException(errors.items)
    form = ProfileForm({k: v for k, v in payload.profile.model_dump().items() if v is not None})
    if not form.is_valid():
        for name, messages in form.errors.items():
            for message in messages:
                errors.add(f"profile.{name}", str(message), "invalid")
    scored = services.parsed(instrument)  # kept per process: no per-request copy of the sections
    valid_values = {choice.value for choice in scored.choices}
    item_ids = scored.item_ids()
    for item_id in item_ids:
        if item_id not in payload.answers:
            errors.add(f"answers.{item_id}", _("이 문항에 답해 주세요."), "missing")
        elif payload.answers[item_id] not in valid_values:
            errors.add(f"answers.{item_id}", _("응답 값은 %(lo)s부터 %(hi)s 사이여야 합니다.") % {"lo": min(valid_values), "hi": max(valid_values)}, "out_of_range")
    for unknown in sorted(set(payload.answers) - set(item_ids)):
        errors.add(f"answers.{unknown}", _("이 진단 도구에 없는 문항입니다."), "unknown_item")
    errors.raise_if_any()
    result = services.create_result(
        instrument, form.cleaned_data, payload.answers, limit=(ratelimit.RESULT_CREATE_PER_CLIENT, client_ip(request))
    )
    return result_response(request, result, 201)


@router.get("/results/{result_id}", response={200: ResultOut, 404: ErrorOut}, summary="저장된 진단 결과", auth=None)
def get_result(request: HttpRequest, result_id: str) -> HttpResponse:
    return result_response(request, access_result(request, result_id), 200)
