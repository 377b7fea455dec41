"""What the booking page shows: the centres that take bookings, the modes a centre's
counsellors offer, and the free slots in the order a person should see them (those that
fit the hours they told us first). Read-only; the action is services.book."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.utils import timezone

from core import availability as hours
from counselling.models import Mode, Slot, Topic
from counselling.slots import free_slots, with_mode
from programmes.models import Centre

# How far ahead the page lists slots, and at most how many (a page a person can scan).
HORIZON = dt.timedelta(days=28)
SLOT_LIMIT = 40


@dataclass(frozen=True)
class SlotRow:
    slot: Slot
    fits: bool  # every minute of it lies in the hours the person said they have


def bookable_centres() -> list[Centre]:
    """Centres with at least one free slot in the horizon: those that take bookings online."""
    now = timezone.now()
    # order_by(): without it the slots' default ordering joins the DISTINCT, which then
    # runs over every free slot (tens of thousands of rows) instead of over the centres.
    ids = free_slots(before=now + HORIZON).order_by().values_list("centre_id", flat=True).distinct()
    return list(Centre.objects.filter(pk__in=list(ids)).order_by("region", "name"))


def modes_at(centre: Centre) -> list[str]:
    """The modes some free slot of the centre offers, in the Mode order."""
    now = timezone.now()
    offered: set[str] = set()
    for modes in free_slots(centre_id=centre.pk, before=now + HORIZON).values_list("modes", flat=True)[:500]:
        offered.update(modes)
    return [m for m in Mode.values if m in offered]


def latest_result_of(user: User | AnonymousUser) -> object | None:
    if not user.is_authenticated:
        return None
    from diagnosis.models import Result

    return Result.objects.filter(owner_id=user.pk).order_by("-created_at", "-pk").first()


def availability_of(user: User | AnonymousUser) -> list[str]:
    result = latest_result_of(user)
    return list(getattr(result, "availability", None) or [])


def suggested_topic(user: User | AnonymousUser) -> str:
    """The goal of the person's latest diagnosis, when it is one of the topics."""
    goal = str(getattr(latest_result_of(user), "goal", "") or "")
    return goal if goal in Topic.values else ""


def slot_rows(centre: Centre, mode: str, availability: list[str]) -> list[SlotRow]:
    """Free slots of the centre in the mode; those that fit the person's hours first (in
    time order), then the others. Without known hours, all in time order, none marked."""
    now = timezone.now()
    candidates = with_mode(free_slots(centre_id=centre.pk, before=now + HORIZON).select_related("centre")[: SLOT_LIMIT * 5], mode)[:SLOT_LIMIT]
    rows = [SlotRow(s, bool(availability) and hours.fits_span(availability, s.starts_at, s.ends_at) is hours.Fit.FITS) for s in candidates]
    return [r for r in rows if r.fits] + [r for r in rows if not r.fits]
