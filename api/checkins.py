"""After-care check-ins answered through the mailed link: the token is the key, so no
login and no CSRF (nothing of a session is used). Same rules as the page
(aftercare/checkins.py): one answer, never overwritten."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from aftercare import checkins
from api.schemas import ErrorOut

router = Router(tags=["aftercare"])


class CheckInIn(Schema):
    status: str = Field(max_length=20, description="employed 재취업했어요 / startup 창업·창직했어요 / rural 귀농·귀촌했어요 / social 사회공헌 활동 중 / preparing 아직 준비 중 / stopped 그만두었어요")
    satisfaction: int = Field(description="1 매우 불만족 … 5 매우 만족")
    comment: str = Field("", max_length=2000, description="하고 싶은 말 (1000자까지)")


class CheckInOut(Schema):
    month: int = Field(description="기준일로부터 몇 개월 차 설문인지 (1, 3, 6, 12)")
    status: str
    satisfaction: int
    comment: str
    answered_at: datetime


def _problem(exc: checkins.CheckInProblem, status: int) -> Status:
    body: dict[str, object] = {"detail": exc.message, "errors": [{"field": "token", "message": exc.message, "code": exc.code}]}
    if isinstance(exc, checkins.InvalidAnswer):
        body["errors"] = [{"field": field, "message": message, "code": "invalid"} for field, message in exc.errors.items()]
    return Status(status, body)


@router.post(
    "/checkins/{token}",
    response={201: CheckInOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut, 422: ErrorOut},
    auth=None,
    summary="사후관리 설문 답하기 (메일의 링크 토큰)",
    description="201: 답을 기록함. 409: 이미 답함(answered, 답은 바뀌지 않음). 404: 없는 토큰. 410: 링크 기간이 지남. 422: 잘못된 값.",
)
def answer_checkin(request: HttpRequest, token: str, payload: CheckInIn) -> Status:
    try:
        done = checkins.answer(token, status=payload.status, satisfaction=payload.satisfaction, comment=payload.comment)
    except checkins.InvalidAnswer as exc:
        return _problem(exc, 422)
    except checkins.AlreadyAnswered as exc:
        return _problem(exc, 409)
    except checkins.CheckInExpired as exc:
        return _problem(exc, 410)
    except checkins.CheckInNotFound as exc:
        return _problem(exc, 404)
    return Status(201, {"month": done.month, "status": done.situation, "satisfaction": done.satisfaction, "comment": done.comment, "answered_at": done.answered_at})
