"""Who may read a plan: anonymous plans by link; owned plans by their owner only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from journeys import services
from journeys.models import Plan
from journeys.tests.factories import ResultFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGES = ["journeys:detail", "journeys:pdf", "journeys:ics"]


def owned_plan() -> tuple[Any, Plan]:
    owner = UserFactory.create()
    return owner, services.create_plan(ResultFactory.create(owner=owner))


@pytest.mark.parametrize("page", ["journeys:detail", "journeys:ics"])
def test_anyone_with_the_link_reads_an_anonymous_plan(client: Client, page: str) -> None:
    plan = services.create_plan(ResultFactory.create())
    assert client.get(reverse(page, args=[plan.public_id])).status_code == 200


@pytest.mark.parametrize("page", ["journeys:detail", "journeys:ics"])
def test_the_owner_reads_their_plan(client: Client, page: str) -> None:
    owner, plan = owned_plan()
    client.force_login(owner)
    assert client.get(reverse(page, args=[plan.public_id])).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_another_citizen_gets_404(client: Client, page: str) -> None:
    _owner, plan = owned_plan()
    client.force_login(UserFactory.create())
    assert client.get(reverse(page, args=[plan.public_id])).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_staff_get_404_too(client: Client, page: str) -> None:
    _owner, plan = owned_plan()
    client.force_login(StaffFactory.create())
    assert client.get(reverse(page, args=[plan.public_id])).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_of_an_owned_plan_is_asked_to_log_in_and_comes_back(client: Client, page: str) -> None:
    owner, plan = owned_plan()
    url = reverse(page, args=[plan.public_id])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_anonymous_post_to_an_owned_plan_is_still_404(client: Client) -> None:
    _owner, plan = owned_plan()
    response = client.post(reverse("journeys:toggle-step", args=[plan.public_id, 1]), {"done": "1"})
    assert response.status_code == 404


def test_an_unknown_plan_is_404(client: Client) -> None:
    assert client.get(reverse("journeys:detail", args=["no-such-plan"])).status_code == 404


def test_another_citizen_cannot_tick_a_step(client: Client) -> None:
    _owner, plan = owned_plan()
    client.force_login(UserFactory.create())
    response = client.post(reverse("journeys:toggle-step", args=[plan.public_id, 1]), {"done": "1"})
    assert response.status_code == 404
    assert not plan.steps.filter(done_at__isnull=False).exists()


def test_nobody_can_make_a_plan_from_someone_elses_result(client: Client) -> None:
    result = ResultFactory.create(owner=UserFactory.create())
    client.force_login(UserFactory.create())
    assert client.post(reverse("journeys:new"), {"result": result.public_id}).status_code == 404
    assert not result.plans.exists()


def test_the_owner_makes_a_plan_from_their_result(client: Client) -> None:
    owner = UserFactory.create()
    result = ResultFactory.create(owner=owner)
    client.force_login(owner)
    response = client.post(reverse("journeys:new"), {"result": result.public_id})
    assert response.status_code == 302
    assert result.plans.get().owner == owner
