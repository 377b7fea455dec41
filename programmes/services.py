"""Actions of the programmes app: the only code that changes a session's or an
enrolment's status.

Every transition is a named function that moves the status through its table
(`SESSION_FLOW`, `ENROLMENT_FLOW`, core/states.py), which raises `IllegalTransition`
for a jump the lifecycle does not allow.

One way into a session: `enrol` is the only code that gives someone a place (a seat or
the waitlist). The public enrol button, an offer of alternatives, an operator's merge and
a pooled invitation all call it with their `Door`; it checks the door's rule
(`refusal`), gives people already waiting a free seat first, counts seats held for
displaced people, and sends the notice.

No overselling: every action that reads seat counts and then writes starts with
`_lock_session`, inside `transaction.atomic`. On PostgreSQL that is `SELECT … FOR UPDATE`
on the session row, so enrolments into one session queue behind each other while other
sessions proceed in parallel. On SQLite `FOR UPDATE` does not exist; instead the
settings open every atomic block with `BEGIN IMMEDIATE` (`transaction_mode`), which takes
the database write lock before the first read, so count-then-insert is serialised
(checked at start-up by `programmes.checks`).

Access log: an action that changes other people's places takes the acting staff member
as `actor` and logs one row per person changed (`core.audit.record_changes`) inside its
transaction, after the change succeeded. `actor=None` is the platform's own work (jobs).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import F, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core import compiled
from core.audit import record_changes
from core.states import (
    IllegalTransition as IllegalTransition,  # what callers catch: services.IllegalTransition
)
from core.states import Transitions
from programmes import eligibility, notify
from programmes.models import Enrolment, Session
from rescue import holds
from rescue.models import SeatHold

SessionStatus = Session.Status
EnrolmentStatus = Enrolment.Status

# to-state → the states it may be reached from
SESSION_FLOW = Transitions(
    Session,
    {
        SessionStatus.OPEN: {SessionStatus.SCHEDULED, SessionStatus.CLOSED},
        SessionStatus.CLOSED: {SessionStatus.OPEN},
        SessionStatus.CANCELLED: {SessionStatus.SCHEDULED, SessionStatus.OPEN, SessionStatus.CLOSED},
        SessionStatus.COMPLETED: {SessionStatus.OPEN, SessionStatus.CLOSED},
    },
    stamp="status_changed_at",
    touch=("updated_at",),
)
ENROLMENT_FLOW = Transitions(
    Enrolment,
    {
        EnrolmentStatus.CONFIRMED: {EnrolmentStatus.WAITLISTED},
        EnrolmentStatus.CANCELLED: {EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED},
    },
)
# A session still taking people (or moving them up the waitlist).
LIVE_SESSION_STATES = frozenset({SessionStatus.OPEN, SessionStatus.CLOSED})
# A session whose places are still moving: live, or scheduled with invited people or
# people merged in before it opens to everyone.
SEATING_STATES = frozenset({SessionStatus.SCHEDULED, *LIVE_SESSION_STATES})


class Door(enum.StrEnum):
    """How someone comes to take a place; each door has its own rule (see `refusal`)."""

    PUBLIC = "public"  # anyone: the session is open and its deadline has not passed
    INVITED = "invited"  # a pooled invitation: also while the session is still scheduled
    OPERATOR = "operator"  # an operator moves people in (merge): any session not yet started


class EnrolmentRefused(ValueError):
    """The person cannot take a place in this session; `code` says why."""

    def __init__(self, code: str, message: str, enrolment: Enrolment | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.enrolment = enrolment


class SessionChangeRefused(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


# --- helpers ------------------------------------------------------------------------------


def _lock_session(session_id: int) -> Session:
    """Lock the session row for the rest of the transaction (see the module docstring).
    Its programme and centre come in the same query (the messages name them) without
    being locked: `of=("self",)` locks the session row only."""
    return Session.objects.select_for_update(of=("self",)).select_related("programme", "centre").get(pk=session_id)


PROFILE_FIELDS = ("birth_year", "employment_status", "firm_size")


def _locked_with_profile(session_id: int, user_id: int) -> QuerySet[Session]:
    """The query of `_lock_session_reading_profile`, compiled once per process (core.compiled)."""
    from diagnosis.models import Result

    latest = Result.objects.filter(owner_id=user_id).order_by("-created_at", "-pk")
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("programme", "centre")
        .annotate(
            lc_profile_id=Subquery(latest.values("pk")[:1]),
            **{f"lc_{name}": Subquery(latest.values(name)[:1]) for name in PROFILE_FIELDS},
        )
        .filter(pk=session_id)
    )


def _lock_session_reading_profile(
    session_id: int, user: User, access: Callable[[Session | None], Session] | None = None
) -> tuple[Session, Mapping[str, Any] | None]:
    """`_lock_session`, with what eligibility reads from the person's latest self-diagnosis
    (birth year, employment status, firm size; None when they have none) in the same
    query: one round trip fewer per enrolment (bench/writes.py). Only the person's own
    diagnosis comes this way, never anything the lock protects: the subqueries may see the
    database as it was before the lock was granted, which for the session's places would
    be wrong (those are read after the lock, `_seat_state`) and for a diagnosis is not.

    The query's SQL is the same for every enrolment, and building and compiling it (the
    joins, four subqueries) was about a third of the enrol button's CPU: it is compiled
    once per process (`core.compiled.first`), the row made as the queryset would.

    `access` (e.g. programmes.access.public_session_or_404) is the caller's access rule,
    applied to the locked row (None when the session does not exist): the rule is about
    the session's mode, which the lock reads anyway, so the check costs no query of its own."""
    found = compiled.first(_locked_with_profile, session_id=int(session_id), user_id=int(user.pk))
    if access is not None:
        session = access(found)
    elif found is None:
        raise Session.DoesNotExist("Session matching query does not exist.")
    else:
        session = found
    if getattr(session, "lc_profile_id") is None:  # noqa: B009 - an annotation mypy does not know on a Session
        return session, None
    return session, {name: getattr(session, f"lc_{name}") for name in PROFILE_FIELDS}


