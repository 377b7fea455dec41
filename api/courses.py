"""Free online courses: GET /api/v1/courses and GET /api/v1/courses/{slug} (public).

`video_url` is null while a lesson has no video; the transcript is always there (it is
the accessible alternative to the video)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from pydantic import Field

from api.schemas import ErrorOut
from courses.models import Lesson, OnlineCourse
from courses.queries import courses_with_counts

router = Router(tags=["courses"])


class CourseOut(Schema):
    slug: str
    title_ko: str
    title_en: str | None
    summary_ko: str
    illustrative: bool = Field(description="true: 이 서비스가 만든 예시 콘텐츠")
    lesson_count: int
    total_minutes: int
    page_url: str = Field(description="이 강좌의 안내 화면 주소")


class LessonOut(Schema):
    order: int
    title_ko: str
    title_en: str | None
    minutes: int
    video_url: str | None = Field(description="영상 주소. null이면 영상 준비 중 (대본으로 내용을 모두 볼 수 있음)")
    transcript_ko: str = Field(description="강의 전체 대본 (영상의 접근 가능한 대체 수단)")
    page_url: str


class CourseDetailOut(CourseOut):
    lessons: list[LessonOut]


class CourseListOut(Schema):
    count: int
    items: list[CourseOut]


def _course(course: OnlineCourse, lesson_count: int, total_minutes: int) -> dict[str, Any]:
    return {
        "slug": course.slug,
        "title_ko": course.title_ko,
        "title_en": course.title_en or None,
        "summary_ko": course.summary_ko,
        "illustrative": course.illustrative,
        "lesson_count": lesson_count,
        "total_minutes": total_minutes,
        "page_url": reverse("courses:detail", args=[course.slug]),
    }


@router.get("/courses", response={200: CourseListOut}, summary="온라인 무료 강좌 목록", auth=None)
def list_courses(request: HttpRequest) -> dict[str, Any]:
    items = [_course(c, c.lesson_total, c.minutes_total or 0) for c in courses_with_counts()]  # type: ignore[attr-defined]
    return {"count": len(items), "items": items}


@router.get("/courses/{slug}", response={200: CourseDetailOut, 404: ErrorOut}, summary="온라인 강좌 하나와 강의", auth=None)
def get_course(request: HttpRequest, slug: str) -> dict[str, Any]:
    course = OnlineCourse.objects.filter(slug=slug).first()
    if course is None:
        raise Http404
    lessons = list(Lesson.objects.filter(course=course).order_by("order"))
    payload = _course(course, len(lessons), sum(lesson.minutes for lesson in lessons))
    payload["lessons"] = [
        {
            "order": lesson.order,
            "title_ko": lesson.title_ko,
            "title_en": lesson.title_en or None,
            "minutes": lesson.minutes,
            "video_url": lesson.video_url or None,
            "transcript_ko": lesson.transcript_ko,
            "page_url": reverse("courses:lesson", args=[course.slug, lesson.order]),
        }
        for lesson in lessons
    ]
    return payload
