"""The operators' screens: staff only, Korean validation, change history."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Service
from catalog.tests.factories import ServiceFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service() -> Service:
    return ServiceFactory.create(slug="polytech", name_ko="폴리텍 신중년 특화과정", age_min=40, goals=["reemployment"])


@pytest.fixture
def operator_client(client: Client) -> Client:
    client.force_login(StaffFactory.create(username="operator"))
    return client


def staff_urls() -> list[str]:
    return [
        reverse("catalog:staff-list"),
        reverse("catalog:staff-new"),
        reverse("catalog:staff-edit", args=["polytech"]),
        reverse("catalog:staff-history", args=["polytech"]),
    ]


def form_data(service: Service, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_ko": service.name_ko,
        "name_en": service.name_en,
        "operator_ko": service.operator_ko,
        "kind": service.kind,
        "stages": service.stages,
        "goals": service.goals,
        "age_min": service.age_min or "",
        "age_max": service.age_max or "",
        "statuses": service.statuses,
        "regions": service.regions,
        "delivery": service.delivery,
        "time_slots": service.time_slots,
        "cost_ko": service.cost_ko,
        "duration_ko": service.duration_ko,
        "duration_weeks": service.duration_weeks or "",
        "summary_ko": service.summary_ko,
        "summary_en": service.summary_en,
        "how_to_apply_ko": service.how_to_apply_ko,
        "url": service.url,
        "sources": "\n".join(service.sources),
        "checked_on": service.checked_on or "",
        "research_note": service.research_note,
        "audiences": service.audiences,
        "firm_size_min": service.firm_size_min or "",
        "firm_size_max": service.firm_size_max or "",
        "is_active": "on" if service.is_active else "",
    }
    data.update(overrides)
    return data


@pytest.mark.usefixtures("service")
def test_anonymous_is_sent_to_login(client: Client) -> None:
    for url in staff_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.usefixtures("service")
def test_a_citizen_is_refused(client: Client) -> None:
    client.force_login(UserFactory.create())
    for url in staff_urls():
        assert client.get(url).status_code == 403, url


@pytest.mark.usefixtures("service")
def test_staff_can_open_every_screen(operator_client: Client) -> None:
    for url in staff_urls():
        assert operator_client.get(url).status_code == 200, url


def test_a_citizen_cannot_post_an_edit(client: Client, service: Service) -> None:
    client.force_login(UserFactory.create())
    response = client.post(reverse("catalog:staff-edit", args=["polytech"]), form_data(service, cost_ko="유료"))
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.cost_ko == ""


def test_staff_list_shows_unpublished_services_too(operator_client: Client) -> None:
    ServiceFactory.create(slug="hidden", name_ko="숨긴 서비스", is_active=False)
    page = operator_client.get(reverse("catalog:staff-list")).content.decode()
    assert "숨긴 서비스" in page and "숨김" in page
    assert "<caption" in page and 'scope="col"' in page


def test_edit_saves_and_is_visible_in_history(operator_client: Client, service: Service) -> None:
    url = reverse("catalog:staff-edit", args=["polytech"])
    response = operator_client.post(url, form_data(service, cost_ko="무료", goals=["reemployment", "startup"]))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.cost_ko == "무료"
    assert service.goal_codes == ",reemployment,startup,"  # derived columns kept in sync
    latest = service.history.first()
    assert latest.history_user.username == "operator"
    page = operator_client.get(reverse("catalog:staff-history", args=["polytech"])).content.decode()
    assert "operator" in page
    assert "비용" in page and "무료" in page and "(비어 있음)" in page
    assert "목표 유형" in page and "재취업, 창업·창직" in page


def test_saving_without_changes_adds_no_history(operator_client: Client, service: Service) -> None:
    before = service.history.count()
    response = operator_client.post(reverse("catalog:staff-edit", args=["polytech"]), form_data(service), follow=True)
    assert "바뀐 내용이 없어" in response.content.decode()
    assert service.history.count() == before


def test_age_range_error_is_in_korean_and_keeps_the_input(operator_client: Client, service: Service) -> None:
    response = operator_client.post(
        reverse("catalog:staff-edit", args=["polytech"]), form_data(service, age_min="65", age_max="50", cost_ko="새 비용")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "최대 나이(50세)가 최소 나이(65세)보다 작습니다" in page
    assert page.count("최대 나이(50세)가 최소 나이(65세)보다 작습니다") == 2  # summary + field, not doubled
    assert 'value="65"' in page and 'value="50"' in page and 'value="새 비용"' in page
    assert 'aria-invalid="true"' in page
    service.refresh_from_db()
    assert service.age_min == 40 and service.cost_ko == ""


def test_missing_required_fields_are_named_in_korean(operator_client: Client, service: Service) -> None:
    page = operator_client.post(
        reverse("catalog:staff-edit", args=["polytech"]), form_data(service, name_ko="", goals=[], url="not a url")
    ).content.decode()
    assert "서비스 이름을 적어 주세요" in page
    assert "하나 이상 골라 주세요" in page
    assert "https://로 시작하는 올바른 주소를 적어 주세요" in page


def test_new_service_is_created_through_the_staff_screen(operator_client: Client, service: Service) -> None:
    data = form_data(service, slug="new-one", name_ko="새 서비스", sources="https://example.test/x\n보도자료 2025")
    response = operator_client.post(reverse("catalog:staff-new"), data)
    assert response.status_code == 302
    created = Service.objects.get(slug="new-one")
    assert created.sources == ["https://example.test/x", "보도자료 2025"]
    assert "새서비스" in created.search_text
    assert created.history.get().history_type == "+"


def test_new_service_with_a_taken_or_reserved_slug_is_refused(operator_client: Client, service: Service) -> None:
    taken = operator_client.post(reverse("catalog:staff-new"), form_data(service, slug="polytech")).content.decode()
    assert "이미 다른 서비스가 쓰고 있습니다" in taken
    reserved = operator_client.post(reverse("catalog:staff-new"), form_data(service, slug="staff")).content.decode()
    assert "식별자로 쓸 수 없습니다" in reserved
    assert Service.objects.count() == 1


def test_slug_cannot_be_changed_on_edit(operator_client: Client, service: Service) -> None:
    operator_client.post(reverse("catalog:staff-edit", args=["polytech"]), form_data(service, slug="renamed"))
    assert Service.objects.filter(slug="polytech").exists()


def test_unpublishing_hides_the_service_from_the_public(operator_client: Client, service: Service) -> None:
    operator_client.post(reverse("catalog:staff-edit", args=["polytech"]), form_data(service, is_active=""))
    assert Client().get(reverse("catalog:detail", args=["polytech"])).status_code == 404


def test_unknown_service_is_404_for_staff(operator_client: Client) -> None:
    assert operator_client.get(reverse("catalog:staff-edit", args=["nope"])).status_code == 404
    assert operator_client.get(reverse("catalog:staff-history", args=["nope"])).status_code == 404
