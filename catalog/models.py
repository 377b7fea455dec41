from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

STAGES = [("know", _("알아가기")), ("approach", _("접근하기")), ("act", _("실행하기")), ("manage", _("관리하기"))]
TIME_SLOTS = [("weekday_day", _("평일 낮")), ("evening", _("평일 저녁")), ("weekend", _("주말")), ("anytime", _("언제나 (온라인)"))]


class Service(models.Model):
    """A linked service (연계 서비스): the provider's own, the Ministry's, another agency's or private."""

    class Kind(models.TextChoices):
        OWN = "own", _("자체 서비스")
        MINISTRY = "ministry", _("고용노동부")
        AGENCY = "agency", _("타 기관")
        PRIVATE = "private", _("민간")

    class Delivery(models.TextChoices):
        ONLINE = "online", _("온라인")
        OFFLINE = "offline", _("오프라인")
        BOTH = "both", _("온라인·오프라인")

    slug = models.SlugField(_("식별자"), max_length=80, unique=True)
    name_ko = models.CharField(_("이름"), max_length=200)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    operator_ko = models.CharField(_("운영 기관"), max_length=200, blank=True)
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices)
    stages = models.JSONField(_("단계"), default=list, help_text=_("know / approach / act / manage"))
    goals = models.JSONField(_("목표 유형"), default=list)
    age_min = models.PositiveSmallIntegerField(_("최소 나이"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("최대 나이"), null=True, blank=True)
    statuses = models.JSONField(_("대상 고용 상태"), default=list, blank=True, help_text=_("비어 있으면 모두"))
    regions = models.JSONField(_("지역"), default=list, blank=True, help_text=_("비어 있으면 전국"))
    delivery = models.CharField(_("제공 방식"), max_length=10, choices=Delivery.choices)
    time_slots = models.JSONField(_("이용 가능 시간"), default=list, blank=True)
    cost_ko = models.CharField(_("비용"), max_length=200, blank=True)
    duration_ko = models.CharField(_("기간"), max_length=200, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(_("기간(주)"), null=True, blank=True)
    summary_ko = models.TextField(_("소개"))
    summary_en = models.TextField(_("영문 소개"), blank=True)
    how_to_apply_ko = models.TextField(_("신청 방법"), blank=True)
    url = models.URLField(_("공식 사이트"), blank=True)
    sources = models.JSONField(_("출처"), default=list, blank=True)
    checked_on = models.DateField(_("확인일"), null=True, blank=True)
    notes = models.TextField(_("비고"), blank=True)
    is_active = models.BooleanField(_("게시"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("연계 서비스")
        verbose_name_plural = _("연계 서비스")
        ordering = ["name_ko"]

    def __str__(self) -> str:
        return self.name_ko
