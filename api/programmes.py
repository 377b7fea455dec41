"""Programmes, sessions and enrolments: the same actions and queries as the web pages.

Authentication is the browser session (Django login). CSRF stays on for unsafe methods
(POST/DELETE): a cookie-authenticated API without it could be driven by any web page the
person visits. A client reads the `csrftoken` cookie (every HTML page of the site sets
it: the language switch in the header is a form) and sends it back in the `X-CSRFToken`
header. Anonymous requests get 401 before the CSRF check, so "not logged
in" is never reported as a CSRF failure. See docs/programmes.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import SessionAuth
from pydantic import Field

from api.schemas import ErrorOut, Region
from programmes import queries, services
from programmes.access import access_own_enrolment, public_session_or_404
from programmes.models import Enrolment, Programme, Session

router = Router(tags=["programmes"])

TimeOfDayLiteral = Literal["weekday_day", "evening", "weekend"]
ModeLiteral = Literal["centre", "online_live"]  # 기업출강 sessions are by invitation, never listed


class LoggedInSession(SessionAuth):
    """ninja's django_auth, but "not logged in" (401) is decided before the CSRF check
    (403), which ninja otherwise runs first for cookie authentication."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except MultiPartParserError as exc:  # the CSRF check reads the form body; it was malformed
            raise HttpError(400, _("요청 본문을 읽을 수 없습니다.")) from exc


citizen_auth = LoggedInSession()


class Labeled(Schema):
    code: str
    name: str


class ProgrammeOut(Schema):
    slug: str
    name_ko: str
    name_en: str
    audience: Labeled
    age_band: Labeled | None
    tier: Labeled | None
    track: Labeled
    order: int | None
    summary_ko: str
    duration_ko: str
    hours: float | None
    min_enrolment: int | None
    default_capacity: int | None
    modes: list[str]
    has_sessions: bool = Field(description="false: 스스로 보는 온라인 강의라 신청할 회차가 없음")
    url: str


class CentreOut(Schema):
    slug: str
    name: str
    region: str
    address: str | None


class SessionOut(Schema):
    id: int
    programme: Labeled = Field(description="code = 프로그램 slug")
    mode: Labeled
    centre: CentreOut | None
    region: Labeled | None = Field(description="시·도. 온라인 실시간은 null")
    place: str
    starts_at: datetime
    ends_at: datetime
    enrolment_deadline: datetime
    time_of_day: Labeled = Field(description="weekday_day 평일 낮 / evening 18시 이후 시작 / weekend 토·일")
    status: Labeled = Field(description="scheduled 모집 예정 / open 모집 중 / closed 모집 마감 / cancelled 취소 / completed 종료")
    capacity: int
    min_enrolment: int
    seats_left: int = Field(description="남은 자리. 0이면 신청은 대기로 접수됩니다.")
    waitlist: int = Field(description="대기 인원")
    can_enrol: bool
    is_demo: bool = Field(description="true: 시연용 일정 (실제로 열리지 않음). 화면에 '시연용 일정'이라고 표시해야 합니다.")
    url: str


class SessionPage(Schema):
    count: int
    items: list[SessionOut]


class EnrolmentOut(Schema):
    id: int
    status: Labeled = Field(description="confirmed 확정 / waitlisted 대기 / cancelled 취소")
    position: int | None = Field(description="대기 순번 (1 = 다음 차례). 대기가 아니면 null")
    created_at: datetime
    confirmed_at: datetime | None
    promoted_at: datetime | None = Field(description="대기에서 자동 확정된 시각")
    cancelled_at: datetime | None
    session: SessionOut


class EnrolmentPage(Schema):
    count: int
    items: list[EnrolmentOut]


