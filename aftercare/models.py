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
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
