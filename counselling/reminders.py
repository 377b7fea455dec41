"""The reminder the day before a counselling booking (pattern: programmes/reminders.py).
Once per booking (its dedupe key); not for a booking made within that day, whose
confirmation is fresher than a reminder would be."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from counselling import notify
from counselling.models import Booking, BookingStatus

AHEAD = dt.timedelta(days=1)


def due(now: dt.datetime) -> list[Booking]:
    return list(
        Booking.objects.filter(status=BookingStatus.CONFIRMED, slot__starts_at__gt=now, slot__starts_at__lte=now + AHEAD)
        .select_related("slot")
        .order_by("slot__starts_at", "pk")
    )


def send_reminders(now: dt.datetime | None = None) -> int:
    """Put every reminder now due in the outbox (runs every 15 minutes). Idempotent:
    returns how many new outbox rows were written."""
    now = now or timezone.now()
    created = 0
    for booking in due(now):
        if booking.created_at > booking.slot.starts_at - AHEAD:
            continue
        with transaction.atomic():
            created += notify.reminder(booking)
    return created
