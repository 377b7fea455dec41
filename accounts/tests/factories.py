"""Test data built through the same actions production uses where they exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts import consents, services
from core.tests.factories import NATIONAL_OPERATOR, grant_all
from diagnosis import services as diagnosis_services
from diagnosis.models import Instrument, Result
from diagnosis.tests.helpers import VALID_PROFILE, all_answers
from journeys.models import Plan, PlanStep

PASSWORD = "Gyeongnyeok-2026!plan"


def citizen(email: str = "person@example.com", password: str = PASSWORD, optional: dict[str, bool] | None = None) -> User:
    """A signed-up person: account plus consent rows, through services.sign_up."""
    return services.sign_up(email=email, password=password, text=consents.current_text(), optional=optional or {})


class StaffFactory(DjangoModelFactory[User]):
    """A staff account made by an administrator (not through sign-up): by default a
    national programme operator; `StaffFactory(roles=[(Role.LEAD, centre)])` for others."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"counsellor{n}@lifecareer.example")
    email = factory.SelfAttribute("username")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            grant_all(self, NATIONAL_OPERATOR if extracted is None else extracted)  # type: ignore[arg-type]  # self is the User made


def result(instrument: Instrument, *, owner: User | None = None, value: int = 4, at: dt.datetime | None = None, **answers: int) -> Result:
    """A scored diagnosis result via diagnosis.services.create_result (optionally at a given time)."""
    data = {**all_answers(instrument, value), **answers}
    if at is None:
        return diagnosis_services.create_result(instrument, VALID_PROFILE, data, owner=owner)
    with time_machine.travel(at, tick=False):
        return diagnosis_services.create_result(instrument, VALID_PROFILE, data, owner=owner)


class PlanFactory(DjangoModelFactory[Plan]):
    class Meta:
        model = Plan

    result: Any = None
    owner: Any = factory.SelfAttribute("result.owner")
    start_date = factory.LazyFunction(timezone.localdate)


class PlanStepFactory(DjangoModelFactory[PlanStep]):
    class Meta:
        model = PlanStep

    plan: Any = None
    position = factory.Sequence(lambda n: n + 1)
    stage = "know"
    title = factory.Sequence(lambda n: f"할 일 {n + 1}")
    reason = "테스트용 추천 이유"
    start_week = 1
    duration_weeks = 2


def plan(result: Result, *, owner: User | None = None, steps: int = 3) -> Plan:
    """A guide map with `steps` steps, as the journeys app would build it."""
    built = PlanFactory.create(result=result, owner=owner if owner is not None else result.owner)
    for position in range(1, steps + 1):
        PlanStepFactory.create(plan=built, position=position, title=f"할 일 {position}")
    return built
