"""Which slots are free: the one query for the booking pages, the API, the 409 answer and
the offer after a counsellor's cancellation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from counselling.models import LIVE_BOOKING, Booking, Slot

# A slot can be booked until this long before it starts (the counsellor needs to see who
# is coming); the same cut-off applies to rescheduling and cancelling online.
BOOKING_CUTOFF = dt.timedelta(hours=2)


def free_slots(
    *,
    centre_id: int | None = None,
    after: dt.datetime | None = None,
    before: dt.datetime | None = None,
    counsellor_id: int | None = None,
    exclude_ids: Iterable[int] = (),
) -> QuerySet[Slot]:
    """Slots nobody holds, not withdrawn, starting after the booking cut-off (or `after`,
    whichever is later), in time order."""
    earliest = timezone.now() + BOOKING_CUTOFF
    if after is not None and after > earliest:
        earliest = after
    taken = Booking.objects.filter(LIVE_BOOKING, slot=OuterRef("pk"))
    qs = Slot.objects.filter(withdrawn=False, starts_at__gte=earliest).exclude(Exists(taken))
    if centre_id is not None:
        qs = qs.filter(centre_id=centre_id)
    if counsellor_id is not None:
        qs = qs.filter(counsellor_id=counsellor_id)
    if before is not None:
        qs = qs.filter(starts_at__lt=before)
    if exclude_ids:
        qs = qs.exclude(pk__in=list(exclude_ids))
    return qs.order_by("starts_at", "pk")


def with_mode(slots: Iterable[Slot], mode: str | None) -> list[Slot]:
    """JSON containment is not portable to SQLite, and a slot has at most three modes:
    the mode is filtered here, on a bounded page of `free_slots`."""
    return [slot for slot in slots if not mode or mode in slot.modes]


def nearest_free(centre_id: int, mode: str | None, *, around: dt.datetime | None = None, limit: int = 3, exclude_ids: Iterable[int] = ()) -> list[Slot]:
    """The next `limit` free slots at the centre in that mode, from `around` (default now)."""
    candidates = free_slots(centre_id=centre_id, after=around, exclude_ids=exclude_ids).select_related("centre")[: limit * 10]
    return with_mode(candidates, mode)[:limit]
