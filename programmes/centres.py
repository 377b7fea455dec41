"""Read-side helpers for the 중장년내일센터 reference data, shared by the public centre
pages (the `centres` app) and the API: finding centres by 시도 and 시군구, what to offer
when a region has none, and whether a centre takes 1:1 counselling bookings here.

Whether a centre "takes bookings" is not stored: it is true exactly when one of its
counsellors has published a free slot that can still be booked, so it can never say yes
for a centre whose calendar is empty.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core import vocabulary as vocab
from counselling.models import Mode as CounsellingMode
from counselling.models import Slot
from counselling.slots import free_slots, with_mode
from programmes.models import Centre

# The operator's official site (the same address the service catalogue cites for every
# 노사발전재단 service): the way forward when a centre's phone or hours are not known.
FOUNDATION_URL = "https://www.nosa.or.kr"

# How far ahead the detail page looks for the modes a centre takes bookings in.
MODES_HORIZON = dt.timedelta(days=31)

KAKAO_MAP = "https://map.kakao.com/?q={q}"
NAVER_MAP = "https://map.naver.com/p/search/{q}"


def with_bookings(qs: QuerySet[Centre]) -> QuerySet[Centre]:
    """Annotate `takes_bookings`: a free, still bookable slot exists at the centre."""
    return qs.annotate(takes_bookings=Exists(free_slots().filter(centre_id=OuterRef("pk")).order_by()))


def public_centres(region: str = "", sigungu: str = "") -> QuerySet[Centre]:
    """Centres in `region` (시도 code) and `sigungu`, both optional, in region order."""
    qs = Centre.objects.all()
    if region:
        qs = qs.filter(region=region)
    if sigungu:
        qs = qs.filter(sigungu=sigungu)
    # Centres whose 시군구 is known first: their address is more likely to be useful.
    unknown_last = Case(When(sigungu="", then=Value(1)), default=Value(0), output_field=IntegerField())
    return with_bookings(qs).order_by("region", unknown_last, "sigungu", "name", "pk")


def sigungu_options(region: str) -> list[str]:
    """The 시군구 that have a centre in `region` (known addresses only), sorted."""
    if not region:
        return []
    names = Centre.objects.filter(region=region).exclude(sigungu="").values_list("sigungu", flat=True).distinct()
    return sorted(set(names))


@dataclass
class Alternatives:
    """What a search that found no centre offers instead: centres in the bordering 시도 and
    centres that take phone or video counselling here (distance matters less)."""

    neighbours: list[Centre] = field(default_factory=list)
    remote: list[Centre] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.neighbours or self.remote)


def alternatives_for(region: str) -> Alternatives:
    near = vocab.neighbouring_regions(region)
    neighbours = list(public_centres().filter(region__in=near)) if near else []
    remote = [c for c in public_centres() if remote_modes(c)]
    return Alternatives(neighbours=neighbours, remote=remote)


def bookable_modes(centre: Centre, *, horizon: dt.timedelta = MODES_HORIZON) -> list[str]:
    """The counselling modes of the centre's free slots in the next `horizon`, in Mode order."""
    found: set[str] = set()
    for modes in free_slots(centre_id=centre.pk, before=timezone.now() + horizon).values_list("modes", flat=True)[:500]:
        found.update(modes or [])
    return [m for m in CounsellingMode.values if m in found]


def offered_modes(centre: Centre) -> tuple[list[str], bool]:
    """The modes to show and whether they come from the sources (True) or from the slots
    published here (False)."""
    if centre.counselling_modes:
        return [m for m in CounsellingMode.values if m in centre.counselling_modes], True
    return bookable_modes(centre), False


def remote_modes(centre: Centre) -> list[str]:
    """Phone or video, if the centre takes bookings in them (annotated queryset)."""
    if not getattr(centre, "takes_bookings", False):
        return []
    return [m for m in bookable_modes(centre) if m in (CounsellingMode.PHONE, CounsellingMode.VIDEO)]


def map_links(centre: Centre) -> dict[str, str]:
    """Searches for the address on external maps; none when the address is not known."""
    if not centre.address:
        return {}
    q = quote(centre.address, safe="")
    return {"kakao": KAKAO_MAP.format(q=q), "naver": NAVER_MAP.format(q=q)}


def book_url(centre: Centre) -> str:
    """The booking start for this centre."""
    return f"{reverse('counselling:book')}?{urlencode({'centre': centre.slug, 'from': 'centre'})}"


def slots_between(centre: Centre, start: dt.datetime, end: dt.datetime, mode: str = "", limit: int = 500) -> list[Slot]:
    """Free slots of the centre starting in [start, end), in `mode` if given."""
    return with_mode(free_slots(centre_id=centre.pk, after=start, before=end)[:limit], mode or None)
