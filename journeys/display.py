"""What a stored plan looks like to a reader: stages with their steps and calendar dates,
and the case stories. Shared by the web page, the PDF, the calendar file and the API, so
all four say the same thing. Reads a fixed number of queries whatever the plan's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.models import Service
from core import availability as hours
from core import vocabulary as vocab
from core.fragments import fragment
from core.localize import is_english, localized
from counselling.models import AgreedStep
from counselling.plan_steps import agreed_steps_of
from journeys import restart
from journeys.matching import STAGES, ReasonParts, Wording, say, week_dates
from journeys.models import CaseStory, Plan, PlanStep
from programmes import relax
from programmes.models import Programme, Session
from programmes.queries import SessionFilters, upcoming_sessions

STAGE_NAMES: dict[str, Promise] = {term.code: term.label for term in vocab.STAGES}
STAGE_INTROS: dict[str, Promise] = {
    "know": _("지금의 나를 돌아보고, 무엇이 필요한지 알아보는 단계입니다."),
    "approach": _("생애경력설계 과정과 상담으로 앞으로의 길을 계획하는 단계입니다."),
    "act": _("계획에 맞는 연계 서비스를 실제로 이용하는 단계입니다."),
    "manage": _("계획대로 되고 있는지 점검하고, 필요하면 다시 계획을 세우는 단계입니다."),
}
ILLUSTRATIVE_LABEL = _("실제 인물이 아닌 이해를 돕기 위한 가상 사례입니다.")

# The provider's own services (catalog kind "own") that run as programme sessions, and the
# extra session-search filters each one adds (programmes.forms.SessionSearchForm fields).
# {} means every session programme; mode "online_live" means the service itself is online,
# so the person's region is not used and no separate online link is shown.
ONLINE_LIVE = "online_live"
SESSION_SEARCH: dict[str, dict[str, str]] = {
    "naeil-centre-lifecareer-design": {},
    "naeil-centre-transition-support": {},
    "career-planning-1on1": {"programme": "career-planning-1-career-diagnosis"},
    "own-1on1-counselling": {"programme": "career-planning-1-career-diagnosis"},
    "lifecareer-online-video": {"mode": ONLINE_LIVE},
}


def _english() -> bool:
    return is_english()


def _number(n: int) -> str:
    return formats.number_format(n, force_grouping=True)


def _english_list(names: Iterable[str]) -> str:
    return ", ".join(name[:1].lower() + name[1:] for name in names)


def wording() -> Wording:
    """How the guide map's reasons are said in the active language."""
    if _english():
        return Wording(translate=gettext, number=_number, summary=hours.summary, join=_english_list, capitalise=True)
    return Wording(translate=gettext, number=_number, summary=hours.summary)


def reason_text(step: PlanStep) -> str:
    """The step's reason in the active language (the page, the PDF, the calendar file and
    the API). Plans made before reasons were kept as data have only the Korean sentence."""
    return parts_text(step.reason_parts, step.reason)


def parts_text(parts: Mapping[str, Any], korean: str) -> str:
    """`parts` (a ReasonParts, stored as JSON) said in the active language, or `korean`
    when there are none."""
    if not parts:
        return korean
    return say(cast(ReasonParts, parts), wording())


# How many sessions a step lists as the closest options when none fits the person's hours.
CLOSEST_LIMIT = 3


@dataclass(frozen=True)
class SessionFit:
    """Upcoming sessions of a step, held against the person's hours (core.availability.fits):
    how many fit wholly, and when none does, the closest ones (those that fit in part)."""

    fitting: int
    total: int = 0  # upcoming sessions of the step at all (none: the search page says what to do)
    closest: list[Session] = field(default_factory=list)
    evenings_url: str = ""  # the same search at 평일 저녁, for people who could try evenings


@dataclass(frozen=True)
class StepView:
    step: PlanStep
    title: str
    service_slug: str | None
    start: date
    end: date
    sessions_url: str | None = None  # "나에게 맞는 교육 일정 찾기"
    online_url: str | None = None  # "온라인으로 참여하기"
    session_fit: SessionFit | None = None
    sessions_outcome: str = relax.EXACT  # what sessions_url shows (programmes.relax)
    reason: str = ""  # in the reader's language (reason_text)

    @property
    def position(self) -> int:
        return self.step.position

    @property
    def start_week(self) -> int:
        return self.step.start_week

    @property
    def end_week(self) -> int:
        return self.step.start_week + self.step.duration_weeks - 1

    @property
    def done(self) -> bool:
        return self.step.done_at is not None


