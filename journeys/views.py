"""The guide map (사전 가이드맵, 접근하기): made from a diagnosis result, read by link.

A plan has no account of its own: an anonymous plan is read by whoever holds its
unguessable link (like the result it came from); a plan made from a result that belongs
to an account is readable only by that account (journeys/access.py).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.access import public
from core.pdf import render_pdf
from diagnosis.access import access_result
from journeys import services
from journeys.access import access_plan
from journeys.display import ILLUSTRATIVE_LABEL, plan_view
from journeys.ics import plan_calendar
from journeys.models import Plan

PDF_CSS = "journeys/plan-pdf.css"
NOINDEX = "noindex, nofollow"


@public
@require_POST
def new_plan(request: HttpRequest) -> HttpResponse:
    result_id = request.POST.get("result", "")
    if not result_id:
        raise Http404
    result = access_result(request, result_id)
    plan = services.plan_for_result(result)
    return redirect("journeys:detail", public_id=plan.public_id)


def _context(plan: Plan) -> dict[str, Any]:
    return {"view": plan_view(plan), "plan": plan, "illustrative_label": ILLUSTRATIVE_LABEL}


@public
@require_GET
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = access_plan(request, public_id)
    response = render(request, "journeys/plan.html", _context(plan))
    response["X-Robots-Tag"] = NOINDEX
    return response


@public
@require_GET
def plan_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = access_plan(request, public_id)
    html = render_to_string("journeys/plan_pdf.html", _context(plan), request=request)
    pdf = render_pdf(html, stylesheets=[PDF_CSS])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="guide-map-{plan.start_date:%Y%m%d}.pdf"'
    response["X-Robots-Tag"] = NOINDEX
    return response


@public
@require_GET
def plan_ics(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = access_plan(request, public_id)
    body = plan_calendar(plan_view(plan), request.get_host().split(":")[0])
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="guide-map-{plan.start_date:%Y%m%d}.ics"'
    return response


@public
@require_POST
def toggle_step(request: HttpRequest, public_id: str, position: int) -> HttpResponse:
    plan = access_plan(request, public_id)
    step = get_object_or_404(plan.steps, position=position)
    services.toggle_step(step, done=request.POST.get("done") == "1")
    return redirect(f"{reverse('journeys:detail', args=[plan.public_id])}#step-{position}")
