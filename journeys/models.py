from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


class CaseStory(models.Model):
    """An illustrative (composite, fictional) success or failure story for the guide map."""

    slug = models.SlugField(max_length=80, unique=True)
    title_ko = models.CharField(_("제목"), max_length=200)
    title_en = models.CharField(_("영문 제목"), max_length=200, blank=True)
    age_band = models.CharField(_("연령대"), max_length=3)
    goal = models.CharField(_("목표 유형"), max_length=20)
    career_types = models.JSONField(_("경력개발유형"), default=list)
    status = models.CharField(_("고용 상태"), max_length=20, blank=True)
    outcome = models.CharField(_("결과"), max_length=10, choices=[("success", _("성공")), ("failure", _("실패"))])
    story_ko = models.TextField(_("이야기"))
    story_en = models.TextField(_("영문 이야기"), blank=True)
    lesson_ko = models.CharField(_("배울 점"), max_length=300)
    lesson_en = models.CharField(_("영문 배울 점"), max_length=300, blank=True)
    services = models.JSONField(_("이용한 서비스"), default=list)

    class Meta:
        verbose_name = _("사례")
        verbose_name_plural = _("사례")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title_ko


class PlanStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("plan status", "진행 중")
    COMPLETED = "completed", _("마침")
    ABANDONED = "abandoned", _("그만둠")


class Plan(models.Model):
    """A personal guide map (사전 가이드맵) built from one diagnosis result.

    Lifecycle (journeys.services.PLAN_FLOW): active → completed (every step ticked) or
    abandoned (그만두기, or replaced by 다시 시작하기); completed → active when a step is
    unticked again. `ended_at` is the plan's exit date for outcomes (docs/outcomes.md)."""

    public_id = models.CharField(max_length=43, unique=True, default=new_public_id, editable=False)
    result = models.ForeignKey("diagnosis.Result", on_delete=models.CASCADE, related_name="plans")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="plans"
    )
    start_date = models.DateField(_("시작일"))
    cases = models.JSONField(_("사례"), default=list)
    status = models.CharField(_("상태"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE, editable=False)
    status_changed_at = models.DateTimeField(_("상태 바뀐 시각"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("끝난 시각"), null=True, blank=True, help_text=_("마침 또는 그만둔 시각"))
    abandon_reason = models.CharField(_("그만둔 이유"), max_length=500, blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="superseded_by", verbose_name=_("이전 계획")
    )
    # What changed since the superseded plan, as data (journeys.restart.Change as dicts), so
    # the page says it in the reader's language; [] for a first plan.
    changes = models.JSONField(_("이전 계획과 달라진 점"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("가이드맵")
        verbose_name_plural = _("가이드맵")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"plan {self.public_id[:6]}"


class PlanStep(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    stage = models.CharField(_("단계"), max_length=10)
    theme = models.CharField(_("주제"), max_length=30, blank=True, help_text=_("journeys/themes.py의 주제 코드"))
    service = models.ForeignKey("catalog.Service", null=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(_("할 일"), max_length=200)
    reason = models.TextField(_("추천 이유"))
    # The reason as data (journeys.matching.ReasonParts), so pages say it in the reader's
    # language (journeys.display.reason_text); {} for plans made before it was kept.
    reason_parts = models.JSONField(_("추천 이유 구성"), default=dict, blank=True)
    start_week = models.PositiveSmallIntegerField(_("시작 주차"))
    duration_weeks = models.PositiveSmallIntegerField(_("기간(주)"))
    done_at = models.DateTimeField(_("완료 시각"), null=True, blank=True)
    # The step of an earlier plan this one was done in (다시 시작하기 keeps what was done).
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("이전 계획의 단계")
    )

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "position"], name="unique_step_position")]

    def __str__(self) -> str:
        return self.title
