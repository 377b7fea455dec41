"""The service's shared vocabulary: the one place each code list and its names are defined.

Every app imports these lists (regions, goals, employment statuses, occupations, time slots,
age bands, career-development types) and the Seoul time zone from here, so a person's
profile, a service's facts, a programme and a plan always speak the same codes with the
same names. A test (core/tests/test_vocabulary.py) fails when a copy appears elsewhere.

Each entry is a `Term`: a stored code (never changed: it is in the database) and its Korean
name, which is also the translation msgid (`locale/en` has the English). `Term.ko` is for
text that stays Korean whatever the page language (the guide map's reasons, case notes);
`Term.label` and `choices()` give the lazily translated name for forms, models and pages.

No database and no settings at import time, so pure modules (diagnosis.scoring,
journeys.matching) can use it too. To add a value later (e.g. a list of firm sizes), add
one `Term` to the tuple — or one new tuple — here;
model `choices` follow, with a choices-only `AlterField` migration.
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as _

SEOUL: Final = zoneinfo.ZoneInfo("Asia/Seoul")

Choices = list[tuple[str, Promise]]


@dataclass(frozen=True)
class Term:
    code: str
    ko: str

    @property
    def label(self) -> Promise:
        """The name in the active language (Korean is the source, English from locale/en)."""
        return gettext_lazy(self.ko)


Terms = tuple[Term, ...]

# 17 시도, with the two-digit prefixes of the 행정표준코드 (stored as Result.region etc.).
REGIONS: Final[Terms] = (
    Term("11", _("서울특별시")),
    Term("26", _("부산광역시")),
    Term("27", _("대구광역시")),
    Term("28", _("인천광역시")),
    Term("29", _("광주광역시")),
    Term("30", _("대전광역시")),
    Term("31", _("울산광역시")),
    Term("36", _("세종특별자치시")),
    Term("41", _("경기도")),
    Term("43", _("충청북도")),
    Term("44", _("충청남도")),
    Term("46", _("전라남도")),
    Term("47", _("경상북도")),
    Term("48", _("경상남도")),
    Term("50", _("제주특별자치도")),
    Term("51", _("강원특별자치도")),
    Term("52", _("전북특별자치도")),
)

# 시도 that share a land border, by code (one direction is enough: `neighbouring_regions`
# makes it symmetric). 제주 has none. Used to offer sessions "nearby" when none run in the
# person's own 시도 (session search, rescue offers).
REGION_BORDERS: Final[dict[str, tuple[str, ...]]] = {
    "11": ("41", "28"),
    "26": ("31", "48"),
    "27": ("47", "48"),
    "28": ("11", "41"),
    "29": ("46",),
    "30": ("36", "43", "44"),
    "31": ("26", "47", "48"),
    "36": ("30", "43", "44"),
    "41": ("11", "28", "51", "43", "44"),
    "43": ("41", "51", "47", "30", "36", "44", "52"),
    "44": ("41", "43", "30", "36", "52"),
    "46": ("29", "52", "48"),
    "47": ("51", "43", "52", "27", "31", "48"),
    "48": ("26", "31", "27", "47", "46", "52"),
    "50": (),
    "51": ("41", "43", "47"),
    "52": ("44", "43", "47", "48", "46"),
}


def neighbouring_regions(region: str) -> tuple[str, ...]:
    """The 시도 bordering `region`, in the order of REGIONS (empty for 제주 or an unknown code)."""
    near = set(REGION_BORDERS.get(region, ()))
    near.update(code for code, borders in REGION_BORDERS.items() if region in borders)
    return tuple(term.code for term in REGIONS if term.code in near)


# 희망 목표: what the person wants to do next.
GOALS: Final[Terms] = (
    Term("reemployment", _("재취업")),
    Term("startup", _("창업·창직")),
    Term("rural", _("귀농·귀촌")),
    Term("social", _("사회공헌")),
    Term("undecided", _("결정하지 못함")),
)

# 고용 상태 at the time of the diagnosis; also a service's eligibility list (catalog).
EMPLOYMENT_STATUSES: Final[Terms] = (
    Term("employed", _("재직")),
    Term("jobseeker", _("구직")),
    Term("retiring", _("퇴직 예정")),
    Term("retired", _("퇴직함 (이미 퇴직)")),
    Term("career_break", _("경력단절")),
    Term("self_employed", _("자영업")),
)

# 한국표준직업분류(KSCO) 대분류, plus "no occupation yet".
OCCUPATIONS: Final[Terms] = (
    Term("manager", _("관리자")),
    Term("professional", _("전문가 및 관련 종사자")),
    Term("clerical", _("사무 종사자")),
    Term("service", _("서비스 종사자")),
    Term("sales", _("판매 종사자")),
    Term("agriculture", _("농림어업 숙련 종사자")),
    Term("craft", _("기능원 및 관련 기능 종사자")),
    Term("machine", _("장치·기계 조작 및 조립 종사자")),
    Term("elementary", _("단순노무 종사자")),
    Term("military", _("군인")),
    Term("none", _("해당 없음 (일한 경험이 거의 없음)")),
)

# The four stages of a guide map and of a service (catalog): 알아가기 → 관리하기.
STAGES: Final[Terms] = (
    Term("know", _("알아가기")),
    Term("approach", _("접근하기")),
    Term("act", _("실행하기")),
    Term("manage", _("관리하기")),
)

# Days of the week, Monday first (Python's `weekday()`: 0 = Monday); the code is that number.
WEEKDAYS: Final[Terms] = (
    Term("0", _("월요일")),
    Term("1", _("화요일")),
    Term("2", _("수요일")),
    Term("3", _("목요일")),
    Term("4", _("금요일")),
    Term("5", _("토요일")),
    Term("6", _("일요일")),
)


# When a person can take part: 평일/주말 × 오전 (09-12) / 점심 (12-14) / 오후 (14-18) /
# 저녁 (18-22). core/availability.py holds the hours and decides what fits.
DAY_PARTS: Final[Terms] = (
    Term("weekday_morning", _("평일 오전")),
    Term("weekday_midday", _("평일 점심")),
    Term("weekday_afternoon", _("평일 오후")),
    Term("weekday_evening", _("평일 저녁")),
    Term("weekend_morning", _("주말 오전")),
    Term("weekend_midday", _("주말 점심")),
    Term("weekend_afternoon", _("주말 오후")),
    Term("weekend_evening", _("주말 저녁")),
)

# Coarse times: a session's time of day (programmes) and a service's opening times
# (catalog). They were also a person's availability before DAY_PARTS; stored results and
# API clients may still send them, and core.availability.expand reads them as day parts.
TIME_SLOTS: Final[Terms] = (
    Term("weekday_day", _("평일 낮")),
    Term("evening", _("평일 저녁")),
    Term("weekend", _("주말")),
)
# 재직 기업 규모: asked only of people who work for an employer (재직, 퇴직 예정), and
# optional. Some services are only for staff of firms of a given size (커리어 플래닝: under
# 1,000; 재취업지원서비스 의무화: 1,000 and more). "" = not answered or not asked.
FIRM_SIZES: Final[Terms] = (
    Term("under_300", _("300명 미만")),
    Term("300_999", _("300~999명")),
    Term("1000_plus", _("1,000명 이상")),
    Term("unknown", _("잘 모르겠음")),
)
# Head counts each answer stands for, (lowest, highest); None = no upper bound.
FIRM_SIZE_RANGES: Final[dict[str, tuple[int, int | None]]] = {
    "under_300": (1, 299),
    "300_999": (300, 999),
    "1000_plus": (1000, None),
}
# The statuses of people who work for an employer, so the only ones asked the firm size.
EMPLOYEE_STATUSES: Final = frozenset({"employed", "retiring"})

# A service (catalog) may also be usable at any time, online.
ANYTIME: Final = Term("anytime", _("언제나 (온라인)"))

# The ages the service is for. Only a birth year is collected, so an age is
# `this year - birth year`.
MIN_AGE: Final = 40
MAX_AGE: Final = 75

# 연령대. The last band is open-ended: 60 up to MAX_AGE (so 70-75 too) is "60대 이상",
# the band the diagnosis result, the case stories and the 60대 programmes all use.
AGE_BANDS: Final[Terms] = (
    Term("40s", _("40대")),
    Term("50s", _("50대")),
    Term("60s", _("60대 이상")),
)

# 경력개발유형: the eight result types of the self-diagnosis (diagnosis.scoring decides
# which one; the instrument JSON repeats the names for its published spec, and a test
# keeps the two equal).
CAREER_TYPES: Final[Terms] = (
    Term("excellent", _("경력개발우수형")),
    Term("competence", _("능력개발필요형")),
    Term("job_search", _("구직기술필요형")),
    Term("self_development", _("자기개발필요형")),
    Term("expectation", _("눈높이조절필요형")),
    Term("hurried", _("경력개발조급형")),
    Term("complacent", _("경력개발안주형")),
    Term("indifferent", _("경력개발무관심형")),
)


def codes(terms: Terms) -> list[str]:
    return [term.code for term in terms]


def choices(terms: Terms) -> Choices:
    """`(code, translated name)` pairs for model and form `choices`."""
    return [(term.code, term.label) for term in terms]


def label_of(terms: Terms, code: str) -> str:
    """The translated name of `code`; an unknown code is shown as it is."""
    for term in terms:
        if term.code == code:
            return str(term.label)
    return code


def korean_of(terms: Terms, code: str) -> str:
    """The Korean name of `code` whatever the active language; an unknown code as it is."""
    for term in terms:
        if term.code == code:
            return term.ko
    return code


def labels(terms: Terms, codes_: list[str]) -> list[str]:
    """Translated names for stored codes, in the stored order."""
    return [label_of(terms, code) for code in codes_]


def type_name(code: str) -> str:
    """The name of a career-development type in the active language."""
    return label_of(CAREER_TYPES, code)


def age_band(age: int) -> str:
    """"40s" (40-49), "50s" (50-59) or "60s" (60 to MAX_AGE, shown as 60대 이상).

    Raises ValueError outside MIN_AGE-MAX_AGE, the ages the service is for.
    """
    if not MIN_AGE <= age <= MAX_AGE:
        raise ValueError(f"age {age} is outside {MIN_AGE}-{MAX_AGE}")
    if age < 50:
        return "40s"
    if age < 60:
        return "50s"
    return "60s"
