"""Test data for courses, built through the same actions production uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth.models import User
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.tests.factories import StaffFactory, UserFactory  # noqa: F401 - re-exported for this app's tests
from courses import services
from courses.models import EmployerRequest, Lesson, OnlineCourse
from programmes.models import Programme


class CourseFactory(DjangoModelFactory[OnlineCourse]):
    class Meta:
        model = OnlineCourse

    slug = factory.Sequence(lambda n: f"course-{n}")
    title_ko = factory.Sequence(lambda n: f"인생 후반전 지도 그리기 {n}")
    summary_ko = "생애경력설계의 첫걸음을 함께 떼어 봅니다."
    order = factory.Sequence(lambda n: n)


class LessonFactory(DjangoModelFactory[Lesson]):
    class Meta:
        model = Lesson

    course = factory.SubFactory(CourseFactory)
    order = factory.Sequence(lambda n: n + 1)
    title_ko = factory.Sequence(lambda n: f"강의 {n}")
    minutes = 10
    video_url = None
    transcript_ko = "[예시 강의 대본] 지나온 일의 길을 돌아봅니다."


def course_with_lessons(n: int = 3, **kwargs: Any) -> OnlineCourse:
    course = CourseFactory.create(**kwargs)
    for order in range(1, n + 1):
        LessonFactory.create(course=course, order=order, title_ko=f"{order}번째 강의")
    return course


class EmployerProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"employed-programme-{n}")
    name_ko = factory.Sequence(lambda n: f"재직자 50대 생애경력설계 기초 과정 {n}")
    audience = "employed"
    age_band = "50s"
    tier = "basic"
    track = "employed_tier"
    order = 1
    hours = 6
    min_enrolment = 8
    default_capacity = 20
    modes = ["centre", "employer_site"]


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def employer_request(requester: User | None = None, **overrides: Any) -> EmployerRequest:
    values: dict[str, Any] = {
        "company_name": "한빛상사",
        "contact_email": "hr@hanbit.example",
        "programme": EmployerProgrammeFactory.create(),
        "headcount": 12,
        "preferred_dates": [in_days(20), in_days(27)],
        "region": "11",
        "place": "서울 중구 세종대로 00, 5층 대회의실",
    }
    values.update(overrides)
    return services.submit_request(requester or UserFactory.create(), **values)


def scheduled_request(requester: User | None = None, *, days: int = 20, **overrides: Any) -> EmployerRequest:
    request = employer_request(requester, **overrides)
    return services.schedule_request(request.pk, day=in_days(days), starts=dt.time(9, 0), ends=dt.time(16, 0))
