from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import vocabulary as vocab

STAGES = vocab.choices(vocab.STAGES)
TIME_SLOTS = vocab.choices((*vocab.TIME_SLOTS, vocab.ANYTIME))
# Groups a service is made for, beyond age, status and region (empty = no particular group).
AUDIENCES = [
    ("career_break_women", _("경력단절 여성")),
    ("experienced_professionals", _("전문 경력·자격 보유자")),
    ("new_farmers", _("귀농 5년 이내 신규 농업인")),
    ("employers", _("기업 (인사 담당자)")),
]

# Path segments under /services/ that are not services.
RESERVED_SLUGS = frozenset({"staff"})

# The public "who runs it" filter: the report's three groups over the four kinds.
OWNERS = [
    ("own", _("운영기관 자체 (노사발전재단·중장년내일센터)")),
    ("ministry", _("고용노동부")),
    ("other", _("타 기관 (지방자치단체·공공기관·민간)")),
]
OWNER_KINDS: dict[str, tuple[str, ...]] = {"own": ("own",), "ministry": ("ministry",), "other": ("agency", "private")}


class Service(models.Model):
    """A linked service (연계 서비스): the provider's own, the Ministry's, another agency's or private."""

    class Kind(models.TextChoices):
        # Who runs it, as the 2017 report counts linked services: the provider's own and the
        # Ministry's are "internal" (고용노동부 내), the rest "external" (타 기관); see OWNER_KINDS.
        OWN = "own", _("운영기관 자체 (노사발전재단·중장년내일센터)")
        MINISTRY = "ministry", _("고용노동부")
        AGENCY = "agency", _("타 기관 (공공기관·지방자치단체)")
        PRIVATE = "private", _("타 기관 (민간)")

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
    audiences = models.JSONField(_("대상 집단"), default=list, blank=True, help_text=_("비어 있으면 특정 집단 제한 없음"))
    firm_size_min = models.PositiveIntegerField(
        _("재직 기업 규모 하한 (명)"), null=True, blank=True, help_text=_("예: 1,000인 이상 기업 재직자만이면 1000")
    )
    firm_size_max = models.PositiveIntegerField(
        _("재직 기업 규모 상한 (명)"), null=True, blank=True, help_text=_("예: 1,000인 미만 기업 재직자만이면 999")
    )
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
    # Staff only: sources' caveats, what was looked for and not found. Never on public pages or the API.
    research_note = models.TextField(_("자료 조사 메모 (운영자 전용)"), blank=True)
    is_active = models.BooleanField(_("게시"), default=True)
    search_text = models.TextField(editable=False, blank=True)
    # Denormalised copies of the JSON lists, kept in sync by the actions in catalog/services.py,
    # so the catalogue can filter in SQL the same way on SQLite and PostgreSQL:
    # ",reemployment,startup," matches `goal_codes__contains=",startup,"`. Empty region_codes = 전국.
    goal_codes = models.CharField(max_length=200, editable=False, blank=True)
    stage_codes = models.CharField(max_length=100, editable=False, blank=True)
    region_codes = models.CharField(max_length=200, editable=False, blank=True)
    # SHA-256 of the repository record last applied by catalog.reference.load: the loader
    # leaves a service alone while its record in services.json is unchanged, so edits made
    # by operators in the staff screen survive every deploy.
    reference_hash = models.CharField(max_length=64, editable=False, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "goal_codes", "stage_codes", "region_codes", "reference_hash"])

    class Meta:
        verbose_name = _("연계 서비스")
        verbose_name_plural = _("연계 서비스")
        ordering = ["name_ko", "pk"]
        indexes = [models.Index(fields=["is_active", "name_ko"], name="catalog_active_name_idx")]

    def __str__(self) -> str:
        return self.name_ko

    def clean(self) -> None:
        from catalog.vocab import LIST_FIELDS, codes

        errors: dict[str, str] = {}
        if self.slug in RESERVED_SLUGS:
            errors["slug"] = gettext("'%(slug)s'는 화면 주소에 쓰여 식별자로 쓸 수 없습니다.") % {"slug": self.slug}
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            errors["age_max"] = gettext(
                "최대 나이(%(max)s세)가 최소 나이(%(min)s세)보다 작습니다. 최대 나이를 최소 나이 이상으로 적거나, 제한이 없으면 비워 두세요."
            ) % {"min": self.age_min, "max": self.age_max}
        if self.firm_size_min is not None and self.firm_size_max is not None and self.firm_size_min > self.firm_size_max:
            errors["firm_size_max"] = gettext("기업 규모 상한이 하한보다 작습니다. 상한을 하한 이상으로 적거나 비워 두세요.")
        for name, choices in LIST_FIELDS.items():
            value = getattr(self, name)
            if not isinstance(value, list):
                errors[name] = gettext("목록 형식이어야 합니다.")
                continue
            unknown = [v for v in value if v not in codes(choices)]
            if unknown:
                errors[name] = gettext("알 수 없는 값입니다: %(values)s") % {"values": ", ".join(map(str, unknown))}
        if not isinstance(self.sources, list):
            errors["sources"] = gettext("목록 형식이어야 합니다.")
        if errors:
            raise ValidationError(errors)


class CatalogueRelease(models.Model):
    """One version of the linked-services file (catalog/fixtures_data/services.json) as
    `load_reference_data` loaded it: recorded when the file's content differs from the
    release before (catalog.reference.load), so the statistics can compare people diagnosed
    before and after a change of catalogue (insights: the funnel's `catalogue` dimension).
    Operators' edits in the staff screen do not make a release: they are single corrections
    with their own history (Service.history), not a new researched version."""

    label = models.CharField(_("버전"), max_length=40, unique=True)  # the file's "version", made unique if reused
    version = models.CharField(_("파일의 버전 표기"), max_length=20)
    content_hash = models.CharField(_("내용 해시 (SHA-256)"), max_length=64)
    services = models.PositiveIntegerField(_("서비스 수"))
    loaded_at = models.DateTimeField(_("불러온 시각"), db_index=True)

    class Meta:
        verbose_name = _("연계 서비스 목록 버전")
        verbose_name_plural = _("연계 서비스 목록 버전")
        ordering = ["loaded_at", "pk"]

    def __str__(self) -> str:
        return self.label
