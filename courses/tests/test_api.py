from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from courses.models import Lesson
from courses.tests.factories import UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db


def test_list_courses_with_lesson_counts(client: Client) -> None:
    course_with_lessons(3, slug="first-steps")
    course_with_lessons(2, slug="strengths")
    data = client.get("/api/v1/courses").json()
    assert data["count"] == 2
    first = data["items"][0]
    assert first["slug"] == "first-steps" and first["lesson_count"] == 3 and first["total_minutes"] == 30
    assert first["page_url"] == "/courses/first-steps/"


def test_one_course_has_lessons_with_transcripts_and_null_videos(client: Client) -> None:
    course_with_lessons(2, slug="first-steps")
    data = client.get("/api/v1/courses/first-steps").json()
    assert [lesson["order"] for lesson in data["lessons"]] == [1, 2]
    assert data["lessons"][0]["video_url"] is None
    assert data["lessons"][0]["transcript_ko"]
    assert data["lessons"][0]["page_url"] == "/courses/first-steps/1/"


def test_an_unknown_course_is_an_error_out_404(client: Client) -> None:
    response = client.get("/api/v1/courses/nope")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_the_course_api_carries_no_personal_data(client: Client) -> None:
    course = course_with_lessons(1, slug="first-steps")
    client.force_login(UserFactory.create())
    data: dict[str, Any] = client.get(f"/api/v1/courses/{course.slug}").json()
    assert "progress" not in data and "certificate" not in data


def test_course_list_query_count_does_not_grow(client: Client, django_assert_max_num_queries: Any) -> None:
    for n in range(6):
        course_with_lessons(3, slug=f"c{n}")
    user = UserFactory.create()
    client.force_login(user)
    client.post("/courses/c0/1/complete/")
    with django_assert_max_num_queries(6):
        client.get("/courses/")
    assert Lesson.objects.count() == 18
