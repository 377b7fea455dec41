"""Referral pages: the counsellor's referral from a case, the person's self-referral from a
plan step, and the partner's list, detail and status form (account or signed link).
Views are thin: reads through referrals.access (which logs), changes through
referrals.services (which logs its own changes)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalog.models import Service
from core.access import citizen, public, staff_with
from core.roles import Perm
from counselling.access import access_case, person_label
from journeys.models import PlanStep
from referrals import access, links, services
from referrals.forms import MOVES, ReferForm, SelfReferForm, StatusForm
from referrals.models import Partner, Referral
from referrals.services import PartnerActor, ReferralRefused


def _targets() -> list[tuple[str, str]]:
    rows = (
        Partner.services.through.objects.filter(partner__is_active=True, service__is_active=True)
        .select_related("partner", "service")
        .order_by("service__name_ko", "partner__name")
    )
    return [(f"{r.service_id}:{r.partner_id}", f"{r.service.name_ko} · {r.partner}") for r in rows]


@staff_with(Perm.CASES_ASSIGNED, Perm.CASES_CENTRE)
def refer(request: HttpRequest, case_id: int) -> HttpResponse:
    """연계 의뢰 from a case: the counsellor asks the person what to share and ticks it."""
    case = access_case(request, case_id, log=request.method != "POST")
    form = ReferForm(request.POST or None, targets=_targets())
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        service_id, partner_id = form.target_ids()
        try:
            services.refer(
                request.user,  # type: ignore[arg-type]
                case=case, service=get_object_or_404(Service, pk=service_id), partner=get_object_or_404(Partner, pk=partner_id),
                items=form.cleaned_data["items"], consent_given=form.cleaned_data["consent"], note=form.cleaned_data["note"],
            )
        except ReferralRefused as exc:
            errors.append(exc.message)
        else:
            messages.success(request, _("연계를 의뢰했습니다. 기관에 알렸고, 진행 상황은 이 사례와 본인의 화면에 보입니다."))
            return redirect("counselling:case", case_id=case.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/refer.html", {"case": case, "person": person_label(case.citizen), "form": form, "errors": errors}, status=status)


@citizen
def self_refer(request: HttpRequest, step_id: int) -> HttpResponse:
    """Self-referral from a step of the person's plan whose service takes it."""
    step = PlanStep.objects.select_related("plan", "service").filter(pk=step_id, plan__owner_id=request.user.pk or 0, service__isnull=False).first()
    if step is None or step.service is None:
        raise Http404
    service = step.service
    partners = Partner.objects.filter(services=service, is_active=True, accepts_self_referral=True).order_by("name", "pk")
    form = SelfReferForm(request.POST or None, partners=partners)
    errors: list[str] = []
    if not partners.exists():
        return render(request, "referrals/self_refer.html", {"step": step, "service": service, "form": None, "errors": []})
    if request.method == "POST" and form.is_valid():
        try:
            services.self_refer(
                request.user,  # type: ignore[arg-type]
                service=service, partner=form.cleaned_data["partner"], items=form.cleaned_data["items"], note=form.cleaned_data["note"], plan_step=step,
            )
        except ReferralRefused as exc:
            errors.append(exc.message)
        else:
            messages.success(request, _("연계를 신청했습니다. 기관이 상태를 바꾸면 이 화면과 이메일로 알려 드립니다."))
            return redirect("me:dashboard")
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/self_refer.html", {"step": step, "service": service, "form": form, "errors": errors}, status=status)


# --- the partner's side -------------------------------------------------------------------


@staff_with(Perm.REFERRALS_PARTNER)
def partner_list(request: HttpRequest) -> HttpResponse:
    return render(request, "referrals/partner_list.html", {"referrals": access.access_partner_list(request)})


def _detail(request: HttpRequest, referral: Referral, by: PartnerActor, *, form: StatusForm | None = None, errors: list[str] | None = None, status: int = 200, token: str = "") -> HttpResponse:
    form = form or StatusForm(initial={"expected": referral.status})
    # Offer only the moves REFERRAL_FLOW allows from here (after 접수, "완료" is not yet one);
    # the action still checks whatever is posted.
    form.fields["status"].choices = [(s, label) for s, label in MOVES if services.REFERRAL_FLOW.allows(referral.status, s)]  # type: ignore[attr-defined]
    context: dict[str, Any] = {
        "referral": referral,
        "view": access.partner_view(referral),
        "events": list(referral.events.order_by("at", "pk")),
        "form": form,
        "errors": errors or [],
        "open": referral.status in {"received", "contacted", "in_progress"},
        "via_link": bool(token),
    }
    return render(request, "referrals/partner_detail.html", context, status=status)


def _post_status(request: HttpRequest, referral: Referral, by: PartnerActor, token: str = "") -> HttpResponseBase:
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, referral, by, form=form, status=400, token=token)
    try:
        services.change_status(by, referral.pk, form.cleaned_data["status"], reason=form.cleaned_data["reason"], expected=form.cleaned_data["expected"])
    except ReferralRefused as exc:
        referral.refresh_from_db()
        code = {"not_found": 404, "conflict": 409}.get(exc.code, 400)
        fresh = StatusForm(initial={"expected": referral.status})
        return _detail(request, referral, by, form=fresh if exc.code == "conflict" else form, errors=[exc.message], status=code, token=token)
    messages.success(request, _("상태를 바꿨습니다. 본인에게도 알렸습니다."))
    if token:
        return redirect("referrals:link", token=token)
    return redirect("referrals:partner_detail", referral_id=referral.pk)


@staff_with(Perm.REFERRALS_PARTNER)
def partner_detail(request: HttpRequest, referral_id: int) -> HttpResponseBase:
    referral, by = access.access_partner_referral(request, referral_id, log=request.method != "POST")
    if request.method == "POST":
        return _post_status(request, referral, by)
    return _detail(request, referral, by)


@public
def link(request: HttpRequest, token: str) -> HttpResponseBase:
    """A partner without an account: the one referral its e-mailed link names."""
    try:
        referral, by = access.access_link_referral(request, token, log=request.method != "POST")
    except links.LinkExpired:
        return render(request, "referrals/link_expired.html", status=410)
    # Only this page and nothing else: no cache, no referrer (with the token) to other sites.
    # Not "no-referrer": under it a browser sends `Origin: null` with the page's own status
    # form, and Django's CSRF check refuses that POST (403) — the partner could never move it.
    request._personal_page = True  # type: ignore[attr-defined]
    if request.method == "POST":
        response = _post_status(request, referral, by, token=token)
    else:
        response = _detail(request, referral, by, token=token)
    response["Referrer-Policy"] = "same-origin"
    return response