class Timetable(Protocol):
    """What `refusal` reads of a session: a Session, or the kept `queries.Listed` of a list."""

    @property
    def status(self) -> str: ...
    @property
    def starts_at(self) -> dt.datetime: ...
    @property
    def enrolment_deadline(self) -> dt.datetime: ...


def refusal(session: Timetable, *, door: Door = Door.PUBLIC, held: bool = False, now: dt.datetime) -> EnrolmentRefused | None:
    """Why the person may not take a place in `session` through `door` now, or None.
    A seat held for them (`held`) lets them in until the start, past the deadline and
    after enrolment closes: it was kept for them (and a hold never outlives the deadline
    it was given under)."""
    if (held or door is Door.OPERATOR) and session.status in SEATING_STATES and now < session.starts_at:
        return None
    allowed = (SessionStatus.OPEN, SessionStatus.SCHEDULED) if door is Door.INVITED else (SessionStatus.OPEN,)
    if door is Door.OPERATOR or session.status not in allowed:
        return EnrolmentRefused("not_open", _("이 회차는 지금 신청을 받지 않습니다."))
    if now >= session.enrolment_deadline:
        return EnrolmentRefused("deadline_passed", _("신청 마감 일시가 지났습니다."))
    return None


@dataclass(frozen=True)
class SeatState:
    confirmed: int
    waiting: int
    last_position: int | None
    mine: int  # the person's active places in this session (0 or 1)
    held_for_others: int  # live seat holds of other people (rescue.holds.held_seats)
    my_hold_id: int | None  # the person's own live hold (rescue.holds.live_hold), if any


SEAT_STATE_SQL = """
    SELECT
        COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0),
        COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0),
        MAX(CASE WHEN status = 'waitlisted' THEN position END),
        COALESCE(SUM(CASE WHEN user_id = %(user)s AND status IN ('confirmed', 'waitlisted') THEN 1 ELSE 0 END), 0),
        (SELECT COUNT(*) FROM {holds} WHERE session_id = %(session)s AND status = 'held' AND expires_at > %(now)s
            AND user_id <> %(user)s),
        (SELECT MIN(id) FROM {holds} WHERE session_id = %(session)s AND status = 'held' AND expires_at > %(now)s
            AND user_id = %(user)s)
    FROM {table}
    WHERE session_id = %(session)s
"""


def _seat_state(session: Session, user: User, now: dt.datetime) -> SeatState:
    """Everything enrol needs to decide, in one query, run under the session lock: the
    seats taken and waiting, the person's own place, and the live seat holds (the same
    rule as rescue.holds.held_seats / live_hold: `held` and not yet expired).

    Plain SQL (portable CASE/SUM and scalar subqueries, no FILTER clause) because this is
    the hot path: each query under the lock is a round trip every other enrolment into the
    session waits for (bench/enrolment.py, bench/writes.py). Built with the ORM's
    aggregate() the whole enrol action took about twice the CPU time."""
    sql = SEAT_STATE_SQL.format(table=Enrolment._meta.db_table, holds=SeatHold._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"user": user.pk, "session": session.pk, "now": now})
        confirmed, waiting, last_position, mine, held, my_hold = cursor.fetchone()
    return SeatState(
        int(confirmed), int(waiting), None if last_position is None else int(last_position), int(mine),
        int(held), None if my_hold is None else int(my_hold),
    )


