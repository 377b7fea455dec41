"""Programmes (reference data), their sessions (회차) and people's places in them.

Status fields are never set directly: `Session.status` and `Enrolment.status` are
`editable=False` and change only through the named transitions in `programmes/services.py`.
The database backs the rules that must never break (one active place per person per
session, valid status values, a waitlisted place always has a queue position).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab
from core.localize import localized
from core.vocabulary import SEOUL

REGIONS = vocab.choices(vocab.REGIONS)
EVENING_FROM = dt.time(18, 0)


class Audience(models.TextChoices):
    EMPLOYED = "employed", _("재직자")
    JOBSEEKER = "jobseeker", _("구직자")
    ALL = "all", _("누구나")


class Tier(models.TextChoices):
    BASIC = "basic", _("기초")
    ADVANCED = "advanced", _("심화")
    ELECTIVE = "elective", _("선택")


class Track(models.TextChoices):
    EMPLOYED_TIER = "employed_tier", _("재직자 연령대별 과정")
    JOBSEEKER_MODULES = "jobseeker_modules", _("구직자 과정")
    CAREER_PLANNING = "career_planning_1on1", _("1:1 커리어 플래닝")
    ONLINE_COURSE = "online_course", _("온라인 무료 강의")
    OTHER = "other", _("그 밖의 프로그램")


_BAND = {term.code: term.label for term in vocab.AGE_BANDS}
_SLOT = {term.code: term.label for term in vocab.TIME_SLOTS}


class AgeBand(models.TextChoices):
    """The vocabulary's age bands, as an enum for programme code."""

    FORTIES = "40s", _BAND["40s"]
    FIFTIES = "50s", _BAND["50s"]
    SIXTIES = "60s", _BAND["60s"]


class Mode(models.TextChoices):
    CENTRE = "centre", _("센터 교육장")
    ONLINE_LIVE = "online_live", _("온라인 실시간")
    EMPLOYER_SITE = "employer_site", _("기업출강")


class TimeOfDay(models.TextChoices):
    """The vocabulary's time slots, as an enum for programme code."""

    WEEKDAY_DAY = "weekday_day", _SLOT["weekday_day"]
    EVENING = "evening", _SLOT["evening"]
    WEEKEND = "weekend", _SLOT["weekend"]


def time_of_day_for(starts_at: dt.datetime) -> str:
    """Weekend if the session starts on a Saturday or Sunday (Seoul time), evening if it
    starts at 18:00 or later on a weekday, otherwise weekday daytime."""
    local = starts_at.astimezone(SEOUL)
    if local.weekday() >= 5:
        return TimeOfDay.WEEKEND
    if local.time() >= EVENING_FROM:
        return TimeOfDay.EVENING
    return TimeOfDay.WEEKDAY_DAY


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("모집 예정")
    OPEN = "open", _("모집 중")
    CLOSED = "closed", _("모집 마감")
    CANCELLED = "cancelled", _("취소")
    COMPLETED = "completed", _("종료")


# The sessions the public lists show (programmes.queries.upcoming_sessions) — also the
# condition of the index that serves their order (Session.Meta, session_listed_order).
LISTED_STATES = (SessionStatus.SCHEDULED, SessionStatus.OPEN, SessionStatus.CLOSED)
# 기업출강 sessions belong to one employer's staff, who join by invitation (courses app):
# they are never listed or open to enrolment on the public pages and API.
PUBLIC_MODES = (Mode.CENTRE, Mode.ONLINE_LIVE)


class EnrolmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("확정")
    WAITLISTED = "waitlisted", _("대기")
    CANCELLED = "cancelled", _("취소")


