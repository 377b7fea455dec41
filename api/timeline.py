"""GET /api/v1/me/timeline: the logged-in person's timeline (core/timeline.py), newest first,
paged with `before` (the `next_before` of the previous page)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from api.programmes import citizen_auth
from api.schemas import ErrorOut
from core import timeline

router = Router(tags=["accounts"])


class TimelineQuery(Schema):
    before: datetime | None = Field(None, description="이 시각보다 앞선 기록만 (다음 쪽: 앞 응답의 next_before)")
    limit: int = Field(timeline.DEFAULT_LIMIT, ge=1, le=timeline.MAX_LIMIT, description="한 쪽의 기록 수")


class EventOut(Schema):
    at: datetime
    kind: str = Field(description="<앱>.<일>, 예: journeys.plan_abandoned, counselling.attended, outcomes.outcome")
    key: str = Field(description="기록의 고유 이름")
    title: str = Field(description="요청 언어로 한 줄 설명")
    detail: str
    url: str | None = Field(description="자세히 볼 수 있는 나의 페이지 (절대 주소), 없으면 null")


class TimelineOut(Schema):
    items: list[EventOut]
    next_before: datetime | None = Field(description="다음(더 오래된) 쪽의 before, 끝이면 null")


@router.get("/me/timeline", response={200: TimelineOut, 401: ErrorOut, 422: ErrorOut}, auth=citizen_auth, summary="나의 기록 (최근부터)")
def my_timeline(request: HttpRequest, query: Query[TimelineQuery]) -> dict[str, Any]:
    page = timeline.page(request.user, before=query.before, limit=query.limit)  # type: ignore[arg-type]
    return {
        "items": [
            {
                "at": e.at, "kind": e.kind, "key": e.key, "title": e.title, "detail": e.detail,
                "url": request.build_absolute_uri(e.url) if e.url else None,
            }
            for e in page.events
        ],
        "next_before": page.next_before,
    }
