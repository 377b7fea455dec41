"""The one place that decides a request's client address.

Behind the reverse proxy every request arrives from the proxy's address, so `REMOTE_ADDR`
alone would make all visitors one client (one shared log-in lock-out, one shared rate
limit). `X-Forwarded-For` is believed only when the direct peer is a proxy listed in
`settings.TRUSTED_PROXIES`, and then only its right-most address that is not itself a
trusted proxy: everything to the left of that was written by the client and may be forged.

The same rule holds for `X-Forwarded-Proto`, which Django reads through
`SECURE_PROXY_SSL_HEADER` to know the visitor used HTTPS: `ProxyHeadersMiddleware` (first
in MIDDLEWARE) drops it from any request whose direct peer is not a trusted proxy.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network") from exc
    return tuple(networks)


def trusted_networks() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


# Parsed once per distinct text: behind the proxy every request asks about the proxy's own
# address (X-Forwarded-Proto), and ip_address() cost more than the rest of the check.
@lru_cache(maxsize=1024)
def _parse(raw: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in trusted_networks())


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as a normalised string, or None when there is none."""
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    if not _is_trusted(peer):
        return str(peer)
    hops = (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",")
    nearest = peer
    for raw in reversed(hops):
        address = _parse(raw)
        if address is None:
            break  # a garbled entry: nothing left of it can be trusted
        if not _is_trusted(address):
            return str(address)
        nearest = address
    return str(nearest)


def axes_client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: django-axes locks out the same client the rest of the site sees."""
    return client_ip(request)


def from_trusted_proxy(request: HttpRequest) -> bool:
    """True when the direct peer (REMOTE_ADDR) is one of `settings.TRUSTED_PROXIES`."""
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    return peer is not None and _is_trusted(peer)


class ProxyHeadersMiddleware:
    """`X-Forwarded-Proto` counts only when a trusted proxy sent the request: from anyone
    else it is removed before SecurityMiddleware (HTTPS redirect, HSTS) or CSRF read it, so
    a client talking to granian directly cannot claim HTTPS."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "HTTP_X_FORWARDED_PROTO" in request.META and not from_trusted_proxy(request):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)
