"""Service.clean(): what the admin and the reference loader refuse, each with its Korean reason."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from catalog.models import CatalogueRelease
from catalog.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def _errors(**fields: object) -> dict[str, list[str]]:
    service = ServiceFactory.build(**fields)
    with pytest.raises(ValidationError) as caught:
        service.clean()
    return caught.value.message_dict


def test_a_firm_size_ceiling_below_its_floor_is_refused() -> None:
    assert "상한이 하한보다 작습니다" in _errors(firm_size_min=300, firm_size_max=50)["firm_size_max"][0]


def test_a_list_field_that_is_not_a_list_is_refused() -> None:
    assert _errors(goals="reemployment")["goals"] == ["목록 형식이어야 합니다."]


def test_sources_that_are_not_a_list_are_refused() -> None:
    assert _errors(sources="https://example.org")["sources"] == ["목록 형식이어야 합니다."]


def test_a_catalogue_release_reads_as_its_label() -> None:
    assert str(CatalogueRelease(label="2026.12+abc1234", version="2026.12")) == "2026.12+abc1234"
