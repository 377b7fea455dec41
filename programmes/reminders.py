"""Reminders before a session: three days and one day ahead, by e-mail (with the calendar
file) and, for people who opted in, by text. Each is sent at most once per place (the
dedupe key), and not at all to someone who took their place after that moment — their
confirmation is fresher than a reminder would be."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from notifications import services as outbox
from notifications.models import Notification
from programmes import ics, messages
from programmes.models import Enrolment, Session


class Reminder(NamedTuple):
    kind: str
    ahead: dt.timedelta  # sent once the session is this close
    until: dt.timedelta  # and no later than this close (else the next reminder takes over)


REMINDERS = (
    Reminder(Notification.Kind.REMINDER_3D, dt.timedelta(days=3), dt.timedelta(days=1)),
    Reminder(Notification.Kind.REMINDER_1D, dt.timedelta(days=1), dt.timedelta(0)),
)


def due(reminder: Reminder, now: dt.datetime) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(
            status=Enrolment.Status.CONFIRMED,
            session__status__in=(Session.Status.OPEN, Session.Status.CLOSED),
            session__starts_at__gt=now + reminder.until,
            session__starts_at__lte=now + reminder.ahead,
        )
        .select_related("user", "session__programme", "session__centre")
        .order_by("session__starts_at", "pk")
    )


def send_reminders(now: dt.datetime | None = None) -> int:
    """Put every reminder now due in the outbox (runs every 15 minutes). Idempotent."""
    now = now or timezone.now()
    created = 0
    for reminder in REMINDERS:
        for enrolment in due(reminder, now):
            session = enrolment.session
            if enrolment.confirmed_at and enrolment.confirmed_at > session.starts_at - reminder.ahead:
                continue
            text = messages.render(
                "programmes/messages/reminder",
                {
                    "session": session, "enrolment": enrolment, "kind": reminder.kind,
                    "my_url": messages.url("programmes:my_enrolments"),
                },
            )
            attachment = outbox.Attachment(
                "lifecareer-session.ics", ics.for_enrolment(enrolment).decode("utf-8"),
                "text/calendar; method=PUBLISH; charset=UTF-8",
            )
            with transaction.atomic():
                fanout = outbox.Fanout()
                outbox.notify_person(
                    enrolment.user, kind=reminder.kind,
                    key=f"{reminder.kind}:session:{session.pk}:user:{enrolment.user_id}",
                    subject=text.subject, body=text.body, sms_text=text.sms, attachments=[attachment], fanout=fanout,
                )
                created += len(fanout.ids)
                fanout.deliver_later()
    return created