def confirmed_count(session: Session) -> int:
    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.CONFIRMED).count()


def _close_gap(session_id: int, position: int | None) -> None:
    """Close the gap a place leaving the waitlist leaves, so positions stay 1..n in
    arrival order (the position is the person's place in the queue)."""
    if position is None:
        return
    Enrolment.objects.filter(
        session_id=session_id, status=EnrolmentStatus.WAITLISTED, position__gt=position
    ).update(position=F("position") - 1)


# --- sessions ---------------------------------------------------------------------------


SESSION_FIELDS = (
    "programme", "mode", "centre", "region", "employer_place", "online_url",
    "starts_at", "ends_at", "enrolment_deadline", "capacity", "min_enrolment",
)


@transaction.atomic
def create_session(*, open_now: bool = False, **fields: Any) -> Session:
    """A new session starts as `scheduled`; `open_now` opens enrolment straight away."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    session = Session(**fields)
    session.save()
    if open_now:
        SESSION_FLOW.move(session, SessionStatus.OPEN)
    return session


@transaction.atomic
def update_session(session_id: int, *, actor: User | None = None, **fields: Any) -> Session:
    """Change a session's schedule, place or size (not its status). Raising the capacity
    moves waitlisted people up at once (each promotion is logged against `actor`); it can
    never drop below the confirmed count."""
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {sorted(unknown)}")
    session = _lock_session(session_id)
    if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
        raise SessionChangeRefused("__all__", _("취소되었거나 종료된 회차는 고칠 수 없습니다."))
    if "capacity" in fields:
        taken = confirmed_count(session)
        if fields["capacity"] < taken:
            raise SessionChangeRefused(
                "capacity", _("정원은 이미 확정된 인원(%(n)d명)보다 적을 수 없습니다.") % {"n": taken}
            )
    for name, value in fields.items():
        setattr(session, name, value)
    if session.capacity < session.min_enrolment:
        raise SessionChangeRefused("capacity", _("정원은 최소 개설 인원보다 적을 수 없습니다."))
    session.save()
    record_changes(actor, fill_free_seats(session))
    return session


@transaction.atomic
def open_session(session_id: int, *, actor: User | None = None) -> Session:
    """scheduled → open, or closed → open (reopen enrolment)."""
    session = _lock_session(session_id)
    SESSION_FLOW.move(session, SessionStatus.OPEN)
    return session


@transaction.atomic
def close_enrolment(session_id: int, *, actor: User | None = None) -> Session:
    """open → closed: no new enrolments; cancellations still move the waitlist up."""
    session = _lock_session(session_id)
    SESSION_FLOW.move(session, SessionStatus.CLOSED)
    return session


@transaction.atomic
def cancel_session(session_id: int, *, actor: User | None = None) -> Session:
    """→ cancelled: every active place is cancelled and its holder told; one access-log
    row per place against `actor`. Every way of cancelling a session (the roster's status
    form, the at-risk page, a merge) ends here."""
    session = _lock_session(session_id)
    SESSION_FLOW.move(session, SessionStatus.CANCELLED)
    now = timezone.now()
    for enrolment in Enrolment.objects.filter(session=session, status__in=Enrolment.ACTIVE):
        ENROLMENT_FLOW.move(
            enrolment, EnrolmentStatus.CANCELLED,
            position=None, cancelled_at=now, cancel_reason=Enrolment.CancelReason.SESSION_CANCELLED,
        )
        notify.send(notify.Event.SESSION_CANCELLED, enrolment.pk)
        record_changes(actor, [enrolment])
    return session


@transaction.atomic
def complete_session(session_id: int, *, actor: User | None = None) -> Session:
    """open/closed → completed once the session has started. People still waiting can no
    longer get a seat, so their places close (without an e-mail)."""
    session = _lock_session(session_id)
    if timezone.now() < session.starts_at:
        raise SessionChangeRefused("__all__", _("아직 시작하지 않은 회차는 종료 처리할 수 없습니다."))
    SESSION_FLOW.move(session, SessionStatus.COMPLETED)
    now = timezone.now()
    for enrolment in Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED).order_by("-position"):
        ENROLMENT_FLOW.move(
            enrolment, EnrolmentStatus.CANCELLED,
            position=None, cancelled_at=now, cancel_reason=Enrolment.CancelReason.WAITLIST_EXPIRED,
        )
        record_changes(actor, [enrolment])
    return session


# --- enrolments ---------------------------------------------------------------------------


def eligibility_refusal(session: Session, latest: Mapping[str, Any] | None) -> str | None:
    """Why the person's latest diagnosis (`_lock_session_reading_profile`) makes this
    session's programme not for them, or None (also when they have no diagnosis)."""
    if latest is None:
        return None
    age = timezone.localdate().year - latest["birth_year"]
    return eligibility.refusal(
        session.programme, age=age, status=latest["employment_status"], firm_size=latest["firm_size"]
    )


