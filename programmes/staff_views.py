"""The staff area for sessions (not the Django admin): schedule, roster, attendance,
CSV export. Reading or exporting a roster is someone else's personal data, so it goes
through `programmes.access`, which writes the access log; every change is an action that
takes the staff member as `actor` and logs the people it changed. Views never log."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import staff_with
from core.roles import Perm
from core.vocabulary import SEOUL
from lifecareer.db_router import report_db
from programmes import queries, services
from programmes.access import access_enrolment, access_roster, access_session, sessions_in_scope
from programmes.forms import AttendanceForm, SessionForm
from programmes.models import Enrolment, Session
from rescue import services as rescue

StatusAction = Callable[..., object]

PAGE_SIZE = 50

# Each is called as action(session_id, actor=...). Cancelling from the roster is the same
# action as on the at-risk page: every enrolee is offered alternatives with a held seat,
# and each place is logged once.
STATUS_ACTIONS: dict[str, StatusAction] = {
    "open": services.open_session,
    "close": services.close_enrolment,
    "cancel": rescue.cancel_with_offers,
    "complete": services.complete_session,
}


@staff_with(Perm.ROSTERS)
def session_list(request: HttpRequest) -> HttpResponse:
    start_of_today = timezone.now().astimezone(SEOUL).replace(hour=0, minute=0, second=0, microsecond=0)
    # A read-only staff list: from the streaming replica when there is one (lifecareer/db_router.py).
    mine = sessions_in_scope(Session.objects.using(report_db()), request.user)
    qs = queries.with_counts(
        mine.filter(starts_at__gte=start_of_today).exclude(status=Session.Status.CANCELLED)
    ).order_by("starts_at", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    sessions = list(page.object_list)
    for session in sessions:
        confirmed = session.confirmed_total  # type: ignore[attr-defined]
        session.below_minimum = confirmed < session.min_enrolment  # type: ignore[attr-defined]
    return render(request, "programmes/staff/session_list.html", {"page": page, "sessions": sessions})


@staff_with(Perm.ROSTERS)
def session_create(request: HttpRequest) -> HttpResponseBase:
    # The platform's defaults for group courses (programmes.json note: 8 minimum, 20 seats).
    form = SessionForm(
        request.POST or None, user=request.user, initial={"mode": "centre", "capacity": 20, "min_enrolment": 8}
    )
    if request.method == "POST" and form.is_valid():
        session = services.create_session(open_now=form.cleaned_data["open_now"], **form.session_fields())
        messages.success(request, _("회차를 만들었습니다."))
        return redirect("programmes:staff_roster", session_id=session.pk)
    return render(request, "programmes/staff/session_form.html", {"form": form, "session": None})


@staff_with(Perm.ROSTERS)
def session_edit(request: HttpRequest, session_id: int) -> HttpResponseBase:
    session = access_session(request, session_id)
    if session.status in (Session.Status.CANCELLED, Session.Status.COMPLETED):
        messages.error(request, _("취소되었거나 종료된 회차는 고칠 수 없습니다."))
        return redirect("programmes:staff_roster", session_id=session.pk)
    confirmed = services.confirmed_count(session)
    form = SessionForm(request.POST or None, instance=session, confirmed=confirmed, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(session.pk, actor=request.user, **form.session_fields())  # type: ignore[arg-type]
        except services.SessionChangeRefused as exc:  # the count moved since the form was shown
            form.add_error(None if exc.field == "__all__" else exc.field, exc.message)
        else:
            messages.success(request, _("회차를 고쳤습니다."))
            return redirect("programmes:staff_roster", session_id=session.pk)
    return render(request, "programmes/staff/session_form.html", {"form": form, "session": session})


@staff_with(Perm.ROSTERS)
@require_POST
def session_status(request: HttpRequest, session_id: int) -> HttpResponseBase:
    action = STATUS_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    session = access_session(request, session_id)
    try:
        action(session.pk, actor=request.user)
    except (services.IllegalTransition, services.SessionChangeRefused) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("회차 상태를 바꿨습니다."))
    return redirect("programmes:staff_roster", session_id=session.pk)


def _person(enrolment: Enrolment) -> dict[str, str]:
    """What the roster shows of a person: accounts hold only an e-mail address (and a
    name only if an administrator set one)."""
    user: Any = enrolment.user
    return {"name": user.get_full_name(), "email": user.email or user.get_username()}


@staff_with(Perm.ROSTERS)
def roster(request: HttpRequest, session_id: int) -> HttpResponse:
    session, enrolments = access_roster(request, session_id, action="view")
    confirmed = [e for e in enrolments if e.status == Enrolment.Status.CONFIRMED]
    waitlist = [e for e in enrolments if e.status == Enrolment.Status.WAITLISTED]
    for enrolment in enrolments:
        enrolment.person = _person(enrolment)  # type: ignore[attr-defined]
    can_mark = timezone.localdate() >= timezone.localdate(session.starts_at)
    return render(
        request,
        "programmes/staff/roster.html",
        {
            "session": session,
            "confirmed": confirmed,
            "waitlist": waitlist,
            "seats_left": max(session.capacity - len(confirmed), 0),
            "can_mark": can_mark,
            "actions": _allowed_actions(session),
        },
    )


def _allowed_actions(session: Session) -> list[tuple[str, str]]:
    labels = {"open": _("모집 시작"), "close": _("모집 마감"), "cancel": _("회차 취소"), "complete": _("종료 처리")}
    targets = {
        "open": Session.Status.OPEN,
        "close": Session.Status.CLOSED,
        "cancel": Session.Status.CANCELLED,
        "complete": Session.Status.COMPLETED,
    }
    return [
        (name, str(labels[name]))
        for name, target in targets.items()
        if services.SESSION_FLOW.allows(session.status, target)
        and not (name == "complete" and timezone.now() < session.starts_at)
    ]


@staff_with(Perm.ROSTERS)
def roster_csv(request: HttpRequest, session_id: int) -> HttpResponse:
    session, enrolments = access_roster(request, session_id, action="export")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-session-{session.pk}.csv"'
    response.write("\ufeff")  # BOM: Excel then reads the file as UTF-8 and shows Korean
    writer = csv.writer(response)
    writer.writerow([_("순번"), _("상태"), _("대기 순번"), _("이메일"), _("이름"), _("신청 일시"), _("출석")])
    attended = {True: _("출석"), False: _("결석"), None: ""}
    for number, enrolment in enumerate(enrolments, start=1):
        person = _person(enrolment)
        writer.writerow(
            [
                number,
                enrolment.get_status_display(),
                enrolment.position or "",
                _csv_safe(person["email"]),
                _csv_safe(person["name"]),
                timezone.localtime(enrolment.created_at).strftime("%Y-%m-%d %H:%M"),
                attended[enrolment.attended],
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Stop spreadsheet formula injection from user-typed names (OWASP CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@staff_with(Perm.ROSTERS)
@require_POST
def attendance(request: HttpRequest, enrolment_id: int) -> HttpResponseBase:
    enrolment = access_enrolment(request, enrolment_id)
    form = AttendanceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("출석 또는 결석을 골라 주세요."))
    else:
        try:
            services.mark_attendance(enrolment.pk, form.cleaned_data["attended"], actor=request.user)  # type: ignore[arg-type]
        except services.EnrolmentRefused as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("출석을 기록했습니다."))
    return redirect("programmes:staff_roster", session_id=enrolment.session_id)
