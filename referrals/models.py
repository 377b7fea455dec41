"""Referrals to linked services (연계): a person is referred to a catalogue service delivered
by a partner organisation, sharing only the items they agreed to for that referral.

A partner works on its referrals in one of three ways: its staff log in (`/partner/`, role
partner, `accounts.StaffRole.partner`), or it opens a signed link e-mailed to its contact
address (no account), or its own system calls the API with the partner's key. Every status
change is a `ReferralEvent` (the dates the person sees) and, when the partner has a webhook,
an HMAC-signed delivery through `WebhookDelivery` (referrals/webhooks.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from counselling.models import ShareItem


class Partner(models.Model):
    """An organisation that delivers catalogue services to referred people."""

    class Kind(models.TextChoices):
        # The catalogue's external owner kinds (catalog.models.OWNER_KINDS["other"]).
        AGENCY = "agency", _("공공기관·지방자치단체")
        PRIVATE = "private", _("민간")

    slug = models.SlugField(_("식별자"), max_length=80, unique=True)
    name = models.CharField(_("기관 이름"), max_length=200)
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices)
    # Empty when not known: the reference data never invents an address (demo partners use
    # example.invalid). Without an address no link can be e-mailed.
    email = models.EmailField(_("담당 이메일"), blank=True)
    services = models.ManyToManyField("catalog.Service", blank=True, related_name="partners", verbose_name=_("제공하는 연계 서비스"))
    centres = models.ManyToManyField("programmes.Centre", blank=True, related_name="partners", verbose_name=_("협력 센터 (비우면 전국)"))
    # Self-referral is the receiving organisation's decision (whether it takes people who
    # come without a counsellor), so the flag is here rather than on the service.
    accepts_self_referral = models.BooleanField(_("본인 직접 연계 신청 받음"), default=False)
    webhook_url = models.URLField(_("웹훅 주소"), blank=True)
    webhook_secret = models.CharField(_("웹훅 서명 비밀값"), max_length=128, blank=True)
    # SHA-256 of the partner's API key (shown once when made); the key itself is not kept.
    api_key_hash = models.CharField(_("API 키 해시"), max_length=64, blank=True, editable=False, db_index=True)
    is_demo = models.BooleanField(_("시연용 기관"), default=False)
    is_active = models.BooleanField(_("사용 중"), default=True)
    reference_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        verbose_name = _("연계 기관")
        verbose_name_plural = _("연계 기관")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(webhook_url="") | ~Q(webhook_secret=""), name="partner_webhook_has_secret"),
        ]

    def __str__(self) -> str:
        return f"{self.name} (시연용)" if self.is_demo and "시연용" not in self.name else self.name


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", _("접수")
    CONTACTED = "contacted", _("연락함")
    IN_PROGRESS = "in_progress", pgettext_lazy("referral status", "진행 중")
    COMPLETED = "completed", _("완료")
    DECLINED = "declined", _("거절")
    NO_SHOW = "no_show", _("연락 안 됨·불참")


# No more movement expected: not "stale" however long it sits.
CLOSED_STATUSES = frozenset({ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.NO_SHOW})
OPEN_STATUSES = frozenset(set(ReferralStatus.values) - {str(s) for s in CLOSED_STATUSES})

CONTACT_EMAIL = "contact_email"
# What a person may share with the partner, item by item: the counselling items and their
# e-mail address (so the partner can reach them).
REFERRAL_ITEMS: list[tuple[str, Any]] = [*ShareItem.choices, (CONTACT_EMAIL, _("연락처 (이메일 주소)"))]
REFERRAL_ITEM_CODES = frozenset(code for code, _label in REFERRAL_ITEMS)


class Referral(models.Model):
    Status = ReferralStatus

    class Origin(models.TextChoices):
        COUNSELLOR = "counsellor", _("상담사 의뢰")
        SELF = "self", _("본인 신청")

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("대상자"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("연계 서비스"))
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("연계 기관"))
    case = models.ForeignKey("counselling.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals", verbose_name=_("상담 사례"))
    plan_step = models.ForeignKey("journeys.PlanStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("계획의 할 일"))
    origin = models.CharField(_("의뢰 경로"), max_length=10, choices=Origin.choices)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals_made", verbose_name=_("의뢰한 사람")
    )
    # The person's consent for this referral: the items the partner may see.
    shared_items = models.JSONField(_("공유 동의 항목"), default=list, blank=True)
    consented_at = models.DateTimeField(_("동의 일시"), default=timezone.now)
    note = models.TextField(_("기관에 전하는 말"), max_length=1000, blank=True)
    status = models.CharField(_("상태"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.RECEIVED, editable=False)
    status_changed_at = models.DateTimeField(_("상태 변경 일시"), default=timezone.now, editable=False)
    decline_reason = models.CharField(_("거절 사유"), max_length=500, blank=True, editable=False)
    # Part of every signed link; raising it voids the links sent before (a re-sent link).
    link_version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("의뢰 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("연계 의뢰")
        verbose_name_plural = _("연계 의뢰")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(condition=~Q(status=ReferralStatus.DECLINED) | ~Q(decline_reason=""), name="referral_declined_has_reason"),
        ]
        indexes = [
            # The daily stale sweep: open referrals by their last movement.
            models.Index(fields=["status_changed_at"], condition=Q(status__in=sorted(OPEN_STATUSES)), name="referral_open_by_change"),
            models.Index(fields=["partner", "status"], name="referral_partner_status"),
            # A partner's list: its newest referrals first, the first 200 (referrals.access).
            models.Index(fields=["partner", "-created_at", "-id"], name="referral_partner_newest"),
            models.Index(fields=["citizen", "created_at"], name="referral_citizen_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class ReferralEvent(models.Model):
    """One step of a referral (created, and each status change): the dates the person sees."""

    class Source(models.TextChoices):
        COUNSELLOR = "counsellor", _("상담사")
        CITIZEN = "citizen", _("본인")
        PARTNER_ACCOUNT = "partner_account", _("기관 담당자 계정")
        SIGNED_LINK = "signed_link", _("이메일 링크")
        API = "api", _("기관 시스템 (API)")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    # The status reached (a record of a move, not a lifecycle of its own).
    to_status = models.CharField(_("바뀐 상태"), max_length=12, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("일시"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(_("처리자"), max_length=254)
    source = models.CharField(_("경로"), max_length=20, choices=Source.choices)
    reason = models.CharField(_("사유"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("연계 진행 기록")
        verbose_name_plural = _("연계 진행 기록")
        ordering = ["referral", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.to_status} {self.at:%Y-%m-%d}"


class WebhookDelivery(models.Model):
    """One signed POST to a partner's webhook (an outbox row of its own: the notification
    outbox holds messages to people, with an address per channel)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        SENDING = "sending", _("발송 중")
        SENT = "sent", _("발송 완료")
        FAILED = "failed", _("발송 실패")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhook_deliveries")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="webhook_deliveries")
    dedupe_key = models.CharField(max_length=200, unique=True)
    url = models.URLField(max_length=500)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, editable=False, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    retry_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("웹훅 발송")
        verbose_name_plural = _("웹훅 발송")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.dedupe_key} ({self.status})"
