from __future__ import annotations

import pytest

from accounts import services as account_services
from courses import services
from courses.models import Certificate, EmployerRequest, LessonProgress
from courses.tests.factories import UserFactory, course_with_lessons, scheduled_request
from programmes.models import Session

pytestmark = pytest.mark.django_db


def test_export_lists_progress_certificates_and_requests() -> None:
    owner = UserFactory.create()
    course = course_with_lessons(1, slug="first-steps")
    services.complete_lesson(owner, course.lessons.get())
    scheduled_request(owner)
    data = account_services.export_data(owner)["other"]["courses"]
    assert data["lessons_completed"][0]["course"] == "first-steps"
    assert len(data["certificates"]) == 1
    assert data["employer_requests"][0]["contact_email"] == "hr@hanbit.example"


def test_deleting_the_account_deletes_courses_data_but_keeps_the_session() -> None:
    owner = UserFactory.create()
    course = course_with_lessons(1)
    services.complete_lesson(owner, course.lessons.get())
    request = scheduled_request(owner)
    account_services.delete_account(owner)
    assert not LessonProgress.objects.exists() and not Certificate.objects.exists()
    assert not EmployerRequest.objects.exists()
    assert Session.objects.filter(pk=request.session_id or 0).exists()
