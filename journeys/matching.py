"""The guide-map engine (사전 가이드맵, 접근하기): a pure, typed, deterministic function.

    build_plan(person, services, cases, today) -> PlanDraft

No Django, no database: everything it needs is passed in as frozen dataclasses, so it can
be tested exhaustively (journeys/tests/test_matching.py, test_properties.py,
test_plan_quality.py) and explained in plain words (docs/guide-map.md).

How a plan is built
-------------------
1. **Eligibility first.** Every service the person is not eligible for (age, employment
   status, region, firm size, the group it is made for — `catalog.eligibility.is_eligible`)
   is dropped before anything else, and so is every service made only for other goals and
   every pilot outside the ages it is meant for (`AGE_FOCUS`). Nothing later can bring them
   back, so a plan never offers a service the person cannot use.
2. **Slots.** Each stage (알아가기 → 접근하기 → 실행하기 → 관리하기) gets a short list of
   *themes* to fill ("1:1 상담", "농업 교육", …), chosen from the person's career-development
   type, goal, situation and age (`stage_slots`). Every goal has its own 접근하기 and
   실행하기 themes (`GOAL_APPROACH_THEMES`, `GOAL_ACT_THEMES`); ready types skip what they
   do not need (경력개발우수형 gets no self-understanding test).
3. **Filling a slot.** Among eligible services that list the stage and have the theme,
   the best is taken: usable in the time the person has → the theme is what the service
   is mainly for → made for people of the person's age (60 and over) → not longer than the
   stage → the report's preferred service → made for the person's goal → in the person's
   region → slug. Services outside the person's time are used only when no service that
   fits can serve: then the reason says so. A slot nothing can fill is dropped, or (when
   its stage would be empty) filled by a service open to everyone everywhere
   (`ALWAYS_AVAILABLE`: 중장년내일센터 1:1 상담, 고용24) with a reason that says why. There is
   no generic step without a service.
4. **Age.** From 50, 실행하기 has an *age* slot: the service made for the person's goal with
   the highest minimum age the person meets (노인일자리 from 60, 신중년 사업 from 50, …), so
   plans differ by age wherever the catalogue has age-specific services.
5. **Timeline.** Steps run one after another; each stage starts when the previous one
   ends. Each stage has a budget (3, 8, 16 and 12 weeks); when it is used up, remaining
   steps run alongside the last one. So a plan lasts 15 to 39 weeks (about 3–9 months).
6. **Reasons.** One sentence per step from a small table of patterns (`REASON_PATTERNS`,
   listed in docs/guide-map.md), kept twice: as data (`ReasonParts`: the pattern, the time
   prefix and their arguments as source strings, numbers and codes), which each page says
   in the reader's language (`say`, via journeys.display.reason_text), and as the Korean
   sentence, stored as it was shown.
7. **Case stories.** 2–3 illustrative cases: the best-matching success, the best-matching
   failure (when there is one), and a third one if it shares the person's goal.
   Score: goal 3 + age band 2 + career type 2; ties by slug.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, NotRequired, TypedDict

from django.utils.translation import gettext_noop as _

from catalog.eligibility import ServiceFacts, is_eligible
from core import availability as hours
from core import vocabulary as vocab
from journeys.themes import themes_of

Stage = Literal["know", "approach", "act", "manage"]
STAGES: tuple[Stage, ...] = ("know", "approach", "act", "manage")
# What asked for a step: the type, the goal, the situation, the age, the path everyone
# takes, or nothing better being open to the person ("fallback").
Driver = Literal["type", "goal", "status", "age", "base", "fallback"]

# Time budget of each stage in weeks: 3 + 8 + 16 + 12 = 39 weeks (about 9 months) at most.
STAGE_BUDGET_WEEKS: dict[Stage, int] = {"know": 3, "approach": 8, "act": 16, "manage": 12}
# Planned duration of a step when the service does not say, per stage.
DEFAULT_WEEKS: dict[Stage, int] = {"know": 1, "approach": 2, "act": 4, "manage": 12}
# After-care (관리하기) runs for a fixed period: three months of follow-up.
AFTERCARE_WEEKS = 12
MAX_ACT_STEPS = 4
MIN_ACT_STEPS = 2
# A service with one of these themes listed under 접근하기 may also open the plan in 알아가기:
# for people who need counselling first, it is the very first step.
EARLY_THEMES = {"counselling", "self_understanding", "result_counselling"}
# From this age, services made for older people (minimum age 50 or more) come first among
# equals, and 실행하기 gets an age slot (see `_age_pick`).
AGE_SLOT_FROM = 50
OLDER_FROM = 60
# Open to everyone, nationwide, online or at every centre: what fills a stage that would
# otherwise be empty (in this order), with a reason that says so.
ALWAYS_AVAILABLE: tuple[str, ...] = ("own-1on1-counselling", "work24")
# Pilots whose sources name a target group but no age limit ("주로 50대"): planned only for
# these ages (inclusive; None = open). 64 is the upper end of 중장년 (40–64).
AGE_FOCUS: dict[str, tuple[int | None, int | None]] = {
    "jangnyeon-career-support-scheme": (None, 64),
}

# A service's opening times as the reasons name them (Korean source; `say` translates).
SLOT_NAMES: dict[str, str] = {term.code: term.ko for term in vocab.TIME_SLOTS}
# An offline service that gives no opening times is read as office hours.
OFFICE_HOURS: tuple[str, ...] = ("weekday_day",)

# What a step of each theme is, as the noun of a reason sentence ("… 권하는 <noun>입니다").
THEME_NOUNS: dict[str, str] = {
    "counselling": _("1:1 상담"),
    "self_understanding": _("나를 알아보는 검사"),
    "result_counselling": _("진단 결과 상담"),
    "online_lecture": _("무료 온라인 강의"),
    "lifeplan_course": _("생애경력설계 과정"),
    "planning": _("경력 계획 상담"),
    "labour_market_info": _("직업·채용 정보 살펴보기"),
    "job_experience": _("직업체험"),
    "mentoring": _("선배 멘토링"),
    "training": _("직무 훈련"),
    "job_search_skills": _("이력서·면접 준비"),
    "job_sites": _("채용 정보 찾기와 지원"),
    "transition": _("전직지원 서비스"),
    "experience_use": _("경력을 살리는 일자리"),
    "startup_learning": _("창업 교육과 모임"),
    "startup": _("창업 지원"),
    "rural_info": _("귀농·귀촌 상담"),
    "rural_training": _("농업 교육"),
    "rural_practice": _("농가 현장실습"),
    "volunteering": _("자원봉사"),
    "social": _("사회공헌 활동"),
    "aftercare": _("사후관리 상담"),
    "community": _("수료생 모임"),
}

# The people a goal's steps are for, as the start of a reason sentence.
GOAL_WHO: dict[str, str] = {
    "reemployment": _("재취업을 준비하는 분께"),
    "startup": _("창업·창직을 준비하는 분께"),
    "rural": _("귀농·귀촌을 준비하는 분께"),
    "social": _("경력을 살려 사회에 기여하고 싶은 분께"),
    "undecided": _("아직 목표를 정하지 못한 분께"),
}
STATUS_WHO: dict[str, str] = {
    "career_break": _("경력이 끊겼다가 다시 일을 찾는 분께"),
    "employed": _("일을 하면서 다음을 준비하는 분께"),
    "retiring": _("퇴직을 앞둔 분께"),
    "jobseeker": _("일자리를 찾는 분께"),
    "self_employed": _("자영업을 하면서 다음을 준비하는 분께"),
}
# Groups a service is made for (catalog audiences), as the subject of the audience pattern.
AUDIENCE_WHO: dict[str, str] = {
    "career_break_women": _("경력이 끊긴 여성이"),
    "new_farmers": _("귀농한 뒤 5년 안에"),
}

# The sentence patterns of the reasons: one sentence per step (docs/guide-map.md lists them).
# Which one: outside_time, then fallback, audience, firm, age, and otherwise the driver's;
# people who cannot come on weekday days get TIME_PREFIX in front ("평일 저녁에도 참여할 수 있는, …").
REASON_PATTERNS: dict[str, str] = {
    "type": _("{type}에게 먼저 권하는 {what}입니다."),
    "goal": _("{goal_who} 권하는 {what}입니다."),
    "goal_first": _("{goal_who} 가장 먼저 권하는 {what}입니다."),
    "status": _("{status_who} 먼저 권하는 {what}입니다."),
    "age": _("만 {age_min}세 이상을 위해 마련되어 지금 나이에 잘 맞는 {what}입니다."),
    "firm": _("{firm} 회사에 다니는 분이 받을 수 있는 {what}입니다."),
    "audience": _("{audience_who} 참여할 수 있는 {what}입니다."),
    "base": _("어떤 목표든 먼저 거치면 좋은 {what}입니다."),
    "base_after": _("계획을 실행하는 동안과 그 뒤에 누구에게나 권하는 {what}입니다."),
    "fallback": _("가까운 곳에서 더 알맞은 서비스를 찾지 못했을 때도 어디서나 이용할 수 있는 {what}입니다."),
    "outside_time": _("{offered}에 열려 일정 조정이 필요하지만, 참여할 수 있는 시간에 맞는 다른 곳이 없어 넣은 {what}입니다."),
}
TIME_PREFIX: dict[str, str] = {
    "online": _("온라인으로 원하는 때 참여할 수 있는, "),
    "slots": _("{slots}에도 참여할 수 있는, "),
}
OFFICE_HOURS_LABEL = _("평일 낮(기관 운영 시간)")
# The firm-size rule of a service, as the {firm} of the firm pattern ({n}: a head count).
FIRM_PHRASES: dict[str, str] = {
    "firm_min": _("{n}명 이상인"),
    "firm_below": _("{n}명 미만인"),
}

# Type-driven emphasis in 실행하기, strongest first.
TYPE_ACT_THEMES: dict[str, tuple[str, ...]] = {
    "excellent": ("transition", "experience_use", "job_sites"),
    "competence": ("training",),
    "job_search": ("job_search_skills", "job_sites"),
    "self_development": ("training", "job_experience"),
    "expectation": ("job_experience", "labour_market_info"),
    "hurried": ("job_search_skills", "training"),
    "complacent": ("online_lecture", "training"),
    "indifferent": ("online_lecture", "job_experience"),
}
# Each goal's own path. 접근하기: where the goal starts (may use a service listed under
# 실행하기: a first contact with it). 실행하기: the goal's services, strongest first.
GOAL_APPROACH_THEMES: dict[str, tuple[str, ...]] = {
    "reemployment": ("labour_market_info",),
    "startup": ("startup_learning",),
    "rural": ("rural_info",),
    "social": ("volunteering",),
    "undecided": ("planning", "labour_market_info"),
}
GOAL_ACT_THEMES: dict[str, tuple[str, ...]] = {
    "reemployment": ("transition", "experience_use", "job_sites"),
    "startup": ("startup", "startup"),
    "rural": ("rural_training", "rural_practice"),
    "social": ("social", "social"),
    "undecided": ("job_experience", "mentoring"),
}
# When 실행하기 has fewer than MIN_ACT_STEPS steps, these are tried next (goal first).
GOAL_ACT_EXTRA: dict[str, tuple[str, ...]] = {
    "reemployment": ("training", "job_search_skills", "job_sites"),
    "startup": ("startup", "startup_learning", "mentoring"),
    "rural": ("rural_practice", "rural_training"),
    "social": ("social", "volunteering", "mentoring"),
    "undecided": ("job_experience", "training", "job_sites"),
}
# A weak scale (below WEAK_SCALE of 100) adds an emphasis right after the type's main one.
WEAK_SCALE = 50
SCALE_THEMES: dict[str, str] = {"competence": "training", "job_search": "job_search_skills"}
# Order of 실행하기 steps in time: prepare, then try, then apply.
ACT_SEQUENCE: tuple[str, ...] = (
    "counselling", "online_lecture", "labour_market_info", "mentoring", "job_experience", "training",
    "rural_training", "rural_practice", "startup_learning", "startup", "volunteering", "social",
    "transition", "job_search_skills", "experience_use", "job_sites",
)  # fmt: skip
# Where the report names a service for a theme, it goes first among equals.
PREFERRED: dict[str, tuple[str, ...]] = {
    "startup": ("jangnyeon-tech-startup-centre", "pre-startup-package", "social-entrepreneur-incubation"),
    "startup_learning": ("own-startup-club", "jangnyeon-tech-startup-centre"),
    "rural_info": ("returnfarm-centre",),
    "rural_training": ("nonghyup-return-farm-education", "gyeonggi-return-farm-centre"),
    "rural_practice": ("leading-farm-practice", "residential-farm-startup-centre"),
    "social": ("shinjungnyeon-social-contribution", "seoul-50plus-boram-jobs", "senior-jobs-social-activity"),
    "volunteering": ("volunteer-1365",),
    "transition": ("naeil-centre-transition-support",),
    "experience_use": ("shinjungnyeon-career-jobs", "senior-talent-bank"),
    "training": ("polytech-shinjungnyeon", "naeil-baeum-card", "senior-talent-bank"),
    "job_search_skills": ("own-interview-simulation", "naeil-centre-transition-support"),
    "job_sites": ("work24", "jobcentre-senior-desk", "jobkorea", "saramin"),
    "labour_market_info": ("ncs", "work24"),
    "counselling": ("own-1on1-counselling",),
    "lifeplan_course": ("naeil-centre-lifecareer-design",),
}


@dataclass(frozen=True)
class PersonFacts:
    age: int
    age_band: str
    status: str
    region: str
    goal: str
    availability: tuple[str, ...]
    type_code: str
    scale_scores: Mapping[str, float] = field(default_factory=dict, hash=False)
    firm_size: str = ""  # vocab.FIRM_SIZES code; "" when not asked or not answered
    experienced: bool = True  # has worked (career years > 0 and an occupation)

    @property
    def type_name(self) -> str:
        return vocab.korean_of(vocab.CAREER_TYPES, self.type_code)

    @property
    def goal_name(self) -> str:
        return vocab.korean_of(vocab.GOALS, self.goal)

    @property
    def counselling_first(self) -> bool:
        """A self-understanding gap, a hurried mind, no goal yet, or back after a career break."""
        return (
            self.type_code in {"self_development", "hurried"}
            or self.goal == "undecided"
            or self.status == "career_break"
        )


@dataclass(frozen=True)
class CaseFacts:
    slug: str
    age_band: str
    goal: str
    career_types: tuple[str, ...]
    outcome: str  # "success" | "failure"
    status: str = ""


class ReasonArgs(TypedDict, total=False):
    """The arguments of a reason. Text arguments are Korean source strings of the tables
    above (msgids); numbers stay numbers and times stay codes, so each language says them
    its own way."""

    what: str  # THEME_NOUNS
    type: str  # the career type's name (core.vocabulary.CAREER_TYPES)
    goal_who: str  # GOAL_WHO
    status_who: str  # STATUS_WHO
    audience_who: str  # AUDIENCE_WHO
    age_min: int
    firm_min: int  # head count: "{n}명 이상인"
    firm_below: int  # head count: "{n}명 미만인"
    offered: list[str]  # the service's TIME_SLOTS codes; [] = office hours
    slots: list[str]  # day-part codes shared by the person and the service (TIME_PREFIX "slots")


class ReasonParts(TypedDict):
    """A reason as data: stored as journeys.PlanStep.reason_parts (JSON)."""

    pattern: str  # a REASON_PATTERNS key
    prefix: NotRequired[str]  # a TIME_PREFIX key, or absent
    args: ReasonArgs


TEXT_ARGS = ("what", "type", "goal_who", "status_who", "audience_who")


def _same(text: str) -> str:
    return text


def _korean_list(names: Iterable[str]) -> str:
    return "·".join(names)


@dataclass(frozen=True)
class Wording:
    """How reasons are said in one language. The defaults say them in Korean, the source
    language (what is stored in PlanStep.reason); journeys.display.wording() gives the
    active language's."""

    translate: Callable[[str], str] = _same
    number: Callable[[int], str] = "{:,}".format
    summary: Callable[[Iterable[str]], str] = hours.korean_summary  # day parts, for TIME_PREFIX
    join: Callable[[Iterable[str]], str] = _korean_list  # opening times, for "offered"
    capitalise: bool = False  # English sentences start with a noun that is lower case in the table


