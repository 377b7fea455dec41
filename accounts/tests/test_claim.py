"""Claiming an anonymous result (and its plans) into an account; afterwards owner-only."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.models import Consent
from accounts.tests import factories
from accounts.tests.factories import PASSWORD
from diagnosis.models import Instrument, Result

pytestmark = pytest.mark.usefixtures("consent_text")


def claim_url(result: Result) -> str:
    return reverse("accounts:claim", args=[result.public_id])


def result_url(result: Result) -> str:
    return reverse("diagnosis:result", args=[result.public_id])


def test_anonymous_claim_goes_to_signup_with_the_claim_kept(client: Client, instrument: Instrument) -> None:
    result = factories.result(instrument)
    response = client.post(claim_url(result))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?" + urlencode({"claim": result.public_id})
    page = client.get(response["Location"]).content.decode()
    assert f'name="claim" value="{result.public_id}"' in page


def test_signing_up_with_a_claim_moves_result_and_plans_into_the_account(client: Client, instrument: Instrument) -> None:
    result = factories.result(instrument)
    plan = factories.plan(result)
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD, "consent_account": "on", "claim": result.public_id},
    )
    assert response.status_code == 302
    assert response["Location"] == result_url(result)
    user = User.objects.get(username="new@example.com")
    result.refresh_from_db()
    plan.refresh_from_db()
    assert result.owner == user and plan.owner == user
    assert Consent.objects.filter(user=user, item="account", granted=True).exists()
    assert client.get(result_url(result)).status_code == 200


def test_after_claiming_others_get_404_on_the_result(client: Client, instrument: Instrument, owner: User, other: User, staff: User) -> None:
    result = factories.result(instrument)
    client.force_login(owner)
    client.post(claim_url(result))
    assert client.get(result_url(result)).status_code == 200
    for person in (other, staff):
        visitor = Client()
        visitor.force_login(person)
        assert visitor.get(result_url(result)).status_code == 404
    stranger = Client().get(result_url(result))  # the link alone no longer opens it: log in first
    assert stranger.status_code == 302
    assert stranger["Location"] == "/accounts/login/?next=" + result_url(result)


def test_the_owner_following_the_emailed_link_logs_in_and_returns_to_the_result(client: Client, instrument: Instrument, owner: User) -> None:
    result = factories.result(instrument, owner=owner)
    login_page = client.get(result_url(result), follow=True)
    assert "계정에 저장된 기록입니다" in login_page.content.decode()
    response = client.post(login_page.request["PATH_INFO"] + "?" + login_page.request["QUERY_STRING"], {"username": owner.email, "password": PASSWORD})
    assert response["Location"] == result_url(result)
    assert client.get(result_url(result)).status_code == 200


def test_logged_in_claim_asks_to_confirm_then_claims(client: Client, instrument: Instrument, owner: User) -> None:
    result = factories.result(instrument)
    client.force_login(owner)
    page = client.get(claim_url(result))
    assert page.status_code == 200
    assert "내 계정에 저장하기" in page.content.decode()
    result.refresh_from_db()
    assert result.owner is None  # a GET changes nothing
    response = client.post(claim_url(result))
    assert response["Location"] == result_url(result)
    result.refresh_from_db()
    assert result.owner == owner


def test_only_unowned_plans_are_moved(client: Client, instrument: Instrument, owner: User, other: User) -> None:
    result = factories.result(instrument)
    anonymous_plan = factories.plan(result)
    others_plan = factories.plan(result, owner=other)
    client.force_login(owner)
    client.post(claim_url(result))
    anonymous_plan.refresh_from_db()
    others_plan.refresh_from_db()
    assert anonymous_plan.owner == owner
    assert others_plan.owner == other


@pytest.mark.parametrize("method", ["get", "post"])
def test_claiming_someone_elses_result_is_404(client: Client, instrument: Instrument, owner: User, other: User, method: str) -> None:
    result = factories.result(instrument, owner=other)
    client.force_login(owner)
    assert getattr(client, method)(claim_url(result)).status_code == 404
    assert getattr(Client(), method)(claim_url(result)).status_code == 404  # anonymous too
    result.refresh_from_db()
    assert result.owner == other


def test_staff_cannot_claim_a_claimed_result(client: Client, instrument: Instrument, other: User, staff: User) -> None:
    result = factories.result(instrument, owner=other)
    client.force_login(staff)
    assert client.post(claim_url(result)).status_code == 404


def test_unknown_result_is_404(client: Client, owner: User) -> None:
    client.force_login(owner)
    assert client.post("/accounts/claim/does-not-exist/").status_code == 404


def test_account_without_consent_is_asked_for_it_before_claiming(client: Client, instrument: Instrument, staff: User) -> None:
    result = factories.result(instrument)
    client.force_login(staff)  # made by an administrator: no consent recorded
    response = client.post(claim_url(result))
    assert response["Location"] == "/accounts/consent/?" + urlencode({"claim": result.public_id})
    refused = client.post("/accounts/consent/", {"claim": result.public_id})
    assert "필수 항목에 동의해야" in refused.content.decode()
    result.refresh_from_db()
    assert result.owner is None
    done = client.post("/accounts/consent/", {"claim": result.public_id, "consent_account": "on"})
    assert done["Location"] == result_url(result)
    result.refresh_from_db()
    assert result.owner == staff
    assert Consent.objects.filter(user=staff, item="account", granted=True).count() == 1


def test_existing_account_can_log_in_from_signup_and_claim(client: Client, instrument: Instrument, owner: User) -> None:
    result = factories.result(instrument)
    signup = client.get("/accounts/signup/?" + urlencode({"claim": result.public_id})).content.decode()
    next_url = claim_url(result)
    login_url = "/accounts/login/?" + urlencode({"next": next_url})
    assert login_url.replace("&", "&amp;") in signup or login_url in signup
    response = client.post(login_url, {"username": "owner@example.com", "password": PASSWORD, "next": next_url})
    assert response["Location"] == next_url
    client.post(next_url)
    result.refresh_from_db()
    assert result.owner == owner


def test_a_claim_that_can_no_longer_be_made_after_signup_is_explained(client: Client, instrument: Instrument, other: User) -> None:
    result = factories.result(instrument, owner=other)
    response = client.post(
        "/accounts/signup/",
        {"email": "late@example.com", "password1": PASSWORD, "password2": PASSWORD, "consent_account": "on", "claim": result.public_id},
        follow=True,
    )
    assert "내 계정으로 가져오지 못했습니다" in response.content.decode()
    result.refresh_from_db()
    assert result.owner == other


def test_consent_page_sends_people_who_already_agreed_on(client: Client, owner: User, instrument: Instrument) -> None:
    client.force_login(owner)
    assert client.get("/accounts/consent/")["Location"] == "/me/consents/"
    result = factories.result(instrument)
    assert client.get("/accounts/consent/?claim=" + result.public_id)["Location"] == claim_url(result)
    assert Consent.objects.filter(user=owner).count() == 3  # nothing recorded twice
