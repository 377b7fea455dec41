"""Employers ask for an on-site course; their staff join through an invitation link."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.access import citizen, public
from courses import notify, services
from courses.access import access_own_request
from courses.forms import EmployerRequestForm
from courses.models import EmployerRequest
from programmes.models import Enrolment
from programmes.services import EnrolmentRefused


@citizen
def employer_home(request: HttpRequest) -> HttpResponse:
    """The person's own requests, with how many staff have joined each (a count only)."""
    requests = list(
        EmployerRequest.objects.filter(requester_id=request.user.pk)
        .select_related("programme", "session")
        .annotate(joined=Count("session__enrolments", filter=Q(session__enrolments__status=Enrolment.Status.CONFIRMED)))
        .order_by("-created_at", "-pk")
    )
    return render(request, "courses/employer/home.html", {"requests": requests})


@citizen
def employer_request_new(request: HttpRequest) -> HttpResponse:
    initial = {"contact_email": getattr(request.user, "email", "")}
    form = EmployerRequestForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.submit_request(
                request.user,  # type: ignore[arg-type]
                company_name=data["company_name"],
                contact_email=data["contact_email"],
                contact_phone=data["contact_phone"],
                programme=data["programme"],
                headcount=data["headcount"],
                preferred_dates=form.preferred_dates(),
                region=data["region"],
                place=data["place"],
                notes=data["notes"],
            )
        except services.RequestRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("기업출강 요청을 접수했습니다. 담당자가 확인한 뒤 일정을 정해 이메일로 알려 드립니다."))
            return redirect("courses:employer-detail", pk=created.pk)
    return render(
        request,
        "courses/employer/request_form.html",
        {"form": form, "notice_version": services.EMPLOYER_CONTACT_NOTICE_VERSION},
        status=400 if form.errors else 200,
    )


@citizen
def employer_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    employer_request = access_own_request(request, pk)
    return render(
        request,
        "courses/employer/detail.html",
        {
            "req": employer_request,
            "joined": services.joined_count(employer_request),
            "join_url": notify.invitation_url(employer_request),
        },
    )


def _auth_links(next_path: str) -> dict[str, str]:
    query = urlencode({"next": next_path})
    return {"login_url": f"{settings.LOGIN_URL}?{query}", "signup_url": f"{reverse('accounts:signup')}?{query}"}


@public
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation page: what, when, where; log in or sign up, then one button."""
    employer_request = services.invitation(token)
    if employer_request is None:
        raise Http404
    enrolment = None
    if request.user.is_authenticated and employer_request.session_id is not None:
        enrolment = Enrolment.objects.filter(
            session_id=employer_request.session_id, user=request.user, status__in=Enrolment.ACTIVE
        ).first()
    open_for_joining = employer_request.status == EmployerRequest.Status.SCHEDULED
    return render(
        request,
        "courses/join.html",
        {
            "req": employer_request,
            "session": employer_request.session,
            "enrolment": enrolment,
            "open_for_joining": open_for_joining,
            **_auth_links(request.path),
        },
        status=200 if open_for_joining or enrolment else 410,
    )


@citizen
def join_enrol(request: HttpRequest, token: str) -> HttpResponse:
    """POST: enrol the logged-in person in the employer session."""
    if request.method != "POST":
        return redirect("courses:join", token=token)
    if services.invitation(token) is None:
        raise Http404
    try:
        enrolment = services.join_by_invitation(token, request.user)  # type: ignore[arg-type]
    except services.InvitationClosed as exc:
        messages.error(request, str(exc))
    except EnrolmentRefused as exc:
        if exc.code == "already_enrolled":
            messages.info(request, _("이미 참여 신청한 교육입니다."))
        else:
            messages.error(request, exc.message)
    else:
        if enrolment.status == Enrolment.Status.WAITLISTED:
            messages.warning(
                request, _("정원이 차서 대기 %(n)d번으로 신청했습니다. 자리가 나면 이메일로 알려 드립니다.") % {"n": enrolment.position}
            )
        else:
            messages.success(request, _("교육 참여 신청을 마쳤습니다."))
    return redirect("courses:join", token=token)
