"""Counselling actions: every write here takes the acting person and writes its own
access-log rows inside its transaction (core.audit). Lifecycles are tables (core.states).

Booking actions (book, cancel, reschedule) and case-work actions (notes, agreed steps,
attendance, a counsellor's cancellation) build on `open_case` and the flows below.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from core import compiled
from core.audit import record_changes
from core.states import Transitions
from counselling.models import (
    LIVE_BOOKING,
    Booking,
    BookingStatus,
    Case,
    CaseStatus,
    Mode,
    ShareConsent,
    ShareItem,
    Slot,
    Topic,
)
from programmes.models import Centre

BOOKING_FLOW = Transitions(
    Booking,
    {
        BookingStatus.CANCELLED: {BookingStatus.CONFIRMED},
        BookingStatus.ATTENDED: {BookingStatus.CONFIRMED, BookingStatus.NO_SHOW},
        BookingStatus.NO_SHOW: {BookingStatus.CONFIRMED, BookingStatus.ATTENDED},
    },
    stamp="status_changed_at",
)

CASE_FLOW = Transitions(
    Case,
    {CaseStatus.CLOSED: {CaseStatus.OPEN}, CaseStatus.OPEN: {CaseStatus.CLOSED}},
)


# The case upserted, and the consent given written beside it when the case is new, has no
# consent yet, or its consent in force differs (compared as sets: `@>` both ways); a
# consent recorded in person (the last parameter) is always written. Data-modifying CTEs share one snapshot: the subquery reads the consent
# in force before this statement.
CASE_UPSERT_SQL = """
    WITH upserted AS (
        INSERT INTO {case} ({insert_columns}) VALUES ({values})
        ON CONFLICT (citizen_id, centre_id) DO UPDATE SET counsellor_id = {counsellor}
        RETURNING {columns}, (xmax = 0) AS lc_created,
            (SELECT items FROM {consent} WHERE case_id = {case}.id ORDER BY given_at DESC, id DESC LIMIT 1) AS lc_latest
    ), written AS (
        INSERT INTO {consent} (case_id, items, given_at, recorded_by_id)
        SELECT id, %s::jsonb, %s, %s FROM upserted
        WHERE lc_created OR lc_latest IS NULL OR NOT (lc_latest @> %s::jsonb AND %s::jsonb @> lc_latest) OR %s
    )
    SELECT {columns} FROM upserted