class SessionFilterIn(Schema):
    programme: str = Field("", max_length=80, description="프로그램 slug")
    region: Region | None = Field(None, description="시·도 코드 (행정표준코드 앞 두 자리)")
    month: str = Field("", pattern=r"^(20\d{2}-(0[1-9]|1[0-2]))?$", description="YYYY-MM, 2000–2099 (한국 시간 기준 시작일)")
    time_of_day: TimeOfDayLiteral | None = None
    mode: ModeLiteral | None = None
    for_band: Literal["40s", "50s", "60s"] | None = Field(None, description="이 연령대가 대상인 과정만 (가이드맵의 일정 링크와 같은 규칙)")
    for_status: Literal["employed", "jobseeker", "retiring", "career_break", "self_employed"] | None = Field(None, description="이 고용 상태가 대상인 과정만")
    for_firm: Literal["under_300", "300_999", "1000_plus", "unknown"] | None = Field(None, description="다니는 회사의 직원 수 (회사 규모 조건이 있는 과정에 쓰임)")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=100_000)


def _labeled(code: str, name: Any) -> dict[str, str]:
    return {"code": code, "name": str(name)}


def programme_payload(request: HttpRequest, p: Programme) -> dict[str, Any]:
    return {
        "slug": p.slug,
        "name_ko": p.name_ko,
        "name_en": p.name_en,
        "audience": _labeled(p.audience, p.get_audience_display()),
        "age_band": _labeled(p.age_band, p.get_age_band_display()) if p.age_band else None,
        "tier": _labeled(p.tier, p.get_tier_display()) if p.tier else None,
        "track": _labeled(p.track, p.get_track_display()),
        "order": p.order,
        "summary_ko": p.summary_ko,
        "duration_ko": p.duration_ko,
        "hours": float(p.hours) if p.hours is not None else None,
        "min_enrolment": p.min_enrolment,
        "default_capacity": p.default_capacity,
        "modes": p.modes,
        "has_sessions": p.has_sessions,
        "url": request.build_absolute_uri(reverse("programmes:detail", args=[p.slug])),
    }


def session_payload(request: HttpRequest, s: Session) -> dict[str, Any]:
    centre = s.centre
    return {
        "id": s.pk,
        "programme": _labeled(s.programme.slug, s.programme.name_ko),
        "mode": _labeled(s.mode, s.get_mode_display()),
        "centre": {"slug": centre.slug, "name": centre.name, "region": centre.region, "address": centre.address} if centre else None,
        "region": _labeled(s.region, s.get_region_display()) if s.region else None,
        "place": s.place,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "enrolment_deadline": s.enrolment_deadline,
        "time_of_day": _labeled(s.time_of_day, s.get_time_of_day_display()),
        "status": _labeled(s.status, s.get_status_display()),
        "capacity": s.capacity,
        "min_enrolment": s.min_enrolment,
        "seats_left": queries.seats_left(s),
        "waitlist": queries.waiting(s),
        "can_enrol": services.can_enrol(s),
        "is_demo": s.is_demo,
        "url": request.build_absolute_uri(reverse("programmes:session_detail", args=[s.pk])),
    }


def enrolment_payload(request: HttpRequest, e: Enrolment, session: Session) -> dict[str, Any]:
    return {
        "id": e.pk,
        "status": _labeled(e.status, e.get_status_display()),
        "position": e.position,
        "created_at": e.created_at,
        "confirmed_at": e.confirmed_at,
        "promoted_at": e.promoted_at,
        "cancelled_at": e.cancelled_at,
        "session": session_payload(request, session),
    }


def _counted(session_ids: list[int]) -> dict[int, Session]:
    return {s.pk: s for s in queries.with_counts(Session.objects.filter(pk__in=session_ids))}


def _one(request: HttpRequest, enrolment: Enrolment) -> dict[str, Any]:
    return enrolment_payload(request, enrolment, _counted([enrolment.session_id])[enrolment.session_id])


def _refusal(exc: services.EnrolmentRefused | services.IllegalTransition) -> dict[str, Any]:
    code = exc.code if isinstance(exc, services.EnrolmentRefused) else "illegal_transition"
    return {"detail": str(exc), "errors": [{"field": "session", "message": str(exc), "code": code}]}


