"""The centre lead's pages: the centre's cases (assign, share, close) and the monthly
access review (개인정보 접속기록 점검) with its CSV. Views are thin: reads go through
`counselling.access_lead` (scope and access log), writes through `counselling.leadwork`."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_with
from core.models import AccessLog
from core.roles import Perm
from core.states import IllegalTransition
from counselling import access_review, leadwork
from counselling.access_lead import (
    CaseFilter,
    access_centre_cases,
    access_review_log,
    caseloads,
    centres_in_scope,
    pick_centre,
)
from counselling.models import AccessReview, CaseStatus
from programmes.models import Centre

REVIEW_ROWS_PER_PAGE = 100

# The filters a redirect after an action keeps (nothing else from the form is echoed back).
CASE_FILTER_KEYS = ("centre", "status", "who", "stale", "page")


def mask_email(email: str) -> str:
    """Enough to recognise a person on the phone, not to write to them: "ki***@example.com"."""
    local, _at, domain = email.partition("@")
    return f"{local[:2]}{'*' * max(len(local) - 2, 1)}@{domain}" if domain else "***"


# --- centre cases ------------------------------------------------------------------------------


@staff_with(Perm.CASES_CENTRE)
def centre_cases(request: HttpRequest) -> HttpResponse:
    centres = centres_in_scope(request.user, Perm.CASES_CENTRE)
    raw_centre = request.GET.get("centre", "")
    centre = pick_centre(centres, raw_centre) if raw_centre else None
    status = request.GET.get("status", CaseStatus.OPEN)
    if status not in (*CaseStatus.values, "all"):
        status = CaseStatus.OPEN
    wanted = CaseFilter(
        centre=centre,
        status="" if status == "all" else status,
        counsellor=request.GET.get("who", ""),
        stale_only=request.GET.get("stale") == "1",
    )
    page = access_centre_cases(request, wanted, request.GET.get("page"))
    loads = caseloads(request.user, [centre] if centre else centres)
    by_centre: dict[int, list[Any]] = {}
    for load in loads:
        by_centre.setdefault(load.centre.pk, []).append(load)
    now = timezone.now()
    cases = list(page.object_list)
    for case in cases:
        case.stale = leadwork.no_contact_since(case, now)  # type: ignore[attr-defined]
        case.person = mask_email(case.citizen.email or case.citizen.username)  # type: ignore[attr-defined]
        case.choices = [  # type: ignore[attr-defined]
            load for load in by_centre.get(case.centre_id, []) if load.user_id != case.counsellor_id
        ]
    return render(
        request,
        "counselling/lead/centre_cases.html",
        {
            "centres": centres,
            "centre": centre,
            "status": status,
            "who": wanted.counsellor,
            "stale_only": wanted.stale_only,
            "page": page,
            "cases": cases,
            "loads": loads,
            "statuses": [(CaseStatus.OPEN, _("진행 중")), (CaseStatus.CLOSED, _("종결")), ("all", _("전체"))],
            "back": _filter_query(request.GET),
        },
    )


def _filter_query(data: QueryDict) -> str:
    kept = QueryDict(mutable=True)
    for key in CASE_FILTER_KEYS:
        value = data.get(key, "")
        if value and len(value) <= 20:
            kept[key] = value
    return kept.urlencode()


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@staff_with(Perm.CASES_CENTRE)
@require_POST
def centre_case_action(request: HttpRequest, case_id: int) -> HttpResponseBase:
    action = request.POST.get("action", "")
    counsellor_id = _int_or_none(request.POST.get("counsellor"))
    try:
        if action == "assign":
            leadwork.assign_case(case_id, counsellor_id, actor=request.user)
            done = _("담당 상담사를 정했습니다.") if counsellor_id else _("담당 상담사 배정을 해제했습니다.")
        elif action in ("share", "unshare") and counsellor_id is None:
            raise leadwork.LeadworkRefused(_("상담사를 골라 주세요."))
        elif action == "share":
            leadwork.share_case(case_id, counsellor_id or 0, actor=request.user)
            done = _("사례를 공유했습니다.")
        elif action == "unshare":
            leadwork.unshare_case(case_id, counsellor_id or 0, actor=request.user)
            done = _("공유를 해제했습니다.")
        elif action == "close":
            leadwork.close_case(case_id, actor=request.user)
            done = _("사례를 종결했습니다.")
        elif action == "reopen":
            leadwork.reopen_case(case_id, actor=request.user)
            done = _("사례를 다시 열었습니다.")
        else:
            raise leadwork.LeadworkRefused(_("알 수 없는 요청입니다. 화면을 새로 고친 뒤 다시 해 주세요."))
    except leadwork.LeadworkRefused as exc:
        messages.error(request, exc.message)
    except IllegalTransition as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{done} (#{case_id})")
    back = _filter_query(request.POST)
    return redirect(reverse("counselling:centre_cases") + (f"?{back}" if back else "") + f"#case-{case_id}")


# --- access review -----------------------------------------------------------------------------


def _review_target(request: HttpRequest, data: QueryDict) -> tuple[list[Centre], Centre | None, dt.date]:
    centres = centres_in_scope(request.user, Perm.ACCESS_REVIEW)
    centre = pick_centre(centres, data.get("centre"))
    month = access_review.parse_month(data.get("month"))
    if month is None:
        if data.get("month"):
            messages.error(request, _("달은 2026-10처럼 연도 네 자리와 월 두 자리로 적어 주세요. 지난달을 보여 드립니다."))
        month = leadwork.last_full_month()
    return centres, centre, month


@staff_with(Perm.ACCESS_REVIEW)
def review_page(request: HttpRequest) -> HttpResponse:
    centres, centre, month = _review_target(request, request.GET)
    context: dict[str, Any] = {"centres": centres, "centre": centre, "month": month, "flags": access_review.FLAGS}
    if centre is not None:
        review = access_review_log(request, centre, month)
        flagged_only = request.GET.get("flagged") == "1"
        rows = [r for r in review.rows if r.flags] if flagged_only else review.rows
        context.update(
            review=review,
            page=Paginator(rows, REVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page")),
            flagged_only=flagged_only,
            flag_help=[(access_review.FLAG_SHORT[f], access_review.explain(f), review.flag_counts[f]) for f in access_review.FLAGS],
            actions=AccessLog.Action,
            reviews=AccessReview.objects.filter(centre=centre, month=month).order_by("-reviewed_at", "-pk"),
            month_ended=leadwork.month_bounds(month)[1] <= timezone.now(),
        )
    return render(request, "counselling/lead/access_review.html", context)


@staff_with(Perm.ACCESS_REVIEW)
def review_csv(request: HttpRequest) -> HttpResponse:
    _centres, centre, month = _review_target(request, request.GET)
    if centre is None:
        return redirect("counselling:access_review")
    review = access_review_log(request, centre, month, action=AccessLog.Action.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-review-{centre.slug}-{month:%Y-%m}.csv"'
    response.write("\ufeff")  # BOM: Excel then reads the file as UTF-8 and shows Korean
    writer = csv.writer(response)
    writer.writerow([_("일시 (서울)"), _("처리자 계정"), _("정보주체 ID"), _("수행업무"), _("대상 종류"), _("대상 ID"), _("접속지 (IP)"), _("사유"), _("확인할 점")])
    safe = access_review.csv_safe
    for row in review.rows:
        log = row.log
        writer.writerow(
            [
                row.at.strftime("%Y-%m-%d %H:%M:%S"),
                safe(log.actor_label),
                safe(log.subject_id),
                safe(log.get_action_display()),
                safe(row.object_label),
                safe(log.object_id),
                safe(log.ip_address or ""),
                safe(log.reason),
                safe(" / ".join(row.flag_labels)),
            ]
        )
    return response


@staff_with(Perm.ACCESS_REVIEW)
@require_POST
def review_done(request: HttpRequest) -> HttpResponseBase:
    _centres, centre, month = _review_target(request, request.POST)
    if centre is None:
        return redirect("counselling:access_review")
    try:
        leadwork.complete_review(centre.pk, month, actor=request.user, note=request.POST.get("note", ""))
    except leadwork.LeadworkRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(month)s 접속기록 점검을 완료로 기록했습니다.") % {"month": f"{month:%Y-%m}"})
    return redirect(reverse("counselling:access_review") + f"?centre={centre.pk}&month={month:%Y-%m}")
