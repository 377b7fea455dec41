"""Log-in limits: django-axes locks an e-mail address for one client address (its
username hook is here); a per-client-address count across all accounts stops spraying."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from core import ratelimit
from core.clientip import client_ip


def username_of(request: HttpRequest, credentials: Mapping[str, Any] | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the submitted e-mail address, trimmed and lowercased."""
    raw = (credentials or {}).get("username")
    if raw is None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("username", "")
    return str(raw or "").strip().lower()


def record_failure(sender: object, credentials: Mapping[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    """user_login_failed: count the failure against the client address, whatever account it
    tried, so spraying one guess over many accounts is stopped too."""
    if request is not None:
        ratelimit.record(ratelimit.LOGIN_FAILURES_PER_CLIENT, client_ip(request))


def client_blocked(request: HttpRequest | None) -> bool:
    return request is not None and ratelimit.is_blocked(ratelimit.LOGIN_FAILURES_PER_CLIENT, client_ip(request))


class ClientLimitBackend:
    """First authentication backend: refuses every log-in (also the admin's) from a client
    address with too many recent failures. The log-in form says why before it gets here.
    No `get_user`: it never logs anyone in, so sessions are never tied to it."""

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> None:
        if client_blocked(request):
            raise PermissionDenied(str(ratelimit.LOGIN_FAILURES_PER_CLIENT.message))
        return None
