"""The centre lead's reads: the centre's cases and the month's access log. Each function
narrows to the centres in the person's scope (outside it: the same 404 as missing) and
writes the access log for what it hands to the page, inside the read itself.

The reading and flagging of the access log is `counselling.access_review`; this module
only decides what a lead may see and logs that they saw it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone

from accounts.models import StaffRole
from core.audit import record_access, record_reads
from core.models import AccessLog
from core.roles import ALL, Perm, centre_scope, filter_by_scope
from counselling import access_review
from counselling.leadwork import CASE_ROLES, NO_CONTACT_AFTER
from counselling.models import Case, CaseStatus
from programmes.models import Centre

CASES_PER_PAGE = 50


def centres_in_scope(user: Any, perm: Perm) -> list[Centre]:
    scope = centre_scope(user, perm)
    centres = Centre.objects.order_by("region", "name")
    return list(centres if scope is ALL else centres.filter(pk__in=scope or ()))


def pick_centre(centres: list[Centre], raw: str | None) -> Centre | None:
    """The centre asked for (404 when it is not one of `centres`), else the first."""
    if raw in (None, ""):
        return centres[0] if centres else None
    for centre in centres:
        if str(centre.pk) == raw:
            return centre
    raise Http404


@dataclass(frozen=True)
class CaseFilter:
    centre: Centre | None = None  # None: every centre in scope
    status: str = CaseStatus.OPEN  # "" for every status
    counsellor: str = ""  # a user id, "none" for unassigned, "" for anyone
    stale_only: bool = False  # only the 6-week no-contact flag


def _cases(user: Any, wanted: CaseFilter) -> QuerySet[Case]:
    qs = filter_by_scope(Case.objects.all(), user, Perm.CASES_CENTRE).annotate(
        last_touch=Coalesce("last_contact_at", "opened_at")
    )
    if wanted.centre is not None:
        qs = qs.filter(centre=wanted.centre)
    if wanted.status:
        qs = qs.filter(status=wanted.status)
    if wanted.counsellor == "none":
        qs = qs.filter(counsellor__isnull=True)
    elif wanted.counsellor.isdigit():
        qs = qs.filter(Q(counsellor_id=int(wanted.counsellor)) | Q(shared_with__id=int(wanted.counsellor))).distinct()
    if wanted.stale_only:
        qs = qs.filter(status=CaseStatus.OPEN, last_touch__lt=timezone.now() - NO_CONTACT_AFTER)
    # Open before closed, then the longest without contact first: what needs a lead's eye.
    return qs.order_by("-status", "last_touch", "pk")  # "open" > "closed"


def access_centre_cases(request: HttpRequest, wanted: CaseFilter, page_number: Any) -> Page[Case]:
    """One page of the centre's cases, with each case's person, counsellor and shares.
    Logs one `view` row per case shown (its person is the subject), in one insert."""
    qs = _cases(request.user, wanted).select_related("citizen", "counsellor", "centre").prefetch_related("shared_with")
    page = Paginator(qs, CASES_PER_PAGE).get_page(page_number)
    record_reads(request, actor=request.user, reads=[(case.citizen_id, case) for case in page.object_list])
    return page


@dataclass
class CounsellorLoad:
    user_id: int
    email: str
    centre: Centre
    role: str
    open_cases: int
    shared_cases: int


def caseloads(user: Any, centres: list[Centre]) -> list[CounsellorLoad]:
    """The counsellors (and leads) of the centres with their open cases, assigned and
    shared: three queries whatever the numbers. Staff data, not a citizen's: not logged."""
    ids = [c.pk for c in centres]
    by_id = {c.pk: c for c in centres}
    roles = (
        StaffRole.objects.filter(centre_id__in=ids, role__in=CASE_ROLES, user__is_active=True)
        .select_related("user")
        .order_by("centre_id", "user__username", "role")
    )
    open_cases = Case.objects.filter(centre_id__in=ids, status=CaseStatus.OPEN)
    assigned = {
        (row["counsellor_id"], row["centre_id"]): row["n"]
        for row in open_cases.filter(counsellor__isnull=False).values("counsellor_id", "centre_id").annotate(n=Count("pk"))
    }
    shared = {
        (row["shared_with"], row["centre_id"]): row["n"]
        for row in open_cases.filter(shared_with__isnull=False).values("shared_with", "centre_id").annotate(n=Count("pk"))
    }
    loads: dict[tuple[int, int], CounsellorLoad] = {}
    for role in roles:
        key = (role.user_id, role.centre_id or 0)
        if key in loads:  # both counsellor and lead at the centre: one line, the lead role shown
            loads[key].role = role.get_role_display() if role.role == "lead" else loads[key].role
            continue
        loads[key] = CounsellorLoad(
            user_id=role.user_id,
            email=role.user.email or role.user.username,
            centre=by_id[role.centre_id or 0],
            role=str(role.get_role_display()),
            open_cases=assigned.get(key, 0),
            shared_cases=shared.get(key, 0),
        )
    return list(loads.values())


def access_review_log(request: HttpRequest, centre: Centre, month: dt.date, *, action: str = AccessLog.Action.VIEW) -> access_review.Review:
    """The month's access-log rows of the centre's staff, with flags (the caller has
    checked the centre is in scope). Reading the log is itself logged, once per page view
    or download (subject "list", object "<centre> <YYYY-MM>"): the page shows staff
    accounts and people's numeric ids, no personal content, so one row saying who looked
    at which month answers "who checked the checkers" without multiplying rows."""
    review = access_review.review(centre.pk, month)
    record_access(
        request,
        actor=request.user,
        subject_id="list",
        action=action,
        object_type=AccessLog._meta.label_lower,
        object_id=f"{centre.slug} {month:%Y-%m}",
    )
    return review
