"""Test data for the guide map. Plans are built through journeys.services, as in production."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from catalog.models import Service
from core import vocabulary as vocab
from core.tests.factories import StaffFactory, UserFactory  # noqa: F401 - re-exported for this app's tests
from diagnosis.models import Instrument, Result
from journeys.models import CaseStory


def current_instrument() -> Instrument:
    """The loaded instrument when reference data is there, else a minimal one."""
    instrument = Instrument.objects.filter(is_current=True).first()
    return instrument or InstrumentFactory.create()


class InstrumentFactory(DjangoModelFactory[Instrument]):
    class Meta:
        model = Instrument

    version = factory.Sequence(lambda n: f"test-{n}")
    title = "시험용 진단 도구"
    spec = factory.LazyFunction(lambda: {"types": [{"code": t.code, "name_ko": t.ko} for t in vocab.CAREER_TYPES], "scales": []})
    is_current = False


class ResultFactory(DjangoModelFactory[Result]):
    """A diagnosis result with a chosen type (the scoring itself is diagnosis's to test)."""

    class Meta:
        model = Result

    instrument = factory.LazyFunction(current_instrument)
    owner = None
    birth_year = 1971
    age_band = "50s"
    employment_status = "jobseeker"
    career_years = 25
    occupation = "clerical"
    region = "11"
    goal = "reemployment"
    availability = factory.LazyFunction(lambda: ["weekday_day", "evening"])
    answers = factory.LazyFunction(dict)
    type_code = "job_search"
    scale_scores = factory.LazyFunction(dict)
    details = factory.LazyFunction(dict)


class ServiceFactory(DjangoModelFactory[Service]):
    class Meta:
        model = Service

    slug = factory.Sequence(lambda n: f"test-service-{n}")
    name_ko = factory.Sequence(lambda n: f"시험용 서비스 {n}")
    kind = "agency"
    stages = factory.LazyFunction(lambda: ["act"])
    goals = factory.LazyFunction(lambda: ["reemployment"])
    delivery = "online"
    time_slots = factory.LazyFunction(lambda: ["anytime"])
    summary_ko = "시험용 서비스입니다."


class CaseStoryFactory(DjangoModelFactory[CaseStory]):
    class Meta:
        model = CaseStory

    slug = factory.Sequence(lambda n: f"test-case-{n}")
    title_ko = factory.Sequence(lambda n: f"시험용 사례 {n}")
    age_band = "50s"
    goal = "reemployment"
    career_types = factory.LazyFunction(lambda: ["job_search"])
    status = "jobseeker"
    outcome = "success"
    story_ko = "가상의 이야기입니다."
    lesson_ko = "배울 점입니다."


ALL_GOALS = ["reemployment", "startup", "rural", "social", "undecided"]


def basic_catalogue() -> dict[str, Service]:
    """The smallest catalogue that fills all four stages for anyone: the services open to
    everyone that a plan falls back on (1:1 상담, 고용24), the 생애경력설계 hub, after-care,
    and 잡코리아. Plans have no generic steps, so a test plan needs real services."""
    rows = [
        ("own-1on1-counselling", "1:1 상담", ["approach", "act", "manage"], ALL_GOALS, "offline", []),
        ("work24", "고용24", ["know", "act"], ["reemployment", "undecided"], "online", ["anytime"]),
        ("naeil-centre-lifecareer-design", "중장년내일센터 생애경력설계서비스", ["approach", "act"], ALL_GOALS, "both", []),
        ("own-aftercare", "사후관리 상담", ["manage"], ALL_GOALS, "offline", []),
        ("jobkorea", "잡코리아", ["act"], ["reemployment"], "online", ["anytime"]),
    ]
    return {
        slug: ServiceFactory.create(slug=slug, name_ko=name, kind="own", stages=stages, goals=goals, delivery=delivery, time_slots=slots)
        for slug, name, stages, goals, delivery, slots in rows
    }