KOREAN = Wording()


def say(parts: ReasonParts, wording: Wording = KOREAN) -> str:
    """The reason `parts` as one sentence in `wording`'s language."""
    t = wording.translate
    args = parts["args"]
    values: dict[str, str] = {key: t(args[key]) for key in TEXT_ARGS if key in args}  # type: ignore[literal-required]
    if "age_min" in args:
        values["age_min"] = wording.number(args["age_min"])
    for key in ("firm_min", "firm_below"):
        if key in args:
            values["firm"] = t(FIRM_PHRASES[key]).format(n=wording.number(args[key]))
    if "offered" in args:
        offered = [t(SLOT_NAMES[code]) for code in args["offered"] if code in SLOT_NAMES]
        values["offered"] = wording.join(offered) if offered else t(OFFICE_HOURS_LABEL)
    if "slots" in args:
        values["slots"] = wording.summary(args["slots"])
    prefix = parts.get("prefix")
    text = (t(TIME_PREFIX[prefix]).format(**values) if prefix else "") + t(REASON_PATTERNS[parts["pattern"]]).format(**values)
    return text[:1].upper() + text[1:] if wording.capitalise else text


@dataclass(frozen=True)
class StepDraft:
    stage: Stage
    theme: str
    service: str  # the service slug: every step is a real service
    reason: str
    start_week: int  # 1-based: week 1 starts on the plan's start date
    duration_weeks: int
    driver: Driver = "base"
    # The reason as data (`say` renders it in any language); `reason` is its Korean sentence.
    reason_parts: ReasonParts = field(default_factory=lambda: ReasonParts(pattern="base", args={}), hash=False)

    @property
    def end_week(self) -> int:
        """The last week of the step (inclusive)."""
        return self.start_week + self.duration_weeks - 1


