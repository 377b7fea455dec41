"""Hit every API operation with hostile strings; fail on any 5xx or on an error outside the
documented shape {detail, errors: [{field, message, code}]}.

Schemathesis generates from the schema and rarely lands on these exact values, so this pass
sends each of them, deterministically, in every path parameter, every query parameter and every
top-level string of a JSON body. Standard library only: the URL is sent exactly as written.

Usage: python scripts/api_hostile.py http://127.0.0.1:8765
"""

from __future__ import annotations

import http.client
import json
import sys
from typing import Any
from urllib.parse import quote, urlsplit

# (name, percent-encoded for a URL, JSON text of the string for a body)
VALUES = [
    ("nul", "a%00b", '"a\\u0000b"'),
    ("lone surrogate", "a%ED%A0%80b", '"a\\ud800b"'),
    ("control character", "a%1Bb", '"a\\u001bb"'),
    ("right-to-left override", "a%E2%80%AEb", '"a\\u202eb"'),
    ("10,000 characters", "x" * 10_000, '"' + "x" * 10_000 + '"'),
]


def request(base: str, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
    headers = {"Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=body.encode() if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def body_properties(schema: dict[str, Any], operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return []
    ref = content["schema"].get("$ref", "")
    model = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else content["schema"]
    return list(model.get("properties", {}))


def cases(schema: dict[str, Any]) -> list[tuple[str, str, str | None, str]]:
    """One request per value and place: all path parameters at once, then each query
    parameter and each body field on its own (the others left out)."""
    out = []
    for template, operations in schema["paths"].items():
        for method, operation in operations.items():
            params = operation.get("parameters", [])
            fields = body_properties(schema, operation)
            empty_body = "{}" if method in ("post", "put", "patch") else None
            for name, encoded, json_text in VALUES:
                path = template
                for p in params:
                    if p["in"] == "path":
                        path = path.replace("{" + p["name"] + "}", encoded)
                plain = template
                for p in params:
                    if p["in"] == "path":
                        plain = plain.replace("{" + p["name"] + "}", "1")
                if path != template:
                    out.append((method.upper(), path, empty_body, f"{name} in the path"))
                for p in params:
                    if p["in"] == "query":
                        out.append((method.upper(), f"{plain}?{quote(p['name'])}={encoded}", empty_body, f"{name} in ?{p['name']}"))
                for field in fields:
                    out.append((method.upper(), plain, "{" + f"{json.dumps(field)}: {json_text}" + "}", f"{name} in body.{field}"))
    return out


def shape_problem(status: int, payload: bytes) -> str | None:
    if status >= 500:
        return "server error"
    if status < 400:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return "error body is not JSON"
    if not isinstance(data, dict) or not isinstance(data.get("detail"), str) or not isinstance(data.get("errors"), list):
        return "error body is not {detail, errors}"
    if any(not isinstance(e, dict) or set(e) != {"field", "message", "code"} for e in data["errors"]):
        return "an error is not {field, message, code}"
    return None


def main(base: str) -> int:
    status, payload = request(base, "GET", "/api/openapi.json")
    assert status == 200, status
    schema = json.loads(payload)
    failures = []
    all_cases = cases(schema)
    for method, url, body, name in all_cases:
        try:
            status, payload = request(base, method, url, body)
        except (ConnectionError, http.client.HTTPException) as exc:
            failures.append(f"{method} {url[:120]} ({name}): {exc!r}")
            continue
        problem = shape_problem(status, payload)
        if problem:
            failures.append(f"{method} {url[:120]} ({name}) -> {status}: {problem} {payload[:200]!r}")
    print(f"hostile strings: {len(all_cases)} requests, {len(failures)} failures")
    for failure in failures:
        print("  " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
