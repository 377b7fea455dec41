"""Read-side helpers: course lists with lesson counts and a person's progress, in a fixed
number of queries whatever the number of courses."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, QuerySet, Sum

from courses.models import Certificate, Lesson, LessonProgress, OnlineCourse


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def courses_with_counts() -> QuerySet[OnlineCourse]:
    return OnlineCourse.objects.annotate(lesson_total=Count("lessons"), minutes_total=Sum("lessons__minutes")).order_by(
        "order", "slug"
    )


def done_by_course(user: User | AnonymousUser) -> dict[int, int]:
    """course id → number of lessons the person has completed (empty for anonymous)."""
    if not user.is_authenticated:
        return {}
    rows = (
        LessonProgress.objects.filter(user_id=user.pk)
        .values("lesson__course_id")
        .annotate(n=Count("pk"))
        .values_list("lesson__course_id", "n")
    )
    return dict(rows)


def completed_orders(user: User | AnonymousUser, course: OnlineCourse) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(LessonProgress.objects.filter(user_id=user.pk, lesson__course=course).values_list("lesson__order", flat=True))


def progress(user: User | AnonymousUser, course: OnlineCourse) -> Progress:
    total = Lesson.objects.filter(course=course).count()
    return Progress(len(completed_orders(user, course)), total)


def certificate_for(user: User | AnonymousUser, course: OnlineCourse) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(user_id=user.pk, course=course).first()