@dataclass(frozen=True)
class PlanDraft:
    start_date: date
    steps: tuple[StepDraft, ...]
    cases: tuple[str, ...]

    @property
    def total_weeks(self) -> int:
        return max((s.end_week for s in self.steps), default=0)

    def in_stage(self, stage: Stage) -> list[StepDraft]:
        return [s for s in self.steps if s.stage == stage]


def week_dates(start: date, start_week: int, duration_weeks: int) -> tuple[date, date]:
    """Calendar dates (first day, last day) of a step that starts in `start_week`."""
    first = start + timedelta(weeks=start_week - 1)
    return first, first + timedelta(weeks=duration_weeks, days=-1)


# --- Fit ------------------------------------------------------------------------------


def has_online_option(service: ServiceFacts) -> bool:
    return service.delivery in {"online", "both"} or "anytime" in service.time_slots


def fits_time(person: PersonFacts, service: ServiceFacts) -> bool:
    """Usable in the time the person has: online (wholly or in part) or any time, or open
    in a part of the day the person ticked (core.availability.overlaps: a service's times
    are opening hours, so one shared day part is enough; fixed session times are checked
    against the person's hours on the plan page, journeys.display). An offline service
    that gives no time slots is read as office hours (weekday daytime) — the careful
    reading for someone who works by day."""
    if has_online_option(service):
        return True
    return hours.overlaps(person.availability, service.time_slots or OFFICE_HOURS)


