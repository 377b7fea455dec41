from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """접속기록: every read or change of someone else's personal data (안전성 확보조치 기준 §8).

    Rows are append-only; they are never updated by the application.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("조회")
        CHANGE = "change", _("변경")
        CREATE = "create", _("입력")
        DELETE = "delete", _("삭제")
        EXPORT = "export", _("내려받기")
        PRINT = "print", _("출력")

    at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("처리자")
    )
    actor_label = models.CharField(_("처리자 계정"), max_length=254)
    subject_id = models.CharField(_("정보주체"), max_length=64, db_index=True)
    action = models.CharField(_("수행업무"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("대상 종류"), max_length=60)
    object_id = models.CharField(_("대상 ID"), max_length=64)
    ip_address = models.GenericIPAddressField(_("접속지"), null=True)
    reason = models.CharField(_("사유"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("개인정보 접속기록")
        verbose_name_plural = _("개인정보 접속기록")
        ordering = ["-at"]
        # The monthly access review reads one centre's staff's rows of one month
        # (counselling.access_review): by actor, then the month's range.
        indexes = [models.Index(fields=["actor", "at"], name="accesslog_actor_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"
