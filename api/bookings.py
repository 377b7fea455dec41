"""Counselling bookings: the same actions as the booking pages (counselling/services.py).

Authentication and CSRF as for enrolments (api/programmes.py): the browser session, 401
before the CSRF check, `X-CSRFToken` on POST/DELETE."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from api.programmes import citizen_auth
from api.schemas import ErrorOut
from counselling import services
from counselling.models import Booking, Slot

router = Router(tags=["counselling"])


class CentreRef(Schema):
    id: int
    name: str


class BookingIn(Schema):
    slot_id: int = Field(ge=1, le=2**31 - 1)
    mode: str = Field(max_length=20, description="visit 방문 / phone 전화 / video 화상 (그 시간이 제공하는 방식)")
    topic: str = Field(max_length=20, description="reemployment, startup, rural, social, undecided, unsure(잘 모르겠어요)")
    share: list[str] = Field(default_factory=list, max_length=4, description="상담사에게 보여 줄 정보: latest_diagnosis, earlier_diagnoses, plan, enrolments")
    note: str = Field("", max_length=2000, description="상담사에게 남기는 말 (1000자까지)")


class BookingOut(Schema):
    id: int
    status: str = Field(description="confirmed 예약 확정 / cancelled 취소 / attended 상담 완료 / no_show 불참")
    starts_at: datetime
    ends_at: datetime
    mode: str
    topic: str
    centre: CentreRef
    is_demo: bool = Field(description="true: 시연용 일정")


class BookingPage(Schema):
    count: int
    items: list[BookingOut]


class FreeSlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    modes: list[str]


class TakenOut(ErrorOut):
    next_free: list[FreeSlotOut] = Field(default_factory=list, description="같은 센터·같은 방식의 가까운 빈 시간 (최대 3개)")


def booking_payload(b: Booking) -> dict[str, Any]:
    slot = b.slot
    return {
        "id": b.pk, "status": b.status, "starts_at": slot.starts_at, "ends_at": slot.ends_at, "mode": b.mode, "topic": b.topic,
        "centre": {"id": slot.centre_id, "name": slot.centre.name}, "is_demo": slot.is_demo,
    }


def slot_payload(s: Slot) -> dict[str, Any]:
    return {"id": s.pk, "starts_at": s.starts_at, "ends_at": s.ends_at, "modes": list(s.modes)}


# Refusal code → HTTP status. `taken` and `limit` are conflicts with the state of the
# world; a vanished slot is 404; the rest is input the person can correct.
STATUS_OF = {"taken": 409, "limit": 409, "too_late": 409, "withdrawn": 409, "not_live": 409, "not_found": 404}


def _refused(exc: services.BookingRefused) -> Status:
    body: dict[str, Any] = {
        "detail": exc.message,
        "errors": [{"field": exc.field or "slot_id", "message": exc.message, "code": exc.code}],
    }
    if exc.code == "taken":
        body["next_free"] = [slot_payload(s) for s in exc.next_free]
    return Status(STATUS_OF.get(exc.code, 400), body)


@router.post(
    "/bookings",
    response={201: BookingOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: TakenOut, 422: ErrorOut},
    auth=citizen_auth,
    summary="1:1 상담 예약",
    description=(
        "201: 예약 확정 (확인 메일과 .ics 발송). 409: 방금 다른 분이 예약함(taken, next_free에 가까운 빈 시간), "
        "앞으로 잡힌 상담 2건 초과(limit), 시작 2시간 전 이후(too_late), 철회된 시간(withdrawn) — errors[0].code. "
        "400: 그 시간에 없는 방식(mode_not_offered)이나 잘못된 값(invalid). 404: 없는 시간. 403: CSRF 토큰 없음."
    ),
)
def create_booking(request: HttpRequest, payload: BookingIn) -> Status:
    try:
        booking = services.book(
            request.user, payload.slot_id, mode=payload.mode, topic=payload.topic, share=payload.share, note=payload.note,  # type: ignore[arg-type]
        )
    except services.BookingRefused as exc:
        return _refused(exc)
    return Status(201, booking_payload(booking))


@router.get("/me/bookings", response={200: BookingPage, 401: ErrorOut}, auth=citizen_auth, summary="내 상담 예약 (최근 시간부터)")
def my_bookings(request: HttpRequest) -> dict[str, Any]:
    bookings = list(Booking.objects.select_related("slot__centre").filter(citizen_id=request.user.pk or 0).order_by("-slot__starts_at", "-pk"))
    return {"count": len(bookings), "items": [booking_payload(b) for b in bookings]}


@router.delete(
    "/bookings/{booking_id}",
    response={200: BookingOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    auth=citizen_auth,
    summary="내 상담 예약 취소 (시작 2시간 전까지)",
    description="다른 사람의 예약이거나 없는 예약이면 404. 이미 취소했거나 시작 2시간 전 이후면 409.",
)
def delete_booking(request: HttpRequest, booking_id: int) -> Status:
    if booking_id > 2**31 - 1:
        return Status(404, {"detail": _("예약을 찾을 수 없습니다."), "errors": []})
    try:
        booking = services.cancel(request.user, booking_id)  # type: ignore[arg-type]
    except services.BookingRefused as exc:
        return _refused(exc)
    booking = Booking.objects.select_related("slot__centre").get(pk=booking.pk)
    return Status(200, booking_payload(booking))
