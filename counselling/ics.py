"""iCalendar (RFC 5545) files for a counselling booking (the programmes pattern:
programmes/ics.py). The UID is stable per booking, so a CANCEL removes what a PUBLISH added."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from counselling.models import Booking, Mode


def uid_for(booking: Booking) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "lifecareer.local"
    return f"counselling-booking-{booking.pk}@{host}"


def location_for(booking: Booking) -> str:
    centre = booking.slot.centre
    if booking.mode == Mode.VISIT:
        return ", ".join(part for part in (centre.name, centre.address or "") if part)
    if booking.mode == Mode.PHONE:
        return _("전화 상담 (%(centre)s 상담사가 전화를 드립니다)") % {"centre": centre.name}
    return _("화상 상담 (접속 방법은 센터에서 따로 안내합니다)")


def for_booking(booking: Booking, *, method: str = "PUBLISH") -> bytes:
    """One VEVENT for the booking; `method` is PUBLISH (add) or CANCEL (remove)."""
    slot = booking.slot
    cal = Calendar()
    cal.add("prodid", "-//lifecareer//counselling//KO")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid_for(booking))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    summary = _("1:1 상담 (%(mode)s) · %(centre)s") % {"mode": booking.get_mode_display(), "centre": slot.centre.name}
    if slot.is_demo:
        summary = f"[{_('시연용 일정')}] {summary}"
    event.add("summary", summary)
    event.add("location", location_for(booking))
    page = settings.SITE_URL.rstrip("/") + reverse("counselling:booking", args=[booking.pk])
    event.add("description", _("중장년내일센터 1:1 상담 예약입니다. 예약 확인·변경·취소: %(url)s") % {"url": page})
    event.add("url", page)
    if method == "CANCEL":
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    else:
        event.add("status", "CONFIRMED")
        event.add("sequence", 0)
    cal.add_component(event)
    return bytes(cal.to_ical())
