"""Who may use a service: a pure function over a service's facts (no database).

The guide map (journeys) imports this to pick services for a person, and the programmes
app uses the same function for the sessions a plan links to and for enrolment:

    from catalog.eligibility import facts_of, is_eligible
    ok = is_eligible(facts_of(service), age=52, status="employed", region="11", firm_size="under_300")

Rules, all of which must hold:

- **age** within [age_min, age_max] where they are set;
- **status** one of `statuses` unless that list is empty (open to every status) — someone
  already retired (`retired`) is also served by what is open to job-seekers (`SERVED_AS`);
- **region** one of `regions` unless that list is empty (nationwide);
- **firm size** (size of the person's employer) within [firm_size_min, firm_size_max]
  where either is set. Such a service is only for people who work for an employer, and only
  when they told us the size: an unanswered or "잘 모르겠음" size cannot show that the rule
  holds, so the service is left out (the careful reading: never offer what may not be open);
- **audiences** (groups the service is made for), each one that is set must fit the person:
  `career_break_women` — the person is back from a career break (we never ask gender: least
  data; the plan's wording names the group so the person can judge); `new_farmers` — the
  person is heading for 귀농·귀촌 (the group they will join; the plan says "귀농한 뒤 5년
  안"); `experienced_professionals` — the person has worked (career years > 0 and an
  occupation other than "none"); `employers` — never a person (the employer applies).

Goal, stage and delivery are preferences, not eligibility, so they are left to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core import vocabulary as vocab

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
    audiences: tuple[str, ...] = ()
    firm_size_min: int | None = None
    firm_size_max: int | None = None


@dataclass(frozen=True)
class Who:
    """The facts about a person that eligibility reads."""

    age: int
    status: str
    region: str = ""
    firm_size: str = ""  # vocab.FIRM_SIZES code, "" when not asked or not answered
    goal: str = ""
    experienced: bool = True  # has worked: career years > 0 and an occupation


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
        audiences=tuple(service.audiences or ()),
        firm_size_min=service.firm_size_min,
        firm_size_max=service.firm_size_max,
    )


# Statuses a person is also served as. Someone who has already left work registers as a
# job-seeker at 고용센터 and 중장년내일센터, so every service open to job-seekers is open to
# them; services only for people still at work (재직, 퇴직 예정) are not.
SERVED_AS: dict[str, tuple[str, ...]] = {"retired": ("retired", "jobseeker")}


def fits_firm_size(service: ServiceFacts, who: Who) -> bool:
    if service.firm_size_min is None and service.firm_size_max is None:
        return True
    if who.status not in vocab.EMPLOYEE_STATUSES or who.firm_size not in vocab.FIRM_SIZE_RANGES:
        return False
    low, high = vocab.FIRM_SIZE_RANGES[who.firm_size]
    if service.firm_size_min is not None and low < service.firm_size_min:
        return False
    return not (service.firm_size_max is not None and (high is None or high > service.firm_size_max))


def in_audience(audience: str, who: Who) -> bool:
    if audience == "career_break_women":
        return who.status == "career_break"
    if audience == "new_farmers":
        return who.goal == "rural"
    if audience == "experienced_professionals":
        return who.experienced
    return False  # "employers" and any group we cannot check


def is_eligible(
    service: ServiceFacts,
    *,
    age: int,
    status: str,
    region: str,
    firm_size: str = "",
    goal: str = "",
    experienced: bool = True,
) -> bool:
    who = Who(age=age, status=status, region=region, firm_size=firm_size, goal=goal, experienced=experienced)
    if service.age_min is not None and who.age < service.age_min:
        return False
    if service.age_max is not None and who.age > service.age_max:
        return False
    if service.statuses and not set(SERVED_AS.get(who.status, (who.status,))) & set(service.statuses):
        return False
    if service.regions and who.region not in service.regions:
        return False
    if not fits_firm_size(service, who):
        return False
    return all(in_audience(audience, who) for audience in service.audiences)
