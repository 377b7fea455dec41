"""The outbox, SMS opt-ins, and the record of short notices a person agreed to.

Every message to a person is first a `Notification` row (the outbox), written in the same
transaction as the change it reports. A worker delivers it later; `dedupe_key` is unique,
so the same event can never produce two rows, and `status` records whether it went out.
Statuses change only through the named transitions below, which move through the table
`NOTIFICATION_FLOW` (core/states.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.states import Transitions


class Notification(models.Model):
    """One message to one address over one channel (the outbox row)."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("이메일")
        SMS = "sms", _("문자")

    class Kind(models.TextChoices):
        ENROLMENT_CONFIRMED = "enrolment_confirmed", _("신청 확정")
        ENROLMENT_WAITLISTED = "enrolment_waitlisted", _("대기 등록")
        ENROLMENT_CANCELLED = "enrolment_cancelled", _("신청 취소")
        WAITLIST_PROMOTED = "waitlist_promoted", _("대기에서 확정")
        REMINDER_3D = "reminder_3d", _("3일 전 안내")
        REMINDER_1D = "reminder_1d", _("1일 전 안내")
        SESSION_CANCELLED = "session_cancelled", _("회차 취소")
        SESSION_MOVED = "session_moved", _("회차 변경")
        SESSION_AT_RISK = "session_at_risk", _("폐강 위험 (담당자)")
        INVITATION = "invitation", _("우선 신청 초대")
        INTEREST_THRESHOLD = "interest_threshold", _("개설 요청 도달 (담당자)")
        BOOKING_CONFIRMED = "booking_confirmed", _("상담 예약 확정")
        BOOKING_CANCELLED = "booking_cancelled", _("상담 예약 취소")
        BOOKING_MOVED = "booking_moved", _("상담 예약 변경")
        BOOKING_REMINDER = "booking_reminder", _("상담 1일 전 안내")
        CHECKIN = "checkin", _("사후관리 설문")
        CHECKIN_REMINDER = "checkin_reminder", _("사후관리 설문 다시 알림")
        STALL_NUDGE = "stall_nudge", _("계획 이어가기 안내")
        REFERRAL_NEW = "referral_new", _("연계 의뢰 도착 (기관)")
        REFERRAL_STATUS = "referral_status", _("연계 진행 상황")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        SENDING = "sending", _("발송 중")
        SENT = "sent", _("발송 완료")
        FAILED = "failed", _("발송 실패")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="notifications", verbose_name=_("받는 사람"),
    )
    address = models.EmailField(_("이메일 주소"), blank=True)
    phone = models.CharField(_("휴대전화 번호"), max_length=20, blank=True)
    channel = models.CharField(_("채널"), max_length=10, choices=Channel.choices)
    kind = models.CharField(_("종류"), max_length=40, choices=Kind.choices)
    dedupe_key = models.CharField(_("중복 방지 키"), max_length=200, unique=True)
    subject = models.CharField(_("제목"), max_length=200, blank=True)
    body = models.TextField(_("본문"))
    attachments = models.JSONField(_("첨부"), default=list, blank=True)
    # A message the worker writes when it delivers the row (notifications/composers.py,
    # ADR 0014): subject, body and attachments stay empty until then.
    composer = models.CharField(_("작성기"), max_length=60, blank=True, editable=False)
    composer_args = models.JSONField(_("작성기 인자"), default=dict, blank=True, editable=False)
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.PENDING, editable=False, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0, editable=False)
    last_error = models.CharField(_("마지막 오류"), max_length=500, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("발송 시작 일시"), null=True, blank=True, editable=False)
    retry_at = models.DateTimeField(_("재시도 일시"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("발송 일시"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("생성 일시"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("알림")
        verbose_name_plural = _("알림")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "failed"]), name="notification_status_valid"
            ),
            models.CheckConstraint(condition=Q(channel__in=["email", "sms"]), name="notification_channel_valid"),
            models.CheckConstraint(
                condition=(Q(channel="email") & ~Q(address="")) | (Q(channel="sms") & ~Q(phone="")),
                name="notification_has_address_for_channel",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="notification_sent_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False), name="notification_sending_has_claim"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status_created")]

    def __str__(self) -> str:
        return f"{self.dedupe_key} ({self.status})"

    def claim(self) -> None:
        """pending → sending (or take over a dead worker's claim)."""
        NOTIFICATION_FLOW.move(self, self.Status.SENDING, attempts=self.attempts + 1, claimed_at=timezone.now())

    def mark_sent(self) -> None:
        NOTIFICATION_FLOW.move(self, self.Status.SENT, sent_at=timezone.now(), last_error="")

    def mark_retry(self, error: str, retry_at: dt.datetime) -> None:
        """sending → pending after a failure that may pass; the sweep tries again at `retry_at`."""
        NOTIFICATION_FLOW.move(self, self.Status.PENDING, last_error=error[:500], claimed_at=None, retry_at=retry_at)

    def mark_failed(self, error: str) -> None:
        NOTIFICATION_FLOW.move(self, self.Status.FAILED, last_error=error[:500])


# to-state → the states it may be reached from. sending → sending is a worker taking over
# a claim whose worker died (see services.deliver).
NOTIFICATION_FLOW = Transitions(
    Notification,
    {
        Notification.Status.SENDING: {Notification.Status.PENDING, Notification.Status.SENDING},
        Notification.Status.SENT: {Notification.Status.SENDING},
        Notification.Status.PENDING: {Notification.Status.SENDING},
        Notification.Status.FAILED: {Notification.Status.PENDING, Notification.Status.SENDING},
    },
)


class SmsContact(models.Model):
    """A mobile number a person chose to give for text reminders, with the version of the
    notice they agreed to. Withdrawing deletes the row (least data)."""

    NOTICE_VERSION = "2026-1"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sms_contact")
    phone = models.CharField(_("휴대전화 번호"), max_length=20)
    notice_version = models.CharField(_("동의한 안내 버전"), max_length=20)
    consented_at = models.DateTimeField(_("동의 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("문자 알림 수신 동의")
        verbose_name_plural = _("문자 알림 수신 동의")

    def __str__(self) -> str:
        return f"{self.user_id} sms {self.notice_version}"


class Agreement(models.Model):
    """A person agreed to a short notice of ours (e.g. before registering interest in a
    programme): which notice, which version, when. Append-only."""

    class Notice(models.TextChoices):
        SMS = "sms", _("문자 알림")
        PROGRAMME_INTEREST = "programme_interest", _("프로그램 개설 희망 등록")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_agreements")
    notice = models.CharField(_("안내"), max_length=30, choices=Notice.choices)
    version = models.CharField(_("버전"), max_length=20)
    agreed_at = models.DateTimeField(_("동의 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("안내 동의 기록")
        verbose_name_plural = _("안내 동의 기록")
        ordering = ["-agreed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.notice} {self.version}"
