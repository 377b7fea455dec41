"""One door to enrolments: the same 404 for "missing" and "not yours", and the
personal-data access log whenever staff read or export someone else's place."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import Http404, HttpRequest

from core.audit import record_access
from programmes.models import Enrolment, Session
from programmes.queries import PUBLIC_MODES


def access_own_enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    """The requesting person's own enrolment, or 404."""
    enrolment = (
        Enrolment.objects.select_related("session__programme", "session__centre")
        .filter(pk=enrolment_id, user_id=request.user.pk or 0)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def access_session(session_id: int) -> Session:
    """Any session (staff screens, other apps' actions)."""
    session = Session.objects.select_related("programme", "centre").filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def access_public_session(session_id: int) -> Session:
    """A session on the public pages and API: 404 for a 기업출강 session, whose staff join
    it through the employer's invitation (courses app), as for a missing one."""
    session = access_session(session_id)
    if session.mode not in PUBLIC_MODES:
        raise Http404
    return session


def _log(request: HttpRequest, enrolments: Iterable[Enrolment], action: str) -> None:
    # One row per person: the log is read by data subject ("who looked at my data?"),
    # so a single row listing many subjects could not answer that question.
    for enrolment in enrolments:
        record_access(request, actor=request.user, subject_id=enrolment.user_id, action=action, obj=enrolment)


def access_roster(request: HttpRequest, session_id: int, *, action: str = "view") -> tuple[Session, list[Enrolment]]:
    """Staff only (the view carries @staff): a session and its active places, confirmed
    first, then the waitlist in queue order. Logs one access row per person listed."""
    session = access_session(session_id)
    enrolments = list(
        Enrolment.objects.select_related("user")
        .filter(session=session, status__in=Enrolment.ACTIVE)
        .order_by("status", "position", "created_at", "pk")  # "confirmed" < "waitlisted"
    )
    _log(request, enrolments, action)
    return session, enrolments


def access_enrolment(enrolment_id: int) -> Enrolment:
    """Any enrolment, for a staff action (the view carries @staff). Not logged here: the
    action logs the change once it has succeeded, and a refused one shows nothing."""
    enrolment = Enrolment.objects.select_related("session").filter(pk=enrolment_id).first()
    if enrolment is None:
        raise Http404
    return enrolment
