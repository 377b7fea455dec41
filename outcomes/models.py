"""What became of a person (성과): employed, started a business, moved to farming, … with
the date and who said so. The measure built on it is in outcomes/measure.py and
docs/outcomes.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EMPLOYED = "employed", _("취업 (재취업)")
    BUSINESS = "business", _("창업·창직")
    RURAL = "rural", _("귀농·귀촌")
    VOLUNTEERING = "volunteering", _("사회공헌 활동")
    TRAINING = "training", _("교육·훈련 중")
    SEARCHING = "searching", _("아직 준비 중")
    STOPPED = "stopped", _("그만두었어요")


class Contract(models.TextChoices):
    REGULAR = "regular", _("정규직")
    FIXED_TERM = "fixed_term", _("계약직")
    PART_TIME = "part_time", _("시간제")
    DAILY = "daily", _("일용")
    OTHER = "other", _("기타")


class Source(models.TextChoices):
    SELF = "self", _("본인")
    COUNSELLOR = "counsellor", _("상담사")
    PARTNER = "partner", _("연계 기관")


class Outcome(models.Model):
    """One statement of a person's situation on a date. Append-only: a new situation is a
    new row, so the history (and the quarterly measure) can be read back."""

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("본인"))
    kind = models.CharField(_("상황"), max_length=12, choices=Kind.choices)
    contract = models.CharField(_("고용 형태"), max_length=10, choices=Contract.choices, blank=True, default="")
    on_date = models.DateField(_("날짜"))
    source = models.CharField(_("알려 준 곳"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("기록한 사람")
    )
    # The counselling case it was recorded in (counsellor source), for the case page.
    case = models.ForeignKey("counselling.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes")
    note = models.CharField(_("메모"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("기록 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("성과")
        verbose_name_plural = _("성과")
        ordering = ["-on_date", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="outcome_kind_valid"),
            models.CheckConstraint(condition=Q(source__in=Source.values), name="outcome_source_valid"),
            # A contract type goes with employment, and only with it.
            models.CheckConstraint(
                condition=(Q(kind="employed") & Q(contract__in=Contract.values)) | (~Q(kind="employed") & Q(contract="")),
                name="outcome_contract_only_when_employed",
            ),
        ]
        indexes = [models.Index(fields=["citizen", "-on_date"], name="outcome_citizen_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on_date}"
