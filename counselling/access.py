"""Doors to counselling data. The person's own bookings: the same 404 for "missing" and
"not yours" (no access-log row: it is their own data)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from counselling.models import Booking


def access_own_booking(request: HttpRequest, booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_related("slot__centre", "case")
        .filter(pk=booking_id, citizen_id=request.user.pk or 0)
        .first()
    )
    if booking is None:
        raise Http404
    return booking
