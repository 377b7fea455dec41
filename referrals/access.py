"""Doors to referrals. The same 404 for "missing" and "not yours"; every read by a partner
(account, signed link or API key) writes the access log; a person reading their own
referrals is not logged.

* partner staff (Perm.REFERRALS_PARTNER): the referrals sent to the organisation named on
  their StaffRole row;
* a signed link: the one referral it names, while the link is valid (expired → 410);
* an API key: the referrals sent to the key's partner;
* counsellors see a case's referrals on the case page (the case read is logged there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest

from accounts.models import StaffRole
from core.audit import record_access, record_reads
from core.models import AccessLog
from core.roles import Role
from counselling.models import Case, ShareItem
from counselling.shared import DiagnosisSummary, _summary
from diagnosis.models import Result
from journeys.models import Plan, PlanStep
from programmes.models import Enrolment
from referrals import links
from referrals.models import CONTACT_EMAIL, REFERRAL_ITEMS, Partner, Referral, ReferralEvent
from referrals.services import PartnerActor


def partner_ids_of(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(StaffRole.objects.filter(user_id=user.pk, role=Role.PARTNER, partner__is_active=True).values_list("partner_id", flat=True))


def _base() -> Any:
    return Referral.objects.select_related("service", "partner", "citizen")


def access_partner_list(request: HttpRequest) -> list[Referral]:
    """The referrals sent to the partner staff member's organisation(s), newest first; one
    log row per referral listed (the list shows the service and status, and the person's
    e-mail only where it was shared)."""
    rows = list(_base().filter(partner_id__in=partner_ids_of(request.user)).order_by("-created_at", "-pk")[:200])
    record_reads(request, actor=request.user, reads=[(r.citizen_id, r) for r in rows])
    return rows


def access_partner_referral(request: HttpRequest, referral_id: int, *, log: bool = True) -> tuple[Referral, PartnerActor]:
    referral = _base().filter(pk=referral_id, partner_id__in=partner_ids_of(request.user)).first()
    if referral is None:
        raise Http404
    if log:
        record_access(request, actor=request.user, subject_id=referral.citizen_id, action=AccessLog.Action.VIEW, obj=referral)
    from referrals.models import ReferralEvent

    return referral, PartnerActor(referral.partner, ReferralEvent.Source.PARTNER_ACCOUNT, user=request.user)  # type: ignore[arg-type]


def access_link_referral(request: HttpRequest, token: str, *, log: bool = True) -> tuple[Referral, PartnerActor]:
    """The referral the signed link names. Raises links.LinkExpired (the view answers 410)
    or Http404 (forged, mangled, or voided by a newer link)."""
    from referrals.models import ReferralEvent

    try:
        data = links.read_token(token)
    except links.LinkInvalid as exc:
        raise Http404 from exc
    referral = _base().filter(pk=data.referral_id, link_version=data.version, partner__is_active=True).first()
    if referral is None:
        raise Http404
    by = PartnerActor(referral.partner, ReferralEvent.Source.SIGNED_LINK)
    if log:
        record_access(request, actor=None, actor_label=by.label, subject_id=referral.citizen_id, action=AccessLog.Action.VIEW, obj=referral)
    return referral, by


def access_api_referral(request: HttpRequest, partner: Partner, referral_id: int, *, log: bool = True) -> Referral:
    referral = _base().filter(pk=referral_id, partner=partner).first()
    if referral is None:
        raise Http404
    if log:
        record_access(request, actor=None, actor_label=f"partner-api:{partner.slug}", subject_id=referral.citizen_id, action=AccessLog.Action.VIEW, obj=referral)
    return referral


def case_referrals(case: Case) -> list[Referral]:
    """For the case page (already logged as a read of the case): each referral with its
    events as `history`, in one query — every referral has at least its "received" event,
    so reading the events with their referral finds them all."""
    events = (
        ReferralEvent.objects.filter(referral__case=case)
        .select_related("referral__service", "referral__partner")
        .order_by("-referral__created_at", "-referral__pk", "at", "pk")
    )
    referrals: dict[int, Referral] = {}
    for event in events:
        referral = referrals.setdefault(event.referral_id, event.referral)
        referral.__dict__.setdefault("history", []).append(event)
    return list(referrals.values())


def own_referrals(user: Any) -> list[Referral]:
    """The person's own referrals with their events (not logged: their own data)."""
    return list(
        Referral.objects.filter(citizen_id=user.pk or 0)
        .select_related("service", "partner")
        # What the person's page and the API show: not the service's JSON lists and texts,
        # compiled and decoded per row for nothing (a deferred one read later is one query
        # more: tests/test_query_budget.py counts it).
        .only(*OWN_FIELDS)
        .prefetch_related("events")
        .order_by("-created_at", "-pk")
    )


OWN_FIELDS = (
    "citizen", "status", "status_changed_at", "decline_reason", "shared_items", "created_at",
    "service__slug", "service__name_ko", "partner__name", "partner__is_demo",
)


# --- what the partner sees ----------------------------------------------------------------


@dataclass
class PartnerView:
    shared: list[tuple[str, str]] = field(default_factory=list)
    not_shared: list[tuple[str, str]] = field(default_factory=list)
    email: str = ""
    latest_diagnosis: DiagnosisSummary | None = None
    earlier_diagnoses: list[DiagnosisSummary] = field(default_factory=list)
    plan: Plan | None = None
    plan_steps: list[PlanStep] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)


def partner_view(referral: Referral) -> PartnerView:
    """Only the items the person agreed to share for this referral (read logged by the
    access function that handed out the referral)."""
    items = set(referral.shared_items)
    view = PartnerView(
        shared=[(code, str(label)) for code, label in REFERRAL_ITEMS if code in items],
        not_shared=[(code, str(label)) for code, label in REFERRAL_ITEMS if code not in items],
    )
    citizen_id = referral.citizen_id
    if CONTACT_EMAIL in items:
        view.email = referral.citizen.email
    results = Result.objects.filter(owner_id=citizen_id).order_by("-created_at", "-pk")
    if ShareItem.LATEST_DIAGNOSIS in items:
        latest = results.first()
        view.latest_diagnosis = _summary(latest) if latest else None
    if ShareItem.EARLIER_DIAGNOSES in items:
        view.earlier_diagnoses = [_summary(r) for r in results[1:21]]
    if ShareItem.PLAN in items:
        view.plan = Plan.objects.filter(owner_id=citizen_id).order_by("-created_at", "-pk").first()
        view.plan_steps = list(view.plan.steps.order_by("position")) if view.plan else []
    if ShareItem.ENROLMENTS in items:
        view.enrolments = list(
            Enrolment.objects.filter(user_id=citizen_id).select_related("session__programme").order_by("-session__starts_at", "-pk")[:50]
        )
    return view
