from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models.query import QuerySet
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab
from core.fragments import process_memo


def new_public_id() -> str:
    # 128 bits: the result URL is the only key an anonymous person has, so it must not be guessable.
    return secrets.token_urlsafe(16)


class _KeptSpec(DeferredAttribute):
    """An instrument's spec: when the row was read without it (`without_spec`), the one kept
    for its version in this process, else read from the database as Django would (and kept)."""

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        data = instance.__dict__
        if self.field.attname not in data:
            version = data.get("version")
            kept = ReleasedSpecField._by_version.get(version) if version is not None else None
            if kept is None:
                value = super().__get__(instance, cls)
                if version is not None:
                    ReleasedSpecField.keep(version, value)
                return value
            data[self.field.attname] = kept
        return data[self.field.attname]


class ReleasedSpecField(models.JSONField):
    """A released instrument's spec, decoded once per process per distinct stored text.

    The spec (~24 kB of JSON) comes with the instrument on every step, result and submit;
    decoding it each time was ~5 % of those pages. A released version never changes
    (services.load_instrument_file refuses to edit one), so every row read with the same
    text gets the same decoded object — which nothing may change in place (the code only
    reads it; a changed copy is `json.loads(json.dumps(spec))`). Stored exactly as a
    JSONField: deconstruct() names JSONField, so no migration."""

    _decoded: dict[str, Any] = {}  # noqa: RUF012 - per process, shared by design
    # The same objects by instrument version, so a row can be read without its spec at all
    # (`without_spec`): reading 24 kB of text was still half the cost of a step page's draft query.
    _by_version: dict[str, Any] = {}  # noqa: RUF012 - per process, shared by design
    MAX_KEPT = 16  # versions; more means something other than released specs is stored
    descriptor_class = _KeptSpec

    @classmethod
    def keep(cls, version: str, spec: Any) -> None:
        if spec is None or cls._by_version.get(version) is spec:
            return
        if len(cls._by_version) >= cls.MAX_KEPT:
            cls._by_version.clear()
        cls._by_version[version] = spec

    @classmethod
    def forget(cls) -> None:
        """Tests: drop this process's kept specs."""
        cls._decoded.clear()
        cls._by_version.clear()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not isinstance(value, str):
            return super().from_db_value(value, expression, connection)
        decoded = self._decoded.get(value)
        if decoded is None:
            decoded = super().from_db_value(value, expression, connection)
            if len(self._decoded) >= self.MAX_KEPT:
                self._decoded.clear()
            self._decoded[value] = decoded
        return decoded

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs


class Instrument(models.Model):
    """One released version of our self-diagnosis instrument; immutable once loaded."""

    version = models.CharField(_("버전"), max_length=20, unique=True)
    title = models.CharField(_("이름"), max_length=200)
    spec = ReleasedSpecField(_("문항·척도·판정 규칙 (원본 데이터)"))
    is_current = models.BooleanField(_("현재 사용"), default=False)
    loaded_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("진단 도구")
        verbose_name_plural = _("진단 도구")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_instrument"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @classmethod
    def from_db(cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any) -> Self:
        instance = super().from_db(db, field_names, values, **kwargs)
        data = instance.__dict__
        if "spec" in data and "version" in data:
            ReleasedSpecField.keep(data["version"], data["spec"])
        return instance


def without_spec(queryset: QuerySet[Any], path: str = "spec") -> QuerySet[Any]:
    """`queryset` reading its instrument (at `path`: "spec", or "instrument__spec" through a
    select_related) without the spec once this process keeps one: `instrument.spec` is then
    the one kept for the row's version (a released version never changes), or read once
    more for a version not seen yet. Before any is kept the spec comes with the row, so the
    first request of a process runs no extra query."""
    return queryset.defer(path) if ReleasedSpecField._by_version else queryset


