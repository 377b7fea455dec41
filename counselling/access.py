"""Doors to counselling data: the same 404 for "missing" and "not yours", and the access
log for every read of a citizen's case by a counsellor or lead (a person's own bookings
are theirs: no row).

Who may open a case:
* a counsellor (Perm.CASES_ASSIGNED) — cases of the centres in their scope that are
  assigned to them or shared with them;
* a centre lead (Perm.CASES_CENTRE) — every case of their centre(s);
* nobody else (404).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from core.aggregates import JSONRows
from core.audit import record_access, record_reads
from core.models import AccessLog
from core.roles import Perm, filter_by_scope, in_scope
from core.vocabulary import SEOUL
from counselling.models import (
    AgreedStep,
    Booking,
    BookingStatus,
    Case,
    CaseStatus,
    Mode,
    ShareConsent,
    Topic,
)

if TYPE_CHECKING:
    from outcomes.models import Outcome


def may_open(user: Any, case: Case) -> bool:
    """Whether `user` may work on `case` (see the module docstring)."""
    if in_scope(user, Perm.CASES_CENTRE, case.centre_id):
        return True
    if not in_scope(user, Perm.CASES_ASSIGNED, case.centre_id):
        return False
    return case.counsellor_id == user.pk or case.shared_with.filter(pk=user.pk).exists()


def access_case(request: HttpRequest, case_id: int, *, perm: Perm = Perm.CASES_ASSIGNED, log: bool = True) -> Case:
    """The case, if the requesting staff member may open it (`perm` is the permission the
    page asks for; a lead's centre-wide scope always counts), else 404. Logs the read
    (VIEW) unless `log` is off — a POST's action logs its change itself, and the case page
    logs it with the shared items it reads (`counselling.shared.shared_view`). The case
    comes with what the person shares now (`shared_now`, read by `counselling.shared`),
    whether it has referrals (`has_referrals`: the case page reads them only when there is
    something to list) and the outcomes recorded in it (`outcome_rows`, read by
    `recorded_outcomes`), in the same query."""
    from outcomes.models import Outcome
    from referrals.models import Referral

    latest_consent = ShareConsent.objects.filter(case=OuterRef("pk")).order_by("-given_at", "-pk").values("items")[:1]
    # A case holds a handful of outcomes: read with the case, they keep the case page
    # within its query budget (tests/test_query_budget.py).
    outcome_rows = (
        Outcome.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(rows=JSONRows(JSONObject(pk="pk", kind="kind", contract="contract", on_date="on_date", note="note")))
        .values("rows")
    )
    case = (
        Case.objects.select_related("citizen", "centre", "counsellor")
        .annotate(
            shared_now=Subquery(latest_consent, output_field=JSONField()),
            has_referrals=Exists(Referral.objects.filter(case=OuterRef("pk"))),
            outcome_rows=Subquery(outcome_rows, output_field=JSONField()),
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    user = request.user
    # A page that asks for more than "my cases" (e.g. a lead's reassignment) also needs
    # that permission at the case's centre.
    if not may_open(user, case) or (perm != Perm.CASES_ASSIGNED and not in_scope(user, perm, case.centre_id)):
        raise Http404
    if log:
        record_access(request, actor=user, subject_id=case.citizen_id, action=AccessLog.Action.VIEW, obj=case)
    return case


def recorded_outcomes(case: Case) -> list[Outcome]:
    """The outcomes recorded in this case, newest first, as read with it by `access_case`
    (unsaved instances: for showing only). Part of the case's read (logged with it)."""
    from outcomes.models import Outcome

    if not hasattr(case, "outcome_rows"):  # a case not read by access_case
        return list(case.outcomes.order_by("-on_date", "-pk"))
    outcomes = [
        Outcome(pk=row["pk"], case=case, citizen_id=case.citizen_id, kind=row["kind"], contract=row["contract"],
                on_date=dt.date.fromisoformat(row["on_date"]), note=row["note"])
        for row in case.outcome_rows or []
    ]
    outcomes.sort(key=lambda o: (o.on_date, o.pk), reverse=True)
    return outcomes


# --- the workspace: today's appointments and the caseload ------------------------------

NO_CONTACT_AFTER = dt.timedelta(weeks=6)
# The workspace lists appointments from today through the next week, so a counsellor can
# prepare (and see a cancellation) before the day.
UPCOMING_DAYS = 8


@dataclass(frozen=True)
class Workspace:
    upcoming: list[Booking]
    caseload: list[Case]


def person_label(user: Any) -> str:
    """What staff pages show of a person: accounts hold an e-mail address (and a name only
    if an administrator set one)."""
    name = user.get_full_name()
    email = user.email or user.get_username()
    return f"{name} ({email})" if name else email


def case_url_maker() -> Callable[[int], str]:
    """`reverse("counselling:case", args=[pk])` for many cases at the cost of one reverse
    (the route is `<int:case_id>`: only the number changes)."""
    mark = 2147483647
    prefix, _mark, suffix = reverse("counselling:case", args=[mark]).rpartition(str(mark))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


def access_workspace(request: HttpRequest) -> Workspace:
    """The requesting counsellor's appointments from today through the next week, and their open caseload (assigned or
    shared, in the centres in scope), in a fixed number of queries; one access-log row per
    case listed, written in one INSERT."""
    user = request.user
    now = timezone.now()
    day = now.astimezone(SEOUL).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=SEOUL)
    today = list(
        filter_by_scope(
            Booking.objects.filter(slot__counsellor_id=user.pk, slot__starts_at__gte=start, slot__starts_at__lt=start + dt.timedelta(days=UPCOMING_DAYS)),
            user, Perm.CASES_ASSIGNED, field="slot__centre",
        )
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot__centre", "citizen", "case")
        .order_by("slot__starts_at", "pk")
    )
    open_steps = AgreedStep.objects.filter(case=OuterRef("pk"), done_at__isnull=True).order_by(F("due_on").asc(nulls_last=True), "pk")
    mine = Case.objects.filter(Q(counsellor_id=user.pk) | Q(pk__in=Case.shared_with.through.objects.filter(user_id=user.pk or 0).values("case_id")))
    caseload = list(
        filter_by_scope(mine, user, Perm.CASES_ASSIGNED)
        .filter(status=CaseStatus.OPEN)
        .select_related("citizen", "centre")
        .annotate(
            next_step_title=Subquery(open_steps.values("title")[:1]),
            next_step_due=Subquery(open_steps.values("due_on")[:1]),
            contact=Coalesce("last_contact_at", "opened_at"),
        )
        .order_by("contact", "pk")
    )
    # What each row shows, worked out here once per page rather than by the template per
    # row (a `{% url %}` and three get_*_display per row were most of the page's cost at
    # 40 appointments: docs/performance.md, "counsellor workspace").
    url_of = case_url_maker()
    labels: dict[str, dict[str, Any]] = {"mode": dict(Mode.choices), "topic": dict(Topic.choices), "status": dict(BookingStatus.choices)}
    for case in caseload:
        case.no_contact = case.contact < now - NO_CONTACT_AFTER
        case.person = person_label(case.citizen)
        case.url = url_of(case.pk)
    for booking in today:
        booking.person = person_label(booking.citizen)
        booking.case_url = url_of(booking.case_id)
        booking.mode_label, booking.topic_label, booking.status_label = (
            labels[name].get(getattr(booking, name), getattr(booking, name)) for name in ("mode", "topic", "status")
        )
    seen = {case.pk: case for case in caseload}
    seen.update({b.case.pk: b.case for b in today})
    record_reads(request, actor=user, reads=[(case.citizen_id, case) for case in seen.values()])
    return Workspace(upcoming=today, caseload=caseload)


# --- the person's own bookings ------------------------------------------------------


def access_own_booking(request: HttpRequest, booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_related("slot__centre", "case")
        .filter(pk=booking_id, citizen_id=request.user.pk or 0)
        .first()
    )
    if booking is None:
        raise Http404
    return booking
