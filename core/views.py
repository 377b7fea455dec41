from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

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
