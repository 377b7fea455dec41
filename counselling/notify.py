"""Telling the person about their counselling booking, through the notification outbox
(inside the action's transaction, so a rolled-back booking never mails anyone). The
worker writes each message when it delivers it (`compose`, ADR 0014).

One dedupe key per event and booking: `counselling:<event>:booking:<id>`; the reminder
the day before has its own (`counselling/reminders.py`)."""

from __future__ import annotations

from typing import Any

from counselling import ics
from counselling.models import Booking
from notifications import services as outbox
from notifications.composers import Composed, Later
from notifications.models import Notification
from programmes import messages

ICS_NAME = "lifecareer-counselling.ics"
ICS_CANCEL_NAME = "lifecareer-counselling-cancelled.ics"


def key(event: str, booking: Booking) -> str:
    return f"counselling:{event}:booking:{booking.pk}"


def calendar(booking: Booking, method: str, filename: str = ICS_NAME) -> outbox.Attachment:
    return outbox.Attachment(filename, ics.for_booking(booking, method=method).decode("utf-8"), f"text/calendar; method={method}; charset=UTF-8")


COMPOSER = "counselling.booking"
CALENDARS: dict[str, tuple[str, ...]] = {"booked": ("PUBLISH",), "cancelled": ("CANCEL",), "moved": ("PUBLISH",), "reminder": ("PUBLISH",)}


def compose(args: dict[str, Any]) -> Composed:
    """The message about a booking (`args`: event, booking id and, for a move, the old
    booking's id), written by the worker when it delivers it (notifications/composers.py):
    three templates and a calendar file are no part of the booking's transaction."""
    event = str(args["event"])
    booking = Booking.objects.select_related("slot__centre").get(pk=args["booking"])
    context: dict[str, Any] = {
        "event": event, "booking": booking, "slot": booking.slot, "centre": booking.slot.centre,
        "page_url": messages.url("counselling:booking", booking.pk),
        "mine_url": messages.url("counselling:my_bookings"),
    }
    attachments = [calendar(booking, method) for method in CALENDARS[event]]
    if args.get("old"):
        old = Booking.objects.select_related("slot__centre").get(pk=args["old"])
        context.update(old=old, old_slot=old.slot)
        attachments.append(calendar(old, "CANCEL", ICS_CANCEL_NAME))
    text = messages.render("counselling/messages/booking", context)
    return Composed(subject=text.subject, body=text.body, sms=text.sms, attachments=attachments)


def _send(event: str, booking: Booking, kind: str, *, fresh: bool = False, sms_phone: str | None = None, old: Booking | None = None) -> int:
    """Returns how many outbox rows were new (0 when this event was already sent).
    `fresh`: the booking was created in this transaction, so the event's key cannot exist
    yet (no savepoint: notifications.services.enqueue). `sms_phone`: the person's opt-in
    number when the caller has read it already (notify_person). The text is written at
    delivery (`compose`)."""
    args: dict[str, Any] = {"event": event, "booking": booking.pk}
    if old is not None:
        args["old"] = old.pk
    fanout = outbox.Fanout()
    outbox.notify_person(
        booking.citizen, kind=kind, key=key(event, booking), later=Later(COMPOSER, args), fanout=fanout, fresh=fresh, phone=sms_phone,
    )
    created = len(fanout.ids)
    fanout.deliver_later()
    return created


def booked(booking: Booking, *, sms_phone: str | None = None) -> None:
    """The confirmation of a booking services.book has just created (`sms_phone`: read
    with the person's lock, services._lock_person)."""
    _send("booked", booking, Notification.Kind.BOOKING_CONFIRMED, fresh=True, sms_phone=sms_phone)


def cancelled(booking: Booking) -> None:
    _send("cancelled", booking, Notification.Kind.BOOKING_CANCELLED)


def moved(old: Booking, new: Booking) -> None:
    """One message for a reschedule: the new time to add, the old one to remove."""
    _send("moved", new, Notification.Kind.BOOKING_MOVED, fresh=True, old=old)


def reminder(booking: Booking) -> int:
    return _send("reminder", booking, Notification.Kind.BOOKING_REMINDER)
