"""Who may use a service: a pure function over a service's facts (no database).

The guide map (journeys) imports this to pick services for a person:

    from catalog.eligibility import facts_of, is_eligible
    ok = is_eligible(facts_of(service), age=52, status="jobseeker", region="11")

Rules: the age is within [age_min, age_max] where they are set; the status is one of
`statuses` unless that list is empty (open to every status) — someone already retired
(`retired`) is also served by what is open to job-seekers (`SERVED_AS`); the region is one of
`regions` unless that list is empty (nationwide). Goal, stage and delivery are
preferences, not eligibility, so they are left to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from catalog.models import Service


@dataclass(frozen=True)
class ServiceFacts:
    slug: str
    kind: str
    stages: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    statuses: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    delivery: str = "both"
    time_slots: tuple[str, ...] = ()
    duration_weeks: int | None = None


def facts_of(service: Service) -> ServiceFacts:
    return ServiceFacts(
        slug=service.slug,
        kind=service.kind,
        stages=tuple(service.stages or ()),
        goals=tuple(service.goals or ()),
        age_min=service.age_min,
        age_max=service.age_max,
        statuses=tuple(service.statuses or ()),
        regions=tuple(service.regions or ()),
        delivery=service.delivery,
        time_slots=tuple(service.time_slots or ()),
        duration_weeks=service.duration_weeks,
    )


# Statuses a person is also served as. Someone who has already left work registers as a
# job-seeker at 고용센터 and 중장년내일센터, so every service open to job-seekers is open to
# them; services only for people still at work (재직, 퇴직 예정) are not.
SERVED_AS: dict[str, tuple[str, ...]] = {"retired": ("retired", "jobseeker")}


def is_eligible(service: ServiceFacts, *, age: int, status: str, region: str) -> bool:
    if service.age_min is not None and age < service.age_min:
        return False
    if service.age_max is not None and age > service.age_max:
        return False
    if service.statuses and not set(SERVED_AS.get(status, (status,))) & set(service.statuses):
        return False
    return not (service.regions and region not in service.regions)