def goal_fit(person: PersonFacts, service: ServiceFacts) -> int:
    """2 = made for the person's goal; 1 = open to every goal; 0 = only for other goals."""
    if not service.goals or set(vocab.codes(vocab.GOALS)) <= set(service.goals):
        return 1
    return 2 if person.goal in service.goals else 0


def in_age_focus(person: PersonFacts, service: ServiceFacts) -> bool:
    low, high = AGE_FOCUS.get(service.slug, (None, None))
    return (low is None or person.age >= low) and (high is None or person.age <= high)


def eligible(person: PersonFacts, service: ServiceFacts) -> bool:
    """`catalog.eligibility.is_eligible` with everything the person told us."""
    return is_eligible(
        service,
        age=person.age,
        status=person.status,
        region=person.region,
        firm_size=person.firm_size,
        goal=person.goal,
        experienced=person.experienced,
    )


def usable(person: PersonFacts, service: ServiceFacts) -> bool:
    """The hard filter: eligible, inside a pilot's target ages, and not only for other goals."""
    return eligible(person, service) and in_age_focus(person, service) and goal_fit(person, service) > 0


def made_for_older(person: PersonFacts, service: ServiceFacts) -> bool:
    return person.age >= OLDER_FROM and (service.age_min or 0) >= AGE_SLOT_FROM


