"""Actions of the courses app: lesson progress, certificates, and the lifecycle of an
employer's request for an on-site course (기업출강).

Employer requests move only through the named transitions below, each moving through
the table `REQUEST_FLOW` (core/states.py):

    requested → accepted → scheduled → completed
    requested / accepted → declined

`schedule_request` accepts (if needed) and schedules in one transaction: it creates the
programmes Session (mode employer_site) through `programmes.services.create_session`,
opens it for enrolment, and gives the request an unguessable invitation token.

The operator's transitions take the operator as `actor` and log the change against the
requester (core.audit) inside their transaction, once the transition has succeeded.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_changes
from core.states import (
    IllegalTransition as IllegalTransition,  # what callers catch: services.IllegalTransition
)
from core.states import Transitions
from core.vocabulary import SEOUL
from courses import notify
from courses.models import Certificate, EmployerRequest, Lesson, LessonProgress, OnlineCourse
from programmes import services as programme_services
from programmes.models import Audience, Enrolment, Mode, Programme, Session

Status = EmployerRequest.Status

HEADCOUNT_MIN = 5
HEADCOUNT_MAX = 100
MAX_PREFERRED_DATES = 3
# Crockford-style alphabet without look-alikes (0/O, 1/I/L, U): easy to read out and type.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 30^12 ≈ 5·10^17
EMPLOYER_CONTACT_NOTICE_VERSION = "2026-1"

# to-state → the states it may be reached from
REQUEST_FLOW = Transitions(
    EmployerRequest,
    {
        Status.ACCEPTED: {Status.REQUESTED},
        Status.SCHEDULED: {Status.ACCEPTED},
        Status.COMPLETED: {Status.SCHEDULED},
        Status.DECLINED: {Status.REQUESTED, Status.ACCEPTED},
    },
    stamp="status_changed_at",
    touch=("updated_at",),
)


class RequestRefused(ValueError):
    """An action refused for a reason the person can fix; `field` names the form field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class CourseNotComplete(ValueError):
    pass


class InvitationClosed(ValueError):
    """The invitation's request is no longer scheduled (completed or otherwise closed)."""


# --- online courses -------------------------------------------------------------------------


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What a person typed → the stored form: upper case, no spaces or hyphens."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def is_course_complete(user: User, course: OnlineCourse) -> bool:
    total = Lesson.objects.filter(course=course).count()
    done = LessonProgress.objects.filter(user=user, lesson__course=course).count()
    return total > 0 and done >= total


@transaction.atomic
def complete_lesson(user: User, lesson: Lesson) -> tuple[LessonProgress, Certificate | None]:
    """Mark a lesson done (again is harmless). When it was the last one, the certificate is
    issued in the same transaction; it is returned only when newly issued."""
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"completed_at": timezone.now()}
    )
    certificate = None
    if is_course_complete(user, lesson.course) and not Certificate.objects.filter(user=user, course=lesson.course).exists():
        certificate = issue_certificate(user, lesson.course)
    return progress, certificate


@transaction.atomic
def issue_certificate(user: User, course: OnlineCourse) -> Certificate:
    """The person's certificate for the course, issued once every lesson is done."""
    existing = Certificate.objects.filter(user=user, course=course).first()
    if existing is not None:
        return existing
    if not is_course_complete(user, course):
        raise CourseNotComplete(_("모든 강의를 완료해야 수료증을 받을 수 있습니다."))
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    user=user, course=course, issued_at=timezone.now(), code=new_certificate_code()
                )
        except IntegrityError:  # a code collision (or a parallel issue for the same person)
            existing = Certificate.objects.filter(user=user, course=course).first()
            if existing is not None:
                return existing
    raise RuntimeError("could not draw a unique certificate code")


# --- employer requests ----------------------------------------------------------------------


def employer_programmes() -> list[Programme]:
    """Programmes an employer can book on site: the 재직자 programmes taught at employers."""
    return [
        p for p in Programme.objects.filter(audience=Audience.EMPLOYED).order_by("track", "order", "slug")
        if Mode.EMPLOYER_SITE in (p.modes or [])
    ]


def _lock(request_id: int) -> EmployerRequest:
    return EmployerRequest.objects.select_for_update().select_related("programme").get(pk=request_id)


@transaction.atomic
def submit_request(
    requester: User,
    *,
    company_name: str,
    contact_email: str,
    programme: Programme,
    headcount: int,
    preferred_dates: Sequence[dt.date],
    region: str,
    place: str,
    contact_phone: str = "",
    notes: str = "",
    consent_version: str = EMPLOYER_CONTACT_NOTICE_VERSION,
) -> EmployerRequest:
    """A new request (status requested). The form checks the same rules with friendlier
    messages; they are repeated here so no caller can store an invalid request."""
    today = timezone.localdate()
    dates = list(preferred_dates)
    if not dates:
        raise RequestRefused("preferred_date_1", _("희망일을 하나 이상 적어 주세요."))
    if len(dates) > MAX_PREFERRED_DATES:
        raise RequestRefused("preferred_date_3", _("희망일은 세 개까지 적을 수 있습니다."))
    if any(day <= today for day in dates):
        raise RequestRefused("preferred_date_1", _("희망일은 내일 이후 날짜여야 합니다."))
    if not HEADCOUNT_MIN <= headcount <= HEADCOUNT_MAX:
        raise RequestRefused("headcount", _("인원은 5명부터 100명까지 신청할 수 있습니다."))
    if programme.pk not in {p.pk for p in employer_programmes()}:
        raise RequestRefused("programme", _("기업출강으로 운영하는 재직자 프로그램을 골라 주세요."))
    padded = [*dates, None, None][:MAX_PREFERRED_DATES]
    request = EmployerRequest.objects.create(
        requester=requester,
        company_name=company_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        programme=programme,
        headcount=headcount,
        preferred_date_1=dates[0],
        preferred_date_2=padded[1],
        preferred_date_3=padded[2],
        region=region,
        place=place.strip(),
        notes=notes.strip(),
        consent_version=consent_version,
        consented_at=timezone.now(),
        status=Status.REQUESTED,
        status_changed_at=timezone.now(),
    )
    return request


