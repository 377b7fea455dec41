"""The check-in answer page: opened from the mailed link, without logging in (the link is
the key; see core/link_tokens.py). Views are thin: aftercare.checkins does the work."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from aftercare import checkins
from aftercare.models import SATISFACTION_WORDS, CheckIn, CheckInStatus
from core.access import public

# "다시 시작하기" is built by the re-entry helper (URL name journeys:restart); until it is
# merged this path is the fallback.
RESTART_FALLBACK = "/plans/restart/"


def restart_url() -> str:
    try:
        return reverse("journeys:restart")
    except NoReverseMatch:
        return RESTART_FALLBACK


def _context(checkin: CheckIn | None, **extra: Any) -> dict[str, Any]:
    return {
        "checkin": checkin,
        "statuses": CheckInStatus.choices,
        "scores": list(SATISFACTION_WORDS.items()),
        "restart_url": restart_url(),
        **extra,
    }


def _error_links(errors: dict[str, str]) -> list[tuple[str, str]]:
    """The page's one error summary: each message links to the first option of the
    question it is about, so following it puts the focus where the answer goes."""
    anchors = {"status": f"status-{CheckInStatus.values[0]}", "satisfaction": f"satisfaction-{min(SATISFACTION_WORDS)}", "comment": "comment"}
    return [(anchors[name], errors[name]) for name in anchors if name in errors]


@public
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            answered = checkins.answer(
                token, status=request.POST.get("status", ""), satisfaction=request.POST.get("satisfaction", ""), comment=request.POST.get("comment", "")
            )
            return render(request, "aftercare/checkin_thanks.html", _context(answered, restart=checkins.wants_restart(answered)))
        found = checkins.open_checkin(token)
        return render(request, "aftercare/checkin.html", _context(found, form={}))
    except checkins.InvalidAnswer as exc:
        found = checkins.open_checkin(token)
        typed = {"status": request.POST.get("status", ""), "satisfaction": request.POST.get("satisfaction", ""), "comment": request.POST.get("comment", "")}
        return render(request, "aftercare/checkin.html", _context(found, form=typed, errors=exc.errors, error_links=_error_links(exc.errors)), status=400)
    except checkins.AlreadyAnswered as exc:
        return render(request, "aftercare/checkin_answered.html", _context(exc.checkin, restart=exc.checkin is not None and checkins.wants_restart(exc.checkin)), status=409)
    except checkins.CheckInExpired as exc:
        return render(request, "aftercare/checkin_gone.html", _context(exc.checkin, message=exc.message), status=410)
    except checkins.CheckInNotFound as exc:
        return render(request, "aftercare/checkin_gone.html", _context(None, message=exc.message, not_found=True), status=404)


