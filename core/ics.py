"""The one way to write a calendar file (RFC 5545) for a single appointment: a session place
(programmes), a counselling booking (counselling). Each app says what the event is; this
module says how an event is written, so PUBLISH and CANCEL pair up the same way everywhere:
the UID is stable per appointment, and a CANCEL (sequence 1) removes what a PUBLISH added.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def uid(kind: str, pk: object) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "lifecareer.local"
    return f"{kind}-{pk}@{host}"


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def one_event(
    *,
    product: str,
    uid: str,
    starts: dt.datetime,
    ends: dt.datetime,
    summary: str,
    location: str,
    description: str,
    url: str,
    method: str = "PUBLISH",
    demo: bool = False,
) -> bytes:
    """A calendar with one VEVENT. `method` is PUBLISH (add) or CANCEL (remove); a demo
    appointment says so in its title."""
    cal = Calendar()
    cal.add("prodid", f"-//lifecareer//{product}//KO")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", _("[시연용 일정] %(summary)s") % {"summary": summary} if demo else summary)
    event.add("location", location)
    event.add("description", description)
    event.add("url", url)
    cancelled = method == "CANCEL"
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    cal.add_component(event)
    return bytes(cal.to_ical())
