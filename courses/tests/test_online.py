from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from courses import services
from courses.models import Certificate, LessonProgress, OnlineCourse
from courses.tests.factories import UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db


@pytest.fixture
def course() -> OnlineCourse:
    return course_with_lessons(5, slug="first-steps", title_ko="인생 후반전 지도 그리기")


@pytest.fixture
def owner() -> User:
    return UserFactory.create()


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def finish(user: User, course: OnlineCourse, upto: int | None = None) -> None:
    for lesson in course.lessons.order_by("order")[:upto]:
        services.complete_lesson(user, lesson)


def test_anyone_can_list_courses_and_read_a_lesson(client: Client, course: OnlineCourse) -> None:
    assert "인생 후반전 지도 그리기" in client.get("/courses/").content.decode()
    assert client.get("/courses/first-steps/").status_code == 200
    page = client.get("/courses/first-steps/1/").content.decode()
    assert "지나온 일의 길을 돌아봅니다" in page  # the full transcript


def test_a_lesson_without_video_says_so_and_has_no_player(client: Client, course: OnlineCourse) -> None:
    page = client.get("/courses/first-steps/1/").content.decode()
    assert "영상 준비 중" in page
    assert "<video" not in page and "autoplay" not in page


def test_an_external_video_is_a_plain_link(client: Client, course: OnlineCourse) -> None:
    course.lessons.filter(order=1).update(video_url="https://video.example/watch/1")
    page = client.get("/courses/first-steps/1/").content.decode()
    assert 'href="https://video.example/watch/1"' in page
    assert "<video" not in page


def test_our_own_video_file_gets_controls_without_autoplay(client: Client, course: OnlineCourse) -> None:
    course.lessons.filter(order=1).update(video_url="/media/lesson1.mp4")
    page = client.get("/courses/first-steps/1/").content.decode()
    assert "<video controls" in page and "autoplay" not in page


def test_anonymous_visitors_are_offered_login_instead_of_the_button(client: Client, course: OnlineCourse) -> None:
    page = client.get("/courses/first-steps/1/").content.decode()
    assert "/accounts/login/?next=%2Fcourses%2Ffirst-steps%2F1%2F" in page
    assert "이 강의 완료" not in page


def test_completing_needs_an_account(client: Client, course: OnlineCourse) -> None:
    response = client.post("/courses/first-steps/1/complete/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not LessonProgress.objects.exists()


def test_completing_a_lesson_records_progress_and_shows_it(course: OnlineCourse, owner: User) -> None:
    client = logged_in(owner)
    for order in (1, 2, 3):
        response = client.post(f"/courses/first-steps/{order}/complete/")
        assert response.status_code == 302
    assert LessonProgress.objects.filter(user=owner).count() == 3
    assert "3/5 강의 완료" in client.get("/courses/first-steps/").content.decode()
    assert "3/5 강의 완료" in client.get("/courses/").content.decode()


def test_completing_twice_keeps_one_mark(course: OnlineCourse, owner: User) -> None:
    client = logged_in(owner)
    client.post("/courses/first-steps/1/complete/")
    client.post("/courses/first-steps/1/complete/")
    assert LessonProgress.objects.filter(user=owner).count() == 1


def test_progress_is_per_person(course: OnlineCourse, owner: User) -> None:
    finish(owner, course, upto=3)
    other = logged_in(UserFactory.create())
    assert "0/5 강의 완료" in other.get("/courses/first-steps/").content.decode()


def test_no_certificate_before_every_lesson_is_done(course: OnlineCourse, owner: User) -> None:
    finish(owner, course, upto=4)
    client = logged_in(owner)
    assert client.get("/courses/first-steps/certificate/").status_code == 302
    assert client.get("/courses/first-steps/certificate.pdf").status_code == 404
    assert not Certificate.objects.exists()


def test_the_last_lesson_issues_the_certificate(course: OnlineCourse, owner: User) -> None:
    finish(owner, course, upto=4)
    response = logged_in(owner).post("/courses/first-steps/5/complete/")
    assert response["Location"] == "/courses/first-steps/certificate/"
    certificate = Certificate.objects.get(user=owner, course=course)
    assert len(certificate.code) == services.CODE_LENGTH


def test_certificate_pdf_is_a_pdf_for_the_owner(course: OnlineCourse, owner: User) -> None:
    finish(owner, course)
    response = logged_in(owner).get("/courses/first-steps/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_another_person_cannot_get_the_owners_certificate(course: OnlineCourse, owner: User) -> None:
    finish(owner, course)
    assert logged_in(UserFactory.create()).get("/courses/first-steps/certificate.pdf").status_code == 404


def test_certificate_downloads_need_an_account(client: Client, course: OnlineCourse) -> None:
    response = client.get("/courses/first-steps/certificate.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_typed_name_is_not_stored(course: OnlineCourse, owner: User) -> None:
    finish(owner, course)
    response = logged_in(owner).post("/courses/first-steps/certificate.pdf", {"name": "홍길동"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    certificate = Certificate.objects.get(user=owner)
    assert "홍길동" not in str(Certificate.objects.filter(pk=certificate.pk).values().get())


def test_a_too_long_name_is_refused_and_kept(course: OnlineCourse, owner: User) -> None:
    finish(owner, course)
    response = logged_in(owner).post("/courses/first-steps/certificate.pdf", {"name": "가" * 41})
    assert response.status_code == 400
    page = response.content.decode()
    assert "40자까지" in page and "가" * 41 in page


def test_verification_shows_course_and_date_but_no_personal_data(client: Client, course: OnlineCourse, owner: User) -> None:
    finish(owner, course)
    certificate = Certificate.objects.get(user=owner)
    page = client.get(f"/courses/certificates/{certificate.display_code}/").content.decode()
    assert "인생 후반전 지도 그리기" in page
    assert certificate.issued_at.strftime("%Y") in page
    assert owner.email not in page


def test_verification_of_an_unknown_code_is_404(client: Client) -> None:
    assert client.get("/courses/certificates/ABCDABCDABCD/").status_code == 404


def test_lookup_form_normalises_the_code(client: Client, course: OnlineCourse, owner: User) -> None:
    finish(owner, course)
    certificate = Certificate.objects.get(user=owner)
    response = client.get("/courses/certificates/", {"code": certificate.display_code.lower()})
    assert response.status_code == 302 and certificate.code in response["Location"]


def test_lookup_form_explains_a_short_code(client: Client) -> None:
    response = client.get("/courses/certificates/", {"code": "ABC"})
    assert response.status_code == 400 and "12자리" in response.content.decode()


def test_unknown_course_and_lesson_are_404(client: Client, course: OnlineCourse) -> None:
    assert client.get("/courses/no-such-course/").status_code == 404
    assert client.get("/courses/first-steps/99/").status_code == 404