# --- Slots ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    theme: str
    driver: Driver
    optional: bool = False  # dropped when no service has it, never filled by ALWAYS_AVAILABLE
    repeatable: bool = False  # may be filled again though an earlier pick covers the theme
    must: bool = False  # served outside the person's time when nothing in it can (the reason says so)


def _weak_scale_themes(person: PersonFacts) -> list[str]:
    weak = sorted(
        (score, scale)
        for scale, score in person.scale_scores.items()
        if scale in SCALE_THEMES and score < WEAK_SCALE
    )
    return [SCALE_THEMES[scale] for _score, scale in weak]


def stage_slots(person: PersonFacts) -> dict[Stage, list[Slot]]:
    """The themes each stage asks for, in order, and what asked for each."""
    t = person.type_code
    know: list[Slot]
    if person.counselling_first:
        first: Driver = "type" if t in {"self_development", "hurried"} else "goal" if person.goal == "undecided" else "status"
        know = [Slot("counselling", first, must=True)]
        if t != "excellent":  # the ready type knows itself: no tests
            know.append(Slot("self_understanding", first))
    elif t in {"complacent", "indifferent"}:
        know = [Slot("online_lecture", "type"), Slot("result_counselling", "type")]
    elif t == "expectation":
        know = [Slot("counselling", "type")]
    elif t == "excellent":  # ready: a short talk about the result, no tests
        know = [Slot("result_counselling", "type")]
    else:
        know = [Slot("self_understanding", "base")]

    approach: list[Slot] = []
    if t in {"hurried", "self_development"}:
        approach.append(Slot("planning", "type", optional=True))
    repeat = person.goal in {"startup", "rural", "social"}
    approach += [
        Slot(theme, "goal", optional=theme == "planning", must=theme != "planning") for theme in GOAL_APPROACH_THEMES.get(person.goal, ())
    ]
    approach.append(Slot("lifeplan_course", "base"))
    if t == "expectation":
        approach.append(Slot("labour_market_info", "type", optional=True))

    goal_themes = GOAL_ACT_THEMES.get(person.goal, ())
    type_themes = TYPE_ACT_THEMES.get(t, ())
    act: list[Slot] = []
    for i in range(max(len(goal_themes), len(type_themes))):  # goal and type take turns
        if i < len(goal_themes):
            act.append(Slot(goal_themes[i], "goal", optional=True, repeatable=repeat))
        if i < len(type_themes):
            act.append(Slot(type_themes[i], "type", optional=True))
        if i == 0:  # a weak scale comes right after the first goal and type needs
            act += [Slot(x, "type", optional=True) for x in _weak_scale_themes(person) if x not in type_themes]

    manage = [Slot("aftercare", "base"), Slot("community", "base", optional=True)]
    return {"know": know, "approach": approach, "act": act, "manage": manage}


# --- Choosing services ----------------------------------------------------------------


def _in_stage(service: ServiceFacts, stage: Stage, slot: Slot) -> bool:
    if stage in service.stages:
        return True
    if stage == "know" and slot.theme in EARLY_THEMES and "approach" in service.stages:
        return True
    # A goal's first step may be a first contact with a service listed under 실행하기.
    return stage == "approach" and slot.driver == "goal" and "act" in service.stages


