"""The one way to write a calendar file (RFC 5545) for a single appointment: a session place
(programmes), a counselling booking (counselling). Each app says what the event is; this
module says how an event is written, so PUBLISH and CANCEL pair up the same way everywhere:
the UID is stable per appointment, and a CANCEL (sequence 1) removes what a PUBLISH added.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
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
    stamp: dt.datetime | None = None,
    kept: bool = False,
) -> bytes:
    """A calendar with one VEVENT. `method` is PUBLISH (add) or CANCEL (remove); a demo
    appointment says so in its title. `stamp`: its DTSTAMP (now by default).

    `kept`: the caller's event is the same for many people but for its UID (a session's
    places: the same time, title, place and links), so the file is written once per
    process (`_kept_event`, icalendar's own output with a stand-in UID and stamp) and each
    call puts its UID and stamp in: icalendar took about a tenth of an enrolment's CPU.
    The bytes are the same as written whole (core/tests/test_ics.py)."""
    stamp = stamp or timezone.now()
    fields = (product, starts, ends, summary, location, description, url, method, demo)
    if kept and _UID_FITS.fullmatch(uid) and stamp.tzinfo is not None and stamp.utcoffset() == dt.timedelta(0):
        kept_bytes = _kept_event(*fields, get_language())  # the demo title is translated in it
        if kept_bytes is not None:
            return kept_bytes.replace(_STAND_IN_UID, uid.encode("ascii"), 1).replace(
                _STAND_IN_STAMP_TEXT, stamp.strftime("%Y%m%dT%H%M%SZ").encode("ascii"), 1
            )
    return _event(*fields, uid=uid, stamp=stamp)


# A UID that goes into its line unescaped and unfolded ("UID:" + it within 75 octets),
# like the stand-in it replaces; any other is written whole.
_UID_FITS = re.compile(r"[A-Za-z0-9.@_-]{1,60}")
_STAND_IN_UID = b"lc-ics-uid-stand-in@lifecareer.invalid"
_STAND_IN_STAMP = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
_STAND_IN_STAMP_TEXT = b"19010203T040506Z"


@functools.lru_cache(maxsize=1024)
def _kept_event(
    product: str, starts: dt.datetime, ends: dt.datetime, summary: str, location: str,
    description: str, url: str, method: str, demo: bool, language: str | None,
) -> bytes | None:
    """The event with the stand-ins, or None when they are not found exactly once each
    (then the caller writes the whole file)."""
    made = _event(
        product, starts, ends, summary, location, description, url, method, demo,
        uid=_STAND_IN_UID.decode("ascii"), stamp=_STAND_IN_STAMP,
    )
    if made.count(_STAND_IN_UID) != 1 or made.count(_STAND_IN_STAMP_TEXT) != 1 or b"DTSTAMP:" + _STAND_IN_STAMP_TEXT not in made:
        return None
    return made


def _event(
    product: str, starts: dt.datetime, ends: dt.datetime, summary: str, location: str,
    description: str, url: str, method: str, demo: bool, *, uid: str, stamp: dt.datetime,
) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//lifecareer//{product}//KO")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
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
