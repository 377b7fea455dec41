from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import ConfigDict, Field, ValidationInfo, model_validator
from pydantic.functional_validators import ModelWrapValidatorHandler


class FieldError(Schema):
    field: str = Field(description="오류가 난 필드. 중첩 필드는 점으로 잇습니다 (예: profile.birth_year, answers.CO1).")
    message: str = Field(description="사람이 읽을 수 있는 오류 설명 (요청 언어, 기본 한국어)")
    code: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError]


class Choice(Schema):
    value: int
    label: str


class StrChoice(Schema):
    value: str
    label: str


class ItemOut(Schema):
    id: str
    text: str
    scale: str
    reverse: bool


class SectionOut(Schema):
    code: str
    title: str
    items: list[ItemOut]


class ProfileQuestion(Schema):
    id: str
    label: str
    type: Literal["integer", "choice", "multiple_choice"]
    minimum: int | None = None
    maximum: int | None = None
    choices: list[StrChoice] | None = None
    required: bool = True


class ScaleOut(Schema):
    code: str
    name: str
    description: str


class InstrumentOut(Schema):
    version: str
    title: str
    official: bool = Field(description="항상 false: 고용노동부 공식 워크넷 진단이 아닌 자체 도구입니다.")
    choices: list[Choice]
    scales: list[ScaleOut]
    sections: list[SectionOut]
    profile: list[ProfileQuestion]


EmploymentStatus = Literal["employed", "jobseeker", "retiring", "retired", "career_break", "self_employed"]
Occupation = Literal["manager", "professional", "clerical", "service", "sales", "agriculture", "craft", "machine", "elementary", "military", "none"]
Region = Literal["11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50", "51", "52"]
Goal = Literal["reemployment", "startup", "rural", "social", "undecided"]
# Day parts (core.availability): 평일/주말 × 오전 09–12, 점심 12–14, 오후 14–18, 저녁 18–22.
# The coarse codes of earlier versions are still accepted and read as day parts:
# weekday_day = 평일 오전+점심+오후, evening = 평일 저녁, weekend = 주말 전부.
Slot = Literal[
    "weekday_morning", "weekday_midday", "weekday_afternoon", "weekday_evening",
    "weekend_morning", "weekend_midday", "weekend_afternoon", "weekend_evening",
    "weekday_day", "evening", "weekend",
]
FirmSize = Literal["under_300", "300_999", "1000_plus", "unknown"]


class PlainSchema(Schema):
    """A schema validated from plain dicts as pydantic validates a dict, once.

    ninja's Schema wraps every value it validates in a DjangoGetter (made to read attributes,
    resolvers, managers and querysets of ORM objects), and validates an `extra="forbid"`
    schema twice: the value as given, then again wrapped — a nested one twice per outer
    pass (the submit's profile four times). A JSON body and an answer built as dicts hold
    plain values only, for which the first pass gives the same instance and the same errors
    (it raises before the second would run); so a dict is validated once here, and anything
    else (or a schema with resolvers) goes ninja's way."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo) -> Any:
        if isinstance(values, dict) and not cls._ninja_resolvers:
            return handler(values)
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get("validate_assignment", False):
            handler(values)  # ninja's: the unknown keys first
        return handler(DjangoGetter(values, cls, info.context))


class BodyIn(PlainSchema):
    """An object of a JSON request body: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid")


class ProfileIn(BodyIn):

    birth_year: int = Field(description="출생연도 (만 40–75세)")
    employment_status: EmploymentStatus
    career_years: int = Field(ge=0, le=60)
    occupation: Occupation
    region: Region
    goal: Goal
    availability: list[Slot] = Field(
        min_length=1,
        description="참여할 수 있는 시간: weekday_morning … weekend_evening (평일/주말 × 오전 9–12시·점심 12–14시·"
        "오후 14–18시·저녁 18–22시). 예전 코드 weekday_day(평일 오전·점심·오후), evening(평일 저녁), "
        "weekend(주말 전부)도 받으며, 저장은 새 코드로 합니다.",
    )

    firm_size: FirmSize | None = Field(
        default=None,
        description="다니는 회사의 직원 수 (선택). 재직·퇴직 예정인 사람만 의미가 있으며, 다른 고용 상태면 무시됩니다. "
        "under_300 = 300명 미만, 300_999 = 300~999명, 1000_plus = 1,000명 이상, unknown = 잘 모르겠음.",
    )


def instrument_versions() -> list[str]:
    """The versions of the instrument files load_reference_data loads (diagnosis/instrument_data)."""
    return sorted({json.loads(path.read_text(encoding="utf-8"))["version"] for path in Path(settings.INSTRUMENT_DIR).glob("*.json")})


class ResultIn(BodyIn):
    # Documented as an enum; validated in the operation, so a retired or unknown version
    # gets the Korean "stale_version" error naming the current one.
    instrument_version: str = Field(
        description="채점에 쓴 진단 도구 버전. GET /api/v1/diagnosis/instrument 의 `version`(현재 버전)만 받습니다.",
        json_schema_extra={"enum": instrument_versions()},  # type: ignore[dict-item]
    )
    profile: ProfileIn
    answers: dict[str, int] = Field(description="문항 ID → 응답 값 (choices의 value)")


class TypeOut(PlainSchema):
    code: str
    name_ko: str = Field(description="보고서 표기 그대로의 유형 이름, 예: 경력개발우수형")
    name: str
    summary: str
    first_steps: list[str]


class ScaleScore(PlainSchema):
    code: str
    name: str
    score: int = Field(ge=0, le=100)


class Labeled(PlainSchema):
    code: str
    name: str


class WeightedAnswerOut(PlainSchema):
    item_id: str
    scale: str
    value: int
    text: str


class ChangeOut(PlainSchema):
    scale: str
    direction: str
    points_needed: int
    target_type_code: str


class ResultOut(PlainSchema):
    id: str
    url: str
    instrument_version: str
    created_at: datetime
    type: TypeOut
    scale_scores: list[ScaleScore]
    goal_type: Labeled
    age_band: Labeled
    explanation: str
    weighted_answers: list[WeightedAnswerOut]
    what_would_change: list[ChangeOut]