@dataclass(frozen=True)
class StageView:
    code: str
    number: int
    name: str
    intro: str
    steps: list[StepView]


@dataclass(frozen=True)
class CaseView:
    story: CaseStory
    title: str
    story_text: str
    lesson: str
    success: bool


def case_views(stories: Iterable[CaseStory], slugs: Iterable[str]) -> list[CaseView]:
    """The case stories named by `slugs`, in that order and in the page's language."""
    by_slug = {c.slug: c for c in stories}
    en = _english()
    return [
        CaseView(
            story=c,
            title=c.title_en if en and c.title_en else c.title_ko,
            story_text=c.story_en if en and c.story_en else c.story_ko,
            lesson=c.lesson_en if en and c.lesson_en else c.lesson_ko,
            success=c.outcome == "success",
        )
        for slug in slugs
        if (c := by_slug.get(slug)) is not None
    ]


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    stages: list[StageView]
    cases: list[CaseView]
    end_date: date
    total_weeks: int
    type_name: str
    goal_name: str
    availability: list[str]
    # Steps agreed with a counsellor (counselling app): the person's own, read-only here.
    agreed_steps: list[AgreedStep] = field(default_factory=list)
    # 다시 시작하기: what changed since the superseded plan, in the reader's language.
    changes: list[str] = field(default_factory=list)

    @property
    def months(self) -> int:
        return max(1, round(self.total_weeks / 4.345))


def step_title(step: PlanStep) -> str:
    service = step.service
    if service is None:
        return step.title
    return localized(service, "name")


def who_filters(age_band: str, status: str, firm_size: str = "") -> dict[str, str]:
    """The session search's "나에게 맞는 과정만" filters for a person, so a plan's links list
    only sessions of programmes open to them (programmes.eligibility)."""
    who = {"for_band": age_band, "for_status": status, "for_firm": firm_size}
    return {key: value for key, value in who.items() if value}


def session_searches(
    service: Service | None, region: str, availability: list[str], who: dict[str, str] | None = None
) -> tuple[SessionFilters | None, SessionFilters | None]:
    """(matching sessions, online-live sessions) searches for a step, or None. Pure
    Python: no query. The online search is offered to people who cannot come on weekdays
    during the day; `who` (`who_filters`) keeps the sessions to programmes the person may
    join."""
    if service is None or not service.is_active or service.kind != "own" or service.slug not in SESSION_SEARCH:
        return None, None
    extra = {**SESSION_SEARCH[service.slug], **(who or {})}
    slots = [code for code in vocab.codes(vocab.TIME_SLOTS) if hours.overlaps(availability, [code])]
    when = {"time_of_day": slots[0]} if slots else {}
    if extra.get("mode") == ONLINE_LIVE:
        return SessionFilters.of({**extra, **when}), None
    where = {"region": region} if region else {}
    matching = SessionFilters.of({**where, **when, **extra})
    online = None
    if not hours.overlaps(availability, ["weekday_day"]):
        online = SessionFilters.of({**when, **extra, "mode": ONLINE_LIVE})
    return matching, online


def search_url(filters: SessionFilters | None, outcome: str = relax.EXACT) -> str | None:
    """The session-search URL for `filters`; when it finds nothing, the URL points at the
    part of that page that helps instead (alternatives, or the 개설 희망 form)."""
    if filters is None:
        return None
    url = f"{reverse('programmes:session_search')}?{urlencode(filters.query())}"
    anchor = {relax.NEAREST: "#alternatives", relax.DEMAND: "#demand"}.get(outcome, "")
    return url + anchor


def session_links(
    service: Service | None, region: str, availability: list[str], who: dict[str, str] | None = None
) -> tuple[str | None, str | None]:
    """(matching sessions, online-live sessions) search URLs for a step, or None (no query)."""
    matching, online = session_searches(service, region, availability, who)
    return search_url(matching), search_url(online)


def _wants_sessions(service: Service | None) -> bool:
    return service is not None and service.is_active and service.kind == "own" and service.slug in SESSION_SEARCH


@dataclass(frozen=True)
class Candidate:
    """What `session_fit` reads of an upcoming session, and what a closest option shows."""

    pk: int
    programme_slug: str
    mode: str
    region: str
    starts_at: datetime
    ends_at: datetime
    name_ko: str
    name_en: str

    def session(self) -> Session:
        """An unsaved session with what the closest options show (no query)."""
        programme = Programme(slug=self.programme_slug, name_ko=self.name_ko, name_en=self.name_en)
        return Session(pk=self.pk, programme=programme, mode=self.mode, region=self.region, starts_at=self.starts_at, ends_at=self.ends_at)


