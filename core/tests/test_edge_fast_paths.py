"""The edge's shortcuts refuse exactly what its full checks refuse.

A JSON body is parsed and walked only when its text could decode to a forbidden character;
the headers are searched as one text; a cookie header without a backslash is checked
without parsing it.
"""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from core import edge

BODIES = [
    '{"a": "plain", "b": [1, 2.5, null, true], "c": {"d": "한국어 ✓"}}',
    '{"a": "tab\\tnewline\\nreturn\\r"}',
    '{"a": "\\u0009\\u000a\\u000D"}',
    '{"a": "pair \\ud83d\\ude00"}',
    '{"a": "escaped backslash \\\\u0000 is text"}',
    '{"a": "bell \\b"}',
    '{"a": "form feed \\f"}',
    '{"a": "nul \\u0000"}',
    '{"a": "unit separator \\u001F"}',
    '{"a": "lone \\uD800"}',
    '{"a": "lone low \\udfff"}',
    '{"a": [{"b": ["x", "\\u0001"]}]}',
    '{"\\u0002key": 1}',
    '["\\u0000"]',
    '"\\u0000"',
    '{"a": "raw \x01 control"}',
    "not json \x00 at all",
    "not json at all",
    '{"a": "truncated',
]


def full_walk(text: str) -> str | None:
    """The field the edge refused before its shortcut: every parsed string checked."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    for field, value in edge._json_strings(data, ""):
        if not edge.is_clean(value):
            return field or "body"
    return None


def refused_field(request: object) -> str | None:
    try:
        edge.check_request(request)  # type: ignore[arg-type]
    except edge.Refused as refused:
        return refused.field
    return None


@pytest.mark.parametrize("text", BODIES)
def test_a_json_body_is_refused_as_the_full_walk_refuses_it(text: str, rf: RequestFactory) -> None:
    request = rf.post("/api/v1/plans", data=text.encode(), content_type="application/json")
    assert refused_field(request) == full_walk(text)


@pytest.mark.parametrize("text", ['{"a": "bell \\b"}', '{"a": "form feed \\f"}', '{"a": "lone \\uD800"}'])
def test_an_escape_that_decodes_to_a_control_character_is_refused(text: str, rf: RequestFactory) -> None:
    request = rf.post("/api/v1/plans", data=text.encode(), content_type="application/json")
    assert refused_field(request) == "a"


def test_a_clean_json_body_is_not_parsed_at_the_edge(rf: RequestFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parse(text: str) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(edge.json, "loads", no_parse)
    request = rf.post("/api/v1/plans", data=BODIES[0].encode(), content_type="application/json")
    assert refused_field(request) is None


def test_a_control_character_in_any_header_is_refused(rf: RequestFactory) -> None:
    request = rf.get("/", HTTP_ACCEPT="text/html", HTTP_USER_AGENT="ok", HTTP_X_OTHER="a\x1fb")
    assert refused_field(request) == "headers"


def test_a_tab_in_a_header_is_allowed(rf: RequestFactory) -> None:
    assert refused_field(rf.get("/", HTTP_USER_AGENT="a\tb")) is None


def test_an_escaped_control_character_in_a_quoted_cookie_is_dropped(rf: RequestFactory) -> None:
    request = rf.get("/", HTTP_COOKIE='bad="x\\000y"; good=kept')
    edge.drop_unreadable_cookies(request)
    assert request.COOKIES == {"good": "kept"}


def test_a_clean_cookie_header_keeps_every_cookie(rf: RequestFactory) -> None:
    request = rf.get("/", HTTP_COOKIE='a=1; b="quoted"; sessionid=abc')
    edge.drop_unreadable_cookies(request)
    assert request.COOKIES == {"a": "1", "b": "quoted", "sessionid": "abc"}
