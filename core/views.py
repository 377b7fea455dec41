from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from core.access import public
from diagnosis import services as diagnosis_services
from diagnosis.access import access_session_draft


@public
def home(request: HttpRequest) -> HttpResponse:
    draft = access_session_draft(request)
    resume_step = diagnosis_services.first_unanswered_step(draft) if draft and diagnosis_services.has_answers(draft) else None
    return render(request, "core/home.html", {"resume_step": resume_step})


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public
def hello(request: HttpRequest) -> HttpResponse:
    """Bare baseline for the load benchmark (bench/load.py): no template, no query."""
    return HttpResponse("hello", content_type="text/plain")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: the site's 403 page for a form sent with a stale or missing token
    (a page left open past the session, a second tab after logging out). Django's own view
    would render 403_csrf.html too, but cannot offer a safe link back: that needs the
    Referer checked against this site, or the page would link to whoever forged the post."""
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = ""
    response = render(request, "403_csrf.html", {"back": back}, status=403)
    # Rendered before the access rule of the page asked for is known: never keep it.
    patch_cache_control(response, no_store=True, private=True)
    return response
