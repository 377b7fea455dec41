"""One error shape for the whole API: {"detail": ..., "errors": [{field, message, code}]}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from api.schemas import ErrorOut
from core.ratelimit import RateLimited


class FieldErrorsException(Exception):
    def __init__(self, errors: list[dict[str, str]], status: int = 422) -> None:
        super().__init__("field errors")
        self.errors = errors
        self.status = status


class FieldErrors:
    def __init__(self) -> None:
        self.items: list[dict[str, str]] = []

    def add(self, field: str, message: str, code: str) -> None:
        self.items.append({"field": field, "message": message, "code": code})

    def raise_if_any(self, status: int = 422) -> None:
        if self.items:
            raise FieldErrorsException(self.items, status)


def _loc_to_field(loc: Any) -> str:
    parts = [str(p) for p in loc if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "body"


# pydantic's own messages are English; a person reading the API's answer (or an app showing it)
# gets one Korean sentence per kind of mistake, and the code stays machine-readable.
VALIDATION_MESSAGES: dict[str, StrOrPromise] = {
    "missing": gettext_lazy("이 항목을 적어 주세요."),
    "int_parsing": gettext_lazy("숫자로 적어 주세요."),
    "int_type": gettext_lazy("숫자로 적어 주세요."),
    "int_from_float": gettext_lazy("소수점 없는 숫자로 적어 주세요."),
    "float_parsing": gettext_lazy("숫자로 적어 주세요."),
    "bool_parsing": gettext_lazy("true 또는 false로 적어 주세요."),
    "string_type": gettext_lazy("글자로 적어 주세요."),
    "string_too_long": gettext_lazy("너무 깁니다. 더 짧게 적어 주세요."),
    "string_too_short": gettext_lazy("너무 짧습니다."),
    "list_type": gettext_lazy("목록(배열)으로 보내 주세요."),
    "date_parsing": gettext_lazy("날짜는 YYYY-MM-DD 형식으로 적어 주세요."),
    "date_from_datetime_parsing": gettext_lazy("날짜는 YYYY-MM-DD 형식으로 적어 주세요."),
    "datetime_parsing": gettext_lazy("날짜와 시각은 ISO 8601 형식으로 적어 주세요."),
    "datetime_from_date_parsing": gettext_lazy("날짜와 시각은 ISO 8601 형식으로 적어 주세요."),
    "greater_than_equal": gettext_lazy("값이 너무 작습니다."),
    "less_than_equal": gettext_lazy("값이 너무 큽니다."),
    "enum": gettext_lazy("허용된 값 가운데 하나를 골라 주세요."),
    "literal_error": gettext_lazy("허용된 값 가운데 하나를 골라 주세요."),
    "extra_forbidden": gettext_lazy("알 수 없는 항목입니다."),
}


def validation_message(kind: str) -> str:
    return str(VALIDATION_MESSAGES.get(kind, gettext_lazy("값을 확인해 주세요.")))


def install_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(FieldErrorsException)
    def field_errors(request: HttpRequest, exc: FieldErrorsException) -> HttpResponse:
        return api.create_response(request, {"detail": _("입력 내용을 확인해 주세요."), "errors": exc.errors}, status=exc.status)

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        error = {"field": "", "message": str(exc.rule.message), "code": "rate_limited"}
        response = api.create_response(request, {"detail": str(exc.rule.message), "errors": [error]}, status=429)
        response["Retry-After"] = str(exc.rule.window)
        return response

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = []
        status = 422
        for err in exc.errors:
            kind = str(err.get("type", "invalid"))
            if kind in {"json_invalid", "value_error.jsondecode"}:
                status = 400
            errors.append({"field": _loc_to_field(err.get("loc", ())), "message": validation_message(kind), "code": kind})
        return api.create_response(request, {"detail": _("입력 내용을 확인해 주세요."), "errors": errors}, status=status)

    @api.exception_handler(MultiPartParserError)
    def malformed_form(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        error = {"field": "body", "message": _("요청 본문을 읽을 수 없습니다."), "code": "malformed_body"}
        return api.create_response(request, {"detail": _("입력 내용을 확인해 주세요."), "errors": [error]}, status=400)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(request, {"detail": _("찾을 수 없습니다."), "errors": []}, status=404)

    @api.exception_handler(AuthenticationError)
    def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": _("로그인이 필요합니다."), "errors": []}, status=401)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        errors = []
        if exc.status_code == 400:
            # ninja raises HttpError(400) when the body is not parseable JSON.
            errors.append({"field": "body", "message": _("요청 본문이 올바른 JSON 형식이 아닙니다."), "code": "malformed_json"})
        return api.create_response(request, {"detail": str(exc), "errors": errors}, status=exc.status_code)


def document_edge_refusal(schema: OpenAPISchema) -> OpenAPISchema:
    """Every operation can answer 400: core.edge refuses control characters, lone surrogates
    and unreadable bodies before the operation runs, whatever its parameters."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    if "ErrorOut" not in components:
        error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(error_schema.pop("$defs", {}))
        components["ErrorOut"] = error_schema
    refusal = {
        "description": "Bad Request",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault(400, refusal)
    return schema