# Whole released instrument rows by primary key: a result or a draft names its instrument,
# needed with its spec, and then no query for it. Emptied with the fragments (tests).
_RELEASED: dict[int, Instrument] = process_memo()


def released_instrument(pk: int) -> Instrument:
    """The instrument `pk`, read once per process: a released version never changes (its
    spec, version and title; only `is_current` may, and nothing reached through a result or
    a draft reads it: services.current_instrument asks the database)."""
    instrument = _RELEASED.get(pk)
    if instrument is None:
        instrument = _RELEASED[pk] = Instrument.objects.get(pk=pk)
    return instrument


def keep_released(instrument: Instrument) -> None:
    """`instrument`, read with its spec elsewhere, kept as `released_instrument(pk)` would."""
    _RELEASED.setdefault(instrument.pk, instrument)


def keeps_released() -> bool:
    """Whether this process keeps any released instrument yet."""
    return bool(_RELEASED)


def spec_deferred() -> tuple[str, ...]:
    """`without_spec` for an instrument row read with `core.compiled.one_by(…, defer=…)`."""
    return ("spec",) if ReleasedSpecField._by_version else ()


class InstrumentItem(models.Model):
    """A read-only copy of each item, so operators can read the instrument in the admin."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(_("문항 ID"), max_length=20)
    section = models.CharField(_("영역"), max_length=100)
    position = models.PositiveSmallIntegerField(_("순서"))
    text_ko = models.TextField(_("문항 (한국어)"))
    text_en = models.TextField(_("문항 (영어)"), blank=True)
    scale = models.CharField(_("척도"), max_length=40)
    reverse = models.BooleanField(_("역채점"), default=False)

    class Meta:
        verbose_name = _("진단 문항")
        verbose_name_plural = _("진단 문항")
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "item_id"], name="unique_item_per_instrument")]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.text_ko[:40]}"


class Draft(models.Model):
    """An unfinished diagnosis, kept so a person can close the browser and come back."""

    token = models.CharField(max_length=43, unique=True, default=new_public_id)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT)
    profile = models.JSONField(default=dict)
    answers = models.JSONField(default=dict)
    step = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("작성 중인 진단")
        verbose_name_plural = _("작성 중인 진단")

    def __str__(self) -> str:
        return f"draft {self.pk}"


class Result(models.Model):
    public_id = models.CharField(max_length=43, unique=True, default=new_public_id, editable=False)
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="results")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="diagnosis_results"
    )
    birth_year = models.PositiveSmallIntegerField(_("출생연도"))
    age_band = models.CharField(_("연령대"), max_length=3, choices=vocab.choices(vocab.AGE_BANDS))
    employment_status = models.CharField(_("고용 상태"), max_length=20, choices=vocab.choices(vocab.EMPLOYMENT_STATUSES))
    career_years = models.PositiveSmallIntegerField(_("경력 연수"))
    occupation = models.CharField(_("직업군"), max_length=20, choices=vocab.choices(vocab.OCCUPATIONS))
    region = models.CharField(_("지역"), max_length=2, choices=vocab.choices(vocab.REGIONS))
    goal = models.CharField(_("희망 목표"), max_length=20, choices=vocab.choices(vocab.GOALS))
    availability = models.JSONField(_("참여 가능 시간"), default=list)
    # Asked only of people who work for an employer (재직, 퇴직 예정); "" = not asked or skipped.
    firm_size = models.CharField(_("재직 기업 규모"), max_length=12, choices=vocab.choices(vocab.FIRM_SIZES), blank=True, default="")
    answers = models.JSONField(_("응답"))
    type_code = models.CharField(_("경력개발유형"), max_length=30)
    scale_scores = models.JSONField(_("척도 점수"))
    details = models.JSONField(_("판정 근거"), default=dict)
    created_at = models.DateTimeField(_("진단 시각"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("진단 결과")
        verbose_name_plural = _("진단 결과")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.type_code} ({self.created_at:%Y-%m-%d})"
