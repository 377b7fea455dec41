"""The guide-map engine (사전 가이드맵, 접근하기): a pure, typed, deterministic function.

    build_plan(person, services, cases, today) -> PlanDraft

No Django, no database: everything it needs is passed in as frozen dataclasses, so it can
be tested exhaustively (journeys/tests/test_matching.py, test_properties.py) and explained
in plain words (docs/guide-map.md).

How a plan is built
-------------------
1. **Eligibility first.** Every service the person is not eligible for (age, employment
   status, region — `catalog.eligibility.is_eligible`) is dropped before anything else,
   and so is every service made only for other goals. Nothing later can bring them back,
   so a plan never offers a service the person cannot use.
2. **Slots.** Each stage (알아가기 → 접근하기 → 실행하기 → 관리하기) gets a short list of
   *themes* to fill ("1:1 상담", "직무 훈련", "귀농 교육", …), chosen from the person's
   career-development type, goal and situation (`stage_slots`).
3. **Filling a slot.** Among eligible services that list the stage and have the theme,
   the best is taken: usable in the time the person has → the theme is what the service
   is mainly for → made for the person's goal → in the person's region → the report's
   preferred service → slug. Services outside the person's time are used only when no
   service that fits can serve: then the reason says so. If nothing fits, the step is
   generic ("1:1 상담 받기") and points to 중장년내일센터 or the local 고용센터.
4. **Timeline.** Steps run one after another; each stage starts when the previous one
   ends. Each stage has a budget (3, 8, 16 and 12 weeks); when it is used up, remaining
   steps run alongside the last one. So a plan lasts 15 to 39 weeks (about 3–9 months).
5. **Case stories.** 2–3 illustrative cases: the best-matching success, the best-matching
   failure (when there is one), and a third one if it shares the person's goal.
   Score: goal 3 + age band 2 + career type 2; ties by slug.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from catalog.eligibility import ServiceFacts, is_eligible
from core import availability as hours
from core import vocabulary as vocab
from journeys.themes import themes_of

Stage = Literal["know", "approach", "act", "manage"]
STAGES: tuple[Stage, ...] = ("know", "approach", "act", "manage")
Driver = Literal["type", "goal", "status", "base"]

# Time budget of each stage in weeks: 3 + 8 + 16 + 12 = 39 weeks (about 9 months) at most.
STAGE_BUDGET_WEEKS: dict[Stage, int] = {"know": 3, "approach": 8, "act": 16, "manage": 12}
# Planned duration of a step when the service does not say, per stage.
DEFAULT_WEEKS: dict[Stage, int] = {"know": 1, "approach": 2, "act": 4, "manage": 12}
# After-care (관리하기) runs for a fixed period: three months of follow-up.
AFTERCARE_WEEKS = 12
MAX_ACT_STEPS = 3
# A service with one of these themes listed under 접근하기 may also open the plan in 알아가기:
# for people who need counselling first, it is the very first step.
EARLY_THEMES = {"counselling", "self_understanding", "result_counselling"}

# The guide map's reasons are Korean sentences, so they use the vocabulary's Korean names.
SLOT_NAMES: dict[str, str] = {term.code: term.ko for term in vocab.TIME_SLOTS}
# An offline service that gives no opening times is read as office hours.
OFFICE_HOURS: tuple[str, ...] = ("weekday_day",)


# What a theme is for: the end of the reason sentence, and the title of a generic step.
THEME_WHY: dict[str, str] = {
    "counselling": "상담사와 1:1로 나의 상황과 바람을 먼저 정리하는 단계입니다",
    "self_understanding": "직업심리검사 같은 검사와 활동으로 나의 흥미·강점·가치를 알아보는 단계입니다",
    "result_counselling": "자가진단 결과를 상담사와 함께 짧게 살펴보는 부담 없는 첫걸음입니다",
    "online_lecture": "집에서 짧게 볼 수 있는 무료 온라인 강의로 가볍게 시작하는 단계입니다",
    "lifeplan_course": "일·재무·건강 등 인생 후반부 계획을 체계적으로 세우는 생애경력설계 과정입니다",
    "planning": "행동에 앞서 상담사와 몇 주에 걸쳐 경력 계획을 구체적으로 세우는 단계입니다",
    "labour_market_info": "희망 직무에 필요한 능력과 채용 현황 같은 노동시장 정보를 확인해 기대 수준을 점검하는 단계입니다",
    "job_experience": "짧은 직업체험이나 일경험으로 관심 있는 일을 직접 겪어 보고 맞는지 확인하는 단계입니다",
    "training": "직무능력을 키우는 훈련 과정입니다",
    "job_search_skills": "이력서·면접 같은 구직 기술을 다지는 단계입니다",
    "job_sites": "채용 정보를 찾아 실제로 지원하는 단계입니다",
    "transition": "전직지원 서비스로 재취업 준비를 전문가와 함께 하는 단계입니다",
    "experience_use": "그동안의 경력과 경험을 살릴 수 있는 일자리입니다",
    "startup": "창업·창직을 준비하는 교육·공간·멘토링입니다",
    "rural": "귀농·귀촌을 준비하는 정보·교육·현장 실습입니다",
    "social": "경력을 살려 지역사회에 기여하는 활동입니다",
    "aftercare": "계획대로 되고 있는지 상담사와 점검하고, 잘 안 되었을 때 다시 계획을 세우는 단계입니다",
    "community": "같은 길을 가는 사람들과 경험을 나누며 계획을 이어 가는 모임입니다",
}
GENERIC_TITLES: dict[str, str] = {
    "counselling": "1:1 상담 받기",
    "self_understanding": "나를 이해하는 검사·활동 해 보기",
    "result_counselling": "자가진단 결과 상담 받기",
    "online_lecture": "생애경력설계 온라인 강의 듣기",
    "lifeplan_course": "생애경력설계 프로그램 참여하기",
    "planning": "상담사와 경력 계획 세우기",
    "labour_market_info": "희망 직무의 노동시장 정보 알아보기",
    "job_experience": "직업체험 해 보기",
    "training": "직무 훈련 과정 찾아 신청하기",
    "job_search_skills": "이력서·면접 준비하기",
    "job_sites": "채용 정보 찾아 지원하기",
    "transition": "전직지원 상담 받기",
    "experience_use": "경력을 살리는 일자리 찾기",
    "startup": "창업 교육·상담 받기",
    "rural": "귀농·귀촌 교육 받기",
    "social": "사회공헌 활동 찾기",
    "aftercare": "사후관리 상담 받기",
    "community": "모임에 참여해 경험 나누기",
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
# Goal-driven services in 실행하기, strongest first.
GOAL_ACT_THEMES: dict[str, tuple[str, ...]] = {
    "reemployment": ("transition", "experience_use", "job_sites"),
    "startup": ("startup", "startup"),
    "rural": ("rural", "rural"),
    "social": ("social", "social"),
    "undecided": ("job_experience", "counselling"),
}
# A weak scale (below WEAK_SCALE of 100) adds an emphasis right after the type's main one.
WEAK_SCALE = 50
SCALE_THEMES: dict[str, str] = {"competence": "training", "job_search": "job_search_skills"}
# Order of 실행하기 steps in time: prepare, then try, then apply.
ACT_SEQUENCE: tuple[str, ...] = (
    "counselling", "online_lecture", "labour_market_info", "job_experience", "training",
    "transition", "job_search_skills", "rural", "startup", "social", "experience_use", "job_sites",
)  # fmt: skip
# Where the report names a service for a theme, it goes first among equals.
PREFERRED: dict[str, tuple[str, ...]] = {
    "startup": ("jangnyeon-tech-startup-centre", "social-entrepreneur-incubation", "own-startup-club"),
    "rural": ("returnfarm-centre", "nonghyup-return-farm-education", "leading-farm-practice"),
    "social": ("shinjungnyeon-social-contribution", "seoul-50plus-boram-jobs", "volunteer-1365"),
    "transition": ("naeil-centre-transition-support",),
    "experience_use": ("shinjungnyeon-career-jobs", "senior-talent-bank"),
    "training": ("polytech-shinjungnyeon", "naeil-baeum-card", "senior-talent-bank"),
    "job_search_skills": ("own-interview-simulation", "naeil-centre-transition-support"),
    "job_sites": ("work24", "jobcentre-senior-desk", "jobkorea", "saramin"),
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


@dataclass(frozen=True)
class StepDraft:
    stage: Stage
    theme: str
    service: str | None  # the service slug, or None for a generic step
    title: str  # generic steps only; a service step is titled with the service's name
    reason: str
    start_week: int  # 1-based: week 1 starts on the plan's start date
    duration_weeks: int

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


def usable(person: PersonFacts, service: ServiceFacts) -> bool:
    """The hard filter: eligible by age, status and region, and not only for other goals."""
    return (
        is_eligible(service, age=person.age, status=person.status, region=person.region)
        and goal_fit(person, service) > 0
    )


# --- Slots ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    theme: str
    driver: Driver
    optional: bool = False  # left out when no service has it (no generic step)
    repeatable: bool = False  # may be filled again though an earlier pick covers the theme


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
        know = [Slot("counselling", first), Slot("self_understanding", first)]
    elif t in {"complacent", "indifferent"}:
        know = [Slot("online_lecture", "type"), Slot("result_counselling", "type")]
    elif t == "expectation":
        know = [Slot("counselling", "type")]
    else:
        know = [Slot("self_understanding", "base")]

    approach: list[Slot] = []
    if t in {"hurried", "self_development"}:
        approach.append(Slot("planning", "type"))
    elif person.goal == "undecided":
        approach.append(Slot("planning", "goal"))
    approach.append(Slot("lifeplan_course", "base"))
    if t == "expectation":
        approach.append(Slot("labour_market_info", "type"))
    if person.goal in {"startup", "rural", "social"}:
        approach.append(Slot(person.goal, "goal", optional=True))

    goal_themes = GOAL_ACT_THEMES.get(person.goal, ())
    type_themes = TYPE_ACT_THEMES.get(t, ())
    act: list[Slot] = []
    for i in range(max(len(goal_themes), len(type_themes))):  # goal and type take turns
        if i < len(goal_themes):
            act.append(Slot(goal_themes[i], "goal", repeatable=person.goal in {"startup", "rural", "social"}))
        if i < len(type_themes):
            act.append(Slot(type_themes[i], "type"))
        if i == 0:  # a weak scale comes right after the first goal and type needs
            act += [Slot(x, "type") for x in _weak_scale_themes(person) if x not in type_themes]

    manage = [Slot("aftercare", "base"), Slot("community", "base", optional=True)]
    return {"know": know, "approach": approach, "act": act, "manage": manage}


# --- Choosing services ----------------------------------------------------------------


def _in_stage(service: ServiceFacts, stage: Stage, theme: str) -> bool:
    return stage in service.stages or (stage == "know" and theme in EARLY_THEMES and "approach" in service.stages)


def _rank(person: PersonFacts, service: ServiceFacts, stage: Stage, theme: str) -> tuple[int, int, int, int, int, int, str]:
    themes = themes_of(service.slug, service.goals)
    preferred = PREFERRED.get(theme, ())
    too_long = service.duration_weeks is not None and service.duration_weeks > STAGE_BUDGET_WEEKS[stage]
    return (
        0 if fits_time(person, service) else 1,
        themes.index(theme),
        1 if too_long else 0,
        preferred.index(service.slug) if service.slug in preferred else len(preferred),
        -goal_fit(person, service),
        0 if person.region in service.regions else 1,
        service.slug,
    )


def _best(
    person: PersonFacts,
    stage: Stage,
    theme: str,
    pool: Sequence[ServiceFacts],
    used: set[str],
    *,
    any_time: bool,
    later: frozenset[str] = frozenset(),
) -> ServiceFacts | None:
    """The best service for a slot. A service is not borrowed for a side theme when what it
    is mainly for is asked for in a later stage and no other service is mainly for that:
    it is kept for that later step."""

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
        and _in_stage(s, stage, theme)
        and (any_time or fits_time(person, s))
    ]
    return min(candidates, key=lambda s: _rank(person, s, stage, theme)) if candidates else None


Pick = tuple[Slot, ServiceFacts | None]


def _fill_stage(
    person: PersonFacts,
    stage: Stage,
    slots: list[Slot],
    pool: Sequence[ServiceFacts],
    used: set[str],
    later: frozenset[str],
) -> list[Pick]:
    limit = MAX_ACT_STEPS if stage == "act" else len(slots)
    picks: list[Pick] = []
    covered: set[str] = set()

    def take(slot: Slot, service: ServiceFacts | None) -> None:
        picks.append((slot, service))
        covered.add(slot.theme)
        if service is not None:
            covered.update(themes_of(service.slug, service.goals)[:1])  # what it is mainly for
            if stage != "manage":  # after-care may come back to a service used earlier
                used.add(service.slug)

    # 1. Services that fit the person's time.
    for slot in slots:
        if len(picks) >= limit:
            break
        if slot.theme in covered and not slot.repeatable:
            continue
        service = _best(person, stage, slot.theme, pool, used, any_time=False, later=later)
        if service is not None:
            take(slot, service)

    if stage == "act":
        # 2. The goal must be served: if no goal slot was filled, take the best service for
        #    the goal even outside the person's time (the reason says so).
        if person.goal != "undecided" and not any(slot.driver == "goal" for slot, _s in picks):
            for slot in (s for s in slots if s.driver == "goal"):
                service = _best(person, stage, slot.theme, pool, used, any_time=True, later=later)
                if service is not None:
                    if len(picks) >= limit:
                        picks.pop()
                    take(slot, service)
                    break
        # 3. Nothing fits at all: take up to two services outside the person's time, or
        #    one generic step.
        if not picks:
            for slot in slots:
                if len(picks) >= 2:
                    break
                service = _best(person, stage, slot.theme, pool, used, any_time=True, later=later)
                if service is not None and slot.theme not in covered:
                    take(slot, service)
        if not picks and slots:
            take(slots[0], None)
        order = {theme: i for i, theme in enumerate(ACT_SEQUENCE)}
        picks.sort(key=lambda p: order.get(p[0].theme, len(order)))
        return picks

    # Other stages: every required slot is served, by a service outside the person's time
    # only when the stage has nothing else, otherwise by a generic step.
    for slot in slots:
        if slot.theme in covered or slot.optional:
            continue
        service = None if picks else _best(person, stage, slot.theme, pool, used, any_time=True, later=later)
        take(slot, service)
    position = {id(slot): i for i, slot in enumerate(slots)}
    picks.sort(key=lambda p: position[id(p[0])])
    return picks


# --- Reasons --------------------------------------------------------------------------


def _time_sentence(person: PersonFacts, service: ServiceFacts) -> str:
    if service.delivery == "online" or "anytime" in service.time_slots:
        return "온라인으로 원하는 때 이용할 수 있습니다."
    shared = hours.expand(person.availability) & hours.expand(service.time_slots or OFFICE_HOURS)
    if shared and service.time_slots:
        return f"참여할 수 있다고 하신 {hours.korean_summary(shared)}에 이용할 수 있습니다."
    if service.delivery == "both":
        return "온라인으로도 제공되어 시간을 맞추기 쉽습니다."
    if shared:
        return f"참여할 수 있다고 하신 {hours.korean_summary(shared)}에 기관 운영 시간이 겹쳐 이용할 수 있습니다."
    offered = "·".join(SLOT_NAMES[s] for s in SLOT_NAMES if s in service.time_slots) or "평일 낮(기관 운영 시간)"
    return f"{offered}에 열려 일정 조정이 필요하지만, 참여할 수 있는 시간에 맞는 다른 서비스가 없어 넣었습니다."


def _lead(person: PersonFacts, slot: Slot) -> str:
    why = THEME_WHY[slot.theme]
    if slot.driver == "type":
        return f"‘{person.type_name}’ 결과에 따라 넣은, {why}."
    if slot.driver == "goal":
        return f"목표가 ‘{person.goal_name}’이어서 넣은, {why}."
    if slot.driver == "status":
        status = vocab.korean_of(vocab.EMPLOYMENT_STATUSES, person.status)
        return f"{status} 상황이고 ‘{person.type_name}’ 결과가 나와 먼저 권하는, {why}."
    return f"‘{person.type_name}’ 유형, ‘{person.goal_name}’ 목표인 분께도 꼭 필요한 기본 단계로, {why}."


def reason_for(person: PersonFacts, slot: Slot, service: ServiceFacts | None, planned_weeks: int) -> str:
    parts = [_lead(person, slot)]
    if service is None:
        parts.append("딱 맞는 연계 서비스를 찾지 못해 일반 단계로 넣었습니다.")
        slots = hours.korean_summary(person.availability)
        if slots:
            parts.append(f"{slots}에 이용할 수 있는 곳을 중장년내일센터나 가까운 고용센터에 물어보세요.")
        return " ".join(parts)
    if slot.driver in {"type", "status"} and goal_fit(person, service) == 2 and person.goal != "undecided":
        parts.append(f"‘{person.goal_name}’ 목표에도 맞는 서비스입니다.")
    parts.append(_time_sentence(person, service))
    if service.duration_weeks and service.duration_weeks > planned_weeks:
        parts.append(f"전체 과정은 약 {service.duration_weeks}주이며, 이 계획에는 앞의 {planned_weeks}주를 넣었습니다.")
    return " ".join(parts)


# --- Timeline -------------------------------------------------------------------------


def _duration(stage: Stage, service: ServiceFacts | None) -> int:
    if stage == "manage":
        return AFTERCARE_WEEKS
    weeks = service.duration_weeks if service is not None and service.duration_weeks else DEFAULT_WEEKS[stage]
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
    for index, stage in enumerate(STAGES):
        later = frozenset(slot.theme for later_stage in STAGES[index + 1 :] for slot in slots[later_stage])
        picks = _fill_stage(person, stage, slots[stage], pool, used, later)
        layout = lay_out([_duration(stage, service) for _slot, service in picks], stage_start, STAGE_BUDGET_WEEKS[stage])
        for (slot, service), (start, weeks) in zip(picks, layout, strict=True):
            steps.append(
                StepDraft(
                    stage=stage,
                    theme=slot.theme,
                    service=service.slug if service is not None else None,
                    title="" if service is not None else GENERIC_TITLES[slot.theme],
                    reason=reason_for(person, slot, service, weeks),
                    start_week=start,
                    duration_weeks=weeks,
                )
            )
        stage_start = max((start + weeks for start, weeks in layout), default=stage_start)
    return PlanDraft(start_date=today, steps=tuple(steps), cases=match_cases(person, cases))