"""


def _case_with_consent(
    citizen: User, centre: Centre, *, share: list[str], recorded_by: User | None, counsellor_id: int | None, fill_counsellor: bool,
    now: dt.datetime,
) -> Case:
    """The person's case at the centre, created if new (`counsellor_id` its counsellor),
    with `share` written as the consent in force when the case is new, the consent
    differs, or a counsellor records it in person (`recorded_by`). `fill_counsellor`: an
    existing case without a counsellor gets `counsellor_id` too.

    On PostgreSQL one statement (`INSERT … ON CONFLICT (citizen, centre) DO UPDATE`, the
    consent in force read in RETURNING and the new one written in the same statement,
    CASE_UPSERT_SQL): get_or_create took a SELECT, a SAVEPOINT, the INSERT and a RELEASE
    for a first booking, the consent another SELECT and an INSERT — round trips under the
    person's and the slot's locks (bench/writes.py). The unique (citizen, centre)
    constraint makes it safe under concurrency, as get_or_create's retry did. (`xmax = 0`:
    the row was inserted, not updated.) Elsewhere (SQLite, where writers are serialised
    anyway) get_or_create and the ORM as before."""
    if connection.vendor == "postgresql":
        return _upserted_case(
            citizen, centre, share=share, recorded_by=recorded_by, counsellor_id=counsellor_id, fill_counsellor=fill_counsellor, now=now
        )
    case, created = Case.objects.get_or_create(citizen=citizen, centre=centre, defaults={"counsellor_id": counsellor_id, "opened_at": now})
    if fill_counsellor and case.counsellor_id is None and counsellor_id is not None:
        case.counsellor_id = counsellor_id
        case.save(update_fields=["counsellor"])
    latest = None if created else case.share_consents.first()  # a new case has none yet
    if latest is None or set(latest.items) != set(share) or recorded_by is not None:
        compiled.insert(ShareConsent(case=case, items=share, recorded_by=recorded_by, given_at=now))
    return case


def _upserted_case(  # pragma: no cover - PostgreSQL only: run by its suite (make test-postgres), not the SQLite run the coverage floors measure
    citizen: User, centre: Centre, *, share: list[str], recorded_by: User | None, counsellor_id: int | None, fill_counsellor: bool,
    now: dt.datetime,
) -> Case:
    """_case_with_consent on PostgreSQL: one statement (CASE_UPSERT_SQL)."""
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    row = {"citizen_id": citizen.pk, "centre_id": centre.pk, "counsellor_id": counsellor_id, "status": CaseStatus.OPEN, "opened_at": now}
    unwritten = [f.name for f in fields if f.attname not in row and f.has_default()]
    consent_columns = {str(f.column) for f in ShareConsent._meta.concrete_fields if not f.primary_key}
    if unwritten or consent_columns != {"case_id", "items", "given_at", "recorded_by_id"}:
        # A guard for a field added later: give it its value here.
        raise RuntimeError(f"the case upsert does not write every field of the case {unwritten} and of the consent {sorted(consent_columns)}")
    table = Case._meta.db_table
    sql = CASE_UPSERT_SQL.format(
        case=table,
        consent=ShareConsent._meta.db_table,
        insert_columns=", ".join(str(f.column) for f in fields),
        values=", ".join(["%s"] * len(fields)),
        counsellor=f"COALESCE({table}.counsellor_id, EXCLUDED.counsellor_id)" if fill_counsellor else f"{table}.counsellor_id",
        columns=", ".join(str(f.column) for f in Case._meta.concrete_fields),
    )
    items = json.dumps(share)
    recorder = recorded_by.pk if recorded_by is not None else None
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(row.get(f.attname) for f in fields), items, now, recorder, items, items, recorder is not None])
        values = cursor.fetchone()
    return Case.from_db(connection.alias, [f.attname for f in Case._meta.concrete_fields], values)


@transaction.atomic(savepoint=False)  # nothing here raises but the database; see _case_with_consent
def open_case(
    citizen: User,
    centre: Centre,
    *,
    share: list[str],
    recorded_by: User | None = None,
    counsellor_id: int | None = None,
    fill_counsellor: bool = False,
) -> Case:
    """The person's case at the centre (opened if new; a closed one is reopened) with the
    given share consent recorded as the one in force. A new case gets `counsellor_id` as
    its counsellor, and with `fill_counsellor` (a booking: the slot's counsellor) so does
    an existing one that has none. Idempotent under concurrency: the unique (citizen,
    centre) constraint (`_case_with_consent`)."""
    case = _case_with_consent(
        citizen, centre, share=sorted(set(share)), recorded_by=recorded_by, counsellor_id=counsellor_id, fill_counsellor=fill_counsellor,
        now=timezone.now(),
    )
    if case.status == CaseStatus.CLOSED:
        CASE_FLOW.move(case, CaseStatus.OPEN, closed_at=None)
    return case


def shared_items(case: Case) -> frozenset[str]:
    """What the person currently lets the case team see."""
    latest = case.share_consents.first()
    return frozenset(latest.items) if latest else frozenset()


# --- booking (the citizen's side) ---------------------------------------------------------

# One person holds at most this many future bookings (all centres together): enough to
# book a visit and a follow-up, not so many that slots are held "just in case".
MAX_FUTURE_BOOKINGS = 2
NOTE_MAX = 1000


class BookingRefused(ValueError):
    """The booking (or cancellation) cannot be made; `code` says why, `message` says it in
    Korean, and for a taken slot `next_free` holds the next free slots to offer instead.

    Codes: taken, too_late, mode_not_offered, limit, withdrawn, not_found, invalid,
    not_live (cancelling a booking that is no longer confirmed)."""

    def __init__(self, code: str, message: str, *, next_free: list[Slot] | None = None, field: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.next_free = next_free or []
        self.field = field
        # Where to look for the alternatives of a taken slot (filled in after the rollback).
        self._around: tuple[int, str, dt.datetime] | None = None


def _taken(slot: Slot, mode: str) -> BookingRefused:
    refused = BookingRefused("taken", _("방금 다른 분이 이 시간을 예약했습니다. 아래의 가까운 다른 시간을 골라 주세요."))
    refused._around = (slot.centre_id, mode, slot.starts_at)
    return refused


def _with_next_free(refused: BookingRefused) -> BookingRefused:
    """Fill the alternatives of a taken slot, outside the failed transaction (on
    PostgreSQL a transaction that hit the unique constraint can run no more queries)."""
    from counselling.slots import nearest_free

    if refused._around is not None and not refused.next_free:
        centre_id, mode, around = refused._around
        refused.next_free = nearest_free(centre_id, mode, around=around, limit=3)
    return refused


def _clean_choices(mode: str, topic: str, share: Iterable[str], note: str) -> list[str]:
    """Checks that need no database: a bad value is the caller's input, never a 500."""
    if mode not in Mode.values:
        raise BookingRefused("invalid", _("상담 방식을 골라 주세요."), field="mode")
    if topic not in Topic.values:
        raise BookingRefused("invalid", _("상담 주제를 골라 주세요."), field="topic")
    items = sorted(set(share))
    if any(item not in ShareItem.values for item in items):
        raise BookingRefused("invalid", _("공유할 항목을 다시 골라 주세요."), field="share")
    if len(note) > NOTE_MAX:
        raise BookingRefused("invalid", _("남기는 말은 %(max)d자까지 쓸 수 있습니다.") % {"max": NOTE_MAX}, field="note")
    return items


def _slot_not_found() -> BookingRefused:
    return BookingRefused("not_found", _("이 상담 시간을 찾을 수 없습니다."), field="slot_id")


def _person_locked_with_phone(user_id: int) -> QuerySet[User]:
    """The query of `_lock_person`, compiled once per process (core.compiled)."""
    from notifications.models import SmsContact

    phone = SmsContact.objects.filter(user_id=OuterRef("pk")).values("phone")[:1]
    return User.objects.select_for_update().annotate(lc_sms_phone=Subquery(phone)).filter(pk=user_id)


def _lock_person(citizen: User) -> str:
    """Lock the person's own user row for the rest of the transaction, so two bookings of
    one person (on different slots, which lock different rows) count their future
    bookings one after the other. Always taken before the slot lock: one lock order.

    Returns the person's SMS opt-in number (notifications.services.sms_phone), read in the
    same query: the confirmation needs it, and under the lock each query is a round trip
    that the person's and the slot's other requests wait for. (FOR UPDATE locks the rows
    of the FROM clause only, not the opt-in row the subquery reads.) The query is the same
    for every booking: compiled once per process (`core.compiled.first`)."""
    row = compiled.first(_person_locked_with_phone, user_id=int(citizen.pk))
    return (getattr(row, "lc_sms_phone", None) if row else None) or ""


def _slot_locked(slot_id: int, user_id: int, replaces_id: int, now: dt.datetime) -> QuerySet[Slot]:
    """The slot's row locked, with its centre and the two booking rules: whether it has a
    live booking (`lc_taken`) and how many future bookings the person holds besides
    `replaces_id` (`lc_held`; 0: none is being replaced, no row has that id).
    (`of=("self",)`: the slot's row only; without it PostgreSQL would lock the joined
    centre row too, and every booking at the centre would queue behind every other.)

    One statement, so one round trip under the person's lock. Its snapshot is taken when
    it starts, after the person's lock: `lc_held` counts every booking of theirs committed
    before it. When the statement has to wait for the slot's lock, the booking that the
    holder commits meanwhile is not in `lc_taken`; the partial unique constraint then
    refuses the insert (`_book_locked`): "taken" either way. Compiled once per process
    (core.compiled): built with the ORM's aggregate() the rules were a fifth of the
    booking's CPU."""
    here = Booking.objects.filter(LIVE_BOOKING, slot_id=OuterRef("pk"))
    mine = (
        Booking.objects.filter(citizen_id=user_id, status=BookingStatus.CONFIRMED, slot__starts_at__gt=now)
        .exclude(pk=replaces_id)
        .values("citizen_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Slot.objects.select_for_update(of=("self",)).select_related("centre").filter(pk=slot_id)
        .annotate(lc_taken=Exists(here), lc_held=Coalesce(Subquery(mine), 0))
    )


def future_bookings(citizen: User, *, now: dt.datetime | None = None) -> int:
    return Booking.objects.filter(citizen=citizen, status=BookingStatus.CONFIRMED, slot__starts_at__gt=now or timezone.now()).count()


def _book_locked(
    citizen: User, slot_id: int, *, mode: str, topic: str, share: list[str], note: str, replaces: Booking | None,
    centre_slug: str | None = None,
) -> tuple[Booking, str]:
    """The booking, and the person's SMS opt-in number read with their lock (for the message)."""
    from counselling.slots import BOOKING_CUTOFF

    now = timezone.now()
    phone = _lock_person(citizen)
    slot = compiled.first(
        _slot_locked, slot_id=int(slot_id), user_id=int(citizen.pk), replaces_id=replaces.pk if replaces else 0, now=now
    )
    if slot is None or (centre_slug is not None and slot.centre.slug != centre_slug):
        raise _slot_not_found()
    if slot.withdrawn:
        raise BookingRefused("withdrawn", _("상담사 사정으로 이 시간에는 상담할 수 없게 되었습니다. 다른 시간을 골라 주세요."), field="slot_id")
    if slot.starts_at < now + BOOKING_CUTOFF:
        raise BookingRefused("too_late", _("상담 시작 2시간 전까지만 예약할 수 있습니다. 다른 시간을 골라 주세요."), field="slot_id")
    if mode not in slot.modes:
        raise BookingRefused("mode_not_offered", _("이 시간에는 고르신 상담 방식으로 상담할 수 없습니다. 다른 방식이나 시간을 골라 주세요."), field="mode")
    if getattr(slot, "lc_taken"):  # noqa: B009 - annotations mypy does not know on a Slot
        raise _taken(slot, mode)
    if getattr(slot, "lc_held") >= MAX_FUTURE_BOOKINGS:  # noqa: B009
        raise BookingRefused(
            "limit",
            _("앞으로 잡힌 상담은 한 사람당 %(max)d건까지입니다. 예약 하나를 취소하거나 옮긴 뒤 다시 예약해 주세요.") % {"max": MAX_FUTURE_BOOKINGS},
        )
    case = open_case(citizen, slot.centre, share=share, counsellor_id=slot.counsellor_id, fill_counsellor=True)
    try:
        # The partial unique constraint: it fires when the slot's lock was waited for and
        # the holder booked it (see _slot_locked). No savepoint: "taken" leaves the
        # caller's atomic block, whose rollback undoes the case and consent written above.
        booking = compiled.insert(Booking(  # the ORM's INSERT, compiled once per process
            case=case, citizen=citizen, slot=slot, mode=mode, topic=topic, note=note.strip(), replaces=replaces, created_at=now
        ))
    except IntegrityError:
        raise _taken(slot, mode) from None
    booking.slot = slot
    return booking, phone


def book(
    citizen: User,
    slot_id: int,
    *,
    mode: str,
    topic: str,
    share: Iterable[str] = (),
    note: str = "",
    replaces: Booking | None = None,
    centre_slug: str | None = None,
) -> Booking:
    """Book the slot for the person: the only code that creates a Booking.

    Locks the person's row, then the slot's row (`select_for_update`; on SQLite the
    project's `BEGIN IMMEDIATE` serialises writers instead), checks the rules, opens or
    updates the person's case at the centre with `share` as the consent in force, gives the
    case the slot's counsellor when it has none, and puts the confirmation in the outbox,
    all in one transaction. Raises BookingRefused.

    `centre_slug`: the centre the person chose on the booking page; a slot of another
    centre (or of a centre that does not exist) is refused as not found. Checked on the
    slot row the action locks (which brings its centre along), so the page does not look
    the centre up before the action."""
    from counselling import notify

    items = _clean_choices(mode, topic, share, note)
    try:
        with transaction.atomic():
            booking, phone = _book_locked(
                citizen, slot_id, mode=mode, topic=topic, share=items, note=note, replaces=replaces, centre_slug=centre_slug
            )
            if replaces is None:
                notify.booked(booking, sms_phone=phone)
    except BookingRefused as refused:
        raise _with_next_free(refused) from None
    return booking


def _own_booking_locked(actor: User, booking_id: int) -> Booking:
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None or booking.citizen_id != actor.pk:
        # A counsellor's cancellation is a different action (with a reason); here only
        # the person themselves, and "not yours" reads the same as "missing".
        raise BookingRefused("not_found", _("예약을 찾을 수 없습니다."))
    return booking


def _check_changeable(booking: Booking, now: dt.datetime) -> None:
    from counselling.slots import BOOKING_CUTOFF

    if booking.status != BookingStatus.CONFIRMED:
        raise BookingRefused("not_live", _("이미 취소되었거나 끝난 예약입니다."))
    slot = Slot.objects.only("starts_at").get(pk=booking.slot_id)
    if slot.starts_at < now + BOOKING_CUTOFF:
        raise BookingRefused("too_late", _("상담 시작 2시간 전부터는 온라인으로 바꿀 수 없습니다. 센터에 전화해 주세요."))


@transaction.atomic
def cancel(actor: User, booking_id: int) -> Booking:
    """The person cancels their own booking, up to the cut-off. The slot is free again at
    once (the unique constraint counts only live bookings)."""
    from counselling import notify

    _lock_person(actor)
    booking = _own_booking_locked(actor, booking_id)
    _check_changeable(booking, timezone.now())
    BOOKING_FLOW.move(booking, BookingStatus.CANCELLED, cancelled_by=Booking.CancelledBy.CITIZEN)
    record_changes(actor, [booking], subject=lambda b: b.citizen_id)  # nothing for one's own booking
    notify.cancelled(booking)
    return booking


def reschedule(actor: User, booking_id: int, new_slot_id: int) -> Booking:
    """Move a booking to another slot: the new one is booked and the old one cancelled in
    one transaction, so the person never holds both nor loses both. For the limit the old
    one counts as leaving. Raises BookingRefused (a taken new slot carries next_free)."""
    from counselling import notify

    try:
        with transaction.atomic():
            _lock_person(actor)
            old = _own_booking_locked(actor, booking_id)
            _check_changeable(old, timezone.now())
            if old.slot_id == new_slot_id:
                raise BookingRefused("invalid", _("지금 예약과 같은 시간입니다. 다른 시간을 골라 주세요."), field="slot_id")
            case = Case.objects.get(pk=old.case_id)
            if Slot.objects.filter(pk=new_slot_id).exclude(centre_id=case.centre_id).exists():
                # The share consent was given to this centre's case: another centre is a new booking.
                raise BookingRefused("invalid", _("다른 센터로 옮기려면 지금 예약을 취소하고 새로 예약해 주세요."), field="slot_id")
            new, _phone = _book_locked(
                actor, new_slot_id, mode=old.mode, topic=old.topic, share=sorted(shared_items(case)), note=old.note, replaces=old
            )
            BOOKING_FLOW.move(old, BookingStatus.CANCELLED, cancelled_by=Booking.CancelledBy.CITIZEN, cancel_reason=_("본인이 다른 시간으로 옮김"))
            record_changes(actor, [old, new], subject=lambda b: b.citizen_id)
            notify.moved(old, new)
    except BookingRefused as refused:
        raise _with_next_free(refused) from None
    return new
