"""One door to courses objects: the same 404 for "missing" and "not yours", and the
personal-data access log whenever staff read someone else's request or roster."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from core.audit import record_access
from core.roles import ALL, Perm, centre_scope
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


def handles_employer_requests(user: object) -> bool:
    """기업출강 requests belong to no centre: the national desk (a national scope for
    `Perm.EMPLOYER_REQUESTS`) handles them; a centre's operator sees none."""
    return centre_scope(user, Perm.EMPLOYER_REQUESTS) is ALL


def access_request_as_staff(request: HttpRequest, request_id: int) -> EmployerRequest:
    """For the national desk only (404 for anyone else, as for a missing request). Not
    logged here: a change is logged by its action once it succeeds, and showing the page
    by `show_request_to_staff`."""
    employer_request = (
        EmployerRequest.objects.select_related("programme", "session", "requester").filter(pk=request_id).first()
    )
    if employer_request is None or not handles_employer_requests(request.user):
        raise Http404
    return employer_request


def show_request_to_staff(request: HttpRequest, employer_request: EmployerRequest) -> EmployerRequest:
    """The request's page shows the requester's contact details: log the read against them."""
    record_access(request, actor=request.user, subject_id=employer_request.requester_id, action="view", obj=employer_request)
    return employer_request


def access_request_roster(request: HttpRequest, employer_request: EmployerRequest) -> list[Enrolment]:
    """The people who joined through the invitation (the national desk); programmes logs
    one access row per person listed."""
    if employer_request.session_id is None:
        return []
    _session, enrolments = access_roster(request, employer_request.session_id, perm=Perm.EMPLOYER_REQUESTS)
    return enrolments
