from __future__ import annotations

import json
from pathlib import Path

import pytest

from courses import reference
from courses.models import Lesson, LessonProgress, OnlineCourse
from courses.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_loads_the_five_courses_with_nullable_videos() -> None:
    reference.load_courses()
    assert OnlineCourse.objects.count() == 5
    assert Lesson.objects.filter(video_url__isnull=True).count() == Lesson.objects.count()
    assert not Lesson.objects.filter(transcript_ko="").exists()


def test_second_run_changes_nothing() -> None:
    reference.load_courses()
    before = list(Lesson.objects.order_by("pk").values())
    statuses = reference.load_courses()
    assert set(statuses.values()) == {"unchanged"}
    assert list(Lesson.objects.order_by("pk").values()) == before


def _write(tmp_path: Path, courses: list[dict[str, object]]) -> Path:
    path = tmp_path / "programmes.json"
    path.write_text(json.dumps({"online_courses": courses}, ensure_ascii=False), encoding="utf-8")
    return path


def _course(slug: str = "c1", lessons: int = 2, title: str = "강좌") -> dict[str, object]:
    return {
        "slug": slug, "title_ko": title, "summary_ko": "",
        "lessons": [
            {"order": i, "title_ko": f"강의 {i}", "minutes": 5, "video_url": None, "transcript_ko": "대본"}
            for i in range(1, lessons + 1)
        ],
    }


def test_a_changed_title_is_updated_in_place(tmp_path: Path) -> None:
    reference.load_courses(_write(tmp_path, [_course()]))
    pk = OnlineCourse.objects.get(slug="c1").pk
    assert reference.load_courses(_write(tmp_path, [_course(title="새 제목")])) == {"c1": "updated"}
    assert OnlineCourse.objects.get(slug="c1").pk == pk
    assert OnlineCourse.objects.get(slug="c1").title_ko == "새 제목"


def test_a_lesson_dropped_from_the_file_is_removed_with_its_progress(tmp_path: Path) -> None:
    reference.load_courses(_write(tmp_path, [_course(lessons=3)]))
    LessonProgress.objects.create(user=UserFactory.create(), lesson=Lesson.objects.get(order=3), completed_at="2026-01-01T00:00Z")
    reference.load_courses(_write(tmp_path, [_course(lessons=2)]))
    assert sorted(Lesson.objects.values_list("order", flat=True)) == [1, 2]
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize(
    "courses",
    [
        [_course(slug="employer")],
        [_course(), _course()],
        [{**_course(), "lessons": [{"order": 2, "title_ko": "x", "minutes": 5, "transcript_ko": "y"}]}],
        [{**_course(), "lessons": [{"order": 1, "title_ko": "x", "minutes": 5, "transcript_ko": ""}]}],
    ],
    ids=["reserved-slug", "repeated-slug", "orders-not-1-n", "no-transcript"],
)
def test_bad_files_are_refused(tmp_path: Path, courses: list[dict[str, object]]) -> None:
    with pytest.raises(ValueError):
        reference.load_courses(_write(tmp_path, courses))
    assert not OnlineCourse.objects.exists()
