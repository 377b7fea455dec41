"""Held seats: a seat kept for a displaced person (see rescue/services.py) counts
against the session's capacity until it is taken, released or past `expires_at`.

A leaf module (no imports from programmes.services) so that the enrolment actions can ask
it for the seats taken without an import cycle.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from programmes.models import Enrolment, Session
from rescue.models import SEAT_HOLD_FLOW, SeatHold


def held_seats(session_id: int, *, except_user_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Seats held for people in this session right now (an expired hold no longer counts,
    even before the expiry job has marked it)."""
    qs = SeatHold.objects.filter(session_id=session_id, status=SeatHold.Status.HELD, expires_at__gt=now or timezone.now())
    if except_user_id is not None:
        qs = qs.exclude(user_id=except_user_id)
    return qs.count()


def free_seats(session: Session, *, for_user_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Seats someone (`for_user_id`, whose own hold is theirs to use) could take now."""
    confirmed = Enrolment.objects.filter(session=session, status=Enrolment.Status.CONFIRMED).count()
    return max(session.capacity - confirmed - held_seats(session.pk, except_user_id=for_user_id, now=now), 0)


def close(hold: SeatHold, *, confirmed: bool) -> None:
    """The holder has a place in the session now (programmes.services.enrol): a seat uses
    the hold up; a place on the waitlist gives the held seat back."""
    SEAT_HOLD_FLOW.move(hold, SeatHold.Status.TAKEN if confirmed else SeatHold.Status.RELEASED)
