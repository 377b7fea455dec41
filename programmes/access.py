"""One door to enrolments: the same 404 for "missing" and "not yours", and the
personal-data access log whenever staff read or export someone else's place.

Staff reach a session only inside their scope (core/roles.py): the centres where they hold
`Perm.ROSTERS`, or every centre for a national role. A session without a centre (online
live, 기업출강) belongs to no centre, so only a national scope reaches it. Outside the
scope is the same 404 as missing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from core.audit import record_reads
from core.roles import Perm, filter_by_scope, in_scope
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


def _any_session(session_id: int) -> Session:
    session = Session.objects.select_related("programme", "centre").filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def sessions_in_scope(queryset: QuerySet[Any], user: Any, perm: Perm = Perm.ROSTERS) -> QuerySet[Any]:
    """Staff lists: only the sessions of the centres in the person's scope for `perm`."""
    return filter_by_scope(queryset, user, perm, field="centre")


def session_in_scope(user: Any, session: Session, perm: Perm = Perm.ROSTERS) -> bool:
    return in_scope(user, perm, session.centre_id)


def access_session(request: HttpRequest, session_id: int, *, perm: Perm = Perm.ROSTERS) -> Session:
    """A session for a staff screen or action: 404 when missing or outside the scope."""
    session = _any_session(session_id)
    if not session_in_scope(request.user, session, perm):
        raise Http404
    return session


def public_session_or_404(session: Session | None) -> Session:
    """The rule of `access_public_session` on a row already read (None: missing). The
    enrol actions pass it to services.enrol, which applies it to the row it locks."""
    if session is None or session.mode not in PUBLIC_MODES:
        raise Http404
    return session


def access_public_session(session_id: int) -> Session:
    """A session on the public pages and API: 404 for a 기업출강 session, whose staff join
    it through the employer's invitation (courses app), as for a missing one."""
    return public_session_or_404(Session.objects.select_related("programme", "centre").filter(pk=session_id).first())


def _log(request: HttpRequest, enrolments: Iterable[Enrolment], action: str) -> None:
    # One row per person: the log is read by data subject ("who looked at my data?"),
    # so a single row listing many subjects could not answer that question. One INSERT
    # for them all, so a roster costs the same queries for 2 people or 40.
    record_reads(request, actor=request.user, reads=[(enrolment.user_id, enrolment) for enrolment in enrolments], action=action)


def access_roster(
    request: HttpRequest, session_id: int, *, action: str = "view", perm: Perm = Perm.ROSTERS
) -> tuple[Session, list[Enrolment]]:
    """A session in the person's scope for `perm` and its active places, confirmed first,
    then the waitlist in queue order. Logs one access row per person listed."""
    session = access_session(request, session_id, perm=perm)
    enrolments = list(
        Enrolment.objects.select_related("user")
        .filter(session=session, status__in=Enrolment.ACTIVE)
        .order_by("status", "position", "created_at", "pk")  # "confirmed" < "waitlisted"
    )
    _log(request, enrolments, action)
    return session, enrolments


def access_enrolment(request: HttpRequest, enrolment_id: int) -> Enrolment:
    """An enrolment of a session in the person's scope, for a staff action. Not logged
    here: the action logs the change once it has succeeded, and a refused one shows nothing."""
    enrolment = Enrolment.objects.select_related("session").filter(pk=enrolment_id).first()
    if enrolment is None or not session_in_scope(request.user, enrolment.session):
        raise Http404
    return enrolment