def enrol(
    session_id: int,
    user: User,
    *,
    door: Door = Door.PUBLIC,
    tell: bool = True,
    access: Callable[[Session | None], Session] | None = None,
) -> Enrolment:
    """Give the person a place: a seat if one is free for them, else the end of the waitlist.

    The one way into a session (see the module docstring). People already waiting get
    a free seat before a newcomer; a seat held for this person is theirs (the hold is
    used up), seats held for others count as taken. `tell=False` when the caller sends
    a richer message of its own (a merge). Raises `EnrolmentRefused` (code: not_open,
    deadline_passed, already_enrolled — with the existing place; not_eligible).
    Eligibility is read from the person's latest self-diagnosis (age, status, firm size);
    someone who has none may enrol — the session page shows whom the programme is for
    (docs/guide-map.md, "Sessions a plan links to").

    Under the session lock: the lock (which brings the person's diagnosis along, one
    round trip for both), one query for the seat state (`_seat_state`), the insert and the
    message into the outbox with its delivery task.

    `access`: the caller's access rule for the session, run on the locked row (see
    `_lock_session_reading_profile`); what it raises (Http404) rolls the action back.
    The place's `session` is the locked row with its programme and centre and, for an
    answer that shows them, the session's totals after this place as
    `confirmed_total` / `waitlist_total` (the names `queries.with_counts` gives them):
    counted under the lock, they are exact at the commit, with no query after it.
    """
    with transaction.atomic():
        # everything below is serialised per session
        session, profile = _lock_session_reading_profile(session_id, user, access)
        now = timezone.now()
        state = _seat_state(session, user, now)
        if state.mine:
            existing = Enrolment.objects.filter(session=session, user=user, status__in=Enrolment.ACTIVE).first()
            raise EnrolmentRefused("already_enrolled", _("이미 신청한 회차입니다."), existing)
        hold = SeatHold.objects.get(pk=state.my_hold_id) if state.my_hold_id is not None else None
        refused = refusal(session, door=door, held=hold is not None, now=now)
        if refused is not None:
            raise refused
        not_for_them = eligibility_refusal(session, profile)
        if not_for_them:
            raise EnrolmentRefused("not_eligible", not_for_them)
        seats = session.capacity - state.held_for_others
        if state.confirmed < seats and state.waiting and fill_free_seats(session):
            # A seat freed up while nobody could be moved up (e.g. a hold lapsed before the
            # expiry job ran): the people waiting get it first.
            state = _seat_state(session, user, now)
        if state.confirmed < seats:
            enrolment = Enrolment(session=session, user=user, status=EnrolmentStatus.CONFIRMED, confirmed_at=now)
            event = notify.Event.CONFIRMED
        else:
            position = (state.last_position or 0) + 1
            enrolment = Enrolment(session=session, user=user, status=EnrolmentStatus.WAITLISTED, position=position)
            event = notify.Event.WAITLISTED
        # No savepoint around the insert: under the lock the unique constraint cannot fire; if
        # it ever did, the IntegrityError rolls the whole action back, which is what we want.
        # The ORM's INSERT, compiled once per process (core.compiled).
        compiled.insert(enrolment)
        confirmed = enrolment.status == EnrolmentStatus.CONFIRMED
        session.confirmed_total = state.confirmed + confirmed  # type: ignore[attr-defined]
        session.waitlist_total = state.waiting + (not confirmed)  # type: ignore[attr-defined]
        if hold is not None:
            holds.close(hold, confirmed=confirmed)
        if tell:
            notify.send(event, enrolment.pk, created=enrolment)
    return enrolment


