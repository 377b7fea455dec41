"""The counsellor's side: workspace, case page, hours, walk-ins; and the citizen's one tap
on a time offered after a counsellor's cancellation.

Views are thin: reads go through `counselling.access` / `counselling.shared` (which log),
changes through `counselling.casework` / `counselling.availability` (which log their own
changes). A refused action re-renders the page with the form as typed and a Korean message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftercare.access import open_tasks
from core.access import citizen, staff_with
from core.roles import Perm, centre_scope
from core.states import IllegalTransition
from counselling import availability, casework, shared
from counselling.access import access_case, access_workspace, person_label, recorded_outcomes
from counselling.forms_workspace import (
    WEEKDAYS,
    AttendanceForm,
    CancelForm,
    ExceptionForm,
    NoteForm,
    StepForm,
    WalkInForm,
    WeeklyHoursForm,
)
from counselling.models import Booking, BookingStatus, Case, HoursException, Slot, WeeklyHours
from outcomes.forms import OutcomeForm
from programmes.models import Centre
from referrals.access import case_referrals


def _centres(user: Any, perm: Perm) -> list[Centre]:
    scope = centre_scope(user, perm)
    qs = Centre.objects.all() if scope is None else Centre.objects.filter(pk__in=scope)
    return list(qs.order_by("region", "name"))


@staff_with(Perm.CASES_ASSIGNED)
@require_http_methods(["GET", "HEAD"])
def workspace(request: HttpRequest) -> HttpResponse:
    ws = access_workspace(request)
    return render(request, "counselling/workspace/workspace.html", {"ws": ws, "tasks": open_tasks(request), "now": timezone.now()})


# --- the case page ----------------------------------------------------------------------


def _case_context(request: HttpRequest, case: Case, **forms: Any) -> dict[str, Any]:
    bookings = list(case.bookings.select_related("slot").order_by("-slot__starts_at", "-pk"))
    now = timezone.now()
    for booking in bookings:
        booking.is_past = booking.slot.starts_at <= now  # type: ignore[attr-defined]
        booking.can_cancel = booking.status == BookingStatus.CONFIRMED and not booking.is_past  # type: ignore[attr-defined]
        booking.attendance_form = forms.get(f"attendance_{booking.pk}") or AttendanceForm(  # type: ignore[attr-defined]
            prefix=f"b{booking.pk}",
            initial={"attended": "1" if booking.status != BookingStatus.NO_SHOW else "0", "outcome": booking.outcome},
        )
    return {
        "case": case,
        "person": person_label(case.citizen),
        "shared": shared.shared_view(case, actor=request.user, request=request),
        "bookings": bookings,
        "notes": list(case.notes.select_related("author").order_by("-created_at", "-pk")),
        "steps": list(case.agreed_steps.order_by("done_at", "due_on", "pk")),
        "referrals": case_referrals(case) if getattr(case, "has_referrals", True) else [],
        "note_form": forms.get("note_form") or NoteForm(),
        "step_form": forms.get("step_form") or StepForm(),
        "errors": forms.get("errors", []),
        # Outcomes recorded in this case only: what the person reported themself is not
        # among the items they chose to share.
        "outcomes": recorded_outcomes(case),
        "outcome_form": OutcomeForm(prefix="outcome", initial={"on_date": timezone.localdate()}),
    }


@staff_with(Perm.CASES_ASSIGNED, Perm.CASES_CENTRE)
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    if request.method != "POST":
        case = access_case(request, case_id, log=False)  # logged with the shared items it shows
        return render(request, "counselling/workspace/case.html", _case_context(request, case))
    case = access_case(request, case_id, log=False)  # the action logs what it changes
    action = request.POST.get("action", "")
    forms: dict[str, Any] = {}
    try:
        if action == "note":
            form: Any = NoteForm(request.POST)
            forms["note_form"] = form
            if form.is_valid():
                casework.add_note(request.user, case, form.cleaned_data["body"])  # type: ignore[arg-type]
                messages.success(request, _("메모를 남겼습니다."))
                return redirect("counselling:case", case_id=case.pk)
        elif action == "step":
            form = StepForm(request.POST)
            forms["step_form"] = form
            if form.is_valid():
                casework.add_step(request.user, case, form.cleaned_data["title"], due_on=form.cleaned_data["due_on"])  # type: ignore[arg-type]
                messages.success(request, _("합의한 단계를 더했습니다. 내담자의 계획에도 보입니다."))
                return redirect("counselling:case", case_id=case.pk)
        elif action in ("step_done", "step_undo"):
            casework.mark_step(request.user, case, _int(request.POST.get("step")), done=action == "step_done")  # type: ignore[arg-type]
            return redirect("counselling:case", case_id=case.pk)
        elif action == "attendance":
            booking_id = _int(request.POST.get("booking"))
            form = AttendanceForm(request.POST, prefix=f"b{booking_id}")
            forms[f"attendance_{booking_id}"] = form
            if form.is_valid():
                casework.record_attendance(
                    request.user, case, booking_id, attended=form.cleaned_data["attended"], outcome=form.cleaned_data["outcome"]  # type: ignore[arg-type]
                )
                messages.success(request, _("참석 여부와 상담 결과를 기록했습니다."))
                return redirect("counselling:case", case_id=case.pk)
        else:
            raise Http404
    except (casework.CaseworkRefused, IllegalTransition) as exc:
        forms["errors"] = [str(exc)]
    # Showing the page again is a read of the case: logged like any other view (shared_view).
    case = access_case(request, case_id, log=False)
    return render(request, "counselling/workspace/case.html", _case_context(request, case, **forms), status=200 if not forms.get("errors") else 409)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


@staff_with(Perm.CASES_ASSIGNED, Perm.CASES_CENTRE)
def cancel_booking(request: HttpRequest, case_id: int, booking_id: int) -> HttpResponseBase:
    case = access_case(request, case_id, log=request.method == "GET")
    booking = Booking.objects.select_related("slot").filter(pk=booking_id, case=case).first()
    if booking is None:
        raise Http404
    form = CancelForm(request.POST or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            _booking, offers = casework.cancel_by_counsellor(request.user, booking.pk, form.cleaned_data["reason"])  # type: ignore[arg-type]
        except (casework.CaseworkRefused, IllegalTransition) as exc:
            errors.append(str(exc))
        else:
            messages.success(
                request, _("예약을 취소했습니다. 내담자에게 사유와 다른 시간 %(n)d개를 이메일로 보냈습니다.") % {"n": len(offers)}
            )
            return redirect("counselling:case", case_id=case.pk)
    context = {"case": case, "booking": booking, "person": person_label(case.citizen), "form": form, "errors": errors}
    return render(request, "counselling/workspace/cancel.html", context)


# --- walk-ins ---------------------------------------------------------------------------


@staff_with(Perm.CASES_ASSIGNED)
def walk_in(request: HttpRequest) -> HttpResponseBase:
    centres = _centres(request.user, Perm.CASES_ASSIGNED)
    form = WalkInForm(request.POST or None, centres=centres)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = casework.open_walk_in(
                request.user, data["centre"], email=data["email"], share=data["share"], consent_in_person=data["consent"]  # type: ignore[arg-type]
            )
        except casework.CaseworkRefused as exc:
            errors.append(str(exc))
        else:
            messages.success(request, _("상담 사례를 열고 본인의 동의를 기록했습니다."))
            return redirect("counselling:case", case_id=case.pk)
    return render(request, "counselling/workspace/walk_in.html", {"form": form, "errors": errors})


# --- hours ------------------------------------------------------------------------------


def _hours_context(request: HttpRequest, centres: list[Centre], **forms: Any) -> dict[str, Any]:
    user = request.user
    names = dict(WEEKDAYS)
    rows = list(WeeklyHours.objects.filter(counsellor_id=user.pk).select_related("centre").order_by("centre__name", "weekday", "starts"))
    for row in rows:
        row.weekday_name = names.get(row.weekday, "")  # type: ignore[attr-defined]
    return {
        "rows": rows,
        "exceptions": list(HoursException.objects.filter(counsellor_id=user.pk, date__gte=timezone.localdate()).order_by("date", "starts")),
        "hours_form": forms.get("hours_form") or WeeklyHoursForm(centres=centres, prefix="h"),
        "exception_form": forms.get("exception_form") or ExceptionForm(prefix="x"),
        "errors": forms.get("errors", []),
        "upcoming": Slot.objects.filter(counsellor_id=user.pk, withdrawn=False, starts_at__gt=timezone.now()).count(),
        "window_weeks": availability.WINDOW_DAYS // 7,
    }


def _outcome_message(request: HttpRequest, outcome: availability.Outcome) -> None:
    messages.success(request, _("저장했습니다. 앞으로 %(weeks)d주의 상담 가능 시간을 다시 만들었습니다.") % {"weeks": availability.WINDOW_DAYS // 7})
    if outcome.booked_outside:
        messages.warning(
            request,
            _("바뀐 시간에 이미 예약된 상담 %(n)d건은 그대로 남아 있습니다. 취소하려면 사례 화면에서 사유와 함께 취소하세요.")
            % {"n": outcome.booked_outside},
        )


@staff_with(Perm.AVAILABILITY)
def hours(request: HttpRequest) -> HttpResponseBase:
    centres = _centres(request.user, Perm.AVAILABILITY)
    if request.method != "POST":
        return render(request, "counselling/workspace/hours.html", _hours_context(request, centres))
    user: Any = request.user
    action = request.POST.get("action", "")
    forms: dict[str, Any] = {}
    try:
        if action == "add_hours":
            form: Any = WeeklyHoursForm(request.POST, centres=centres, prefix="h")
            forms["hours_form"] = form
            if form.is_valid():
                d = form.cleaned_data
                availability.add_weekly_hours(
                    user, d["centre"], weekday=d["weekday"], starts=d["starts"], ends=d["ends"], slot_minutes=d["slot_minutes"], modes=d["modes"]
                )
                _outcome_message(request, availability.Outcome())
                return redirect("counselling:hours")
        elif action == "remove_hours":
            _outcome_message(request, availability.remove_weekly_hours(user, _int(request.POST.get("row"))))
            return redirect("counselling:hours")
        elif action == "add_exception":
            form = ExceptionForm(request.POST, prefix="x")
            forms["exception_form"] = form
            if form.is_valid():
                d = form.cleaned_data
                outcome = availability.add_exception(user, date=d["date"], starts=d["starts"], ends=d["ends"], reason=d["reason"])
                _outcome_message(request, outcome)
                return redirect("counselling:hours")
        elif action == "remove_exception":
            _outcome_message(request, availability.remove_exception(user, _int(request.POST.get("row"))))
            return redirect("counselling:hours")
        else:
            raise Http404
    except availability.HoursRefused as exc:
        forms["errors"] = [str(exc)]
    return render(request, "counselling/workspace/hours.html", _hours_context(request, centres, **forms))


# --- the citizen's one tap on an offered time ----------------------------------------------


@citizen
def rebook(request: HttpRequest, booking_id: int, slot_id: int) -> HttpResponseBase:
    """GET shows the offered time with one button (a link in an e-mail must not change
    anything by itself: mail scanners follow links); POST books it."""
    old = Booking.objects.select_related("slot__centre").filter(pk=booking_id, citizen_id=request.user.pk).first()
    slot = Slot.objects.select_related("centre").filter(pk=slot_id).first()
    if old is None or slot is None or slot.centre_id != old.slot.centre_id:
        raise Http404
    errors: list[str] = []
    if request.method == "POST":
        try:
            new = casework.accept_offer(request.user, old.pk, slot.pk)  # type: ignore[arg-type]
        except (casework.CaseworkRefused, ValueError) as exc:
            errors.append(str(exc))
        else:
            messages.success(request, _("새 시간으로 예약했습니다."))
            return redirect("counselling:rebook_done", booking_id=new.pk)
    return render(request, "counselling/rebook.html", {"old": old, "slot": slot, "errors": errors}, status=409 if errors else 200)


@citizen
@require_http_methods(["GET", "HEAD"])
def rebook_done(request: HttpRequest, booking_id: int) -> HttpResponse:
    booking = Booking.objects.select_related("slot__centre").filter(pk=booking_id, citizen_id=request.user.pk).first()
    if booking is None:
        raise Http404
    return render(request, "counselling/rebook_done.html", {"booking": booking})
