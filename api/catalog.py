"""The linked-services catalogue: GET /api/v1/services and GET /api/v1/services/{id}.

Same filters and search as the /services/ page (catalog.queries). Unknown facts are
null, never guessed; in `statuses` and `regions` an empty list has a meaning (every
status / nationwide), as on the page.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import Field

from api.schemas import ErrorOut, Goal, Labeled, Region
from catalog import presenters, vocab
from catalog.forms import source_line
from catalog.models import Service
from catalog.queries import Filters, apply_filters, published

router = Router(tags=["catalog"])

Stage = Literal["know", "approach", "act", "manage"]
DeliveryFilter = Literal["online", "offline"]
OwnerFilter = Literal["own", "ministry", "other"]


class ServiceFilterIn(Schema):
    q: str = Field("", max_length=100, description="검색어. 이름·운영 기관·소개에서 부분 일치 (예: 창업, 폴리텍). 띄어 쓴 낱말은 모두 포함해야 합니다.")
    goal: Goal | None = Field(None, description="목표 유형")
    stage: Stage | None = Field(None, description="단계 (알아가기 know, 접근하기 approach, 실행하기 act, 관리하기 manage)")
    age: int | None = Field(None, ge=0, le=120, description="만 나이: 대상 나이 범위에 이 나이가 드는 서비스")
    region: Region | None = Field(None, description="시·도 코드 (행정표준코드 앞 두 자리). 전국 서비스도 함께 나옵니다.")
    delivery: DeliveryFilter | None = Field(None, description="online 또는 offline. 둘 다 제공하는 서비스는 어느 쪽에도 나옵니다.")
    owner: OwnerFilter | None = Field(
        None,
        description="운영 주체: own(운영기관 자체: 노사발전재단·중장년내일센터), ministry(고용노동부), other(타 기관: 지방자치단체·공공기관·민간)",
    )
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


class ServiceOut(Schema):
    id: str = Field(description="서비스 식별자 (slug)")
    name_ko: str
    name_en: str | None
    operator_ko: str | None
    kind: Labeled = Field(description="운영 주체 구분: own, ministry, agency, private")
    owner: Labeled = Field(description="보고서의 연계 서비스 구분: own, ministry, other (agency·private)")
    stages: list[Labeled]
    goals: list[Labeled]
    age_min: int | None = Field(description="최소 나이. null이면 제한이 확인되지 않음")
    age_max: int | None = Field(description="최대 나이. null이면 제한이 확인되지 않음")
    statuses: list[Labeled] = Field(description="대상 고용 상태. 빈 목록이면 모든 상태")
    regions: list[Labeled] = Field(description="지역. 빈 목록이면 전국")
    nationwide: bool
    audiences: list[Labeled] = Field(description="대상 집단. 빈 목록이면 특정 집단 제한 없음")
    firm_size_min: int | None = Field(description="재직 기업 규모 하한(명). null이면 제한이 확인되지 않음")
    firm_size_max: int | None = Field(description="재직 기업 규모 상한(명). null이면 제한이 확인되지 않음")
    delivery: Labeled
    time_slots: list[Labeled]
    cost_ko: str | None
    duration_ko: str | None
    duration_weeks: int | None
    summary_ko: str
    summary_en: str | None
    how_to_apply_ko: str | None
    url: str | None = Field(description="공식 사이트 (확인된 경우)")
    sources: list[str]
    checked_on: date | None = Field(description="확인일: 출처로 내용을 마지막으로 확인한 날")
    page_url: str = Field(description="이 서비스의 안내 화면 주소")
    updated_at: datetime


class ServiceListOut(Schema):
    count: int
    items: list[ServiceOut]


def _labeled(choices: vocab.Choices, values: list[str]) -> list[dict[str, str]]:
    return [{"code": code, "name": name} for code, name in zip(values, vocab.labels(choices, values), strict=True)]


def service_payload(request: HttpRequest, s: Service) -> dict[str, Any]:
    def known(text: str) -> str | None:
        return text or None

    return {
        "id": s.slug,
        "name_ko": s.name_ko,
        "name_en": known(s.name_en),
        "operator_ko": known(s.operator_ko),
        "kind": {"code": s.kind, "name": s.get_kind_display()},
        "owner": {"code": presenters.owner_code(s.kind), "name": presenters.owner_label(s.kind)},
        "stages": _labeled(vocab.STAGE_CHOICES, s.stages),
        "goals": _labeled(vocab.GOALS, s.goals),
        "age_min": s.age_min,
        "age_max": s.age_max,
        "statuses": _labeled(vocab.STATUSES, s.statuses),
        "regions": _labeled(vocab.REGIONS, s.regions),
        "nationwide": not s.regions,
        "audiences": _labeled(vocab.AUDIENCE_CHOICES, s.audiences),
        "firm_size_min": s.firm_size_min,
        "firm_size_max": s.firm_size_max,
        "delivery": {"code": s.delivery, "name": s.get_delivery_display()},
        "time_slots": _labeled(vocab.TIME_SLOT_CHOICES, s.time_slots),
        "cost_ko": known(s.cost_ko),
        "duration_ko": known(s.duration_ko),
        "duration_weeks": s.duration_weeks,
        "summary_ko": s.summary_ko,
        "summary_en": known(s.summary_en),
        "how_to_apply_ko": known(s.how_to_apply_ko),
        "url": known(s.url),
        "sources": [source_line(x) for x in s.sources],
        "checked_on": s.checked_on,
        "page_url": request.build_absolute_uri(reverse("catalog:detail", args=[s.slug])),
        "updated_at": s.updated_at,
    }


@router.get("/services", response={200: ServiceListOut, 422: ErrorOut}, summary="연계 서비스 목록 (검색·필터)", auth=None)
def list_services(request: HttpRequest, filters: Query[ServiceFilterIn]) -> dict[str, Any]:
    qs = apply_filters(
        published(),
        Filters(q=filters.q, goal=filters.goal or "", stage=filters.stage or "", age=filters.age,
                region=filters.region or "", delivery=filters.delivery or "", owner=filters.owner or ""),
    )
    count = qs.count()
    items = list(qs[filters.offset : filters.offset + filters.limit]) if filters.offset < count else []
    return {"count": count, "items": [service_payload(request, s) for s in items]}


@router.get("/services/{service_id}", response={200: ServiceOut, 404: ErrorOut}, summary="연계 서비스 하나", auth=None)
def get_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    service = published().filter(slug=service_id).first()
    if service is None:
        raise Http404
    return service_payload(request, service)