def _candidate_sessions(region: str, services: Iterable[Service | None]) -> list[Candidate]:
    """Upcoming public sessions a plan's steps may point to: in the person's region or
    online, of the programmes the steps name (all of them if one step names none).

    Reference data (scope "programmes" of core.fragments, bumped by programmes.signals on
    every change of a session, programme or centre), kept per process and per (region,
    programmes) like the session search's `listed_sessions`: one query when not kept yet,
    none for a plan without session steps; a session that has started since is dropped here."""
    wanted = [SESSION_SEARCH[s.slug] for s in services if s is not None and _wants_sessions(s)]
    if not wanted:
        return []
    slugs = tuple(sorted({w["programme"] for w in wanted if w.get("programme")}))
    every = any(not w.get("programme") for w in wanted)
    online_only = all(w.get("mode") == ONLINE_LIVE for w in wanted)
    key = ("all" if every else ",".join(slugs), region, online_only)

    def build() -> list[Candidate]:
        where = Q(mode=ONLINE_LIVE) | Q(region=region) if region and not online_only else Q(mode=ONLINE_LIVE)
        found = upcoming_sessions().filter(where)
        if not every:
            found = found.filter(programme__slug__in=slugs)
        rows = found.order_by("starts_at", "pk").values_list(
            "pk", "programme__slug", "mode", "region", "starts_at", "ends_at", "programme__name_ko", "programme__name_en"
        )[:200]
        return [Candidate(*row) for row in rows]

    now = timezone.now()
    return [c for c in fragment("programmes", "plan-candidates", *key, build=build) if c.starts_at > now]


def session_fit(service: Service | None, region: str, availability: list[str], sessions: list[Candidate]) -> SessionFit | None:
    """How the step's upcoming sessions fit the person's hours, or None for a step without
    sessions. A 10:00-16:00 weekday session does not fit someone free 10:00-14:00."""
    if service is None or not _wants_sessions(service):
        return None
    extra = SESSION_SEARCH[service.slug]
    mine = [
        s for s in sessions
        if (not extra.get("programme") or s.programme_slug == extra["programme"])
        and (s.mode == ONLINE_LIVE if extra.get("mode") == ONLINE_LIVE else s.region == region or s.mode == ONLINE_LIVE)
    ]
    fits = [hours.fits_span(availability, s.starts_at, s.ends_at) for s in mine]
    closest = [s.session() for s, fit in zip(mine, fits, strict=True) if fit is hours.Fit.PARTLY][:CLOSEST_LIMIT]
    base = reverse("programmes:session_search")
    evenings = f"{base}?{urlencode({**({'region': region} if region else {}), 'time_of_day': 'evening', **extra})}"
    return SessionFit(fitting=sum(fit is hours.Fit.FITS for fit in fits), total=len(mine), closest=closest, evenings_url=evenings)


# What the readers of a plan use of a step and its service (plan_view, the page, PDF, calendar file, API).
STEP_FIELDS = (
    "plan", "position", "stage", "theme", "service", "title", "reason", "reason_parts", "start_week",
    "duration_weeks", "done_at", "carried_from",
    "service__slug", "service__name_ko", "service__name_en", "service__kind", "service__is_active",
)


# Steps whose service is counselling: the page offers "상담 예약하기" beside them.
BOOKS_COUNSELLING = frozenset({"own-1on1-counselling", "career-planning-1on1", "own-aftercare"})


@dataclass(frozen=True)
class StepPage:
    """A step as the web page shows it: what its <li> used ~20 template tags and filters for
    (week range, dates, links, the peers' figure), said once here. The dates and words are
    the ones the tags made (the active language's DATE_FORMAT and MONTH_DAY_FORMAT, the same
    messages)."""

    step: PlanStep
    title: str
    position: int
    done: bool
    reason: str
    when: str  # "3주차" or "3주차–5주차"
    start_iso: str
    start_text: str
    end_iso: str
    end_text: str
    service_url: str  # the catalogue page of the step's service, or ""
    toggle_url: str
    books_counselling: bool
    peer: Any  # insights.services.PeerOutcome | None
    sessions_url: str | None
    online_url: str | None
    session_fit: SessionFit | None
    sessions_outcome: str


