"""One rule at the edge: text that no person can type never reaches a view.

PostgreSQL refuses NUL in text and jsonb, and a lone surrogate cannot be encoded as UTF-8, so
such a value anywhere in a lookup or a save used to end in a 500. Rather than guard every view,
this middleware refuses the whole request with a 400 when its path, query string, form values,
JSON body or headers hold a NUL byte, another C0 control character (tab, newline and carriage
return are allowed) or a lone surrogate, or are not valid UTF-8. Cookies holding them are
dropped instead, so a browser with a damaged cookie is not locked out.

The site answers with the usual 400 page (handler400); the API answers in its own error shape,
``{detail, errors: [{field, message, code}]}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.handlers.wsgi import get_bytes_from_wsgi
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

# C0 controls except tab (09), newline (0A) and carriage return (0D), and the surrogate block.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
# The JSON escapes that can decode to one of those: \b, \f and \u0000-\u001f, \ud800-\udfff
# (and a few harmless ones: \u0009, a surrogate pair; the parsed body is then walked).
JSON_ESCAPE = re.compile(r"\\(?:[bf]|u(?:00[01]|d[89a-f]))", re.IGNORECASE)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
API_PREFIX = "/api/"
CODE = "invalid_characters"


class Refused(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def is_clean(value: str) -> bool:
    return FORBIDDEN.search(value) is None


def _check(field: str, value: str) -> None:
    if not is_clean(value):
        raise Refused(field)


def _check_urlencoded(raw: bytes, where: str) -> None:
    try:
        pairs = parse_qsl(
            raw.decode("utf-8"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError as exc:  # invalid UTF-8 (UnicodeDecodeError) or too many fields
        raise Refused(where) from exc
    for key, value in pairs:
        _check(where, key)
        _check(key, value)


def _json_strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            yield path or "body", key
            yield from _json_strings(item, child)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _json_strings(item, f"{path}.{index}" if path else str(index))


def _check_body(request: HttpRequest) -> None:
    content_type = request.content_type or ""
    if content_type == "application/x-www-form-urlencoded":
        _check_urlencoded(request.body, "body")
        return
    if content_type == "multipart/form-data":
        for key, values in request.POST.lists():
            _check("body", key)
            for value in values:
                _check(key, value)
        for key, uploads in request.FILES.lists():
            for upload in uploads:
                _check(key, upload.name or "")
        return
    body = request.body
    if not body:
        return
    is_json = content_type == "application/json" or content_type.endswith("+json")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if is_json or request.path_info.startswith(API_PREFIX):
            raise Refused("body") from exc
        return
    if FORBIDDEN.search(text) is None and JSON_ESCAPE.search(text) is None:
        # Every string json.loads could make of this text is made of its characters and
        # its other escapes: none can be forbidden, so it need not be parsed here.
        return
    try:
        data = json.loads(text)
    except ValueError:
        return  # not JSON: the view (ninja) answers a malformed body itself
    for field, value in _json_strings(data, ""):
        _check(field or "body", value)


def check_request(request: HttpRequest) -> None:
    """Raise Refused naming the first field holding text no person can type."""
    _check("path", request.path_info)
    query = get_bytes_from_wsgi(request.META, "QUERY_STRING", "")
    if query:
        _check_urlencoded(query, "query")
    # One search over all the headers ("\n" is allowed, so joining them adds no match).
    headers = [v for k, v in request.META.items() if k[:5] == "HTTP_" and k != "HTTP_COOKIE" and isinstance(v, str)]
    _check("headers", "\n".join(headers))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        _check_body(request)


def drop_unreadable_cookies(request: HttpRequest) -> None:
    raw = request.META.get("HTTP_COOKIE", "")
    if "\\" not in raw and is_clean(raw):
        # Parsing cookies only splits the header, strips and unquotes: without a backslash
        # (an escape in a quoted value) every name and value is a piece of the clean header.
        return
    for name, value in list(request.COOKIES.items()):
        if not (is_clean(name) and is_clean(value)):
            del request.COOKIES[name]


def refusal(request: HttpRequest, field: str, *, unreadable: bool = False) -> HttpResponse:
    if unreadable:
        message, code = _("요청 본문을 읽을 수 없습니다."), "malformed_body"
    else:
        message, code = _("사람이 입력할 수 없는 문자(제어 문자 등)가 들어 있습니다. 내용을 확인해 주세요."), CODE
    if request.path_info.startswith(API_PREFIX):
        error = {"field": field, "message": message, "code": code}
        return JsonResponse({"detail": _("입력 내용을 확인해 주세요."), "errors": [error]}, status=400)
    # handler400 renders the site's own 400 page.
    raise BadRequest(message)


class HostileInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        drop_unreadable_cookies(request)
        try:
            check_request(request)
        except Refused as refused:
            return refusal(request, refused.field)
        except (MultiPartParserError, SuspiciousOperation):
            # A body Django cannot parse (or too large): the API says so in its own shape.
            if request.path_info.startswith(API_PREFIX):
                return refusal(request, "body", unreadable=True)
            raise
        return self.get_response(request)