def _logged(actor: User | None, request: EmployerRequest) -> EmployerRequest:
    record_changes(actor, [request], subject=lambda r: r.requester_id)
    return request


@transaction.atomic
def accept_request(request_id: int, *, actor: User | None = None) -> EmployerRequest:
    """requested → accepted (the date is not fixed yet)."""
    request = _lock(request_id)
    REQUEST_FLOW.move(request, Status.ACCEPTED)
    return _logged(actor, request)


@transaction.atomic
def schedule_request(
    request_id: int, *, day: dt.date, starts: dt.time, ends: dt.time, actor: User | None = None
) -> EmployerRequest:
    """(requested →) accepted → scheduled in one step: create and open the employer-site
    session (capacity = headcount) and the invitation token, then tell the employer."""
    request = _lock(request_id)
    if request.status == Status.REQUESTED:
        REQUEST_FLOW.move(request, Status.ACCEPTED)
    REQUEST_FLOW.check(request, Status.SCHEDULED)
    starts_at = dt.datetime.combine(day, starts, tzinfo=SEOUL)
    ends_at = dt.datetime.combine(day, ends, tzinfo=SEOUL)
    if ends_at <= starts_at:
        raise RequestRefused("ends", _("끝나는 시각은 시작 시각보다 늦어야 합니다."))
    if starts_at <= timezone.now():
        raise RequestRefused("day", _("교육 일시는 지금 이후여야 합니다."))
    session = programme_services.create_session(
        open_now=True,
        programme=request.programme,
        mode=Mode.EMPLOYER_SITE,
        centre=None,
        region=request.region,
        employer_place=f"{request.company_name} · {request.place}"[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        enrolment_deadline=starts_at,
        capacity=request.headcount,
        min_enrolment=1,  # the employer booked it: no 폐강 for low individual sign-up
    )
    REQUEST_FLOW.move(request, Status.SCHEDULED, session=session, invite_token=secrets.token_urlsafe(24))
    notify.send(notify.Event.SCHEDULED, request.pk)
    return _logged(actor, request)


@transaction.atomic
def decline_request(request_id: int, *, reason: str, actor: User | None = None) -> EmployerRequest:
    """requested/accepted → declined, with a reason the employer sees."""
    reason = reason.strip()
    if not reason:
        raise RequestRefused("reason", _("반려 사유를 적어 주세요."))
    request = _lock(request_id)
    REQUEST_FLOW.move(request, Status.DECLINED, decline_reason=reason[:300])
    notify.send(notify.Event.DECLINED, request.pk)
    return _logged(actor, request)


@transaction.atomic
def complete_request(request_id: int, *, actor: User | None = None) -> EmployerRequest:
    """scheduled → completed once the session has started; completes the session too
    (unless programmes already did)."""
    request = _lock(request_id)
    REQUEST_FLOW.check(request, Status.COMPLETED)
    if request.session_id is None:
        raise IllegalTransition(request, Status.COMPLETED)
    session = Session.objects.get(pk=request.session_id)
    if timezone.now() < session.starts_at:
        raise RequestRefused("__all__", _("아직 시작하지 않은 교육은 완료 처리할 수 없습니다."))
    if session.status in programme_services.LIVE_SESSION_STATES:
        programme_services.complete_session(session.pk, actor=actor)
    REQUEST_FLOW.move(request, Status.COMPLETED)
    return _logged(actor, request)


def invitation(token: str) -> EmployerRequest | None:
    if not token:
        return None
    return (
        EmployerRequest.objects.select_related("programme", "session")
        .filter(invite_token=token, status__in=[Status.SCHEDULED, Status.COMPLETED])
        .first()
    )


def join_by_invitation(token: str, user: User) -> Enrolment:
    """Enrol a member of the employer's staff in the employer session.

    Raises InvitationClosed, or programmes' EnrolmentRefused (already_enrolled, not_open,
    deadline_passed). The place is an ordinary enrolment: it does not stop the person from
    enrolling in any other session as an individual."""
    request = invitation(token)
    if request is None or request.status != Status.SCHEDULED or request.session_id is None:
        raise InvitationClosed(_("이 초대는 더 이상 유효하지 않습니다."))
    return programme_services.enrol(request.session_id, user)


def joined_count(request: EmployerRequest) -> int:
    if request.session_id is None:
        return 0
    return Enrolment.objects.filter(session_id=request.session_id, status=Enrolment.Status.CONFIRMED).count()


RETENTION_DAYS = 365


@transaction.atomic
def purge_closed_requests(now: dt.datetime | None = None) -> int:
    """Delete requests closed (completed or declined) more than RETENTION_DAYS ago, as the
    contact notice promises. The session and its enrolments stay in programmes."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=RETENTION_DAYS)
    deleted, _detail = EmployerRequest.objects.filter(
        status__in=[Status.COMPLETED, Status.DECLINED], status_changed_at__lt=cutoff
    ).delete()
    return deleted
