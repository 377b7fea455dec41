"""The real reference data as the engine's facts, read from the repository files (no database)."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from catalog.eligibility import ServiceFacts
from journeys.matching import CaseFacts, PersonFacts

REPO = Path(__file__).resolve().parents[2]
SERVICES_JSON = REPO / "catalog" / "fixtures_data" / "services.json"
CASES_JSON = REPO / "journeys" / "fixtures_data" / "cases.json"


def facts(**values: Any) -> ServiceFacts:
    """ServiceFacts from keyword values, lists turned into tuples."""
    converted: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return ServiceFacts(**converted)


@functools.cache
def service_records() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(SERVICES_JSON.read_text(encoding="utf-8"))["services"])


@functools.cache
def real_services() -> tuple[ServiceFacts, ...]:
    fields = ServiceFacts.__dataclass_fields__
    return tuple(
        facts(**{k: (v or [] if k in {"stages", "goals", "statuses", "regions", "time_slots"} else v) for k, v in r.items() if k in fields})
        for r in service_records()
        if r.get("is_active", True)
    )


@functools.cache
def real_cases() -> tuple[CaseFacts, ...]:
    records = json.loads(CASES_JSON.read_text(encoding="utf-8"))["cases"]
    return tuple(
        CaseFacts(slug=c["slug"], age_band=c["age_band"], goal=c["goal"], career_types=tuple(c["career_types"]), outcome=c["outcome"], status=c.get("status", ""))
        for c in records
    )


def by_slug() -> dict[str, ServiceFacts]:
    return {s.slug: s for s in real_services()}


def person(**overrides: Any) -> PersonFacts:
    values: dict[str, Any] = {
        "age": 55,
        "age_band": "50s",
        "status": "jobseeker",
        "region": "11",
        "goal": "reemployment",
        "availability": ("weekday_day", "evening"),
        "type_code": "job_search",
        "scale_scores": {},
    }
    values.update(overrides)
    if isinstance(values["availability"], list):
        values["availability"] = tuple(values["availability"])
    return PersonFacts(**values)
