"""django-axes hook: count failed log-ins per e-mail address whatever its letter case."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest


def username_of(request: HttpRequest, credentials: Mapping[str, Any] | None = None) -> str:
    """AXES_USERNAME_CALLABLE: the submitted e-mail address, trimmed and lowercased."""
    raw = (credentials or {}).get("username")
    if raw is None:
        data = getattr(request, "data", None) or request.POST
        raw = data.get("username", "")
    return str(raw or "").strip().lower()
