"""No more 폐강: find sessions at risk, act on them in one step, and look after the people
whose session is cancelled or changed.

* At risk: a session not yet started, still under its minimum enrolment when it is
  `AT_RISK_LEAD_DAYS` or fewer days away. Computed (no stored flag): `at_risk_sessions`.
* An operator's options, one POST each: merge into another session of the same programme
  (`merge_into`), move online (`move_online`), extend the deadline (`extend_deadline`), or
  cancel with alternatives offered (`cancel_with_offers`). The colleague's transitions in
  programmes.services do the status changes.
* Everyone displaced gets a `RescueOffer`: the best alternatives (rescue/alternatives.py),
  a one-click link, and — when their session was cancelled — a seat held for them in the
  best alternative with a free seat for `HOLD_HOURS` (rescue/holds.py).

Locks: every action locks the sessions it counts seats in (`SELECT … FOR UPDATE` on
PostgreSQL, `BEGIN IMMEDIATE` on SQLite); two sessions are locked in id order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record_changes
from core.roles import PERMISSIONS, Perm
from notifications import services as outbox
from notifications.models import Notification
from programmes import ics, messages, queries, services
from programmes.models import Enrolment, Mode, Session
from programmes.outbox import event_key
from rescue import holds
from rescue.alternatives import Alternative, SessionFacts, rank
from rescue.models import RESCUE_OFFER_FLOW, SEAT_HOLD_FLOW, RescueAction, RescueOffer, SeatHold

SessionStatus = Session.Status
EnrolmentStatus = Enrolment.Status
AT_RISK_STATES = (SessionStatus.SCHEDULED, SessionStatus.OPEN, SessionStatus.CLOSED)
OFFERED = 5  # alternatives listed per offer


class RescueRefused(ValueError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- reading ----------------------------------------------------------------------------


def at_risk_sessions(now: dt.datetime | None = None) -> QuerySet[Session]:
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=settings.AT_RISK_LEAD_DAYS)
    return (
        queries.with_counts(Session.objects.filter(status__in=AT_RISK_STATES, starts_at__gt=now, starts_at__lte=horizon))
        .filter(confirmed_total__lt=F("min_enrolment"))  # type: ignore[misc]  # an annotation
        .order_by("starts_at", "pk")
    )


def is_at_risk(session: Session, now: dt.datetime | None = None) -> bool:
    return at_risk_sessions(now).filter(pk=session.pk).exists()


def with_free_seats(qs: QuerySet[Session], now: dt.datetime) -> QuerySet[Session]:
    return qs.select_related("programme", "centre").annotate(
        confirmed_total=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.CONFIRMED), distinct=True),
        held_total=Count(
            "seat_holds",
            filter=Q(seat_holds__status=SeatHold.Status.HELD, seat_holds__expires_at__gt=now),
            distinct=True,
        ),
    )


def free_of(session: Session) -> int:
    return max(session.capacity - session.confirmed_total - session.held_total, 0)  # type: ignore[attr-defined]


def facts(session: Session, free_seats: int = 0) -> SessionFacts:
    return SessionFacts(
        session_id=session.pk, programme_id=session.programme_id, mode=session.mode, region=session.region,
        starts_at=session.starts_at, time_of_day=session.time_of_day, free_seats=free_seats,
    )


def candidates(programme_id: int, now: dt.datetime, *, exclude: Iterable[int] = ()) -> list[Session]:
    """Sessions of the programme a person could still join."""
    return list(
        with_free_seats(
            Session.objects.filter(
                programme_id=programme_id, status=SessionStatus.OPEN, starts_at__gt=now, enrolment_deadline__gt=now
            ).exclude(pk__in=list(exclude)),
            now,
        )
    )


def alternatives_for(origin: Session, user_id: int, now: dt.datetime, *, exclude: Iterable[int] = ()) -> list[tuple[Alternative, Session]]:
    mine = Enrolment.objects.filter(user_id=user_id, status__in=Enrolment.ACTIVE).values_list("session_id", flat=True)
    pool = {s.pk: s for s in candidates(origin.programme_id, now, exclude={origin.pk, *exclude, *mine})}
    ranked = rank(facts(origin), [facts(s, free_of(s)) for s in pool.values()], limit=OFFERED)
    return [(alt, pool[alt.session_id]) for alt in ranked]


def merge_targets(session: Session, now: dt.datetime | None = None) -> list[Session]:
    """Sessions of the same programme an at-risk session could be merged into, best first."""
    return merge_targets_of([session], now)[session.pk]


def merge_targets_of(sessions: list[Session], now: dt.datetime | None = None) -> dict[int, list[Session]]:
    """`merge_targets` of each session, read in one query (the at-risk page lists many)."""
    now = now or timezone.now()
    candidates = list(
        with_free_seats(
            Session.objects.filter(programme_id__in={s.programme_id for s in sessions}, status__in=AT_RISK_STATES, starts_at__gt=now),
            now,
        )
    )
    found: dict[int, list[Session]] = {}
    for session in sessions:
        pool = {s.pk: s for s in candidates if s.programme_id == session.programme_id and s.pk != session.pk}
        ranked = rank(facts(session), [facts(s, free_of(s)) for s in pool.values()], limit=None)
        found[session.pk] = [pool[a.session_id] for a in ranked]
    return found


# --- helpers ------------------------------------------------------------------------------


def _lock(*session_ids: int) -> dict[int, Session]:
    locked: dict[int, Session] = {}
    for session_id in sorted(set(session_ids)):
        locked[session_id] = Session.objects.select_for_update(of=("self",)).select_related("programme", "centre").get(pk=session_id)
    return locked


def _active(session: Session) -> list[Enrolment]:
    """Active places, seats first (in the order they were confirmed), then the queue."""
    return list(
        Enrolment.objects.select_related("user")
        .filter(session=session, status__in=Enrolment.ACTIVE)
        .order_by("status", "position", "confirmed_at", "created_at", "pk")  # "confirmed" < "waitlisted"
    )


def join(session: Session, user: User, *, door: services.Door, tell: bool = True) -> tuple[Enrolment, bool]:
    """A place for the person through the one way in (programmes.services.enrol), or the
    active place they already have there (a second click, a merge into a session they
    had also joined). True when the place is new."""
    try:
        return services.enrol(session.pk, user, door=door, tell=tell), True
    except services.EnrolmentRefused as exc:
        if exc.code != "already_enrolled" or exc.enrolment is None:
            raise
        return exc.enrolment, False


def _hold_best(offer: RescueOffer, ranked: list[tuple[Alternative, Session]], now: dt.datetime) -> SeatHold | None:
    """Hold a seat in the best alternative that still has one (re-counted under its lock)."""
    for alt, _session in ranked:
        if not alt.has_seat:
            continue
        session = _lock(alt.session_id)[alt.session_id]
        if session.status != SessionStatus.OPEN or holds.free_seats(session, now=now) <= 0:
            continue
        expires = min(now + dt.timedelta(hours=settings.HOLD_HOURS), session.enrolment_deadline)
        return SeatHold.objects.create(session=session, user=offer.user, offer=offer, expires_at=expires)
    return None


def make_offer(
    enrolment: Enrolment, reason: str, origin: Session, now: dt.datetime, *, exclude: Iterable[int] = (), hold: bool
) -> tuple[RescueOffer, list[tuple[Alternative, Session]], SeatHold | None]:
    ranked = alternatives_for(origin, enrolment.user_id, now, exclude=exclude)
    renewed: dict[str, Any] = {
        "alternatives": [alt.session_id for alt, _s in ranked],
        "expires_at": now + dt.timedelta(hours=settings.HOLD_HOURS),
    }
    offer = RescueOffer.objects.select_for_update(of=("self",)).filter(enrolment=enrolment, reason=reason).first()
    if offer is None:
        offer = RescueOffer.objects.create(enrolment=enrolment, reason=reason, user=enrolment.user, **renewed)
    else:  # the place changed again: the same offer, with the alternatives as they are now
        RESCUE_OFFER_FLOW.move(offer, RescueOffer.Status.OPEN, closed_at=None, **renewed)
    held = _hold_best(offer, ranked, now) if hold else None
    return offer, ranked, held


def _offer_context(offer: RescueOffer, ranked: list[tuple[Alternative, Session]], held: SeatHold | None) -> dict[str, Any]:
    return {
        "offer": offer,
        "held": held,
        "alternatives": [
            {"session": s, "has_seat": alt.has_seat, "held": held is not None and held.session_id == s.pk}
            for alt, s in ranked[:3]
        ],
        "offer_url": messages.url("programmes:rescue_offer", offer.token),
        "search_url": messages.url("programmes:session_search"),
        "hold_hours": settings.HOLD_HOURS,
    }


def _tell(
    user: User, *, template: str, kind: str, key: str, context: dict[str, Any],
    fanout: outbox.Fanout, attachments: Iterable[outbox.Attachment] = (),
) -> None:
    text = messages.render(f"rescue/messages/{template}", context)
    outbox.notify_person(
        user, kind=kind, key=key, subject=text.subject, body=text.body, sms_text=text.sms,
        attachments=attachments, fanout=fanout,
    )


def _ics(enrolment: Enrolment, method: str) -> outbox.Attachment:
    content = ics.for_enrolment(enrolment, method=method).decode("utf-8")
    return outbox.Attachment(f"lifecareer-{method.lower()}-{enrolment.pk}.ics", content, f"text/calendar; method={method}; charset=UTF-8")


@dataclass
class Outcome:
    """What an operator's action did, for the page's message and the access log."""

    session: Session
    affected: list[Enrolment] = field(default_factory=list)
    confirmed: int = 0
    waitlisted: int = 0
    held: int = 0


# --- operator actions -----------------------------------------------------------------------


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()  # one spelling of a moment in the record, whatever zone it came in


def _record(
    session: Session, kind: str, actor: User | None, *, target: Session | None = None,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
) -> RescueAction:
    """The action's own row (who, what, before → after), in the caller's transaction: its
    audit row, and the fate insights counts 폐강 avoided from. Every action writes one, even
    when it changed no one's place (an extension), which core.audit's per-person log cannot."""
    person = actor is not None and actor.is_authenticated
    return RescueAction.objects.create(
        session=session, kind=kind, actor=actor if person else None,
        actor_label=actor.get_username() if person and actor is not None else "system",
        target=target, before=before or {}, after=after or {},
    )


@transaction.atomic
def cancel_with_offers(session_id: int, *, actor: User | None = None) -> Outcome:
    """Cancel the session (the colleague's transition) and give every enrolee the best
    alternatives, with a seat held in the first one that has room."""
    now = timezone.now()
    session = _lock(session_id)[session_id]
    services.SESSION_FLOW.check(session, SessionStatus.CANCELLED)
    outcome = Outcome(session=session)
    fanout = outbox.Fanout()
    for enrolment in _active(session):
        offer, ranked, held = make_offer(enrolment, RescueOffer.Reason.CANCELLED, session, now, hold=True)
        attachments = [_ics(enrolment, "CANCEL")] if enrolment.confirmed_at else []
        _tell(
            enrolment.user, template="offer_cancelled", kind=Notification.Kind.SESSION_CANCELLED,
            key=event_key("session_cancelled", enrolment.pk),
            context={**_offer_context(offer, ranked, held), "session": session}, fanout=fanout, attachments=attachments,
        )
        outcome.affected.append(enrolment)
        outcome.held += held is not None
    services.cancel_session(session.pk, actor=actor)  # logs each place; its own "cancelled" message has the same key: not sent twice
    _record(session, RescueAction.Kind.CANCELLED, actor, before={"status": session.status}, after={"people": len(outcome.affected)})
    fanout.deliver_later()
    return outcome


@transaction.atomic
def merge_into(source_id: int, target_id: int, *, actor: User | None = None) -> Outcome:
    """Move every enrolee of `source` into `target` (same programme): seats while the
    target has room, then its waitlist, in the order they had their places; then cancel
    `source`. Everyone is told where they are now and offered other alternatives."""
    if source_id == target_id:
        raise RescueRefused("same_session", _("같은 회차로는 합칠 수 없습니다."))
    now = timezone.now()
    locked = _lock(source_id, target_id)
    source, target = locked[source_id], locked[target_id]
    if source.programme_id != target.programme_id:
        raise RescueRefused("other_programme", _("같은 프로그램의 회차끼리만 합칠 수 있습니다."))
    if (refused := services.refusal(target, door=services.Door.OPERATOR, now=now)) is not None:
        raise refused
    services.SESSION_FLOW.check(source, SessionStatus.CANCELLED)
    outcome = Outcome(session=target)
    fanout = outbox.Fanout()
    for old in _active(source):
        new, _new = join(target, old.user, door=services.Door.OPERATOR, tell=False)  # the message below says it all
        offer, ranked, _held = make_offer(new, RescueOffer.Reason.MOVED, target, now, exclude={source.pk}, hold=False)
        attachments = [_ics(new, "PUBLISH")] if new.status == EnrolmentStatus.CONFIRMED else []
        if old.confirmed_at:
            attachments.append(_ics(old, "CANCEL"))
        _tell(
            old.user, template="offer_merged", kind=Notification.Kind.SESSION_MOVED,
            key=event_key("session_cancelled", old.pk),
            context={**_offer_context(offer, ranked, None), "session": source, "target": target, "enrolment": new},
            fanout=fanout, attachments=attachments,
        )
        outcome.affected.append(old)
        if new.status == EnrolmentStatus.CONFIRMED:
            outcome.confirmed += 1
        else:
            outcome.waitlisted += 1
    services.cancel_session(source.pk, actor=actor)  # logs each place; its own "cancelled" message has the same key: not sent twice
    _record(source, RescueAction.Kind.MERGED, actor, target=target,
            after={"confirmed": outcome.confirmed, "waitlisted": outcome.waitlisted})
    fanout.deliver_later()
    return outcome


@transaction.atomic
def move_online(session_id: int, online_url: str, *, actor: User | None = None) -> Outcome:
    """Run the session online (mode → online_live). Enrolees keep their places, are told,
    and may switch to an alternative (e.g. in person elsewhere) with one click."""
    now = timezone.now()
    session = _lock(session_id)[session_id]
    if session.status not in AT_RISK_STATES or session.starts_at <= now:
        raise RescueRefused("unavailable", _("이미 시작했거나 취소·종료된 회차입니다."))
    if session.mode == Mode.ONLINE_LIVE:
        raise RescueRefused("already_online", _("이미 온라인 회차입니다."))
    before = {"mode": session.mode}
    session = services.update_session(session.pk, actor=actor, mode=Mode.ONLINE_LIVE, online_url=online_url, employer_place="")
    _record(session, RescueAction.Kind.ONLINE, actor, before=before, after={"mode": session.mode})
    outcome = Outcome(session=session)
    fanout = outbox.Fanout()
    for enrolment in _active(session):
        offer, ranked, _held = make_offer(enrolment, RescueOffer.Reason.MOVED, session, now, hold=False)
        attachments = [_ics(enrolment, "PUBLISH")] if enrolment.status == EnrolmentStatus.CONFIRMED else []
        _tell(
            enrolment.user, template="offer_moved_online", kind=Notification.Kind.SESSION_MOVED,
            key=f"programmes:session_moved_online:enrolment:{enrolment.pk}",
            context={**_offer_context(offer, ranked, None), "session": session, "enrolment": enrolment},
            fanout=fanout, attachments=attachments,
        )
        outcome.affected.append(enrolment)
    record_changes(actor, outcome.affected)
    fanout.deliver_later()
    return outcome


@transaction.atomic
def extend_deadline(session_id: int, deadline: dt.datetime, *, actor: User | None = None) -> Outcome:
    """A later enrolment deadline (still before the start); a closed session reopens."""
    now = timezone.now()
    session = _lock(session_id)[session_id]
    if session.status not in AT_RISK_STATES or session.starts_at <= now:
        raise RescueRefused("unavailable", _("이미 시작했거나 취소·종료된 회차입니다."))
    if deadline <= max(now, session.enrolment_deadline):
        raise RescueRefused("not_later", _("새 신청 마감 일시는 지금과 현재 마감 일시보다 뒤여야 합니다."))
    if deadline > session.starts_at:
        raise RescueRefused("after_start", _("신청 마감 일시는 교육 시작 전이어야 합니다."))
    before = {"enrolment_deadline": _utc(session.enrolment_deadline), "status": session.status}
    session = services.update_session(session.pk, actor=actor, enrolment_deadline=deadline)
    if session.status == SessionStatus.CLOSED:
        session = services.open_session(session.pk, actor=actor)
    _record(session, RescueAction.Kind.EXTENDED, actor, before=before,
            after={"enrolment_deadline": _utc(deadline), "status": session.status})
    return Outcome(session=session)


# --- the person's side ------------------------------------------------------------------------


def _offer_for(token: str, user: User) -> RescueOffer:
    offer = RescueOffer.objects.select_for_update(of=("self",)).select_related("enrolment").filter(token=token, user=user).first()
    if offer is None:
        raise RescueRefused("not_found", _("제안을 찾을 수 없습니다."))
    if offer.status != RescueOffer.Status.OPEN:
        raise RescueRefused("closed", _("이미 답한 제안입니다. 내 수강 신청에서 확인해 주세요."))
    if timezone.now() >= offer.expires_at:
        raise RescueRefused("expired", _("선택 기한이 지났습니다. 교육 일정 찾기에서 다른 회차를 신청해 주세요."))
    return offer


def _release(offer: RescueOffer) -> list[int]:
    released = []
    for hold in offer.holds.filter(status=SeatHold.Status.HELD):
        SEAT_HOLD_FLOW.move(hold, SeatHold.Status.RELEASED)
        released.append(hold.session_id)
    return released


def _refill(session_ids: Iterable[int]) -> None:
    """A seat given back may go to the next person waiting (the colleague's action)."""
    for session_id in session_ids:
        services.fill_free_seats(_lock(session_id)[session_id])


@transaction.atomic
def accept_offer(token: str, user: User, session_id: int) -> Enrolment:
    """One click: a place in the chosen alternative — the held seat if it is this one,
    else a free seat, else the waitlist. A changed (not cancelled) place is given up."""
    now = timezone.now()
    offer = _offer_for(token, user)
    if session_id not in offer.alternatives:
        raise RescueRefused("not_offered", _("이 제안에 없는 회차입니다."))
    original = offer.enrolment
    locked = _lock(original.session_id, session_id)
    enrolment, _new = join(locked[session_id], user, door=services.Door.PUBLIC)  # a seat held for them lets them in
    original.refresh_from_db()
    if original.status in Enrolment.ACTIVE and original.session_id != session_id:
        services.cancel_enrolment(original.pk)
    released = _release(offer)
    RESCUE_OFFER_FLOW.move(offer, RescueOffer.Status.ACCEPTED, accepted_enrolment=enrolment, closed_at=now)
    _refill(released)
    return enrolment


@transaction.atomic
def decline_offer(token: str, user: User) -> RescueOffer:
    """No thanks: keep the changed session (or nothing), and give back any held seat."""
    offer = _offer_for(token, user)
    released = _release(offer)
    RESCUE_OFFER_FLOW.move(offer, RescueOffer.Status.DECLINED, closed_at=timezone.now())
    _refill(released)
    return offer


def open_offers(user: User, now: dt.datetime | None = None) -> QuerySet[RescueOffer]:
    return (
        RescueOffer.objects.filter(user=user, status=RescueOffer.Status.OPEN, expires_at__gt=now or timezone.now())
        .select_related("enrolment__session__programme", "enrolment__session__centre")
        .order_by("-created_at")
    )


def offer_choices(offer: RescueOffer, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The offer's alternatives as they stand now (seats change), in the offered order."""
    now = now or timezone.now()
    sessions = {
        s.pk: s for s in with_free_seats(Session.objects.filter(pk__in=offer.alternatives), now)
    }
    held = {h.session_id: h for h in offer.holds.filter(status=SeatHold.Status.HELD, expires_at__gt=now)}
    choices = []
    for session_id in offer.alternatives:
        session = sessions.get(session_id)
        if session is None:
            continue
        hold = held.get(session_id)
        joinable = services.refusal(session, held=hold is not None, now=now) is None
        choices.append({"session": session, "hold": hold, "free": free_of(session) + (hold is not None), "joinable": joinable})
    return choices


# --- jobs -------------------------------------------------------------------------------------


def expire_holds(now: dt.datetime | None = None) -> int:
    """Held seats past their time go back to the session (and to its waitlist); offers
    past their time close. Idempotent."""
    now = now or timezone.now()
    expired = _give_back(SeatHold.objects.filter(status=SeatHold.Status.HELD, expires_at__lte=now), SeatHold.Status.EXPIRED)
    RESCUE_OFFER_FLOW.bulk_move(RescueOffer.objects.filter(expires_at__lte=now), RescueOffer.Status.EXPIRED, closed_at=now)
    return expired


def release_holds_of(user_id: int) -> int:
    """Give back every seat held for the person, each to the session's waitlist. Call it
    before deleting an account: the rows would cascade away without moving anybody up."""
    return _give_back(SeatHold.objects.filter(user_id=user_id, status=SeatHold.Status.HELD), SeatHold.Status.RELEASED)


def _give_back(held: QuerySet[SeatHold], status: str) -> int:
    """Close each hold (`status`) and let the next person waiting take the seat, each in
    its own transaction holding the session's lock (so a hold taken meanwhile is left be)."""
    closed = 0
    for hold_id, session_id in list(held.values_list("pk", "session_id")):
        with transaction.atomic():
            session = _lock(session_id)[session_id]
            hold = SeatHold.objects.select_for_update().get(pk=hold_id)
            if hold.status != SeatHold.Status.HELD:
                continue
            SEAT_HOLD_FLOW.move(hold, status)
            services.fill_free_seats(session)
            closed += 1
    return closed


def operators(*, centre_id: int | None = None, region: str | None = None) -> list[User]:
    """Who is told about a session at risk (`centre_id`) or a pool of demand (`region`):
    people holding `Perm.ROSTERS` nationally, or for that centre, or for a centre in that
    region (core/roles.py). `OPERATOR_EMAILS`, if set, narrows them to those addresses."""
    roles = sorted(role for role, perms in PERMISSIONS.items() if Perm.ROSTERS in perms)
    reach = Q(staff_roles__role__in=roles, staff_roles__centre__isnull=True)
    if centre_id is not None:
        reach |= Q(staff_roles__role__in=roles, staff_roles__centre_id=centre_id)
    if region:
        reach |= Q(staff_roles__role__in=roles, staff_roles__centre__region=region)
    users = User.objects.filter(reach, is_active=True).exclude(email="").distinct()
    wanted = [e.lower() for e in getattr(settings, "OPERATOR_EMAILS", [])]
    if wanted:
        users = users.filter(email__in=wanted)
    return list(users.order_by("pk"))


def check_at_risk(now: dt.datetime | None = None) -> int:
    """Tell operators once about each session that has become at risk. Idempotent."""
    now = now or timezone.now()
    created = 0
    for session in at_risk_sessions(now):
        staff = operators(centre_id=session.centre_id)
        text = messages.render(
            "rescue/messages/at_risk",
            {"session": session, "url": messages.url("programmes:rescue_at_risk"), "lead_days": settings.AT_RISK_LEAD_DAYS},
            sms=False,
        )
        with transaction.atomic():
            fanout = outbox.Fanout()
            for person in staff:
                rows = outbox.notify_person(
                    person, kind=Notification.Kind.SESSION_AT_RISK, key=f"session_at_risk:session:{session.pk}:user:{person.pk}",
                    subject=text.subject, body=text.body, fanout=fanout,
                )
                created += len([r for r in rows if r.pk in fanout.ids])
            fanout.deliver_later()
    return created
