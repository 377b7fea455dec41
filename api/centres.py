"""중장년내일센터: the public list, one centre, and its free counselling slots.

Public (no authentication). Parameters are read as text and checked here, so that a bad
value gets a 400 with a Korean message in the API's error shape instead of a validation
message in English; research notes (`Centre.notes`) are never part of a payload.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from api.errors import FieldErrors
from api.schemas import ErrorOut
from core import vocabulary as vocab
from core.localize import localized
from core.vocabulary import SEOUL
from counselling.models import Mode as CounsellingMode
from counselling.models import Slot
from programmes import centres as centre_data
from programmes.models import Centre

router = Router(tags=["centres"])

# The longest range one slot request may cover: a month of slots is enough to choose
# from and keeps the answer (and the query) bounded.
MAX_SLOT_DAYS = 31
DEFAULT_SLOT_DAYS = 14
SIGUNGU_MAX = 30


class CodeName(Schema):
    code: str
    name: str


class CentreSummaryOut(Schema):
    id: int
    slug: str
    name: str
    name_en: str
    region: CodeName = Field(description="시·도 (행정표준코드 앞 두 자리)")
    sigungu: str = Field(description="시·군·구. 출처의 주소에 없으면 빈 문자열")
    address: str | None = Field(description="확인되지 않았으면 null")
    address_en: str
    phone: str = Field(description="확인되지 않았으면 빈 문자열")
    takes_bookings: bool = Field(description="true: 이 누리집에서 1:1 상담을 예약할 수 있음 (예약 가능한 빈 시간이 있음)")
    url: str = Field(description="센터 안내 화면")


class CentreDetailOut(CentreSummaryOut):
    hours: str = Field(description="운영 시간. 확인되지 않았으면 빈 문자열")
    hours_en: str
    counselling_modes: list[CodeName] = Field(description="출처로 확인한 상담 방식 (visit 방문 / phone 전화 / video 화상). 확인되지 않았으면 빈 목록")
    bookable_modes: list[CodeName] = Field(description="앞으로 31일 안에 이 누리집에서 예약할 수 있는 상담 방식")
    map_urls: dict[str, str] = Field(description="외부 지도 검색 주소 (kakao, naver). 주소를 모르면 빈 객체")
    source: list[str] = Field(description="출처 주소")
    checked_on: dt.date | None = Field(description="출처를 확인한 날")


class CentreFilterIn(Schema):
    region: str = Field("", description="시·도 코드 (예: 11 서울, 26 부산). 비우면 전체")
    sigungu: str = Field("", description="시·군·구 이름 (예: 중구). region과 함께 씁니다")


class SlotOut(Schema):
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    modes: list[CodeName]
    is_demo: bool = Field(description="true: 시연용 상담 시간 (실제 상담 아님). 화면에 '시연용'이라고 표시해야 합니다.")


class CentreRef(Schema):
    id: int
    name: str


class SlotPage(Schema):
    centre: CentreRef
    date_from: dt.date = Field(alias="from")
    date_to: dt.date = Field(alias="to")
    count: int
    items: list[SlotOut]


class SlotFilterIn(Schema):
    date_from: str = Field("", alias="from", description="시작 날짜 YYYY-MM-DD (한국 시간). 비우면 오늘")
    date_to: str = Field("", alias="to", description=f"끝 날짜 YYYY-MM-DD (그날 포함). 비우면 시작일부터 {DEFAULT_SLOT_DAYS}일. 최대 {MAX_SLOT_DAYS}일")
    mode: str = Field("", description="visit 방문 / phone 전화 / video 화상. 비우면 모두")


def _mode_list(codes: list[str]) -> list[dict[str, str]]:
    return [{"code": code, "name": str(CounsellingMode(code).label)} for code in CounsellingMode.values if code in codes]


def summary_payload(request: HttpRequest, centre: Centre) -> dict[str, Any]:
    return {
        "id": centre.pk,
        "slug": centre.slug,
        "name": centre.name,
        "name_en": centre.name_en,
        "region": {"code": centre.region, "name": vocab.label_of(vocab.REGIONS, centre.region)},
        "sigungu": centre.sigungu,
        "address": centre.address,
        "address_en": centre.address_en,
        "phone": centre.phone,
        "takes_bookings": bool(getattr(centre, "takes_bookings", False)),
        "url": request.build_absolute_uri(reverse("centres:detail", args=[centre.slug])),
    }


def centre_payload(request: HttpRequest, centre: Centre) -> dict[str, Any]:
    return {
        **summary_payload(request, centre),
        "hours": centre.hours,
        "hours_en": centre.hours_en,
        "counselling_modes": _mode_list(centre.counselling_modes),
        "bookable_modes": _mode_list(centre_data.bookable_modes(centre)) if getattr(centre, "takes_bookings", False) else [],
        "map_urls": centre_data.map_links(centre),
        "source": list(centre.source),
        "checked_on": centre.checked_on,
    }


def slot_payload(slot: Slot) -> dict[str, Any]:
    return {"id": slot.pk, "starts_at": slot.starts_at, "ends_at": slot.ends_at, "modes": _mode_list(slot.modes), "is_demo": slot.is_demo}


def _centre(centre_id: int) -> Centre:
    centre = centre_data.with_bookings(Centre.objects.filter(pk=centre_id)).first()
    if centre is None:
        raise Http404
    return centre


def _date(raw: str, field: str, errors: FieldErrors) -> dt.date | None:
    if not raw:
        return None
    try:
        if len(raw) != 10:
            raise ValueError(raw)
        value = dt.date.fromisoformat(raw)
        # Far dates would overflow the day arithmetic below; no slot is published there.
        if not 2000 <= value.year <= 2099:
            raise ValueError(raw)
        return value
    except ValueError:
        errors.add(field, _("날짜는 2000~2099년의 YYYY-MM-DD 형식으로 적어 주세요 (예: 2026-12-01)."), "invalid_date")
        return None


@router.get(
    "/centres",
    response={200: list[CentreSummaryOut], 400: ErrorOut},
    auth=None,
    summary="중장년내일센터 목록 (시·도, 시·군·구로 찾기)",
    description="출처로 확인한 센터만 있습니다. 지역에 센터가 없으면 빈 목록입니다 (가까운 시·도는 화면 /centres/ 가 안내합니다).",
)
def list_centres(request: HttpRequest, filters: Query[CentreFilterIn]) -> list[dict[str, Any]]:
    errors = FieldErrors()
    region, sigungu = filters.region.strip(), filters.sigungu.strip()
    if region and region not in vocab.codes(vocab.REGIONS):
        errors.add("region", _("알 수 없는 시·도 코드입니다. 11(서울), 26(부산)처럼 두 자리 코드를 적어 주세요."), "invalid_region")
    if len(sigungu) > SIGUNGU_MAX:
        errors.add("sigungu", _("시·군·구 이름이 너무 깁니다."), "too_long")
    elif sigungu and not region:
        errors.add("sigungu", _("시·군·구로 찾으려면 시·도(region)도 함께 적어 주세요."), "region_required")
    errors.raise_if_any(400)
    return [summary_payload(request, c) for c in centre_data.public_centres(region, sigungu)]


@router.get("/centres/{centre_id}", response={200: CentreDetailOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut}, auth=None, summary="중장년내일센터 한 곳")
def get_centre(request: HttpRequest, centre_id: int) -> dict[str, Any]:
    return centre_payload(request, _centre(centre_id))


@router.get(
    "/centres/{centre_id}/slots",
    response={200: SlotPage, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="센터의 예약 가능한 상담 시간",
    description=f"이미 예약된 시간, 철회된 시간, 시작 2시간 전이 지난 시간은 빠집니다. 기간은 최대 {MAX_SLOT_DAYS}일입니다.",
    by_alias=True,
)
def centre_slots(request: HttpRequest, centre_id: int, filters: Query[SlotFilterIn]) -> dict[str, Any]:
    centre = _centre(centre_id)
    errors = FieldErrors()
    start = _date(filters.date_from.strip(), "from", errors)
    end = _date(filters.date_to.strip(), "to", errors)
    mode = filters.mode.strip()
    if mode and mode not in CounsellingMode.values:
        errors.add("mode", _("상담 방식은 visit(방문), phone(전화), video(화상) 가운데 하나입니다."), "invalid_mode")
    errors.raise_if_any(400)
    start = start or timezone.localdate()
    end = end or start + dt.timedelta(days=DEFAULT_SLOT_DAYS - 1)
    if end < start:
        errors.add("to", _("끝 날짜가 시작 날짜보다 앞섭니다."), "invalid_range")
    elif (end - start).days + 1 > MAX_SLOT_DAYS:
        errors.add("to", _("한 번에 최대 %(days)d일까지 볼 수 있습니다.") % {"days": MAX_SLOT_DAYS}, "range_too_long")
    errors.raise_if_any(400)
    after = dt.datetime.combine(start, dt.time.min, tzinfo=SEOUL)
    before = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=SEOUL)
    slots = centre_data.slots_between(centre, after, before, mode)
    return {
        "centre": {"id": centre.pk, "name": localized(centre, "name")},
        "from": start,
        "to": end,
        "count": len(slots),
        "items": [slot_payload(s) for s in slots],
    }