def page_stages(view: PlanView) -> list[dict[str, Any]]:
    """The stages with their steps as the web page shows them (StepPage): each URL pattern
    reversed once, the peers' figures read once (one query, when a step names a service)."""
    from insights.models import PeerCell
    from insights.services import peer_outcomes

    plan, result = view.plan, view.plan.result
    steps = [v for stage in view.stages for v in stage.steps]
    peers = (
        peer_outcomes(result.age_band, result.employment_status, result.goal, PeerCell.Kind.SERVICE)
        if any(v.step.service_id is not None for v in steps)
        else {}
    )
    # The URL patterns reversed once with a marker, then filled in per step (slugs and
    # positions are URL-safe as they are).
    catalog_url = reverse("catalog:detail", args=["__slug__"])
    toggle_url = reverse("journeys:toggle-step", args=[plan.public_id, 0]).removesuffix("/0/") + "/{}/"
    date_format = formats.get_format("DATE_FORMAT")
    month_day_format = formats.get_format("MONTH_DAY_FORMAT")
    one_week, weeks = gettext("%(a)s주차"), gettext("%(a)s주차–%(b)s주차")

    def page(v: StepView) -> StepPage:
        return StepPage(
            step=v.step,
            title=v.title,
            position=v.position,
            done=v.done,
            reason=v.reason,
            when=one_week % {"a": v.start_week} if v.start_week == v.end_week else weeks % {"a": v.start_week, "b": v.end_week},
            start_iso=v.start.isoformat(),
            start_text=dateformat.format(v.start, date_format),
            end_iso=v.end.isoformat(),
            end_text=dateformat.format(v.end, month_day_format),
            service_url=catalog_url.replace("__slug__", v.service_slug) if v.service_slug else "",
            toggle_url=toggle_url.format(v.position),
            books_counselling=v.service_slug in BOOKS_COUNSELLING,
            peer=peers.get(v.step.service_id) if v.step.service_id is not None else None,
            sessions_url=v.sessions_url,
            online_url=v.online_url,
            session_fit=v.session_fit,
            sessions_outcome=v.sessions_outcome,
        )

    return [
        {"code": st.code, "number": st.number, "name": st.name, "intro": st.intro, "steps": [page(v) for v in st.steps]}
        for st in view.stages
    ]


def plan_view(plan: Plan) -> PlanView:
    """The steps with their services, the upcoming sessions the steps may point to (held
    against the person's hours), the case stories (the plan must come from access_plan,
    which already joined the result and its instrument), and what each session link will
    find (programmes.relax): a fixed number of queries whatever the plan."""
    # The service's name and what decides its session links; not its JSON lists and texts,
    # which would be decoded per step for nothing (a deferred one read later is one query
    # more: tests/test_query_budget.py counts it).
    steps = list(plan.steps.select_related("service").only(*STEP_FIELDS).order_by("position"))
    result = plan.result
    availability = list(result.availability or [])
    sessions = _candidate_sessions(result.region, (step.service for step in steps))
    who = who_filters(result.age_band, result.employment_status, result.firm_size)
    searches = {step.pk: session_searches(step.service, result.region, availability, who) for step in steps}
    wanted = [f for pair in searches.values() for f in pair if f is not None]
    outcome: dict[SessionFilters | None, str] = dict(zip(wanted, relax.outcomes(wanted), strict=True))
    views = []
    for step in steps:
        start, end = week_dates(plan.start_date, step.start_week, step.duration_weeks)
        slug = step.service.slug if step.service is not None and step.service.is_active else None
        matching, online = searches[step.pk]
        views.append(
            StepView(
                step=step,
                title=step_title(step),
                reason=reason_text(step),
                service_slug=slug,
                start=start,
                end=end,
                sessions_url=search_url(matching, outcome.get(matching, relax.EXACT)),
                online_url=search_url(online, outcome.get(online, relax.EXACT)),
                sessions_outcome=outcome.get(matching, relax.EXACT),
                session_fit=session_fit(step.service, result.region, availability, sessions) if matching else None,
            )
        )
    stages = [
        StageView(
            code=code,
            number=number,
            name=str(STAGE_NAMES[code]),
            intro=str(STAGE_INTROS[code]),
            steps=[v for v in views if v.step.stage == code],
        )
        for number, code in enumerate(STAGES, start=1)
    ]
    cases = case_views(CaseStory.objects.filter(slug__in=list(plan.cases or [])), plan.cases or [])
    total_weeks = max((v.end_week for v in views), default=0)
    return PlanView(
        plan=plan,
        stages=stages,
        cases=cases,
        end_date=max((v.end for v in views), default=plan.start_date),
        total_weeks=total_weeks,
        type_name=vocab.type_name(result.type_code),
        goal_name=vocab.label_of(vocab.GOALS, result.goal),
        availability=hours.labels(result.availability or []),
        agreed_steps=agreed_steps_of(plan.owner_id),
        changes=[restart.change_text(restart.Change.from_data(c)) for c in plan.changes or []],
    )
