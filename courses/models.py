"""Free online courses (온라인 무료 강좌) and employers' requests for on-site courses (기업출강).

Online courses are reference data (loaded from programmes/fixtures_data/programmes.json by
`courses/reference.py`). A person's progress and certificates are theirs.

`EmployerRequest.status` is `editable=False` and changes only through the named transitions
in `courses/services.py`; the database refuses unknown status values and a scheduled
request without a session or an invitation token.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab


class OnlineCourse(models.Model):
    slug = models.SlugField(_("식별자"), max_length=80, unique=True)
    title_ko = models.CharField(_("제목"), max_length=200)
    title_en = models.CharField(_("영문 제목"), max_length=200, blank=True)
    summary_ko = models.TextField(_("소개"), blank=True)
    order = models.PositiveSmallIntegerField(_("순서"), default=0)
    illustrative = models.BooleanField(
        _("예시 콘텐츠"), default=True, help_text=_("이 플랫폼이 만든 예시 강좌이면 표시합니다.")
    )

    class Meta:
        verbose_name = _("온라인 강좌")
        verbose_name_plural = _("온라인 강좌")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title_ko


class Lesson(models.Model):
    """One lesson: a video (when there is one) and its full transcript, which is the
    accessible alternative and, while `video_url` is null, the lesson itself."""

    course = models.ForeignKey(OnlineCourse, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("강좌"))
    order = models.PositiveSmallIntegerField(_("순서"))
    title_ko = models.CharField(_("제목"), max_length=200)
    title_en = models.CharField(_("영문 제목"), max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(_("길이 (분)"))
    video_url = models.URLField(_("영상 주소"), max_length=500, null=True, blank=True)  # noqa: DJ001 - NULL = no video yet
    transcript_ko = models.TextField(_("강의 대본"))

    class Meta:
        verbose_name = _("강의")
        verbose_name_plural = _("강의")
        ordering = ["course", "order"]
        constraints = [
            models.UniqueConstraint(fields=["course", "order"], name="lesson_order_unique_per_course"),
            models.CheckConstraint(condition=Q(order__gte=1), name="lesson_order_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.course.slug} #{self.order} {self.title_ko}"


class LessonProgress(models.Model):
    """"I have finished this lesson": one row per person per lesson."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress", verbose_name=_("수강자")
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("강의"))
    completed_at = models.DateTimeField(_("완료 일시"))

    class Meta:
        verbose_name = _("강의 완료 기록")
        verbose_name_plural = _("강의 완료 기록")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_person_per_lesson")]

    def __str__(self) -> str:
        return f"{self.user_id} ✓ {self.lesson_id}"


class Certificate(models.Model):
    """A completion certificate. It stores no name: the name printed on the PDF is typed at
    download time and not kept (see docs/courses.md). `code` is public: the verification
    page shows only the course and the date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_certificates", verbose_name=_("수료자")
    )
    course = models.ForeignKey(OnlineCourse, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("강좌"))
    issued_at = models.DateTimeField(_("발급 일시"))
    code = models.CharField(_("확인 코드"), max_length=20, unique=True)

    class Meta:
        verbose_name = _("수료증")
        verbose_name_plural = _("수료증")
        ordering = ["-issued_at"]
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="one_certificate_per_person_per_course")]

    def __str__(self) -> str:
        return f"{self.code} ({self.course.slug})"

    @property
    def display_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class EmployerRequest(models.Model):
    """An employer's request for an on-site course (기업출강).

    Lifecycle (services.py): requested → accepted → scheduled → completed, and
    requested/accepted → declined. Scheduling creates a `programmes` Session
    (mode employer_site) and an invitation token for the employer's staff.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("접수")
        ACCEPTED = "accepted", _("수락")
        SCHEDULED = "scheduled", _("일정 확정")
        COMPLETED = "completed", _("교육 완료")
        DECLINED = "declined", _("반려")

    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_requests", verbose_name=_("요청자")
    )
    company_name = models.CharField(_("회사 이름"), max_length=100)
    contact_email = models.EmailField(_("담당자 이메일"))
    contact_phone = models.CharField(_("담당자 전화번호"), max_length=20, blank=True)
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="employer_requests", verbose_name=_("프로그램")
    )
    headcount = models.PositiveSmallIntegerField(_("참여 예정 인원"))
    preferred_date_1 = models.DateField(_("희망일 1"))
    preferred_date_2 = models.DateField(_("희망일 2"), null=True, blank=True)
    preferred_date_3 = models.DateField(_("희망일 3"), null=True, blank=True)
    region = models.CharField(_("지역 (시도)"), max_length=2, choices=vocab.choices(vocab.REGIONS))
    place = models.CharField(_("교육 장소 (주소)"), max_length=200)
    notes = models.TextField(_("요청 사항"), blank=True)
    consent_version = models.CharField(_("동의한 안내 버전"), max_length=20)
    consented_at = models.DateTimeField(_("동의 일시"))
    status = models.CharField(
        _("상태"), max_length=10, choices=Status.choices, default=Status.REQUESTED, editable=False, db_index=True
    )
    status_changed_at = models.DateTimeField(_("상태 변경 일시"), null=True, editable=False)
    decline_reason = models.CharField(_("반려 사유"), max_length=300, blank=True, editable=False)
    session = models.OneToOneField(
        "programmes.Session", on_delete=models.PROTECT, null=True, blank=True, editable=False,
        related_name="employer_request", verbose_name=_("회차"),
    )
    invite_token = models.CharField(  # noqa: DJ001 - NULL until scheduled; unique among the set ones
        _("초대 토큰"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("요청 일시"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("기업출강 요청")
        verbose_name_plural = _("기업출강 요청")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["requested", "accepted", "scheduled", "completed", "declined"]),
                name="employer_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(headcount__gte=5) & Q(headcount__lte=100), name="employer_request_headcount_5_100"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "completed"])
                | (Q(session__isnull=False) & Q(invite_token__isnull=False)),
                name="employer_request_scheduled_has_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company_name} / {self.programme_id} ({self.status})"

    @property
    def preferred_dates(self) -> list[dt.date]:
        return [d for d in (self.preferred_date_1, self.preferred_date_2, self.preferred_date_3) if d is not None]
