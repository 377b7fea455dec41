"""Results (and plans) made in this browser before signing up or logging in are offered for
keeping in the account, ticked by default (issue 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.tests import factories
from accounts.tests.factories import PASSWORD
from core.vocabulary import type_name
from diagnosis.models import Instrument, Result
from diagnosis.tests.test_flow import complete
from journeys.models import Plan

pytestmark = pytest.mark.usefixtures("consent_text", "instrument")
OFFER = "이 브라우저에서 만든 진단 결과와 계획을 내 계정에 저장합니다"


def signup_data(**extra: str | list[str]) -> dict[str, str | list[str]]:
    return {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, "consent_account": "on", **extra}


def made_here(client: Client) -> Result:
    complete(client)
    result = Result.objects.latest("created_at")
    client.post(reverse("journeys:new"), {"result": result.public_id})
    return result


def test_signup_page_offers_what_was_made_in_this_browser_ticked(client: Client) -> None:
    result = made_here(client)
    page = client.get(reverse("accounts:signup")).content.decode()
    assert OFFER in page
    assert f'name="keep_result" value="{result.public_id}" id="keep-result-1" checked' in page
    assert type_name(result.type_code) in page
    assert "가이드맵 1개 함께" in page


def test_signing_up_keeps_the_ticked_result_and_its_plan(client: Client) -> None:
    result = made_here(client)
    client.post(reverse("accounts:signup"), signup_data(keep_result=result.public_id))
    user = User.objects.get(username="new@example.com")
    result.refresh_from_db()
    assert result.owner == user
    assert Plan.objects.get(result=result).owner == user


def test_an_unticked_result_stays_anonymous_and_is_not_offered_again(client: Client) -> None:
    result = made_here(client)
    client.post(reverse("accounts:signup"), signup_data())
    result.refresh_from_db()
    assert result.owner is None
    assert OFFER not in client.get(reverse("me:dashboard")).content.decode()


def test_a_result_opened_from_someone_elses_link_is_not_offered(client: Client, instrument: Instrument) -> None:
    shared = factories.result(instrument)
    client.get(reverse("diagnosis:result", args=[shared.public_id]))
    assert OFFER not in client.get(reverse("accounts:signup")).content.decode()


def test_logging_in_keeps_the_ticked_results(client: Client, owner: User) -> None:
    result = made_here(client)
    assert OFFER in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("accounts:login"), {"username": owner.email, "password": PASSWORD, "keep_result": result.public_id})
    result.refresh_from_db()
    assert result.owner == owner


def test_a_result_someone_else_kept_meanwhile_is_skipped(client: Client, owner: User, other: User) -> None:
    result = made_here(client)
    Result.objects.filter(pk=result.pk).update(owner=other)
    response = client.post(reverse("accounts:login"), {"username": owner.email, "password": PASSWORD, "keep_result": result.public_id})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.owner == other