class Centre(models.Model):
    """중장년내일센터: a regional centre of 노사발전재단 where sessions are taught."""

    slug = models.SlugField(_("식별자"), max_length=60, unique=True)
    name = models.CharField(_("센터 이름"), max_length=100)
    name_en = models.CharField(_("영문 이름"), max_length=150, blank=True)
    region = models.CharField(_("지역 (시도)"), max_length=2, choices=REGIONS)
    address = models.CharField(_("주소"), max_length=200, null=True, blank=True)  # noqa: DJ001 - unknown ≠ empty
    address_en = models.CharField(_("영문 주소"), max_length=200, blank=True)
    phone = models.CharField(_("전화번호"), max_length=30, blank=True)
    # Derived from the sourced address only (never guessed from a name or a partner's
    # location): blank when the address does not say. A city with 구 (수원시 권선구) is
    # kept as the city, the unit a person looks for.
    sigungu = models.CharField(_("시군구"), max_length=30, blank=True, db_index=True)
    hours = models.TextField(_("운영 시간"), blank=True)
    hours_en = models.TextField(_("영문 운영 시간"), blank=True)
    # counselling.models.Mode codes the sources say the centre offers; empty = not known.
    # Whether it takes bookings here is computed from its published slots
    # (programmes.centres.with_bookings), not stored.
    counselling_modes = models.JSONField(_("상담 방식"), default=list, blank=True)
    # Research notes (source dates, what could not be confirmed) live here, never in the
    # name or address that citizens see.
    notes = models.TextField(_("자료 조사 메모 (운영자 전용)"), blank=True)
    source = models.JSONField(_("출처"), default=list, blank=True)
    checked_on = models.DateField(_("확인일"), null=True, blank=True)

    class Meta:
        verbose_name = _("중장년내일센터")
        verbose_name_plural = _("중장년내일센터")
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """A course of 생애경력설계서비스, as published by the provider (reference data)."""

    slug = models.SlugField(_("식별자"), max_length=80, unique=True)
    name_ko = models.CharField(_("이름"), max_length=200)
    name_en = models.CharField(_("영문 이름"), max_length=200, blank=True)
    audience = models.CharField(_("대상"), max_length=10, choices=Audience.choices)
    age_band = models.CharField(_("연령대"), max_length=10, choices=AgeBand.choices, blank=True)
    tier = models.CharField(_("단계"), max_length=10, choices=Tier.choices, blank=True)
    track = models.CharField(_("과정 묶음"), max_length=40, choices=Track.choices)
    order = models.PositiveSmallIntegerField(_("순서"), null=True, blank=True)
    summary_ko = models.TextField(_("소개"), blank=True)
    summary_en = models.TextField(_("영문 소개"), blank=True)
    duration_ko = models.CharField(_("기간 안내"), max_length=100, blank=True)
    duration_en = models.CharField(_("영문 기간 안내"), max_length=100, blank=True)
    research_note = models.TextField(_("자료 조사 메모 (운영자 전용)"), blank=True)
    hours = models.DecimalField(_("교육 시간"), max_digits=5, decimal_places=1, null=True, blank=True)
    min_enrolment = models.PositiveSmallIntegerField(_("최소 개설 인원"), null=True, blank=True)
    default_capacity = models.PositiveSmallIntegerField(_("기본 정원"), null=True, blank=True)
    modes = models.JSONField(_("운영 방식"), default=list, blank=True)
    source = models.JSONField(_("출처"), default=list, blank=True)
    checked_on = models.DateField(_("확인일"), null=True, blank=True)

    class Meta:
        verbose_name = _("프로그램")
        verbose_name_plural = _("프로그램")
        ordering = ["track", "order", "slug"]

    def __str__(self) -> str:
        return self.name_ko

    @property
    def has_sessions(self) -> bool:
        """Self-paced online courses have no sessions to enrol in."""
        return self.track != Track.ONLINE_COURSE


