"""Counselling attended, on the person's timeline (core/timeline.py)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.translation import gettext as _

from core.timeline import TimelineEvent
from counselling.models import Booking, BookingStatus


def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]:
    bookings = Booking.objects.filter(citizen_id=user.pk, status=BookingStatus.ATTENDED).select_related("slot__centre")
    if before is not None:
        bookings = bookings.filter(slot__starts_at__lt=before)
    return [
        TimelineEvent(
            at=b.slot.starts_at,
            kind="counselling.attended",
            title=_("1:1 상담을 받았어요 (%(centre)s, %(mode)s)") % {"centre": b.slot.centre.name, "mode": b.get_mode_display()},
            key=f"counselling.booking:{b.pk}",
            url=reverse("counselling:booking", args=[b.pk]),
        )
        for b in bookings.order_by("-slot__starts_at", "-pk")[:limit]
    ]