def _rank(person: PersonFacts, service: ServiceFacts, stage: Stage, theme: str) -> tuple[int, int, int, int, int, int, int, str]:
    themes = themes_of(service.slug, service.goals)
    preferred = PREFERRED.get(theme, ())
    too_long = service.duration_weeks is not None and service.duration_weeks > STAGE_BUDGET_WEEKS[stage]
    return (
        0 if fits_time(person, service) else 1,
        themes.index(theme),
        0 if stage == "act" and made_for_older(person, service) else 1,
        1 if too_long else 0,
        preferred.index(service.slug) if service.slug in preferred else len(preferred),
        -goal_fit(person, service),
        0 if person.region in service.regions else 1,
        service.slug,
    )


def _best(
    person: PersonFacts,
    stage: Stage,
    slot: Slot,
    pool: Sequence[ServiceFacts],
    used: set[str],
    *,
    any_time: bool,
    later: frozenset[str] = frozenset(),
) -> ServiceFacts | None:
    """The best service for a slot. A service is not borrowed for a side theme when what it
    is mainly for is asked for in a later stage and no other service is mainly for that:
    it is kept for that later step."""
    theme = slot.theme

    def primary(s: ServiceFacts) -> str:
        return themes_of(s.slug, s.goals)[0]  # the pool holds only services with a theme

    def kept_for_later(s: ServiceFacts) -> bool:
        main = primary(s)
        if main == theme or main not in later:
            return False
        return not any(o.slug != s.slug and o.slug not in used and primary(o) == main for o in pool)

    candidates = [
        s
        for s in pool
        if s.slug not in used
        and theme in themes_of(s.slug, s.goals)
        and not kept_for_later(s)
        and _in_stage(s, stage, slot)
        and (any_time or fits_time(person, s))
    ]
    return min(candidates, key=lambda s: _rank(person, s, stage, theme)) if candidates else None


def _age_pick(person: PersonFacts, pool: Sequence[ServiceFacts], used: set[str]) -> ServiceFacts | None:
    """From AGE_SLOT_FROM: the service made for the person's goal, listed under 실행하기, with
    the highest minimum age of at least AGE_SLOT_FROM that the person meets, usable in the
    person's time (then by slug). None when the catalogue has no such service."""
    if person.age < AGE_SLOT_FROM:
        return None
    candidates = [
        s
        for s in pool
        if s.slug not in used
        and "act" in s.stages
        and (s.age_min or 0) >= AGE_SLOT_FROM
        and goal_fit(person, s) == 2
        and fits_time(person, s)
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda s: (-(s.age_min or 0), s.slug))


Pick = tuple[Slot, ServiceFacts]


def _fallback(person: PersonFacts, stage: Stage, slot: Slot, pool: Sequence[ServiceFacts], used: set[str]) -> ServiceFacts | None:
    """A service open to everyone for a stage that would otherwise be empty."""
    by_slug = {s.slug: s for s in pool}
    for slug in ALWAYS_AVAILABLE:
        service = by_slug.get(slug)
        if service is None or slug in used:
            continue
        if stage in service.stages or (stage == "know" and "approach" in service.stages):
            return service
    return None


def _fallback_theme(service: ServiceFacts, asked: Slot) -> str:
    """What the step is called: the theme asked for when the service has it, else what
    the service is mainly for (1:1 상담 is never called a test)."""
    themes = themes_of(service.slug, service.goals)
    return asked.theme if asked.theme in themes else themes[0]


