"""Programme messages into the notification outbox: one dedupe key per event and place.

`event_key("session_cancelled", 12)` is the key of "the message telling the holder of
enrolment 12 that their session was cancelled", whoever writes it. programmes/notify.py
and the rescue actions (programmes/rescue.py) use the same keys, so when a rescue action
has already put a richer message for an event in the outbox (one that offers
alternatives), the plain message for that event is not sent as well.
"""

from __future__ import annotations

from notifications.models import Notification

Kind = Notification.Kind

KIND_FOR_EVENT: dict[str, str] = {
    "confirmed": Kind.ENROLMENT_CONFIRMED,
    "waitlisted": Kind.ENROLMENT_WAITLISTED,
    "promoted": Kind.WAITLIST_PROMOTED,
    "cancelled": Kind.ENROLMENT_CANCELLED,
    "session_cancelled": Kind.SESSION_CANCELLED,
}


def event_key(event: str, enrolment_id: int) -> str:
    """The event's key without the channel (notify_person appends `:email` / `:sms`)."""
    return f"programmes:{event}:enrolment:{enrolment_id}"
