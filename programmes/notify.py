"""Telling people what happened to their place. The one door for programme notifications.

Actions call `send(event, enrolment_id)` inside their transaction; the message is built
and written to the notification outbox in that same transaction, so a rolled-back action
never mails anyone, and a background worker delivers it after commit (notifications app,
exactly once per dedupe key).
"""

from __future__ import annotations

import enum
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

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


def send(event: Event, enrolment_id: int, *, created: Enrolment | None = None) -> None:
    """Put the message for `event` in the notification outbox, inside the caller's transaction.
    `created`: the place the caller has just created in this transaction, with its session
    (and the session's programme and centre) and its user in memory: nothing is read again,
    and the message's key cannot exist yet (no savepoint: notifications.services.enqueue)."""
    deliver(event, enrolment_id, created=created)


def deliver(event: Event | str, enrolment_id: int, *, created: Enrolment | None = None) -> bool:
    """Build and send one message now. Returns False when there is nobody to send to."""
    event = Event(event)
    fresh = created is not None and created.pk == enrolment_id
    enrolment = created if created is not None and fresh else (
        Enrolment.objects.select_related("session__programme", "session__centre", "user").filter(pk=enrolment_id).first()
    )
    if enrolment is None or not enrolment.user.email:
        logger.info("programmes.notify: no recipient for %s enrolment %s", event, enrolment_id)
        return False
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
        message = EmailMessage(subject=subject, body=body, to=[enrolment.user.email])
        if method is not None:
            message.attach("lifecareer-session.ics", ics.for_enrolment(enrolment, method=method), f"text/calendar; method={method}; charset=UTF-8")
    return outbox.put(event.value, enrolment.pk, enrolment.user, message, fresh=fresh)
