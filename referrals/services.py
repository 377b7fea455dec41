"""Actions on referrals. Each takes who acts, changes rows inside one transaction and logs
the change there (core.audit); status changes only through REFERRAL_FLOW.

Who may act:
* `refer` — a counsellor who may open the case (counselling.access.may_open), with the
  person's consent given in front of them; or the person themselves (self-referral) when
  the partner accepts self-referrals;
* `change_status` — the partner: its staff account, its signed link, or its API key (the
  caller is described by a `PartnerActor`; the views and the API find it, never the action).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Service
from core.audit import record_access
from core.models import AccessLog
from core.states import Transitions
from counselling.access import may_open
from counselling.models import Case
from journeys.models import PlanStep
from notifications.models import Notification
from notifications.services import enqueue, notify_person
from referrals import links, webhooks
from referrals.models import (
    OPEN_STATUSES,
    REFERRAL_ITEM_CODES,
    Partner,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

S = ReferralStatus

# to-state → the states it may be reached from. A referral is created "received".
REFERRAL_FLOW = Transitions(
    Referral,
    {
        S.CONTACTED: {S.RECEIVED},
        S.IN_PROGRESS: {S.RECEIVED, S.CONTACTED},
        S.COMPLETED: {S.IN_PROGRESS},
        S.DECLINED: {S.RECEIVED, S.CONTACTED, S.IN_PROGRESS},
        S.NO_SHOW: {S.RECEIVED, S.CONTACTED, S.IN_PROGRESS},
    },
    stamp="status_changed_at",
)

NOTE_MAX = 1000
REASON_MAX = 500


class ReferralRefused(ValueError):
    """A refused action: `code` is invalid (400), forbidden (403), not_found (404) or
    conflict (409); the message is Korean and shown as is."""

    def __init__(self, message: str, *, code: str = "invalid", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


@dataclass(frozen=True)
class PartnerActor:
    """Who at the partner acts: a staff account (user), or the link / the API (no user,
    a label for the log and the event)."""

    partner: Partner
    source: str  # ReferralEvent.Source
    user: User | None = None

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_username()
        prefix = "partner-link" if self.source == ReferralEvent.Source.SIGNED_LINK else "partner-api"
        return f"{prefix}:{self.partner.slug}"


def clean_items(items: Iterable[str]) -> list[str]:
    chosen = [str(i) for i in items]
    unknown = [i for i in chosen if i not in REFERRAL_ITEM_CODES]
    if unknown:
        raise ReferralRefused(_("공유 항목을 다시 골라 주세요."), field="items")
    # Keep the catalogue order, once each.
    return [code for code in sorted(REFERRAL_ITEM_CODES) if code in chosen]


def partners_for(service: Service, *, self_referral: bool = False) -> list[Partner]:
    qs = Partner.objects.filter(services=service, is_active=True)
    if self_referral:
        qs = qs.filter(accepts_self_referral=True)
    return list(qs.order_by("name", "pk"))


def _taking_self_referrals() -> Any:
    return Partner.objects.filter(is_active=True, accepts_self_referral=True)


def self_referral_allowed(service: Service) -> bool:
    return _taking_self_referrals().filter(services=service).exists()


def takes_self_referral(service_field: str = "service_id") -> Exists:
    """Annotation: some active partner takes self-referrals for the row's service (the
    person's page marks the plan steps one may refer oneself from, in the steps' query)."""
    return Exists(_taking_self_referrals().filter(services=OuterRef(service_field)))


def _check_target(service: Service, partner: Partner) -> None:
    if not partner.is_active or not partner.services.filter(pk=service.pk).exists():
        raise ReferralRefused(_("이 기관은 고른 연계 서비스를 제공하지 않습니다."), field="partner")


def _open_duplicate(citizen_id: int, service: Service, partner: Partner) -> bool:
    return Referral.objects.filter(citizen_id=citizen_id, service=service, partner=partner, status__in=OPEN_STATUSES).exists()


@transaction.atomic
def refer(
    actor: User,
    *,
    case: Case,
    service: Service,
    partner: Partner,
    items: Iterable[str],
    consent_given: bool,
    note: str = "",
) -> Referral:
    """A counsellor refers the person of `case`; `items` are what the person agreed, in
    front of the counsellor, to share with the partner (`consent_given` is that tick)."""
    if not may_open(actor, case):
        raise ReferralRefused(_("이 상담 사례를 찾을 수 없습니다."), code="not_found")
    if not consent_given:
        raise ReferralRefused(_("본인의 동의를 받은 뒤에 표시해 주세요."), field="consent")
    return _create(
        actor, citizen_id=case.citizen_id, case=case, service=service, partner=partner, items=items, note=note,
        origin=Referral.Origin.COUNSELLOR, source=ReferralEvent.Source.COUNSELLOR,
    )


@transaction.atomic
def self_refer(actor: User, *, service: Service, partner: Partner, items: Iterable[str], note: str = "", plan_step: PlanStep | None = None) -> Referral:
    """The person refers themselves, choosing item by item what the partner may see."""
    if not partner.accepts_self_referral:
        raise ReferralRefused(_("이 기관은 본인 직접 신청을 받지 않습니다. 상담사와 상의해 주세요."), field="partner", code="forbidden")
    if plan_step is not None and (plan_step.plan.owner_id != actor.pk or plan_step.service_id != service.pk):
        raise ReferralRefused(_("계획의 할 일을 찾을 수 없습니다."), code="not_found")
    return _create(
        actor, citizen_id=actor.pk, case=None, service=service, partner=partner, items=items, note=note, plan_step=plan_step,
        origin=Referral.Origin.SELF, source=ReferralEvent.Source.CITIZEN,
    )


def _create(
    actor: User, *, citizen_id: int, case: Case | None, service: Service, partner: Partner, items: Iterable[str], note: str,
    origin: str, source: str, plan_step: PlanStep | None = None,
) -> Referral:
    _check_target(service, partner)
    shared = clean_items(items)
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ReferralRefused(_("기관에 전하는 말은 %(n)d자까지 쓸 수 있습니다.") % {"n": NOTE_MAX}, field="note")
    if _open_duplicate(citizen_id, service, partner):
        raise ReferralRefused(_("같은 기관에 진행 중인 연계 의뢰가 이미 있습니다."), code="conflict", field="partner")
    now = timezone.now()
    referral = Referral.objects.create(
        citizen_id=citizen_id, service=service, partner=partner, case=case, plan_step=plan_step, origin=origin,
        referred_by=actor, shared_items=shared, consented_at=now, note=note, status_changed_at=now, created_at=now,
    )
    event = ReferralEvent.objects.create(referral=referral, to_status=S.RECEIVED, at=now, actor=actor, actor_label=actor.get_username(), source=source)
    record_access(actor=actor, subject_id=citizen_id, action=AccessLog.Action.CREATE, obj=referral)
    _tell_partner(referral)
    webhooks.enqueue_for(referral, event)
    return referral


def link_url(referral: Referral) -> str:
    from programmes.messages import url

    return url("referrals:link", links.make_token(referral.pk, referral.link_version))


def _tell_partner(referral: Referral) -> None:
    """E-mail the partner's contact address: the signed link when it has no staff account,
    else a pointer to its referral list. No personal data in the mail itself."""
    partner = referral.partner
    if not partner.email:
        return
    from programmes.messages import url

    has_accounts = partner.staff_roles.exists()
    where = url("referrals:partner_list") if has_accounts else link_url(referral)
    body = _(
        "%(partner)s 담당자님께\n\n중장년 생애경력설계서비스에서 '%(service)s' 연계 의뢰가 한 건 도착했습니다.\n"
        "아래 주소에서 본인이 공유하기로 한 정보만 확인하고 진행 상황을 바꿀 수 있습니다.\n\n%(url)s\n\n"
        "이 링크는 30일 동안 쓸 수 있고, 여실 때마다 접속 기록이 남습니다."
    ) % {"partner": partner.name, "service": referral.service.name_ko, "url": where}
    enqueue(
        kind=Notification.Kind.REFERRAL_NEW, dedupe_key=f"referral_new:{referral.pk}:v{referral.link_version}",
        address=partner.email, subject=_("[생애경력설계] 연계 의뢰가 도착했습니다"), body=body,
    )


@transaction.atomic
def change_status(by: PartnerActor, referral_id: int, to: str, *, reason: str = "", expected: str | None = None) -> Referral:
    """The partner moves its referral. `expected` is the status the form was showing: a
    form sent again after the status moved on (a replayed link, a second tab) is refused
    rather than applied on top."""
    referral = Referral.objects.select_for_update().select_related("partner", "service", "citizen").filter(pk=referral_id, partner=by.partner).first()
    if referral is None:
        raise ReferralRefused(_("연계 의뢰를 찾을 수 없습니다."), code="not_found")
    if to not in S.values or to == S.RECEIVED:
        raise ReferralRefused(_("바꿀 상태를 다시 골라 주세요."), field="status")
    if expected is not None and expected != referral.status:
        raise ReferralRefused(_("그사이 상태가 '%(now)s'(으)로 바뀌었습니다. 화면을 새로 고쳐 확인해 주세요.") % {"now": referral.get_status_display()}, code="conflict")
    reason = reason.strip()
    if to == S.DECLINED and not reason:
        raise ReferralRefused(_("거절 사유를 입력하세요."), field="reason")
    if len(reason) > REASON_MAX:
        raise ReferralRefused(_("사유는 %(n)d자까지 쓸 수 있습니다.") % {"n": REASON_MAX}, field="reason")
    if not REFERRAL_FLOW.allows(referral.status, to):
        raise ReferralRefused(
            _("'%(now)s' 상태에서는 '%(to)s'(으)로 바꿀 수 없습니다.") % {"now": referral.get_status_display(), "to": S(to).label},
            code="conflict", field="status",
        )
    extra: dict[str, Any] = {"decline_reason": reason} if to == S.DECLINED else {}
    REFERRAL_FLOW.move(referral, to, **extra)
    event = ReferralEvent.objects.create(
        referral=referral, to_status=to, at=referral.status_changed_at, actor=by.user, actor_label=by.label, source=by.source,
        reason=reason if to in (S.DECLINED, S.NO_SHOW) else "",
    )
    record_access(actor=by.user, actor_label=by.label, subject_id=referral.citizen_id, action=AccessLog.Action.CHANGE, obj=referral)
    _tell_citizen(referral, event)
    webhooks.enqueue_for(referral, event)
    return referral


def _tell_citizen(referral: Referral, event: ReferralEvent) -> None:
    from programmes.messages import url

    body = _(
        "'%(service)s' 연계 의뢰의 진행 상황이 '%(status)s'(으)로 바뀌었습니다 (%(partner)s).%(reason)s\n\n"
        "나의 생애경력설계에서 날짜별로 확인할 수 있습니다: %(url)s"
    ) % {
        "service": referral.service.name_ko, "status": referral.get_status_display(), "partner": referral.partner.name,
        "reason": ("\n" + _("사유: %(r)s") % {"r": event.reason}) if event.reason else "", "url": url("me:dashboard"),
    }
    notify_person(
        referral.citizen, kind=Notification.Kind.REFERRAL_STATUS, key=f"referral_status:{referral.pk}:event:{event.pk}",
        subject=_("[생애경력설계] 연계 진행 상황이 바뀌었습니다"), body=body,
        sms_text=_("[생애경력설계] 연계 진행 상황: %(status)s") % {"status": referral.get_status_display()},
    )


# --- API keys ---------------------------------------------------------------------------


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def new_api_key(partner: Partner) -> str:
    """Make (or replace) the partner's API key; returns it once. Only its hash is kept.
    (An organisation's key is not personal data: not in the access log; the admin's own
    log records who made it.)"""
    key = "lcp_" + secrets.token_urlsafe(32)
    partner.api_key_hash = hash_key(key)
    partner.save(update_fields=["api_key_hash"])
    return key


def partner_for_key(key: str) -> Partner | None:
    if not key or len(key) > 200:
        return None
    return Partner.objects.filter(api_key_hash=hash_key(key), is_active=True).first()


def partner_list_url() -> str:
    return reverse("referrals:partner_list")