class Session(models.Model):
    """One run (회차) of a programme at a time and place.

    Lifecycle (see services.py): scheduled → open → closed → completed, and
    scheduled/open/closed → cancelled; closed → open reopens enrolment. "Full" is not a
    status: it is derived from the confirmed count and the capacity.
    """

    Status = SessionStatus

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("프로그램"))
    mode = models.CharField(_("운영 방식"), max_length=20, choices=Mode.choices, default=Mode.CENTRE)
    centre = models.ForeignKey(
        Centre, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions", verbose_name=_("센터")
    )
    region = models.CharField(
        _("지역 (시도)"), max_length=2, choices=REGIONS, blank=True, db_index=True,
        help_text=_("센터 교육은 센터의 지역, 기업출강은 기업의 지역입니다. 온라인은 비워 둡니다."),
    )
    employer_place = models.CharField(_("기업출강 장소"), max_length=200, blank=True)
    online_url = models.URLField(_("온라인 접속 주소"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("시작 일시"), db_index=True)
    ends_at = models.DateTimeField(_("종료 일시"))
    enrolment_deadline = models.DateTimeField(_("신청 마감 일시"))
    capacity = models.PositiveSmallIntegerField(_("정원"))
    min_enrolment = models.PositiveSmallIntegerField(_("최소 개설 인원"))
    status = models.CharField(
        _("상태"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED, editable=False, db_index=True
    )
    status_changed_at = models.DateTimeField(_("상태 변경 일시"), null=True, editable=False)
    time_of_day = models.CharField(_("시간대"), max_length=12, choices=TimeOfDay.choices, editable=False, db_index=True)
    # The programme's place in the published order (programmes.ranks): the first key of the
    # public lists, stored so that the index session_listed_order serves their order.
    programme_rank = models.PositiveSmallIntegerField(_("프로그램 순서"), default=0, db_default=0, editable=False)
    is_demo = models.BooleanField(_("시연용 일정"), default=False, editable=False)
    demo_key = models.CharField(max_length=160, unique=True, null=True, blank=True, editable=False)  # noqa: DJ001 - NULL = not demo; unique only among demo rows
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("회차")
        verbose_name_plural = _("회차")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="session_status_valid"),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="session_mode_valid"),
            models.CheckConstraint(
                condition=Q(time_of_day__in=TimeOfDay.values), name="session_time_of_day_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start",
                violation_error_message=_("종료 일시는 시작 일시보다 뒤여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(enrolment_deadline__lte=models.F("starts_at")), name="session_deadline_before_start",
                violation_error_message=_("신청 마감 일시는 시작 일시와 같거나 앞서야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(capacity__gte=models.F("min_enrolment")),
                name="session_capacity_covers_minimum",
                violation_error_message=_("정원은 1명 이상이고 최소 개설 인원보다 적을 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(mode=Mode.CENTRE) | Q(centre__isnull=False), name="session_centre_mode_has_centre",
                violation_error_message=_("센터 교육은 센터를 골라야 합니다."),
            ),
        ]
        indexes = [
            # The public lists (programmes.queries.upcoming_sessions, SESSION_ORDER): the
            # listed states and public modes only, in the lists' order, so a page's 20 rows
            # are read from the index in order instead of sorting every upcoming session.
            models.Index(
                fields=["programme_rank", "starts_at", "id"],
                name="session_listed_order",
                condition=Q(status__in=LISTED_STATES, mode__in=PUBLIC_MODES),
            ),
            # A centre's sessions to come in a time window (the lead's at-risk list: the
            # coming week; the centre page's next sessions), in the listed states (those
            # of rescue's AT_RISK_STATES too): the window's rows of the centre only, where
            # the centre_id, starts_at and status indexes read every session of the
            # centre, of the country in the window, and to come (1 M: 1,072, 571 and
            # 4,974 for 12; docs/performance.md, "One full run").
            models.Index(fields=["centre", "starts_at"], name="session_centre_starts", condition=Q(status__in=LISTED_STATES)),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.starts_at.astimezone(SEOUL):%Y-%m-%d %H:%M}"

    def save(self, *args: object, **kwargs: object) -> None:
        from programmes.ranks import rank_of

        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.derive()
            self.programme_rank = rank_of(self.programme_id)
        else:
            derived: set[str] = set()
            if {"starts_at", "mode", "centre"} & set(update_fields):  # type: ignore[call-overload]
                self.derive()
                derived |= {"time_of_day", "region"}
            if "programme" in update_fields:  # type: ignore[operator]
                self.programme_rank = rank_of(self.programme_id)
                derived.add("programme_rank")
            if derived:
                kwargs["update_fields"] = {*update_fields, *derived}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def derive(self) -> None:
        """Set the stored derived fields (time of day, region) from the others."""
        self.time_of_day = time_of_day_for(self.starts_at)
        if self.mode == Mode.CENTRE and self.centre is not None:
            self.region = self.centre.region
        elif self.mode == Mode.ONLINE_LIVE:
            self.region = ""

    @property
    def local_starts_at(self) -> dt.datetime:
        return self.starts_at.astimezone(SEOUL)

    @property
    def local_ends_at(self) -> dt.datetime:
        return self.ends_at.astimezone(SEOUL)

    @property
    def place(self) -> str:
        if self.mode == Mode.ONLINE_LIVE:
            return str(_("온라인 실시간"))
        if self.mode == Mode.EMPLOYER_SITE:
            return self.employer_place or str(_("기업출강"))
        return localized(self.centre, "name") if self.centre else ""


class Enrolment(models.Model):
    """A person's place in a session: confirmed (has a seat), waitlisted (in the queue at
    `position`, 1 = next) or cancelled. A waitlisted place that gets a seat becomes
    confirmed and keeps `promoted_at`."""

    Status = EnrolmentStatus

    class CancelReason(models.TextChoices):
        SELF = "self", _("본인 취소")
        STAFF = "staff", _("담당자 취소")
        SESSION_CANCELLED = "session_cancelled", _("회차 취소")
        WAITLIST_EXPIRED = "waitlist_expired", _("대기 중 회차 종료")

    ACTIVE = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED)

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("회차"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("신청자")
    )
    status = models.CharField(_("상태"), max_length=10, choices=EnrolmentStatus.choices, editable=False)
    position = models.PositiveIntegerField(_("대기 순번"), null=True, blank=True, editable=False)
    attended = models.BooleanField(_("출석"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("신청 일시"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("확정 일시"), null=True, editable=False)
    promoted_at = models.DateTimeField(_("대기에서 확정된 일시"), null=True, editable=False)
    cancelled_at = models.DateTimeField(_("취소 일시"), null=True, editable=False)
    cancel_reason = models.CharField(_("취소 사유"), max_length=20, choices=CancelReason.choices, blank=True, editable=False)

    class Meta:
        verbose_name = _("수강 신청")
        verbose_name_plural = _("수강 신청")
        ordering = ["session", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="one_active_enrolment_per_person_per_session",
            ),
            models.CheckConstraint(
                condition=Q(status__in=EnrolmentStatus.values), name="enrolment_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="waitlisted") & Q(position__isnull=False) & Q(position__gte=1))
                | (~Q(status="waitlisted") & Q(position__isnull=True)),
                name="enrolment_position_iff_waitlisted",
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="enrolment_session_status")]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.user_id} {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class Interest(models.Model):
    """Demand pooling: "tell me when this programme runs near me at a time I can make".

    The pooling logic (turning enough interest into a session) is built on top of this.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_interests")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="interests", verbose_name=_("프로그램"))
    region = models.CharField(_("지역 (시도)"), max_length=2, choices=REGIONS, blank=True, help_text=_("비우면 온라인"))
    time_of_day = models.CharField(_("시간대"), max_length=12, choices=TimeOfDay.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("참여 희망")
        verbose_name_plural = _("참여 희망")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "region", "time_of_day"], name="one_interest_per_slot"
            ),
            models.CheckConstraint(
                condition=Q(time_of_day__in=TimeOfDay.values), name="interest_time_of_day_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.programme_id} ({self.region or 'online'}, {self.time_of_day})"