@transaction.atomic
def cancel_enrolment(enrolment_id: int, *, by_staff: bool = False, actor: User | None = None) -> Enrolment:
    """confirmed/waitlisted → cancelled. A freed seat goes to the next person waiting, in
    the same transaction, and they are told. A staff cancellation (`by_staff`) logs the
    cancelled place and any promotion against `actor`."""
    session_id = Enrolment.objects.values_list("session_id", flat=True).get(pk=enrolment_id)
    session = _lock_session(session_id)
    enrolment = Enrolment.objects.get(pk=enrolment_id)  # re-read under the lock
    if enrolment.status in Enrolment.ACTIVE and timezone.now() >= session.starts_at:
        raise EnrolmentRefused("started", _("이미 시작한 회차는 취소할 수 없습니다."), enrolment)
    was = enrolment.status
    old_position = enrolment.position
    ENROLMENT_FLOW.move(
        enrolment, EnrolmentStatus.CANCELLED,
        position=None, cancelled_at=timezone.now(),
        cancel_reason=Enrolment.CancelReason.STAFF if by_staff else Enrolment.CancelReason.SELF,
    )
    _close_gap(session.pk, old_position)
    notify.send(notify.Event.CANCELLED, enrolment.pk)
    promoted = fill_free_seats(session) if was == EnrolmentStatus.CONFIRMED else []
    if by_staff:  # a person's own cancellation moves the next one up by rule: nobody else acted
        record_changes(actor, [enrolment, *promoted])
    return enrolment


def promote_next(session: Session) -> Enrolment | None:
    """waitlisted → confirmed for the person at position 1, if a seat is free.

    Must run inside the transaction that holds the session lock (callers: cancel_enrolment,
    update_session, fill_free_seats)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("promote_next must run inside the session's locked transaction")
    if session.status not in SEATING_STATES or timezone.now() >= session.starts_at:
        return None
    if confirmed_count(session) + holds.held_seats(session.pk) >= session.capacity:
        return None
    head = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED).order_by("position").first()
    if head is None:
        return None
    now = timezone.now()
    old_position = head.position
    ENROLMENT_FLOW.move(head, EnrolmentStatus.CONFIRMED, position=None, confirmed_at=now, promoted_at=now)
    _close_gap(session.pk, old_position)
    notify.send(notify.Event.PROMOTED, head.pk)
    return head


def fill_free_seats(session: Session) -> list[Enrolment]:
    promoted: list[Enrolment] = []
    while (enrolment := promote_next(session)) is not None:
        promoted.append(enrolment)
    return promoted


def withdraw_person(user_id: int) -> list[Enrolment]:
    """Cancel a person's active places in sessions that have not started, each in its own
    locked transaction (so seats and queue positions pass on as for any cancellation).
    Call it before deleting an account: deleting the rows would leave seats and queue
    positions behind without moving anybody up."""
    now = timezone.now()
    cancelled = []
    ids = Enrolment.objects.filter(user_id=user_id, status__in=Enrolment.ACTIVE, session__starts_at__gt=now)
    for enrolment_id in ids.values_list("pk", flat=True):
        cancelled.append(cancel_enrolment(enrolment_id))
    return cancelled


@transaction.atomic
def mark_attendance(enrolment_id: int, attended: bool, *, actor: User | None = None) -> Enrolment:
    """Record whether a confirmed person came. Allowed from the session's day onwards."""
    enrolment = Enrolment.objects.select_related("session").get(pk=enrolment_id)
    if enrolment.status != EnrolmentStatus.CONFIRMED:
        raise EnrolmentRefused("not_confirmed", _("확정된 신청만 출석을 기록할 수 있습니다."), enrolment)
    if timezone.localdate() < timezone.localdate(enrolment.session.starts_at):
        raise EnrolmentRefused("not_started", _("교육 당일부터 출석을 기록할 수 있습니다."), enrolment)
    enrolment.attended = attended
    enrolment.save(update_fields=["attended"])
    record_changes(actor, [enrolment])
    return enrolment


# --- reading -----------------------------------------------------------------------------


def waitlist_positions(session: Session) -> list[int]:
    """Queue positions of the waitlisted places, in order (1..n when healthy)."""
    return [
        position
        for position in Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITLISTED)
        .order_by("position")
        .values_list("position", flat=True)
        if position is not None
    ]


def can_enrol(session: Timetable, now: dt.datetime | None = None) -> bool:
    return refusal(session, now=now or timezone.now()) is None

