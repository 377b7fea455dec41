"""The records of 폐강 prevention: offers of alternatives, seats held for displaced people,
and invitations to sessions opened for a pool of interest.

These tables were created by the notifications app and keep their names (`db_table`):
moving the models here changed Django's bookkeeping only (see
docs/decisions/0005-rescue-package.md and migrations/0001_initial.py).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.states import Transitions


def new_token() -> str:
    """An unguessable one-click link token (the link is the person's key to the page)."""
    return secrets.token_urlsafe(24)


class RescueOffer(models.Model):
    """Alternatives offered to someone whose session was cancelled or changed; `token` is
    the one-click link sent in the message (only the person it was sent to may use it)."""

    class Reason(models.TextChoices):
        CANCELLED = "cancelled", _("회차 취소")
        MOVED = "moved", _("회차 변경")

    class Status(models.TextChoices):
        OPEN = "open", _("선택 대기")
        ACCEPTED = "accepted", _("다른 회차로 옮김")
        DECLINED = "declined", _("제안 사용 안 함")
        EXPIRED = "expired", _("기간 만료")

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rescue_offers")
    enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.CASCADE, related_name="rescue_offers", verbose_name=_("원래 신청")
    )
    reason = models.CharField(_("사유"), max_length=10, choices=Reason.choices)
    alternatives = models.JSONField(_("추천 회차 (순서대로)"), default=list)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False)
    accepted_enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("선택 기한"))
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "notifications_rescueoffer"
        verbose_name = _("대체 회차 제안")
        verbose_name_plural = _("대체 회차 제안")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "reason"], name="one_offer_per_enrolment_and_reason"),
        ]

    def __str__(self) -> str:
        return f"offer {self.pk} ({self.status})"


class SeatHold(models.Model):
    """A seat kept for one person in one session until `expires_at`. While `held`, it
    counts against the session's capacity (rescue/holds.py)."""

    class Status(models.TextChoices):
        HELD = "held", _("보류 중")
        TAKEN = "taken", _("사용")
        RELEASED = "released", _("해제")
        EXPIRED = "expired", _("만료")

    session = models.ForeignKey("programmes.Session", on_delete=models.CASCADE, related_name="seat_holds")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seat_holds")
    offer = models.ForeignKey(RescueOffer, on_delete=models.CASCADE, null=True, blank=True, related_name="holds")
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.HELD, editable=False)
    expires_at = models.DateTimeField(_("보류 기한"), db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "notifications_seathold"
        verbose_name = _("자리 보류")
        verbose_name_plural = _("자리 보류")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"], condition=Q(status="held"), name="one_live_hold_per_person_per_session"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["held", "taken", "released", "expired"]), name="seat_hold_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="seat_hold_session_status")]

    def __str__(self) -> str:
        return f"hold {self.session_id}/{self.user_id} ({self.status})"


# to-state → the states it may be reached from. An offer reopens when the person's place
# changes again (make_offer renews it with the new alternatives).
RESCUE_OFFER_FLOW = Transitions(
    RescueOffer,
    {
        RescueOffer.Status.OPEN: {RescueOffer.Status.OPEN, RescueOffer.Status.DECLINED, RescueOffer.Status.EXPIRED},
        RescueOffer.Status.ACCEPTED: {RescueOffer.Status.OPEN},
        RescueOffer.Status.DECLINED: {RescueOffer.Status.OPEN},
        RescueOffer.Status.EXPIRED: {RescueOffer.Status.OPEN},
    },
)
SEAT_HOLD_FLOW = Transitions(
    SeatHold,
    {
        SeatHold.Status.TAKEN: {SeatHold.Status.HELD},
        SeatHold.Status.RELEASED: {SeatHold.Status.HELD},
        SeatHold.Status.EXPIRED: {SeatHold.Status.HELD},
    },
    stamp="closed_at",
)


class Invitation(models.Model):
    """Demand pooling: someone who registered interest is invited to the session opened
    for their pool, and may enrol before `priority_until`, when it opens to everyone."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    session = models.ForeignKey("programmes.Session", on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_invitations")
    interest = models.ForeignKey(
        "programmes.Interest", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    priority_until = models.DateTimeField(_("우선 신청 기한"))
    accepted_enrolment = models.ForeignKey(
        "programmes.Enrolment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "notifications_invitation"
        verbose_name = _("우선 신청 초대")
        verbose_name_plural = _("우선 신청 초대")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_invitation_per_person_per_session")]

    def __str__(self) -> str:
        return f"invitation {self.session_id}/{self.user_id}"


class RescueAction(models.Model):
    """One operator action on a session at risk (rescue.services: extend the enrolment period,
    merge, move online, cancel with offers), written in the action's own transaction: the
    audit row of the action (who, when, what it was before and after) and the recorded fate
    the statistics count 폐강 avoided from (insights.rollup), instead of inferring it."""

    class Kind(models.TextChoices):
        EXTENDED = "extended", _("모집 기간 연장")
        MERGED = "merged", _("다른 회차와 합침")
        ONLINE = "online", _("온라인 전환")
        CANCELLED = "cancelled", _("취소 (다른 회차 제안)")

    session = models.ForeignKey("programmes.Session", on_delete=models.CASCADE, related_name="rescue_actions")
    kind = models.CharField(_("조치"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Who acted, kept when the account is gone (as core.AccessLog's actor_label); "system" for jobs.
    actor_label = models.CharField(max_length=150)
    target = models.ForeignKey(
        "programmes.Session", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("합친 회차")
    )
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("폐강 예방 조치")
        verbose_name_plural = _("폐강 예방 조치")
        indexes = [models.Index(fields=["session", "created_at"], name="rescue_action_session")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["extended", "merged", "online", "cancelled"]), name="rescue_action_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.session_id}"
