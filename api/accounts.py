"""GET /api/v1/me: who is logged in (session), and how much they have saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import Field

from api.schemas import ErrorOut
from diagnosis.models import Result
from journeys.models import Plan

router = Router(tags=["accounts"])


class MeOut(Schema):
    email: str
    date_joined: datetime
    result_count: int = Field(description="계정에 저장한 진단 결과 수")
    plan_count: int = Field(description="계정에 저장한 가이드맵 수")


@router.get("/me", response={200: MeOut, 401: ErrorOut}, auth=django_auth, summary="로그인한 나의 계정 요약")
def me(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    return {
        "email": user.email,  # type: ignore[union-attr]
        "date_joined": user.date_joined,  # type: ignore[union-attr]
        "result_count": Result.objects.filter(owner=user.pk).count(),
        "plan_count": Plan.objects.filter(owner=user.pk).count(),
    }
