"""The profile questions asked before the Likert items, with their allowed answers.

These are shared by the web form and the JSON API so both validate the same way.
Least data: a birth year (not a date), no name, no contact details.
"""

from __future__ import annotations

from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MIN_AGE = 40
MAX_AGE = 75

EMPLOYMENT_STATUSES: list[tuple[str, Promise]] = [
    ("employed", _("재직")),
    ("jobseeker", _("구직")),
    ("retiring", _("퇴직 예정")),
    ("career_break", _("경력단절")),
    ("self_employed", _("자영업")),
]

# 한국표준직업분류(KSCO) 대분류, plus "no occupation yet".
OCCUPATIONS: list[tuple[str, Promise]] = [
    ("manager", _("관리자")),
    ("professional", _("전문가 및 관련 종사자")),
    ("clerical", _("사무 종사자")),
    ("service", _("서비스 종사자")),
    ("sales", _("판매 종사자")),
    ("agriculture", _("농림어업 숙련 종사자")),
    ("craft", _("기능원 및 관련 기능 종사자")),
    ("machine", _("장치·기계 조작 및 조립 종사자")),
    ("elementary", _("단순노무 종사자")),
    ("military", _("군인")),
    ("none", _("해당 없음 (일한 경험이 거의 없음)")),
]

# 17 시도, with 행정표준코드 two-digit prefixes.
REGIONS: list[tuple[str, Promise]] = [
    ("11", _("서울특별시")),
    ("26", _("부산광역시")),
    ("27", _("대구광역시")),
    ("28", _("인천광역시")),
    ("29", _("광주광역시")),
    ("30", _("대전광역시")),
    ("31", _("울산광역시")),
    ("36", _("세종특별자치시")),
    ("41", _("경기도")),
    ("43", _("충청북도")),
    ("44", _("충청남도")),
    ("46", _("전라남도")),
    ("47", _("경상북도")),
    ("48", _("경상남도")),
    ("50", _("제주특별자치도")),
    ("51", _("강원특별자치도")),
    ("52", _("전북특별자치도")),
]

GOALS: list[tuple[str, Promise]] = [
    ("reemployment", _("재취업")),
    ("startup", _("창업·창직")),
    ("rural", _("귀농·귀촌")),
    ("social", _("사회공헌")),
    ("undecided", _("결정하지 못함")),
]

AVAILABILITY: list[tuple[str, Promise]] = [
    ("weekday_day", _("평일 낮")),
    ("evening", _("평일 저녁")),
    ("weekend", _("주말")),
]

AGE_BANDS: dict[str, Promise] = {"40s": _("40대"), "50s": _("50대"), "60s": _("60대 이상")}

MAX_CAREER_YEARS = 60


def birth_year_bounds(today: date) -> tuple[int, int]:
    """(earliest, latest) birth year accepted: ages MIN_AGE..MAX_AGE in this calendar year."""
    return today.year - MAX_AGE, today.year - MIN_AGE


def label_of(choices: list[tuple[str, Promise]], value: str) -> str:
    return str(dict(choices).get(value, value))
