"""Telling the person about their counselling booking, through the notification outbox
(inside the action's transaction, so a rolled-back booking never mails anyone).

One dedupe key per event and booking: `counselling:<event>:booking:<id>`; the reminder
the day before has its own (`counselling/reminders.py`)."""

from __future__ import annotations

from typing import Any

from counselling import ics
from counselling.models import Booking, Slot
from notifications import services as outbox
from notifications.models import Notification
from programmes import messages

ICS_NAME = "lifecareer-counselling.ics"
ICS_CANCEL_NAME = "lifecareer-counselling-cancelled.ics"


def key(event: str, booking: Booking) -> str:
    return f"counselling:{event}:booking:{booking.pk}"


def calendar(booking: Booking, method: str, filename: str = ICS_NAME) -> outbox.Attachment:
    return outbox.Attachment(filename, ics.for_booking(booking, method=method).decode("utf-8"), f"text/calendar; method={method}; charset=UTF-8")


def _loaded(booking: Booking) -> bool:
    """Whether the booking's slot, the slot's centre and the citizen are in memory (a
    booking just made by services.book is), so the message needs no query to read them."""
    slot_field, citizen_field = Booking._meta.get_field("slot"), Booking._meta.get_field("citizen")
    return (
        slot_field.is_cached(booking)
        and citizen_field.is_cached(booking)
        and Slot._meta.get_field("centre").is_cached(booking.slot)
    )


def _send(
    event: str, booking: Booking, kind: str, attachments: list[outbox.Attachment], *,
    fresh: bool = False, sms_phone: str | None = None, **extra: Any,
) -> int:
    """Returns how many outbox rows were new (0 when this event was already sent).
    `fresh`: the booking was created in this transaction, so the event's key cannot exist
    yet (no savepoint: notifications.services.enqueue). `sms_phone`: the person's opt-in
    number when the caller has read it already (notify_person)."""
    if not _loaded(booking):
        booking = Booking.objects.select_related("slot__centre", "citizen").get(pk=booking.pk)
    context = {
        "event": event, "booking": booking, "slot": booking.slot, "centre": booking.slot.centre,
        "page_url": messages.url("counselling:booking", booking.pk),
        "mine_url": messages.url("counselling:my_bookings"), **extra,
    }
    text = messages.render("counselling/messages/booking", context)
    fanout = outbox.Fanout()
    outbox.notify_person(
        booking.citizen, kind=kind, key=key(event, booking), subject=text.subject, body=text.body,
        sms_text=text.sms, attachments=attachments, fanout=fanout, fresh=fresh, phone=sms_phone,
    )
    created = len(fanout.ids)
    fanout.deliver_later()
    return created


def booked(booking: Booking, *, sms_phone: str | None = None) -> None:
    """The confirmation of a booking services.book has just created (`sms_phone`: read
    with the person's lock, services._lock_person)."""
    _send("booked", booking, Notification.Kind.BOOKING_CONFIRMED, [calendar(booking, "PUBLISH")], fresh=True, sms_phone=sms_phone)


def cancelled(booking: Booking) -> None:
    _send("cancelled", booking, Notification.Kind.BOOKING_CANCELLED, [calendar(booking, "CANCEL")])


def moved(old: Booking, new: Booking) -> None:
    """One message for a reschedule: the new time to add, the old one to remove."""
    old = Booking.objects.select_related("slot__centre").get(pk=old.pk)
    _send(
        "moved", new, Notification.Kind.BOOKING_MOVED,
        [calendar(new, "PUBLISH"), calendar(old, "CANCEL", ICS_CANCEL_NAME)], fresh=True, old=old, old_slot=old.slot,
    )


def reminder(booking: Booking) -> int:
    return _send("reminder", booking, Notification.Kind.BOOKING_REMINDER, [calendar(booking, "PUBLISH")])