def _fill_act(person: PersonFacts, slots: list[Slot], pool: Sequence[ServiceFacts], used: set[str], later: frozenset[str]) -> list[Pick]:
    stage: Stage = "act"
    picks: list[Pick] = []
    covered: set[str] = set()

    def take(slot: Slot, service: ServiceFacts) -> None:
        picks.append((slot, service))
        covered.add(slot.theme)
        covered.update(themes_of(service.slug, service.goals)[:1])  # what it is mainly for
        used.add(service.slug)

    def fill(candidates: Sequence[Slot], *, any_time: bool, until: int) -> None:
        for slot in candidates:
            if len(picks) >= until:
                return
            if slot.theme in covered and not slot.repeatable:
                continue
            service = _best(person, stage, slot, pool, used, any_time=any_time, later=later)
            if service is not None:
                take(slot, service)

    # 1. The age slot: the service made for people of the person's age, for their goal.
    aged = _age_pick(person, pool, used)
    if aged is not None:
        take(Slot(themes_of(aged.slug, aged.goals)[0], "age"), aged)
    # 2. Goal and type slots that fit the person's time.
    fill(slots, any_time=False, until=MAX_ACT_STEPS)
    # 3. The goal must be served: if no goal slot was filled, take the best service for the
    #    goal even outside the person's time (the reason says so).
    if not any(slot.driver == "goal" for slot, _s in picks):
        for slot in (s for s in slots if s.driver == "goal"):
            service = _best(person, stage, slot, pool, used, any_time=True, later=later)
            if service is not None:
                if len(picks) >= MAX_ACT_STEPS:
                    removable = [i for i, (s, _v) in enumerate(picks) if s.driver == "type"]
                    picks.pop(removable[-1] if removable else -1)
                take(slot, service)
                break
    # 4. At least two options: more of the goal's own services, in the person's time first.
    repeat = person.goal in {"startup", "rural", "social"}  # goals whose own services may fill two steps
    extra = [Slot(theme, "goal", repeatable=repeat and theme in GOAL_ACT_THEMES[person.goal]) for theme in GOAL_ACT_EXTRA.get(person.goal, ())]
    for any_time in (False, True):
        fill(extra, any_time=any_time, until=MIN_ACT_STEPS)
    fill([Slot(s.theme, s.driver) for s in slots], any_time=True, until=MIN_ACT_STEPS)
    # 5. Still nothing: a service open to everyone.
    if not picks:
        asked = Slot("job_sites", "fallback")
        service = _fallback(person, stage, asked, pool, used)
        if service is not None:
            take(Slot(_fallback_theme(service, asked), "fallback"), service)
    order = {theme: i for i, theme in enumerate(ACT_SEQUENCE)}
    picks.sort(key=lambda p: order.get(p[0].theme, len(order)))
    return picks


def _fill_stage(
    person: PersonFacts,
    stage: Stage,
    slots: list[Slot],
    pool: Sequence[ServiceFacts],
    used: set[str],
    later: frozenset[str],
) -> list[Pick]:
    if stage == "act":
        return _fill_act(person, slots, pool, used, later)
    picks: list[Pick] = []
    covered: set[str] = set()

    def take(slot: Slot, service: ServiceFacts) -> None:
        picks.append((slot, service))
        covered.add(slot.theme)
        covered.update(themes_of(service.slug, service.goals)[:1])
        if stage != "manage":  # after-care may come back to a service used earlier
            used.add(service.slug)

    # 1. Services that fit the person's time.
    for slot in slots:
        if slot.theme in covered:
            continue
        service = _best(person, stage, slot, pool, used, any_time=False, later=later)
        if service is not None:
            take(slot, service)
    # 2. A required slot left: a service outside the person's time when the stage has
    #    nothing else; a stage still empty gets a service open to everyone.
    #    A slot that must be served is, like the goal in 실행하기 (the reason says when it runs).
    for slot in slots:
        if slot.theme in covered or slot.optional or (picks and not slot.must):
            continue
        service = _best(person, stage, slot, pool, used, any_time=True, later=later)
        if service is not None:
            take(slot, service)
    if not picks and slots:
        service = _fallback(person, stage, slots[0], pool, used)
        if service is not None:
            take(Slot(_fallback_theme(service, slots[0]), "fallback"), service)
    position = {slot.theme: i for i, slot in enumerate(slots)}
    picks.sort(key=lambda p: position.get(p[0].theme, len(position)))
    return picks


# --- Reasons --------------------------------------------------------------------------


def _offered(service: ServiceFacts) -> list[str]:
    """The service's opening times as TIME_SLOTS codes ([] = office hours)."""
    return [code for code in SLOT_NAMES if code in service.time_slots]


def _time_prefix(person: PersonFacts, service: ServiceFacts) -> tuple[str, ReasonArgs]:
    """The TIME_PREFIX key ("" for none) and its arguments. Only for people who cannot come
    in office hours (weekday daytime): then the time is why it fits."""
    if hours.overlaps(person.availability, OFFICE_HOURS):
        return "", {}
    if service.delivery == "online" or "anytime" in service.time_slots:
        return "online", {}
    shared = hours.expand(person.availability) & hours.expand(service.time_slots)
    if shared:
        return "slots", {"slots": [term.code for term in vocab.DAY_PARTS if term.code in shared]}
    if service.delivery == "both":
        return "online", {}
    return "", {}


def _firm_args(service: ServiceFacts) -> ReasonArgs:
    if service.firm_size_min is not None:
        return {"firm_min": service.firm_size_min}
    return {"firm_below": (service.firm_size_max or 0) + 1}


