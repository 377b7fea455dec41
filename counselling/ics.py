"""iCalendar (RFC 5545) files for a counselling booking (the programmes pattern:
programmes/ics.py). The UID is stable per booking, so a CANCEL removes what a PUBLISH added."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core import ics as calendar
from counselling.models import Booking, Mode


def uid_for(booking: Booking) -> str:
    return calendar.uid("counselling-booking", booking.pk)


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
    page = calendar.site_url(reverse("counselling:booking", args=[booking.pk]))
    return calendar.one_event(
        product="counselling",
        uid=uid_for(booking),
        starts=slot.starts_at,
        ends=slot.ends_at,
        summary=_("1:1 상담 (%(mode)s) · %(centre)s") % {"mode": booking.get_mode_display(), "centre": slot.centre.name},
        location=location_for(booking),
        description=_("중장년내일센터 1:1 상담 예약입니다. 예약 확인·변경·취소: %(url)s") % {"url": page},
        url=page,
        method=method,
        demo=slot.is_demo,
    )
