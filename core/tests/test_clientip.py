"""The client address behind the reverse proxy (core/clientip.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from core.clientip import client_ip


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture(autouse=True)
def _proxies(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def test_a_direct_client_is_its_peer_address_whatever_it_claims() -> None:
    assert client_ip(_request("203.0.113.7", "1.2.3.4")) == "203.0.113.7"


def test_through_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() -> None:
    # the client forged "1.2.3.4"; the proxy appended the address it really saw
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 203.0.113.7")) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_back() -> None:
    assert client_ip(_request("127.0.0.1", "203.0.113.7, 10.1.2.3")) == "203.0.113.7"


def test_a_garbled_header_falls_back_to_the_last_trusted_hop() -> None:
    assert client_ip(_request("127.0.0.1", "<script>, 10.1.2.3")) == "10.1.2.3"
    assert client_ip(_request("127.0.0.1", "")) == "127.0.0.1"


def test_no_proxy_is_trusted_when_none_is_configured(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("127.0.0.1", "203.0.113.7")) == "127.0.0.1"


# --- X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) only from a trusted proxy ---------------


def _proto_request(remote: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")


def _seen_secure(request: Any) -> bool:
    from core.clientip import ProxyHeadersMiddleware

    seen: dict[str, bool] = {}

    def view(req: Any) -> Any:
        seen["secure"] = req.is_secure()
        return None

    ProxyHeadersMiddleware(view)(request)
    return seen["secure"]


def test_https_is_believed_from_a_trusted_proxy() -> None:
    assert _seen_secure(_proto_request("127.0.0.1")) is True
    assert _seen_secure(_proto_request("10.9.8.7")) is True


def test_https_claimed_by_a_direct_client_is_ignored() -> None:
    assert _seen_secure(_proto_request("203.0.113.7")) is False


def test_https_is_never_believed_when_no_proxy_is_trusted(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert _seen_secure(_proto_request("127.0.0.1")) is False


@pytest.mark.django_db
def test_a_direct_client_claiming_https_is_still_redirected(client: Any, settings: Any) -> None:
    # the whole stack: SecurityMiddleware sees plain HTTP and redirects
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    trusted = client.get("/healthz", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert trusted.status_code == 200
