"""Operators' screens for employer requests: list, and one page per request where they
accept, schedule (creates the session and the invitation), decline or complete it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.access import staff_with
from core.roles import Perm
from courses import notify, services
from courses.access import (
    access_request_as_staff,
    access_request_roster,
    handles_employer_requests,
    show_request_to_staff,
)
from courses.forms import DeclineForm, ScheduleForm
from courses.models import EmployerRequest
from programmes.models import Enrolment
from programmes.services import SessionChangeRefused

PER_PAGE = 50
Status = EmployerRequest.Status


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("상태"), required=False, choices=[("", _("전체 상태")), *Status.choices]
    )


@staff_with(Perm.EMPLOYER_REQUESTS)
def request_list(request: HttpRequest) -> HttpResponse:
    """Company, programme, headcount and status only; contact details are on the (logged)
    detail page."""
    form = StatusFilterForm(request.GET or None)
    qs = EmployerRequest.objects.select_related("programme").annotate(
        joined=Count("session__enrolments", filter=Q(session__enrolments__status=Enrolment.Status.CONFIRMED))
    )
    if not handles_employer_requests(request.user):
        qs = qs.none()
    if form.is_valid() and form.cleaned_data.get("status"):
        qs = qs.filter(status=form.cleaned_data["status"])
    page = Paginator(qs.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "courses/staff/list.html", {"form": form, "page": page})


def _apply_refusal(form: forms.Form, exc: services.RequestRefused) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@staff_with(Perm.EMPLOYER_REQUESTS)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.POST.get("action", "") if request.method == "POST" else ""
    employer_request = access_request_as_staff(request, pk)
    schedule_form = ScheduleForm(request.POST if action == "schedule" else None, request=employer_request)
    decline_form = DeclineForm(request.POST if action == "decline" else None)
    errors: list[str] = []
    if action:
        try:
            done = _handle(request, action, employer_request, schedule_form, decline_form)
        except services.IllegalTransition as exc:
            errors.append(str(exc))
            done = False
        except services.RequestRefused as exc:
            if action == "schedule":
                _apply_refusal(schedule_form, exc)
            elif action == "decline":
                _apply_refusal(decline_form, exc)
            else:
                errors.append(exc.message)
            done = False
        except SessionChangeRefused as exc:
            errors.append(exc.message)
            done = False
        if done:
            return redirect("courses:staff-request", pk=employer_request.pk)
        employer_request.refresh_from_db()
    show_request_to_staff(request, employer_request)
    roster = access_request_roster(request, employer_request)
    context: dict[str, Any] = {
        "req": employer_request,
        "schedule_form": schedule_form,
        "decline_form": decline_form,
        "errors": errors,
        "roster": roster,
        "joined": sum(1 for e in roster if e.status == Enrolment.Status.CONFIRMED),
        "join_url": notify.invitation_url(employer_request),
        "can_accept": employer_request.status == Status.REQUESTED,
        "can_schedule": employer_request.status in (Status.REQUESTED, Status.ACCEPTED),
        "can_decline": employer_request.status in (Status.REQUESTED, Status.ACCEPTED),
        "can_complete": employer_request.status == Status.SCHEDULED,
    }
    failed = bool(errors or schedule_form.errors or decline_form.errors)
    return render(request, "courses/staff/detail.html", context, status=400 if failed else 200)


def _handle(
    request: HttpRequest, action: str, employer_request: EmployerRequest, schedule_form: ScheduleForm, decline_form: DeclineForm
) -> bool:
    if action == "accept":
        services.accept_request(employer_request.pk, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("요청을 수락했습니다. 날짜를 정해 일정을 확정해 주세요."))
        return True
    if action == "schedule":
        if not schedule_form.is_valid():
            return False
        data = schedule_form.cleaned_data
        services.schedule_request(
            employer_request.pk, day=data["day"], starts=data["starts"], ends=data["ends"], actor=request.user  # type: ignore[arg-type]
        )
        messages.success(request, _("일정을 확정했습니다. 기업 담당자에게 직원 초대 링크를 이메일로 보냅니다."))
        return True
    if action == "decline":
        if not decline_form.is_valid():
            return False
        services.decline_request(employer_request.pk, reason=decline_form.cleaned_data["reason"], actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("요청을 반려했습니다. 기업 담당자에게 사유를 이메일로 보냅니다."))
        return True
    if action == "complete":
        services.complete_request(employer_request.pk, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, _("교육 완료로 처리했습니다."))
        return True
    raise services.RequestRefused("__all__", _("알 수 없는 요청입니다."))
