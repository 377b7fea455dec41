"""The guide map (사전 가이드맵): POST /api/v1/plans and GET /api/v1/plans/{id}.

A plan is made from a diagnosis result the caller can read (an anonymous result by its
id, an owned result only by its owner) and is readable on the same terms. The same
`journeys.display.plan_view` feeds the web page, the PDF, the calendar file and this API.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema, Status
from pydantic import Field

from api.schemas import BodyIn, ErrorOut
from diagnosis.access import access_result
from journeys import services
from journeys.access import access_plan
from journeys.display import ILLUSTRATIVE_LABEL, PlanView, plan_view
from journeys.models import Plan

router = Router(tags=["journeys"])

StageCode = Literal["know", "approach", "act", "manage"]


class PlanIn(BodyIn):
    result_id: str = Field(min_length=1, max_length=43, description="자가진단 결과 id (POST /api/v1/diagnosis/results의 id)")


class StepOut(Schema):
    position: int
    stage: StageCode
    title: str
    service: str | None = Field(description="연계 서비스 id (slug). 맞는 서비스가 없어 일반 단계이면 null")
    service_url: str | None
    reason: str = Field(description="이 단계를 고른 이유 (요청 언어: Accept-Language 또는 언어 쿠키, 기본 한국어)")
    start_week: int = Field(description="시작 주차 (1주차 = 시작일이 있는 주)")
    duration_weeks: int
    end_week: int
    start_date: date
    end_date: date
    done: bool
    carried_over: bool = Field(description="다시 시작하기로 이전 계획에서 마친 단계를 이어받았으면 true")


class StageOut(Schema):
    stage: StageCode
    name: str
    steps: list[StepOut]


class CaseOut(Schema):
    slug: str
    title: str
    outcome: Literal["success", "failure"]
    story: str
    lesson: str
    illustrative: bool = Field(True, description="항상 true: 실제 인물이 아닌 가상 사례")


class PlanOut(Schema):
    id: str
    url: str
    result_id: str
    status: Literal["active", "completed", "abandoned"] = Field(description="진행 중 / 마침 / 그만둠")
    ended_at: datetime | None = Field(description="마쳤거나 그만둔 시각")
    supersedes: str | None = Field(description="다시 시작하기 전의 계획 id")
    changes: list[str] = Field(description="이전 계획과 달라진 점 (요청 언어)")
    start_date: date
    end_date: date
    total_weeks: int
    stages: list[StageOut]
    cases: list[CaseOut]
    cases_label: str = Field(description="사례와 함께 보여 줄 안내 문구")


def plan_payload(request: HttpRequest, plan: Plan) -> dict[str, Any]:
    view: PlanView = plan_view(plan)
    return {
        "id": plan.public_id,
        "url": request.build_absolute_uri(reverse("journeys:detail", args=[plan.public_id])),
        "result_id": plan.result.public_id,
        "status": plan.status,
        "ended_at": plan.ended_at,
        "supersedes": plan.supersedes.public_id if plan.supersedes_id and plan.supersedes else None,
        "changes": view.changes,
        "start_date": plan.start_date,
        "end_date": view.end_date,
        "total_weeks": view.total_weeks,
        "stages": [
            {
                "stage": stage.code,
                "name": stage.name,
                "steps": [
                    {
                        "position": step.position,
                        "stage": stage.code,
                        "title": step.title,
                        "service": step.service_slug,
                        "service_url": request.build_absolute_uri(reverse("catalog:detail", args=[step.service_slug]))
                        if step.service_slug
                        else None,
                        "reason": step.reason,
                        "start_week": step.start_week,
                        "duration_weeks": step.step.duration_weeks,
                        "end_week": step.end_week,
                        "start_date": step.start,
                        "end_date": step.end,
                        "done": step.done,
                        "carried_over": step.step.carried_from_id is not None,
                    }
                    for step in stage.steps
                ],
            }
            for stage in view.stages
        ],
        "cases": [
            {"slug": c.story.slug, "title": c.title, "outcome": c.story.outcome, "story": c.story_text, "lesson": c.lesson}
            for c in view.cases
        ],
        "cases_label": str(ILLUSTRATIVE_LABEL),
    }


@router.post(
    "/plans",
    response={201: PlanOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="진단 결과로 나의 가이드맵 만들기",
    auth=None,
)
def create_plan(request: HttpRequest, payload: PlanIn) -> Status:
    result = access_result(request, payload.result_id)
    plan = services.create_plan(result)
    return Status(201, plan_payload(request, access_plan(request, plan.public_id)))


@router.get("/plans/{plan_id}", response={200: PlanOut, 404: ErrorOut}, summary="저장된 가이드맵", auth=None)
def get_plan(request: HttpRequest, plan_id: str) -> dict[str, Any]:
    return plan_payload(request, access_plan(request, plan_id))
