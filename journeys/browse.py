"""Guide maps to browse without a diagnosis (사전 가이드맵 미리 보기): by age band × goal, and
for 재직 / 구직 by status, each built by the same engine for a representative person and
ending in "내 상황에 맞게 만들기" → the self-diagnosis.

The representative person (docs/guide-map.md, "Browse without a diagnosis"): the band's
middle age (45, 55, 63), 자기개발필요형 (the report's path for someone who has not looked at
themselves yet: 1:1 상담 and self-understanding first), free at any time, no region (so
only nationwide services), no firm size (so no service with a firm-size rule). Nothing is
stored; two queries (active services, case stories) whatever the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from catalog.eligibility import facts_of
from catalog.models import Service
from core import vocabulary as vocab
from core.access import public
from journeys.display import (
    ILLUSTRATIVE_LABEL,
    STAGE_INTROS,
    STAGE_NAMES,
    case_views,
    parts_text,
    week_dates,
)
from journeys.matching import STAGES, PersonFacts, build_plan
from journeys.models import CaseStory
from journeys.services import case_facts

BAND_AGE = {"40s": 45, "50s": 55, "60s": 63}
BROWSE_STATUSES = ("jobseeker", "employed")  # the two situations the report's paths differ by
DEFAULT_STATUS = "jobseeker"
REPRESENTATIVE_TYPE = "self_development"
ALL_TIMES = tuple(vocab.codes(vocab.TIME_SLOTS))


@dataclass(frozen=True)
class BrowseStep:
    title: str
    service_slug: str
    reason: str
    start_week: int
    end_week: int


def representative(band: str, goal: str, status: str) -> PersonFacts:
    return PersonFacts(
        age=BAND_AGE[band], age_band=band, status=status, region="", goal=goal,
        availability=ALL_TIMES, type_code=REPRESENTATIVE_TYPE,
    )  # fmt: skip


@public
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "band": vocab.label_of(vocab.AGE_BANDS, band),
            "cells": [
                {"goal": vocab.label_of(vocab.GOALS, goal), "band_code": band, "goal_code": goal}
                for goal in vocab.codes(vocab.GOALS)
            ],
        }
        for band in BAND_AGE
    ]
    statuses = [{"code": s, "name": vocab.label_of(vocab.EMPLOYMENT_STATUSES, s)} for s in BROWSE_STATUSES]
    return render(request, "journeys/browse_index.html", {"rows": rows, "statuses": statuses, "default_status": DEFAULT_STATUS})


@public
@require_GET
def detail(request: HttpRequest, band: str, goal: str) -> HttpResponse:
    if band not in BAND_AGE or goal not in vocab.codes(vocab.GOALS):
        raise Http404
    chosen = request.GET.get("status", "")
    status = chosen if chosen in BROWSE_STATUSES else DEFAULT_STATUS
    # The diagnosis starts from what the reader chose here (its profile page preselects them).
    start_query = {"goal": goal, **({"status": chosen} if chosen in BROWSE_STATUSES else {})}
    today = timezone.localdate()
    services = {s.slug: s for s in Service.objects.filter(is_active=True)}
    stories = list(CaseStory.objects.all())
    draft = build_plan(representative(band, goal, status), [facts_of(s) for s in services.values()], [case_facts(c) for c in stories], today)
    english = (request.LANGUAGE_CODE or "ko")[:2] == "en"
    stages: list[dict[str, Any]] = []
    for number, code in enumerate(STAGES, start=1):
        steps = []
        for step in draft.in_stage(code):
            service = services[step.service]
            steps.append(BrowseStep(
                title=service.name_en if english and service.name_en else service.name_ko,
                service_slug=service.slug, reason=parts_text(step.reason_parts, step.reason), start_week=step.start_week, end_week=step.end_week,
            ))  # fmt: skip
        stages.append({"number": number, "name": STAGE_NAMES[code], "intro": STAGE_INTROS[code], "steps": steps})
    cases = case_views(stories, draft.cases)
    _first, end = week_dates(today, 1, max(draft.total_weeks, 1))
    context = {
        "band": band,
        "goal": goal,
        "status": status,
        "band_name": vocab.label_of(vocab.AGE_BANDS, band),
        "goal_name": vocab.label_of(vocab.GOALS, goal),
        "status_name": vocab.label_of(vocab.EMPLOYMENT_STATUSES, status),
        "statuses": [{"code": s, "name": vocab.label_of(vocab.EMPLOYMENT_STATUSES, s)} for s in BROWSE_STATUSES],
        "type_name": vocab.type_name(REPRESENTATIVE_TYPE),
        "stages": stages,
        "cases": cases,
        "total_weeks": draft.total_weeks,
        "illustrative_label": ILLUSTRATIVE_LABEL,
        "diagnosis_url": f"{reverse('diagnosis:step', args=[0])}?{urlencode(start_query)}",
    }
    return render(request, "journeys/browse_detail.html", context)
