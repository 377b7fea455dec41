"""A small cohort with a known funnel, built through the ordinary models and factories."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.utils import timezone

from aftercare.models import CheckIn
from core.tests.factories import UserFactory
from counselling.models import Booking, BookingStatus
from counselling.tests.factories import BookingFactory, slot
from diagnosis.models import Result
from journeys.models import Plan, PlanStatus, PlanStep
from journeys.tests.factories import ResultFactory
from outcomes.models import Outcome
from programmes import services as programme_services
from programmes.models import Centre, Enrolment
from programmes.tests.factories import CentreFactory, ProgrammeFactory, session

_days = itertools.count(1)


@dataclass
class Cohort:
    centre: Centre
    other_centre: Centre
    expected_stage: dict[int, int] = field(default_factory=dict)  # result id → furthest stage
    people: list[User] = field(default_factory=list)


def result(owner: User | None, *, days_ago: int = 40, **fields: str) -> Result:
    made = ResultFactory.create(owner=owner, **fields)
    Result.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    made.refresh_from_db()
    return made


def plan(r: Result, *, step_done: bool = False, status: str = PlanStatus.ACTIVE, ended: dt.datetime | None = None) -> Plan:
    p = Plan.objects.create(result=r, owner=r.owner, start_date=timezone.localdate())
    PlanStep.objects.create(
        plan=p, position=1, stage="know", title="알아보기", reason="r", start_week=1, duration_weeks=1,
        done_at=timezone.now() if step_done else None,
    )
    if status != PlanStatus.ACTIVE:
        Plan.objects.filter(pk=p.pk).update(status=status, ended_at=ended or timezone.now())
    return p


def enrol(person: User, centre: Centre, *, attended: bool | None = None) -> Enrolment:
    programme = ProgrammeFactory.create(audience="all", age_band="", tier="", track="other")
    place = programme_services.enrol(session(programme=programme, centre=centre, capacity=30).pk, person)
    if attended is not None:
        Enrolment.objects.filter(pk=place.pk).update(attended=attended)
    return place


def book(person: User, centre: Centre, *, attended: bool = False) -> Booking:
    made = BookingFactory.create(citizen=person, slot=slot(centre=centre, starts_at=timezone.now() + dt.timedelta(days=next(_days))))
    if attended:
        Booking.objects.filter(pk=made.pk).update(status=BookingStatus.ATTENDED)
    return made


def answer_checkin(person: User) -> CheckIn:
    return CheckIn.objects.create(
        citizen=person, anchor_kind="plan_act_end", anchor_date=timezone.localdate(), month=1, due_on=timezone.localdate(),
        nonce=secrets.token_hex(8), token_hash=secrets.token_hex(32), answered_at=timezone.now(), situation="employed", satisfaction=4,
    )


def outcome(person: User, *, on: dt.date | None = None, kind: str = "employed") -> Outcome:
    return Outcome.objects.create(
        citizen=person, kind=kind, contract="regular" if kind == "employed" else "", on_date=on or timezone.localdate(), source="self"
    )


def build() -> Cohort:
    """Ten diagnosis results with a hand-counted furthest stage each (see docs/insights.md):
    0 diagnosed · 1 plan · 2 step done · 3 enrolment/booking · 4 completed · 5 check-in · 6 outcome."""
    c = Cohort(centre=CentreFactory.create(region="11"), other_centre=CentreFactory.create(region="26"))
    exp = c.expected_stage

    a = result(None)  # anonymous, no plan
    exp[a.pk] = 0
    b = result(None)  # anonymous with a plan
    plan(b)
    exp[b.pk] = 1

    def person() -> User:
        u = UserFactory.create()
        c.people.append(u)
        return u

    cu = person()
    cr = result(cu)
    plan(cr, step_done=True)
    exp[cr.pk] = 2

    du = person()
    dr = result(du, goal="startup")
    plan(dr, step_done=True)
    enrol(du, c.centre)  # enrolled, not (yet) attended
    exp[dr.pk] = 3

    eu = person()
    er = result(eu, goal="startup")
    plan(er, step_done=True)
    enrol(eu, c.centre, attended=True)
    exp[er.pk] = 4

    fu = person()
    fr = result(fu)
    plan(fr, step_done=True)
    book(fu, c.other_centre, attended=True)
    answer_checkin(fu)
    exp[fr.pk] = 5

    gu = person()
    gr = result(gu, age_band="60s")
    plan(gr, step_done=True)
    book(gu, c.centre, attended=True)
    answer_checkin(gu)
    outcome(gu)
    exp[gr.pk] = 6

    hu = person()  # booked without a plan: the funnel counts consecutive stages only
    hr = result(hu)
    book(hu, c.centre, attended=True)
    exp[hr.pk] = 0

    iu = person()  # two diagnoses: what came after the second is the second's
    first = result(iu, days_ago=60)
    plan(first, step_done=True)
    second = result(iu, days_ago=10)
    enrol(iu, c.centre, attended=True)
    exp[first.pk] = 2
    exp[second.pk] = 0
    return c