@router.get("/programmes", response={200: list[ProgrammeOut]}, auth=None, summary="프로그램 목록")
def list_programmes(request: HttpRequest) -> list[dict[str, Any]]:
    return [programme_payload(request, p) for p in queries.listed_programmes()]


@router.get("/sessions", response={200: SessionPage, 422: ErrorOut}, auth=None, summary="교육 일정 찾기 (다가오는 회차)")
def list_sessions(request: HttpRequest, filters: Query[SessionFilterIn]) -> dict[str, Any]:
    qs: QuerySet[Session] = queries.search_sessions(
        queries.SessionFilters(
            programme=filters.programme,
            region=filters.region or "",
            month=filters.month,
            time_of_day=filters.time_of_day or "",
            mode=filters.mode or "",
            for_band=filters.for_band or "",
            for_status=filters.for_status or "",
            for_firm=filters.for_firm or "",
        )
    )
    return {
        "count": qs.count(),
        "items": [session_payload(request, s) for s in qs[filters.offset : filters.offset + filters.limit]],
    }


@router.post(
    "/sessions/{session_id}/enrolments",
    response={201: EnrolmentOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=citizen_auth,
    summary="회차 신청 (자리가 없으면 201 + status waitlisted)",
    description=(
        "자리가 있으면 confirmed, 정원이 찼으면 waitlisted(대기 순번 position)로 201을 돌려줍니다. "
        "409: 이미 신청함(already_enrolled), 모집 중이 아님(not_open), 마감 지남(deadline_passed) — errors[0].code. "
        "422: 가장 최근 자가진단의 나이·고용 상태·회사 규모로는 대상이 아닌 과정(not_eligible); detail에 누구를 위한 과정인지 설명합니다. "
        "자가진단을 하지 않은 사람은 신청할 수 있습니다. "
        "403: CSRF 토큰 없음 (X-CSRFToken 헤더)."
    ),
)
def create_enrolment(request: HttpRequest, session_id: int) -> Status:
    try:
        # The access rule runs on the row the action locks, and the answer shows the
        # session as the action left it (its totals counted under the lock): no read of
        # the session before the action nor after it.
        enrolment = services.enrol(session_id, request.user, access=public_session_or_404)  # type: ignore[arg-type]
    except services.EnrolmentRefused as exc:
        return Status(422 if exc.code == "not_eligible" else 409, _refusal(exc))
    return Status(201, enrolment_payload(request, enrolment, enrolment.session))


@router.delete(
    "/enrolments/{enrolment_id}",
    response={200: EnrolmentOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=citizen_auth,
    summary="내 신청 취소 (확정 자리는 다음 대기자에게 자동으로 넘어감)",
    description="다른 사람의 신청이거나 없는 신청이면 404. 이미 취소했거나 시작한 회차면 409.",
)
def delete_enrolment(request: HttpRequest, enrolment_id: int) -> Status:
    enrolment = access_own_enrolment(request, enrolment_id)
    try:
        enrolment = services.cancel_enrolment(enrolment.pk)
    except (services.EnrolmentRefused, services.IllegalTransition) as exc:
        return Status(409, _refusal(exc))
    return Status(200, _one(request, enrolment))


@router.get(
    "/me/enrolments",
    response={200: EnrolmentPage, 401: ErrorOut},
    auth=citizen_auth,
    summary="내 수강 신청 (최근 회차부터)",
)
def my_enrolments(request: HttpRequest) -> dict[str, Any]:
    enrolments = list(Enrolment.objects.filter(user_id=request.user.pk or 0).order_by("-session__starts_at", "-created_at"))
    sessions = _counted(list({e.session_id for e in enrolments}))
    return {"count": len(enrolments), "items": [enrolment_payload(request, e, sessions[e.session_id]) for e in enrolments]}
