"""What each catalogue service is *for*, in the guide map's words (themes).

The catalogue describes who may use a service (age, status, region), when (time slots)
and for which goals, but not what kind of help it is. The guide map needs that to follow
the report's emphasis ("능력개발필요형 → 직무 훈련", "결정하지 못함 → 1:1 상담 먼저", …) and
each goal's own path (귀농: 귀농귀촌종합센터 상담 `rural_info` → 농업 교육 `rural_training` →
현장실습 `rural_practice`; 창업: 창업 교육·모임 `startup_learning` → 창업 지원 `startup`;
사회공헌: 자원봉사 `volunteering` → 사회공헌 일자리·활동 `social`), so this table gives each
service its themes, strongest first. A slot in the plan asks for a
theme; among services with that theme, one whose *first* theme it is ranks higher.

A service missing from the table gets a theme from its goals only when it is made for
exactly one of 창업·창직 / 귀농·귀촌 / 사회공헌, and otherwise is never placed in a plan;
`journeys/tests/test_themes.py` fails when the catalogue has a service this table does
not know, so a new service gets a line here.
"""

from __future__ import annotations

from collections.abc import Sequence

THEMES: dict[str, tuple[str, ...]] = {
    # 중장년내일센터 and the provider's own services (자체 서비스)
    "naeil-centre-lifecareer-design": ("lifeplan_course", "counselling"),
    "naeil-centre-transition-support": ("transition", "job_search_skills", "job_experience"),
    "career-planning-1on1": ("planning", "counselling", "self_understanding"),
    "lifecareer-online-video": ("online_lecture", "lifeplan_course"),
    # An education-and-counselling service, not vocational training (issue 9 wording).
    "own-education-counselling": ("counselling", "job_search_skills"),
    "own-job-experience": ("job_experience",),
    "own-interview-simulation": ("job_search_skills",),
    "own-free-id-photo": ("job_search_support",),
    "own-job-search-space": ("job_search_support",),
    "own-startup-club": ("startup_learning", "startup", "community"),
    "own-1on1-counselling": ("counselling", "result_counselling", "aftercare"),
    "own-mentoring": ("mentoring", "community"),
    "own-aftercare": ("aftercare",),
    "own-alumni-community": ("community",),
    "own-corporate-onsite": ("employer_course",),  # the employer asks for it; not chosen by a person
    # 고용노동부
    "lifecareer-self-diagnosis": ("official_self_diagnosis",),  # the person has just done ours
    "work24": ("job_sites", "self_understanding", "labour_market_info"),
    "q-net": ("certification", "training"),
    "ncs": ("labour_market_info", "competence_map"),
    "polytech-shinjungnyeon": ("training",),
    "senior-talent-bank": ("training", "job_search_skills", "experience_use"),
    "shinjungnyeon-career-jobs": ("experience_use", "social"),
    "shinjungnyeon-social-contribution": ("social", "experience_use"),
    "social-entrepreneur-incubation": ("startup", "social"),
    "jangnyeon-career-support-scheme": ("job_experience", "experience_use"),
    "national-employment-support": ("employment_support", "job_search_skills"),
    "naeil-baeum-card": ("training",),
    "reemployment-support-mandatory": ("employer_transition", "transition"),
    "jobcentre-senior-desk": ("job_sites", "transition"),
    # 타 기관
    "jangnyeon-tech-startup-centre": ("startup", "startup_learning"),
    "one-person-creative-enterprise": ("startup",),
    "returnfarm-centre": ("rural_info", "counselling", "labour_market_info"),
    "leading-farm-practice": ("rural_practice", "job_experience"),
    "nonghyup-return-farm-education": ("rural_training", "training"),
    "residential-farm-startup-centre": ("rural_practice", "rural_training"),
    "volunteer-1365": ("volunteering", "social"),
    "senior-jobs-social-activity": ("social", "experience_use"),
    "seoul-50plus-foundation": ("lifeplan_course", "social", "community", "counselling"),
    "seoul-50plus-boram-jobs": ("social", "experience_use"),
    "seoul-50plus-counselling": ("counselling", "planning"),
    "gyeonggi-5060-ieum-jobs": ("experience_use", "job_sites"),
    "gyeonggi-shinjungnyeon-jobs-centre": ("counselling", "transition", "startup", "social"),
    "seoul-senior-startup-centre": ("startup", "startup_learning"),
    "gyeongnam-happy-naeil-centre": ("counselling", "transition", "training", "startup"),
    "daejeon-jungjangnyeon-support-centre": ("counselling", "social", "community"),
    "saeil-women-reemployment-centre": ("training", "employment_support", "counselling"),
    "pre-startup-package": ("startup",),
    "gyeonggi-return-farm-centre": ("rural_training", "training"),
    "chungnam-life-second-half-centre": ("counselling", "social", "transition", "startup"),
    "sejong-shinjungnyeon-centre": ("counselling", "social", "training", "startup"),
    "busan-namgu-second-half-centre": ("lifeplan_course", "counselling", "training"),
    "incheon-donggu-life-second-half-centre": ("lifeplan_course", "training", "social"),
    # 민간
    "jobkorea": ("job_sites",),
    "saramin": ("job_sites",),
}

GOAL_ONLY_THEMES = {"startup": "startup", "rural": "rural_training", "social": "social"}


def themes_of(slug: str, goals: Sequence[str] = ()) -> tuple[str, ...]:
    """The themes of a service, strongest first (see the module docstring)."""
    known = THEMES.get(slug)
    if known is not None:
        return known
    if len(goals) == 1 and goals[0] in GOAL_ONLY_THEMES:
        return (GOAL_ONLY_THEMES[goals[0]],)
    return ()
