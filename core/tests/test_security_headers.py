from __future__ import annotations

from django.test import Client


def test_csp_has_no_unsafe_inline(client: Client) -> None:
    csp = client.get("/privacy/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_hsts_on_https(client: Client) -> None:
    response = client.get("/privacy/", secure=True)
    assert "max-age=31536000" in response["Strict-Transport-Security"]


def test_pages_are_korean_by_default(client: Client) -> None:
    response = client.get("/privacy/")
    assert response["Content-Language"] == "ko"
    assert '<html lang="ko"' in response.content.decode()
