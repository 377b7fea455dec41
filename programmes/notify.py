"""Telling people what happened to their place. The one door for programme notifications.

Actions call `send(event, enrolment_id)` inside their transaction; the message's outbox row
is written in that same transaction, so a rolled-back action never mails anyone, and a
background worker writes the message (`compose`, ADR 0014) and delivers it after commit
(notifications app, exactly once per dedupe key).
"""

from __future__ import annotations

import enum
import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from notifications.composers import Composed, Later
from notifications.models import Notification
from notifications.services import Attachment, enqueue
from programmes import ics, outbox
from programmes.models import Enrolment

logger = logging.getLogger(__name__)


class Event(enum.StrEnum):
    CONFIRMED = "confirmed"  # took a seat straight away
    WAITLISTED = "waitlisted"  # joined the waitlist
    PROMOTED = "promoted"  # moved from the waitlist to a seat
    CANCELLED = "cancelled"  # cancelled their own place (or staff did)
    SESSION_CANCELLED = "session_cancelled"  # the whole session was cancelled


# Events whose message carries a calendar file, and with which iCalendar method.
CALENDAR_METHOD: dict[Event, str] = {
    Event.CONFIRMED: "PUBLISH",
    Event.PROMOTED: "PUBLISH",
    Event.CANCELLED: "CANCEL",
    Event.SESSION_CANCELLED: "CANCEL",
}


COMPOSER = "programmes.enrolment"
ICS_NAME = "lifecareer-session.ics"


def send(event: Event, enrolment_id: int, *, created: Enrolment | None = None) -> None:
    """Put the message for `event` in the notification outbox, inside the caller's transaction.
    `created`: the place the caller has just created in this transaction, with its user in
    memory: nothing is read again, and the message's key cannot exist yet (no savepoint:
    notifications.services.enqueue). The worker writes the text when it delivers it
    (`compose`, ADR 0014)."""
    deliver(event, enrolment_id, created=created)


def deliver(event: Event | str, enrolment_id: int, *, created: Enrolment | None = None) -> bool:
    """Put one message in the outbox now. Returns False when there is nobody to send to, or
    a message for this event is there already."""
    event = Event(event)
    fresh = created is not None and created.pk == enrolment_id
    enrolment = created if created is not None and fresh else Enrolment.objects.select_related("user").filter(pk=enrolment_id).first()
    if enrolment is None or not enrolment.user.email:
        logger.info("programmes.notify: no recipient for %s enrolment %s", event, enrolment_id)
        return False
    args: dict[str, Any] = {"event": event.value, "enrolment": enrolment.pk}
    if event == Event.WAITLISTED:
        args["position"] = enrolment.position  # the message says the place in the queue when they joined it
    _row, created_row = enqueue(
        kind=outbox.KIND_FOR_EVENT.get(event.value, Notification.Kind.OTHER),
        dedupe_key=outbox.event_key(event.value, enrolment.pk) + ":email",
        recipient=enrolment.user,
        later=Later(COMPOSER, args, sms=False),
        fresh=fresh,
    )
    return created_row


def compose(args: dict[str, Any]) -> Composed:
    """The message about a place (`args`: event, enrolment id and, for the waitlist, the
    position when they joined), written by the worker when it delivers it."""
    event = Event(args["event"])
    enrolment = Enrolment.objects.select_related("session__programme", "session__centre", "user").get(pk=args["enrolment"])
    if "position" in args:
        enrolment.position = args["position"]
    method = CALENDAR_METHOD.get(event)
    if method == "CANCEL" and enrolment.confirmed_at is None:
        method = None  # a place that only ever waited never had a calendar entry
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "event": event.value,
            "enrolment": enrolment,
            "session": enrolment.session,
            "programme": enrolment.session.programme,
            "my_url": settings.SITE_URL.rstrip("/") + reverse("programmes:my_enrolments"),
        }
        subject = " ".join(render_to_string("programmes/email/subject.txt", context).split())
        body = render_to_string("programmes/email/body.txt", context)
        attachments = [] if method is None else [
            Attachment(ICS_NAME, ics.for_enrolment(enrolment, method=method).decode("utf-8"), f"text/calendar; method={method}; charset=UTF-8")
        ]
    return Composed(subject=subject, body=body, attachments=attachments)
