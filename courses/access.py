"""One door to courses objects: the same 404 for "missing" and "not yours", and the
personal-data access log whenever staff read someone else's request or roster."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from core.audit import record_access
from courses.models import Certificate, EmployerRequest, Lesson, OnlineCourse
from programmes.access import access_roster
from programmes.models import Enrolment


def access_course(slug: str) -> OnlineCourse:
    course = OnlineCourse.objects.filter(slug=slug).first()
    if course is None:
        raise Http404
    return course


def access_lesson(course: OnlineCourse, order: int) -> Lesson:
    lesson = Lesson.objects.filter(course=course, order=order).select_related("course").first()
    if lesson is None:
        raise Http404
    return lesson


def access_certificate_by_code(code: str) -> Certificate:
    """Public verification: anyone holding the code. Callers show course and date only."""
    certificate = Certificate.objects.select_related("course").filter(code=code).first()
    if certificate is None:
        raise Http404
    return certificate


def access_own_request(request: HttpRequest, request_id: int) -> EmployerRequest:
    """The requesting person's own employer request, or 404."""
    employer_request = (
        EmployerRequest.objects.select_related("programme", "session")
        .filter(pk=request_id, requester_id=getattr(request.user, "pk", None))
        .first()
    )
    if employer_request is None:
        raise Http404
    return employer_request


def access_request_as_staff(request: HttpRequest, request_id: int, *, action: str = "view") -> EmployerRequest:
    """Staff only (the view carries @staff). The request holds the requester's contact
    details, so reading or changing it is logged against them."""
    employer_request = (
        EmployerRequest.objects.select_related("programme", "session", "requester").filter(pk=request_id).first()
    )
    if employer_request is None:
        raise Http404
    record_access(request, actor=request.user, subject_id=employer_request.requester_id, action=action, obj=employer_request)
    return employer_request


def access_request_roster(request: HttpRequest, employer_request: EmployerRequest) -> list[Enrolment]:
    """The people who joined through the invitation (staff only); programmes logs one
    access row per person listed."""
    if employer_request.session_id is None:
        return []
    _session, enrolments = access_roster(request, employer_request.session_id)
    return enrolments
