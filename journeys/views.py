"""The guide map (사전 가이드맵, 접근하기): made from a diagnosis result, read by link.

A plan has no account of its own: an anonymous plan is read by whoever holds its
unguessable link (like the result it came from); a plan made from a result that belongs
to an account is readable only by that account (journeys/access.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import page_cache
from core.access import citizen, public
from core.pdf import render_pdf
from diagnosis import made_here
from diagnosis import services as diagnosis_services
from diagnosis.access import SESSION_KEY as DRAFT_SESSION_KEY
from diagnosis.access import access_result
from diagnosis.models import Result
from journeys import plan_version, services
from journeys.access import access_plan, with_result
from journeys.display import ILLUSTRATIVE_LABEL, page_stages, plan_view
from journeys.ics import plan_calendar
from journeys.models import Plan, PlanStatus

# 다시 시작하기 in progress: the public id of the plan the person starts again from ("" when
# they had none), until the new diagnosis's plan is made (new_plan).
RESTART_KEY = "journeys_restart_from"

PDF_CSS = "journeys/plan-pdf.css"
NOINDEX = "noindex, nofollow"


@public
@require_POST
def new_plan(request: HttpRequest) -> HttpResponse:
    result_id = request.POST.get("result", "")
    if not result_id:
        raise Http404
    result = access_result(request, result_id)
    restarted = _restart_from_session(request, result)
    if restarted is not None:
        return restarted
    plan = services.plan_for_result(result)
    return redirect("journeys:detail", public_id=plan.public_id)


def _restart_from_session(request: HttpRequest, result: Result) -> HttpResponse | None:
    """The plan of a diagnosis begun with 다시 시작하기: kept in the account (the person is
    logged in and made this result here) and built on the plan they started again from."""
    if RESTART_KEY not in request.session or not request.user.is_authenticated:
        return None
    if result.owner_id not in (None, request.user.pk) or result.public_id not in request.session.get(made_here.SESSION_KEY, []):
        return None
    from accounts import services as account_services  # accounts imports journeys: import at use

    old = services.restart_source(request.user, request.session.pop(RESTART_KEY) or None)
    if result.owner_id is None:
        account_services.claim_result(request.user, result)
        made_here.forget(request, [result.public_id])
    if old is None or old.result_id == result.pk:
        plan = services.plan_for_result(result)
    else:
        plan = services.restart_plan(request.user, result, old)
        messages.success(request, _("새 계획을 만들었습니다. 이전 계획에서 마친 단계는 완료로 표시해 두었습니다."))
    return redirect("journeys:detail", public_id=plan.public_id)


def _context(plan: Plan) -> dict[str, Any]:
    view = plan_view(plan)
    return {
        "view": view,
        "plan": plan,
        "illustrative_label": ILLUSTRATIVE_LABEL,
        "reason_max": services.ABANDON_REASON_MAX,
    }


@public
@require_GET
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    plan = access_plan(request, public_id, with_result=False)

    def build() -> str:
        context = _context(with_result(plan))
        context.update(stages=page_stages(context["view"]), csrf_token=page_cache.CSRF_PLACEHOLDER)
        return render_to_string("journeys/_plan_main.html", context, request)

    # Kept while the plan, its steps, the owner's agreed steps and the reference data it
    # shows are unchanged (journeys/plan_version.py).
    sql, params = plan_version.query(plan.pk, plan.owner_id)
    key = page_cache.version(sql, params, plan_version.row_of(plan), plan_version.reference(), request.scheme, request.get_host())
    main = page_cache.served(request, "plan", plan.public_id, key, build)
    response = render(request, "journeys/plan.html", {"main": mark_safe(main), "csrf_token": page_cache.token(request)})  # noqa: S308 - rendered by our template
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


@citizen
@require_POST
def abandon(request: HttpRequest, public_id: str) -> HttpResponse:
    """그만두기, with an optional reason. Only the owner of a saved plan."""
    plan = access_plan(request, public_id)
    if plan.owner_id != request.user.pk:
        raise Http404
    try:
        services.abandon_plan(request.user, plan, request.POST.get("reason", ""))
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.info(request, _("이 계획을 그만두었습니다. 마친 단계는 그대로 남아 있고, 언제든 ‘다시 시작하기’로 새 계획을 만들 수 있습니다."))
    return redirect("journeys:detail", public_id=plan.public_id)


@citizen
def restart(request: HttpRequest) -> HttpResponse:
    """다시 시작하기 (from a plan, a check-in answer or /me/): a new diagnosis whose profile
    page is filled in from the last one; its plan keeps what was done (new_plan)."""
    from accounts import consents  # accounts imports journeys: import at use

    came_from = request.GET.get("from") or request.POST.get("from") or ""
    plan_id = "" if came_from in ("", "checkin", "me") else came_from[:43]
    old = services.restart_source(request.user, plan_id)
    last = old.result if old is not None else Result.objects.filter(owner_id=request.user.pk).order_by("-created_at", "-pk").first()
    if request.method == "POST":
        if consents.needs_required_consent(request.user):  # type: ignore[arg-type]
            # The new result and plan are kept in the account, which needs the current consent.
            messages.info(request, _("새 진단 결과와 계획을 계정에 저장하려면 먼저 바뀐 동의 내용을 확인해 주세요."))
            return redirect("accounts:consent")
        draft = diagnosis_services.start_draft()
        if last is not None:
            diagnosis_services.save_draft(draft, profile=services.profile_of(last))
        request.session[DRAFT_SESSION_KEY] = draft.token
        request.session[RESTART_KEY] = old.public_id if old is not None else ""
        return redirect("diagnosis:step", n=0)
    return render(
        request,
        "journeys/restart.html",
        {"old": old, "last": last, "came_from": came_from, "abandoned": old is not None and old.status == PlanStatus.ABANDONED},
    )
