from __future__ import annotations

from typing import Any

import factory

from catalog import services
from catalog.models import Service
from core.tests.factories import StaffFactory, UserFactory  # noqa: F401 - re-exported for this app's tests


def service_values(**overrides: Any) -> dict[str, Any]:
    n = overrides.pop("n", 0)
    values: dict[str, Any] = {
        "slug": f"service-{n}",
        "name_ko": f"테스트 서비스 {n}",
        "operator_ko": "테스트 운영 기관",
        "kind": "agency",
        "stages": ["act"],
        "goals": ["reemployment"],
        "delivery": "offline",
        "summary_ko": "중장년을 위한 시험용 서비스입니다.",
    }
    values.update(overrides)
    return values


class ServiceFactory(factory.django.DjangoModelFactory[Service]):
    """Builds services through the real action, so derived columns are as in production."""

    class Meta:
        model = Service

    slug = factory.Sequence(lambda n: f"service-{n}")
    name_ko = factory.Sequence(lambda n: f"테스트 서비스 {n}")
    operator_ko = "테스트 운영 기관"
    kind = "agency"
    stages = factory.LazyFunction(lambda: ["act"])
    goals = factory.LazyFunction(lambda: ["reemployment"])
    delivery = "offline"
    summary_ko = "중장년을 위한 시험용 서비스입니다."

    @classmethod
    def _create(cls, model_class: type[Service], *args: Any, **kwargs: Any) -> Service:
        return services.create_service(kwargs, by=None)


def bulk_services(count: int, start: int = 0) -> list[Service]:
    """Many services at once (bulk_create), with the derived columns filled in."""
    rows = []
    for n in range(start, start + count):
        s = Service(**service_values(n=n, goals=["reemployment", "startup"], regions=["11"] if n % 2 else []))
        for name, value in services.derived_values(s).items():
            setattr(s, name, value)
        rows.append(s)
    return Service.objects.bulk_create(rows, batch_size=500)
