"""A centre lead's actions on the centre's cases: assign a counsellor, share a case with
another counsellor of the centre (and take the share back), close and reopen; and the
monthly access review's "점검 완료" record.

Each action takes the acting person (`actor`), checks that the case's centre is in their
`Perm.CASES_CENTRE` scope (outside it: `Http404`, the same answer as a missing case), locks
the case row, changes it and writes the access log inside its own transaction
(`core.audit.record_changes`: one `change` row against the case's person). A refused action
raises `LeadworkRefused` with a message a person can read and leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StaffRole
from core.audit import record_changes
from core.roles import Perm, Role, in_scope
from core.vocabulary import SEOUL
from counselling.models import AccessReview, Case, CaseStatus
from counselling.services import CASE_FLOW
from programmes.models import Centre

# Roles whose holders may carry cases at a centre (a lead counsels too).
CASE_ROLES = (Role.COUNSELLOR, Role.LEAD)

# The caseload flag: an open case nobody has been in touch about for this long.
NO_CONTACT_AFTER = dt.timedelta(weeks=6)


class LeadworkRefused(ValueError):
    """An action the rules do not allow; `message` is shown to the person as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_counsellor_of(user_id: int, centre_id: int) -> bool:
    return StaffRole.objects.filter(
        user_id=user_id, user__is_active=True, centre_id=centre_id, role__in=CASE_ROLES
    ).exists()


def _locked_case(case_id: int, actor: Any) -> Case:
    """The case, locked for the rest of the transaction; 404 when missing or outside the
    actor's centres (checked again here, not only in the view: actions are called from
    the shell and other apps too)."""
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or not in_scope(actor, Perm.CASES_CENTRE, case.centre_id):
        raise Http404
    return case


def _counsellor(case: Case, counsellor_id: int) -> User:
    if not is_counsellor_of(counsellor_id, case.centre_id):
        raise LeadworkRefused(_("이 센터의 상담사만 고를 수 있습니다."))
    return User.objects.get(pk=counsellor_id)


def _log(actor: Any, case: Case) -> None:
    record_changes(actor, [case], subject=lambda c: c.citizen_id)


@transaction.atomic
def assign_case(case_id: int, counsellor_id: int | None, *, actor: Any) -> Case:
    """Make `counsellor_id` the case's counsellor (None: nobody). The new counsellor no
    longer needs the case shared with them, so that share is dropped."""
    case = _locked_case(case_id, actor)
    if case.status != CaseStatus.OPEN:
        raise LeadworkRefused(_("종결된 사례는 담당 상담사를 바꿀 수 없습니다. 먼저 사례를 다시 여세요."))
    if counsellor_id is None:
        if case.counsellor_id is None:
            return case
        case.counsellor = None
    else:
        if case.counsellor_id == counsellor_id:
            return case
        case.counsellor = _counsellor(case, counsellor_id)
        case.shared_with.remove(counsellor_id)
    case.save(update_fields=["counsellor"])
    _log(actor, case)
    return case


@transaction.atomic
def share_case(case_id: int, counsellor_id: int, *, actor: Any) -> Case:
    """Let another counsellor of the centre work on the case with its counsellor."""
    case = _locked_case(case_id, actor)
    counsellor = _counsellor(case, counsellor_id)
    if case.counsellor_id == counsellor.pk:
        raise LeadworkRefused(_("담당 상담사에게는 따로 공유하지 않아도 됩니다."))
    if case.shared_with.filter(pk=counsellor.pk).exists():
        return case
    case.shared_with.add(counsellor)
    _log(actor, case)
    return case


@transaction.atomic
def unshare_case(case_id: int, counsellor_id: int, *, actor: Any) -> Case:
    """Take the share back. Works for someone who has since left the centre, too."""
    case = _locked_case(case_id, actor)
    if not case.shared_with.filter(pk=counsellor_id).exists():
        return case
    case.shared_with.remove(counsellor_id)
    _log(actor, case)
    return case


@transaction.atomic
def close_case(case_id: int, *, actor: Any) -> Case:
    case = _locked_case(case_id, actor)
    CASE_FLOW.move(case, CaseStatus.CLOSED, closed_at=timezone.now())
    _log(actor, case)
    return case


@transaction.atomic
def reopen_case(case_id: int, *, actor: Any) -> Case:
    case = _locked_case(case_id, actor)
    CASE_FLOW.move(case, CaseStatus.OPEN, closed_at=None)
    _log(actor, case)
    return case


def no_contact_since(case: Case, now: dt.datetime | None = None) -> bool:
    """An open case with no contact (or, never contacted, opened) more than six weeks ago."""
    if case.status != CaseStatus.OPEN:
        return False
    last = case.last_contact_at or case.opened_at
    return last < (now or timezone.now()) - NO_CONTACT_AFTER


# --- the monthly access review -------------------------------------------------------------


def month_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first and next month's first instant, Seoul time."""
    start = dt.datetime(month.year, month.month, 1, tzinfo=SEOUL)
    following = dt.datetime(month.year + (month.month == 12), month.month % 12 + 1, 1, tzinfo=SEOUL)
    return start, following


def last_full_month(now: dt.datetime | None = None) -> dt.date:
    today = (now or timezone.now()).astimezone(SEOUL).date()
    last_of_previous = today.replace(day=1) - dt.timedelta(days=1)
    return last_of_previous.replace(day=1)


@transaction.atomic
def complete_review(centre_id: int, month: dt.date, *, actor: Any, note: str = "") -> AccessReview:
    """Record that `actor` checked the centre's access log for `month` (점검 완료). Only a
    month that has ended can be recorded as checked: rows may still come in during it."""
    if not in_scope(actor, Perm.ACCESS_REVIEW, centre_id):
        raise Http404
    centre = Centre.objects.get(pk=centre_id)
    month = month.replace(day=1)
    if month_bounds(month)[1] > timezone.now():
        raise LeadworkRefused(_("아직 끝나지 않은 달은 점검 완료로 기록할 수 없습니다."))
    note = note.strip()
    if len(note) > 2000:
        raise LeadworkRefused(_("점검 의견은 2,000자까지 쓸 수 있습니다."))
    return AccessReview.objects.create(
        centre=centre, month=month, reviewed_by=actor, reviewer_label=actor.get_username(), note=note
    )
