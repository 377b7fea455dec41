"""After-care (사후관리): what the centre must do next for a person (tasks), built by the
daily sweep and by actions. Check-ins, satisfaction and outcomes live beside it.

A task is unique by its `key` (e.g. `checkin-unanswered:checkin:12`), so the sweep can
insert the whole day's tasks in one statement and be re-run safely.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    CHECKIN_UNANSWERED = "checkin_unanswered", _("사후관리 설문 미응답")
    STALLED = "stalled", _("12주 동안 진행 없음")
    REFERRAL_STALE = "referral_stale", _("연계 2주 동안 변화 없음")
    FOLLOW_UP = "follow_up", _("후속 연락")


class Task(models.Model):
    """Something a counsellor should do for one person: on the workspace of the case's
    counsellor (or, without a case, of the leads of the person's nearest centre)."""

    Kind = TaskKind

    key = models.CharField(_("식별 키"), max_length=120, unique=True)
    kind = models.CharField(_("종류"), max_length=30, choices=TaskKind.choices)
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="aftercare_tasks", verbose_name=_("대상자"))
    centre = models.ForeignKey("programmes.Centre", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("센터"))
    case = models.ForeignKey("counselling.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("상담 사례"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_tasks", verbose_name=_("담당자")
    )
    # What the task is about, for the link on the workspace (a check-in, a referral, a plan).
    about_type = models.CharField(_("대상 종류"), max_length=60, blank=True)
    about_id = models.CharField(_("대상 ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("생성 일시"), default=timezone.now, db_index=True)
    due_on = models.DateField(_("처리 기한"), null=True, blank=True)
    done_at = models.DateTimeField(_("완료 일시"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("처리자"))
    note = models.CharField(_("처리 메모"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("사후관리 할 일")
        verbose_name_plural = _("사후관리 할 일")
        ordering = ["done_at", "due_on", "pk"]
        indexes = [
            models.Index(fields=["assignee"], condition=Q(done_at__isnull=True), name="task_open_by_assignee"),
            models.Index(fields=["centre"], condition=Q(done_at__isnull=True), name="task_open_by_centre"),
            # The daily sweep's "already a task for this check-in / plan / referral?" (docs/aftercare.md, "Daily sweep at scale").
            models.Index(fields=["about_type", "about_id"], name="task_about"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


# --- check-ins (사후관리 설문) -------------------------------------------------------------


class CheckInStatus(models.TextChoices):
    """Where the person is now, in their own words (the answer's first question)."""

    EMPLOYED = "employed", _("재취업했어요")
    STARTUP = "startup", _("창업·창직했어요")
    RURAL = "rural", _("귀농·귀촌했어요")
    SOCIAL = "social", _("사회공헌 활동 중")
    PREPARING = "preparing", _("아직 준비 중")
    STOPPED = "stopped", _("그만두었어요")


class AnchorKind(models.TextChoices):
    PLAN_ACT_END = "plan_act_end", _("가이드맵 실행하기 단계 종료")
    LAST_COUNSELLING = "last_counselling", _("마지막 상담")


CHECKIN_MONTHS = (1, 3, 6, 12)

SATISFACTION_WORDS = {
    1: _("매우 불만족"),
    2: _("불만족"),
    3: _("보통"),
    4: _("만족"),
    5: _("매우 만족"),
}


class CheckIn(models.Model):
    """One question to a person, 1/3/6/12 months after their anchor (see docs/aftercare.md).

    The link's token is never stored: it is derived from `nonce` with the site's secret
    (core.link_tokens), and only its SHA-256 (`token_hash`) is kept for the lookup, so a copy
    of the database alone opens no one's check-in."""

    Status = CheckInStatus
    Anchor = AnchorKind

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("대상자"))
    anchor_kind = models.CharField(_("기준"), max_length=20, choices=AnchorKind.choices)
    anchor_date = models.DateField(_("기준일"))
    month = models.PositiveSmallIntegerField(_("개월 차"))
    due_on = models.DateField(_("보낼 날"))
    nonce = models.CharField(max_length=32, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("링크 만료 일시"), null=True, blank=True)
    sent_at = models.DateTimeField(_("발송 일시"), null=True, blank=True)
    reminder_1_at = models.DateTimeField(_("첫 번째 다시 알림"), null=True, blank=True)
    reminder_2_at = models.DateTimeField(_("두 번째 다시 알림"), null=True, blank=True)
    answered_at = models.DateTimeField(_("응답 일시"), null=True, blank=True)
    # The answer, not a lifecycle: a check-in is due → sent → answered by its dates.
    situation = models.CharField(_("지금 상황"), max_length=20, choices=CheckInStatus.choices, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("만족도"), null=True, blank=True)
    comment = models.TextField(_("하고 싶은 말"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("생성 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("사후관리 설문")
        verbose_name_plural = _("사후관리 설문")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "anchor_kind", "anchor_date", "month"], name="checkin_once_per_anchor_month"),
            models.CheckConstraint(condition=Q(month__in=CHECKIN_MONTHS), name="checkin_month_valid"),
            models.CheckConstraint(condition=Q(satisfaction__isnull=True) | Q(satisfaction__gte=1, satisfaction__lte=5), name="checkin_satisfaction_1_5"),
            # An answer is whole: a status and a score, or nothing.
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, situation="") | (Q(answered_at__isnull=False, satisfaction__isnull=False) & ~Q(situation="")),
                name="checkin_answer_whole",
            ),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(sent_at__isnull=True), name="checkin_unsent_due"),
            models.Index(fields=["sent_at"], condition=Q(answered_at__isnull=True, sent_at__isnull=False), name="checkin_unanswered"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.month}m #{self.pk}"


# --- satisfaction (만족도) ----------------------------------------------------------------


class FeedbackAbout(models.TextChoices):
    SESSION = "session", _("참석한 프로그램")
    COUNSELLING = "counselling", _("받은 상담")
    PLAN = "plan", _("마친 가이드맵")


class Feedback(models.Model):
    """The person's 1–5 score (and a word) on one thing they attended or finished. One per
    thing: `about_id` is the enrolment, the booking or the plan."""

    About = FeedbackAbout

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("작성자"))
    about = models.CharField(_("대상"), max_length=20, choices=FeedbackAbout.choices)
    about_id = models.PositiveIntegerField(_("대상 ID"))
    score = models.PositiveSmallIntegerField(_("만족도"))
    comment = models.TextField(_("의견"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("작성 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("만족도 의견")
        verbose_name_plural = _("만족도 의견")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "about", "about_id"], name="feedback_once_per_thing"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="feedback_score_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.about} {self.about_id}: {self.score}"