def reason_parts(person: PersonFacts, slot: Slot, service: ServiceFacts, *, stage: Stage = "act", first_of_goal: bool = False) -> ReasonParts:
    """Why this step, for this person, as data (REASON_PATTERNS and its arguments)."""
    what: ReasonArgs = {"what": THEME_NOUNS.get(slot.theme, THEME_NOUNS["counselling"])}
    if not fits_time(person, service):
        return {"pattern": "outside_time", "args": {**what, "offered": _offered(service)}}
    if slot.driver == "fallback":
        return {"pattern": "fallback", "args": what}
    audiences = [a for a in service.audiences if a in AUDIENCE_WHO]
    pattern: str
    args: ReasonArgs
    if audiences:
        pattern, args = "audience", {"audience_who": AUDIENCE_WHO[audiences[0]]}
    elif service.firm_size_min is not None or service.firm_size_max is not None:
        pattern, args = "firm", _firm_args(service)
    elif slot.driver == "age":
        pattern, args = "age", {"age_min": service.age_min or 0}
    elif slot.driver == "type":
        pattern, args = "type", {"type": person.type_name}
    elif slot.driver == "goal":
        pattern, args = ("goal_first" if first_of_goal else "goal"), {"goal_who": GOAL_WHO[person.goal]}
    elif slot.driver == "status":
        pattern, args = "status", {"status_who": STATUS_WHO.get(person.status, STATUS_WHO["jobseeker"])}
    else:
        pattern, args = ("base_after" if stage == "manage" else "base"), {}
    prefix, prefix_args = _time_prefix(person, service)
    parts: ReasonParts = {"pattern": pattern, "args": {**args, **what, **prefix_args}}
    if prefix:
        parts["prefix"] = prefix
    return parts


# --- Timeline -------------------------------------------------------------------------


def _duration(stage: Stage, service: ServiceFacts) -> int:
    if stage == "manage":
        return AFTERCARE_WEEKS
    weeks = service.duration_weeks or DEFAULT_WEEKS[stage]
    return max(1, min(weeks, STAGE_BUDGET_WEEKS[stage]))


def lay_out(durations: Sequence[int], stage_start: int, budget: int) -> list[tuple[int, int]]:
    """(start_week, weeks) for steps done one after another from `stage_start`, inside
    `budget` weeks. Once the budget is used up, the remaining steps run alongside the
    previous one, so start weeks never go down and nothing ends after the budget."""
    out: list[tuple[int, int]] = []
    end_limit = stage_start + budget  # the first week after the stage
    cursor = stage_start
    for weeks in durations:
        start = cursor if cursor < end_limit else out[-1][0]
        length = max(1, min(weeks, end_limit - start))
        out.append((start, length))
        cursor = start + length
    return out


# --- Cases ----------------------------------------------------------------------------


def case_score(person: PersonFacts, case: CaseFacts) -> int:
    return 3 * (case.goal == person.goal) + 2 * (case.age_band == person.age_band) + 2 * (person.type_code in case.career_types)


def match_cases(person: PersonFacts, cases: Sequence[CaseFacts]) -> tuple[str, ...]:
    """The best success, the best failure (if any), and a third case when it shares the
    person's goal; at least two whenever two exist. Ties by slug."""
    ranked = sorted(cases, key=lambda c: (-case_score(person, c), c.slug))
    chosen: list[CaseFacts] = []
    for outcome in ("success", "failure"):
        best = next((c for c in ranked if c.outcome == outcome), None)
        if best is not None:
            chosen.append(best)
    rest = [c for c in ranked if c not in chosen]
    while rest and (len(chosen) < 2 or (len(chosen) < 3 and rest[0].goal == person.goal)):
        chosen.append(rest.pop(0))
    return tuple(c.slug for c in chosen)


# --- The plan -------------------------------------------------------------------------


def build_plan(person: PersonFacts, services: Sequence[ServiceFacts], cases: Sequence[CaseFacts], today: date) -> PlanDraft:
    """Build the personal guide map. Pure and deterministic: the same input gives the same plan."""
    pool = sorted((s for s in services if usable(person, s) and themes_of(s.slug, s.goals)), key=lambda s: s.slug)
    slots = stage_slots(person)
    used: set[str] = set()
    steps: list[StepDraft] = []
    stage_start = 1
    goal_seen = False
    for index, stage in enumerate(STAGES):
        later = frozenset(slot.theme for later_stage in STAGES[index + 1 :] for slot in slots[later_stage])
        picks = _fill_stage(person, stage, slots[stage], pool, used, later)
        layout = lay_out([_duration(stage, service) for _slot, service in picks], stage_start, STAGE_BUDGET_WEEKS[stage])
        for (slot, service), (start, weeks) in zip(picks, layout, strict=True):
            first_of_goal = slot.driver == "goal" and not goal_seen
            goal_seen = goal_seen or slot.driver == "goal"
            parts = reason_parts(person, slot, service, stage=stage, first_of_goal=first_of_goal)
            steps.append(
                StepDraft(
                    stage=stage,
                    theme=slot.theme,
                    service=service.slug,
                    reason=say(parts),
                    start_week=start,
                    duration_weeks=weeks,
                    driver=slot.driver,
                    reason_parts=parts,
                )
            )
        stage_start = max((start + weeks for start, weeks in layout), default=stage_start)
    return PlanDraft(start_date=today, steps=tuple(steps), cases=match_cases(person, cases))
