"""Why someone was sent to log in, read back from the `next` address they carry, so the
log-in and sign-up pages can say so ("수강 신청을 하려면 로그인해 주세요") and the
sign-up link can keep the same destination."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.urls import Resolver404, resolve

from programmes.models import Session
from programmes.queries import PUBLIC_MODES

SAVED_ITEM_VIEWS = {"diagnosis:result", "journeys:detail", "journeys:pdf", "journeys:ics"}


def with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def reason(next_url: str) -> dict[str, Any] | None:
    """What the person was on their way to do: {"kind": "enrol", "session": …}, {"kind":
    "saved"} for a result or plan kept in an account, {"kind": "book_counselling"} for the last
    step of a counselling booking (its choices are in the address and come back with it), {"kind": "page"} for anything else."""
    if not next_url:
        return None
    try:
        match = resolve(urlsplit(next_url).path)
    except Resolver404:
        return None
    if match.view_name == "programmes:enrol":
        session = (
            Session.objects.select_related("programme")
            .filter(pk=match.kwargs["session_id"], mode__in=PUBLIC_MODES)
            .first()
        )
        if session is not None:
            return {"kind": "enrol", "session": session}
    if match.view_name == "counselling:book":
        return {"kind": "book_counselling"}
    if match.view_name in SAVED_ITEM_VIEWS:
        return {"kind": "saved"}
    return {"kind": "page"}
