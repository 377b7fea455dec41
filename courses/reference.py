"""Load the free online courses from programmes/fixtures_data/programmes.json.

Idempotent: courses are upserted by slug and lessons by (course, order), saving only when
a value changed, so a second run writes nothing. A lesson that disappears from the file
is deleted (with the completion marks people had on it); certificates already issued stay
valid. `demo` is accepted for the loader interface; courses are not demo data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models, transaction

from courses.models import Lesson, OnlineCourse

COURSE_FIELDS = ("title_ko", "title_en", "summary_ko")
LESSON_FIELDS = ("title_ko", "title_en", "minutes", "video_url", "transcript_ko")
# First path segments under /courses/ that are not courses (see courses/urls.py).
RESERVED_SLUGS = frozenset({"certificates", "employer", "join", "staff"})


def data_file() -> Path:
    return Path(apps.get_app_config("programmes").path) / "fixtures_data" / "programmes.json"


def _validate(raw: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    courses = raw.get("online_courses")
    if not isinstance(courses, list) or not courses:
        raise ValueError("online_courses: missing or empty")
    seen: set[str] = set()
    for course in courses:
        slug = course.get("slug")
        if not slug or slug in seen or slug in RESERVED_SLUGS:
            raise ValueError(f"online_courses: missing, repeated or reserved slug {slug!r}")
        seen.add(slug)
        if not course.get("title_ko"):
            raise ValueError(f"online_courses.{slug}: title_ko is missing")
        lessons = course.get("lessons") or []
        orders = [lesson.get("order") for lesson in lessons]
        if not lessons or sorted(orders) != list(range(1, len(lessons) + 1)):
            raise ValueError(f"online_courses.{slug}: lesson orders must be 1..n, got {orders}")
        for lesson in lessons:
            if not lesson.get("title_ko") or not lesson.get("transcript_ko"):
                raise ValueError(f"online_courses.{slug}#{lesson['order']}: title_ko and transcript_ko are required")
            if not isinstance(lesson.get("minutes"), int) or lesson["minutes"] < 1:
                raise ValueError(f"online_courses.{slug}#{lesson['order']}: minutes must be a positive integer")
    return courses


def _apply(obj: models.Model, values: Mapping[str, Any]) -> bool:
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


def _upsert_course(index: int, spec: Mapping[str, Any]) -> str:
    values: dict[str, Any] = {name: spec.get(name) or "" for name in COURSE_FIELDS}
    values["order"] = index
    values["illustrative"] = bool(spec.get("illustrative", False))
    course = OnlineCourse.objects.filter(slug=spec["slug"]).first()
    status = "unchanged"
    if course is None:
        course = OnlineCourse.objects.create(slug=spec["slug"], **values)
        status = "created"
    elif _apply(course, values):
        course.save()
        status = "updated"
    existing = {lesson.order: lesson for lesson in Lesson.objects.filter(course=course)}
    wanted = set()
    for lesson_spec in spec["lessons"]:
        order = int(lesson_spec["order"])
        wanted.add(order)
        lesson_values: dict[str, Any] = {
            "title_ko": lesson_spec["title_ko"],
            "title_en": lesson_spec.get("title_en") or "",
            "minutes": int(lesson_spec["minutes"]),
            "video_url": lesson_spec.get("video_url") or None,
            "transcript_ko": lesson_spec["transcript_ko"],
        }
        lesson = existing.get(order)
        if lesson is None:
            Lesson.objects.create(course=course, order=order, **lesson_values)
            status = "updated" if status == "unchanged" else status
        elif _apply(lesson, lesson_values):
            lesson.save()
            status = "updated" if status == "unchanged" else status
    gone = [lesson.pk for order, lesson in existing.items() if order not in wanted]
    if gone:
        Lesson.objects.filter(pk__in=gone).delete()
        status = "updated" if status == "unchanged" else status
    return status


@transaction.atomic
def load_courses(path: Path | None = None) -> dict[str, str]:
    """Upsert every course in the file; returns slug → created | updated | unchanged."""
    raw = json.loads((path or data_file()).read_text(encoding="utf-8"))
    return {spec["slug"]: _upsert_course(index, spec) for index, spec in enumerate(_validate(raw), start=1)}


def load(write: Callable[[str], None], *, demo: bool = True) -> None:
    for slug, status in load_courses().items():
        write(f"online course {slug}: {status}")
