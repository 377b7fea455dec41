"""Referrals (연계): the person's own list, and the partner's status update.

Partner authentication, either
* `Authorization: Bearer <API key>` — the partner organisation's key (made in the admin,
  shown once, kept hashed: referrals.services.new_api_key); for partners' own systems; or
* the browser session of a partner staff member (role partner), with `X-CSRFToken`.
Reads and changes by a key are logged as `partner-api:<slug>`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from pydantic import Field

from api.programmes import citizen_auth
from api.schemas import ErrorOut
from referrals import services
from referrals.access import own_referrals, partner_ids_of
from referrals.models import Partner, Referral, ReferralEvent

router = Router(tags=["referrals"])


class PartnerKey(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Partner | None:
        return services.partner_for_key(token)


class EventOut(Schema):
    status: str
    at: datetime
    reason: str


class ReferralOut(Schema):
    id: int
    service: str = Field(description="연계 서비스 이름")
    service_slug: str
    partner: str
    status: str = Field(description="received 접수 / contacted 연락함 / in_progress 진행 중 / completed 완료 / declined 거절 / no_show 연락 안 됨·불참")
    status_changed_at: datetime
    decline_reason: str
    shared_items: list[str]
    created_at: datetime
    events: list[EventOut]


class ReferralPage(Schema):
    count: int
    items: list[ReferralOut]


class StatusIn(Schema):
    status: str = Field(max_length=20, description="contacted, in_progress, completed, declined (reason 필수), no_show")
    reason: str = Field("", max_length=500, description="거절·불참 사유 (거절이면 필수, 본인에게 전달됨)")


def payload(r: Referral) -> dict[str, Any]:
    return {
        "id": r.pk, "service": r.service.name_ko, "service_slug": r.service.slug, "partner": r.partner.name, "status": r.status,
        "status_changed_at": r.status_changed_at, "decline_reason": r.decline_reason, "shared_items": list(r.shared_items),
        "created_at": r.created_at, "events": [{"status": e.to_status, "at": e.at, "reason": e.reason} for e in r.events.all()],
    }


def _error(status: int, message: str, code: str, field: str = "") -> Status:
    return Status(status, {"detail": message, "errors": [{"field": field, "message": message, "code": code}]})


@router.get("/me/referrals", response={200: ReferralPage, 401: ErrorOut}, auth=citizen_auth, summary="내 연계 의뢰 (최근 것부터, 상태 변경 날짜 포함)")
def my_referrals(request: HttpRequest) -> dict[str, Any]:
    rows = own_referrals(request.user)
    return {"count": len(rows), "items": [payload(r) for r in rows]}


@router.patch(
    "/partner/referrals/{referral_id}",
    response={200: ReferralOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=[PartnerKey(), citizen_auth],
    summary="연계 기관: 의뢰 상태 바꾸기",
    description=(
        "인증: `Authorization: Bearer <기관 API 키>` 또는 기관 담당자 계정의 로그인 세션(+ X-CSRFToken). "
        "200: 바뀐 의뢰. 400: 거절인데 사유 없음, 모르는 상태. 403: 기관 담당자가 아닌 계정. "
        "404: 없거나 다른 기관의 의뢰. 409: 지금 상태에서 갈 수 없는 상태 (예: 완료 → 진행 중)."
    ),
)
def change_status(request: HttpRequest, referral_id: int, payload_in: StatusIn) -> Status:
    if isinstance(request.auth, Partner):  # type: ignore[attr-defined]
        partners = [request.auth]  # type: ignore[attr-defined]
        source, user = ReferralEvent.Source.API, None
    else:
        ids = partner_ids_of(request.user)
        if not ids:
            return _error(403, _("연계 기관 담당자만 바꿀 수 있습니다."), "forbidden")
        partners = list(Partner.objects.filter(pk__in=ids))
        source, user = ReferralEvent.Source.PARTNER_ACCOUNT, request.user
    partner = next((p for p in partners if Referral.objects.filter(pk=referral_id, partner=p).exists()), None)
    if partner is None:
        return _error(404, _("연계 의뢰를 찾을 수 없습니다."), "not_found")
    by = services.PartnerActor(partner, source, user=user)  # type: ignore[arg-type]
    try:
        referral = services.change_status(by, referral_id, payload_in.status, reason=payload_in.reason)
    except services.ReferralRefused as exc:
        return _error({"not_found": 404, "conflict": 409, "forbidden": 403}.get(exc.code, 400), exc.message, exc.code, exc.field)
    referral = Referral.objects.select_related("service", "partner").prefetch_related("events").get(pk=referral.pk)
    return Status(200, payload(referral))
