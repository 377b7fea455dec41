"""1:1 counselling (상담): counsellors' hours, bookable slots, bookings, and the case a
centre keeps for each person it counsels.

Slots are rows, generated from each counsellor's weekly hours minus exceptions
(`counselling/availability.py`), so that a booking can lock exactly one row and the
database can refuse a second live booking of the same slot (a partial unique constraint),
on PostgreSQL and SQLite alike. Status fields change only through the lifecycles in
`counselling/services.py` (core.states).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab


class Mode(models.TextChoices):
    VISIT = "visit", _("방문")
    PHONE = "phone", _("전화")
    VIDEO = "video", _("화상")


class Topic(models.TextChoices):
    """What the person wants to talk about: the five goals, or not sure yet."""

    # Lazy labels: label_of() would turn them into Korean text once, at import, so English
    # pages showed the topics in Korean. The msgids come from core.vocabulary.
    REEMPLOYMENT = "reemployment", _(vocab.korean_of(vocab.GOALS, "reemployment"))
    STARTUP = "startup", _(vocab.korean_of(vocab.GOALS, "startup"))
    RURAL = "rural", _(vocab.korean_of(vocab.GOALS, "rural"))
    SOCIAL = "social", _(vocab.korean_of(vocab.GOALS, "social"))
    UNDECIDED = "undecided", _(vocab.korean_of(vocab.GOALS, "undecided"))
    UNSURE = "unsure", _("잘 모르겠어요")


class ShareItem(models.TextChoices):
    """What a person may show their counsellor, item by item."""

    LATEST_DIAGNOSIS = "latest_diagnosis", _("최근 자가진단 결과")
    EARLIER_DIAGNOSES = "earlier_diagnoses", _("이전 자가진단 결과")
    PLAN = "plan", _("가이드맵 계획과 진행 상황")
    ENROLMENTS = "enrolments", _("프로그램 신청 내역")


class WeeklyHours(models.Model):
    """A counsellor's regular hours at one centre: every `weekday`, from `starts` to `ends`,
    cut into slots of `slot_minutes`, in the listed modes."""

    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_hours", verbose_name=_("상담사"))
    centre = models.ForeignKey("programmes.Centre", on_delete=models.CASCADE, related_name="weekly_hours", verbose_name=_("센터"))
    weekday = models.PositiveSmallIntegerField(_("요일 (0=월요일)"))
    starts = models.TimeField(_("시작 시각"))
    ends = models.TimeField(_("종료 시각"))
    slot_minutes = models.PositiveSmallIntegerField(_("상담 1회 길이 (분)"), default=60, choices=[(30, _("30분")), (60, _("60분"))])
    modes = models.JSONField(_("상담 방식"), default=list)
    is_demo = models.BooleanField(_("시연용 일정"), default=False, editable=False)

    class Meta:
        verbose_name = _("주간 상담 시간")
        verbose_name_plural = _("주간 상담 시간")
        ordering = ["counsellor", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weeklyhours_weekday_valid"),
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="weeklyhours_ends_after_start"),
            models.CheckConstraint(condition=Q(slot_minutes__in=(30, 60)), name="weeklyhours_slot_30_or_60"),
        ]

    def __str__(self) -> str:
        return f"{self.counsellor} {self.weekday} {self.starts:%H:%M}-{self.ends:%H:%M}"


class HoursException(models.Model):
    """A day (or part of one) off the weekly pattern: a holiday, leave, training. With no
    times, the whole day is off."""

    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hours_exceptions", verbose_name=_("상담사"))
    date = models.DateField(_("날짜"))
    starts = models.TimeField(_("시작 시각"), null=True, blank=True)
    ends = models.TimeField(_("종료 시각"), null=True, blank=True)
    reason = models.CharField(_("사유"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("상담 시간 예외 (휴일·휴가)")
        verbose_name_plural = _("상담 시간 예외 (휴일·휴가)")
        ordering = ["counsellor", "date", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(starts__isnull=True) & Q(ends__isnull=True)) | (Q(starts__isnull=False) & Q(ends__isnull=False) & Q(ends__gt=models.F("starts"))),
                name="hoursexception_whole_day_or_a_span",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counsellor} {self.date}"


class Slot(models.Model):
    """One bookable time of one counsellor at one centre."""

    counsellor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselling_slots", verbose_name=_("상담사"))
    centre = models.ForeignKey("programmes.Centre", on_delete=models.CASCADE, related_name="counselling_slots", verbose_name=_("센터"))
    starts_at = models.DateTimeField(_("시작 일시"), db_index=True)
    ends_at = models.DateTimeField(_("종료 일시"))
    modes = models.JSONField(_("상담 방식"), default=list)
    # Withdrawn by an exception added after the slot was generated; a booked slot stays
    # (its booking is cancelled by the counsellor, with a reason, through the action).
    withdrawn = models.BooleanField(_("철회됨"), default=False)
    is_demo = models.BooleanField(_("시연용 일정"), default=False, editable=False)

    class Meta:
        verbose_name = _("상담 가능 시간")
        verbose_name_plural = _("상담 가능 시간")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["counsellor", "starts_at"], name="slot_once_per_counsellor_and_time"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
        ]
        indexes = [models.Index(fields=["centre", "starts_at"], name="slot_centre_time")]

    def __str__(self) -> str:
        return f"{self.centre} {self.starts_at:%Y-%m-%d %H:%M}"


class CaseStatus(models.TextChoices):
    OPEN = "open", _("진행 중")
    CLOSED = "closed", _("종결")


class Case(models.Model):
    """A person's file at one centre: opened at the first booking, or by a counsellor for a
    walk-in (with the person's consent recorded on the spot)."""

    Status = CaseStatus

    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselling_cases", verbose_name=_("내담자"))
    centre = models.ForeignKey("programmes.Centre", on_delete=models.PROTECT, related_name="cases", verbose_name=_("센터"))
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases", verbose_name=_("담당 상담사")
    )
    shared_with = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="shared_cases", verbose_name=_("함께 보는 상담사"))
    status = models.CharField(_("상태"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN, editable=False)
    opened_at = models.DateTimeField(_("시작 일시"), default=timezone.now)
    last_contact_at = models.DateTimeField(_("마지막 연락 일시"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("종결 일시"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("상담 사례")
        verbose_name_plural = _("상담 사례")
        ordering = ["-opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["citizen", "centre"], name="case_one_per_person_and_centre"),
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_valid"),
        ]
        # The lead's centre list, the caseload counts and the counsellor's workspace read a
        # centre's open cases; most cases of a centre are closed (docs/performance.md).
        # The lead's list pages a centre's open cases oldest contact first
        # (counselling.access_lead: last_touch, pk): read in that order, 50 rows, instead of
        # every open case of the centre joined to its people and sorted (13.8 → 0.4 ms at 1 M).
        indexes = [
            models.Index(fields=["centre", "counsellor"], condition=Q(status=CaseStatus.OPEN), name="case_open_by_centre"),
            models.Index(
                F("centre"), Coalesce("last_contact_at", "opened_at"), F("id"), condition=Q(status=CaseStatus.OPEN), name="case_open_by_touch"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} #{self.pk}"


class ShareConsent(models.Model):
    """What the person agreed their counsellors at this centre may see (ShareItem codes).
    Append-only: the latest row of the case is the consent in force; a change adds a row."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="share_consents")
    items = models.JSONField(_("공유 항목"), default=list)
    given_at = models.DateTimeField(_("동의 일시"), default=timezone.now)
    # Walk-ins: the counsellor who recorded the consent given in person.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("대면 동의 기록자")
    )

    class Meta:
        verbose_name = _("상담 정보 공유 동의")
        verbose_name_plural = _("상담 정보 공유 동의")
        ordering = ["case", "-given_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {', '.join(self.items) or '-'}"


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("예약 확정")
    CANCELLED = "cancelled", _("취소")
    ATTENDED = "attended", _("상담 완료")
    NO_SHOW = "no_show", _("불참")


# A slot is taken by every booking that is not cancelled.
LIVE_BOOKING = ~Q(status=BookingStatus.CANCELLED)


class Booking(models.Model):
    Status = BookingStatus

    class CancelledBy(models.TextChoices):
        CITIZEN = "citizen", _("본인")
        COUNSELLOR = "counsellor", _("상담사")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="bookings", verbose_name=_("상담 사례"))
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="counselling_bookings", verbose_name=_("내담자"))
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("상담 시간"))
    mode = models.CharField(_("상담 방식"), max_length=10, choices=Mode.choices)
    topic = models.CharField(_("상담 주제"), max_length=20, choices=Topic.choices)
    note = models.TextField(_("상담사에게 남기는 말"), max_length=1000, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED, editable=False)
    status_changed_at = models.DateTimeField(_("상태 변경 일시"), null=True, editable=False)
    cancelled_by = models.CharField(_("취소한 사람"), max_length=10, choices=CancelledBy.choices, blank=True, editable=False)
    cancel_reason = models.CharField(_("취소 사유"), max_length=200, blank=True)
    outcome = models.TextField(_("상담 결과 (합의한 내용)"), max_length=2000, blank=True)
    # Rebooked from this one (reschedule, or an offer after a counsellor's cancellation).
    replaces = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by")
    created_at = models.DateTimeField(_("예약 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("상담 예약")
        verbose_name_plural = _("상담 예약")
        ordering = ["slot__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=LIVE_BOOKING, name="booking_one_live_per_slot"),
            models.CheckConstraint(condition=Q(status__in=BookingStatus.values), name="booking_status_valid"),
        ]
        indexes = [models.Index(fields=["citizen", "status"], name="booking_citizen_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"


class CaseNote(models.Model):
    """A counsellor's note: private to the case team, part of the person's export and
    deleted with their account."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("작성자"))
    body = models.TextField(_("메모"), max_length=4000)
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes")
    created_at = models.DateTimeField(_("작성 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("상담 메모")
        verbose_name_plural = _("상담 메모")
        ordering = ["case", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"


class AgreedStep(models.Model):
    """A next step the person and counsellor agreed on, with a date; shown in the person's
    plan as "상담사와 합의한 단계"."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreed_steps")
    title = models.CharField(_("할 일"), max_length=200)
    due_on = models.DateField(_("목표 날짜"), null=True, blank=True)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("상담사"))
    agreed_at = models.DateTimeField(_("합의 일시"), default=timezone.now)
    done_at = models.DateTimeField(_("완료 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("상담사와 합의한 단계")
        verbose_name_plural = _("상담사와 합의한 단계")
        ordering = ["case", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class AccessReview(models.Model):
    """A centre lead's monthly 개인정보 접속기록 점검 (안전성 확보조치 기준 §8②: the access log
    is checked at least once a month): who checked which month of which centre, when, and
    what they found. Append-only: a second check of the same month adds a row."""

    centre = models.ForeignKey("programmes.Centre", on_delete=models.PROTECT, related_name="access_reviews", verbose_name=_("센터"))
    month = models.DateField(_("점검한 달 (1일)"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("점검자")
    )
    reviewer_label = models.CharField(_("점검자 계정"), max_length=254)
    reviewed_at = models.DateTimeField(_("점검 일시"), default=timezone.now)
    note = models.TextField(_("점검 의견"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("접속기록 점검")
        verbose_name_plural = _("접속기록 점검")
        ordering = ["centre", "-month", "-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.centre} {self.month:%Y-%m}"
