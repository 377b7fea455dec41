"""Export all of one's data as JSON; delete the account and everything under it."""

from __future__ import annotations

import json
import sys
import types

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Account, Consent
from accounts.tests import factories
from accounts.tests.factories import PASSWORD
from core.models import AccessLog
from diagnosis.models import Instrument, Result
from journeys.models import Plan, PlanStep


def test_export_contains_account_consents_results_and_plans(client: Client, owner: User, other: User, instrument: Instrument) -> None:
    result = factories.result(instrument, owner=owner)
    plan = factories.plan(result)
    factories.result(instrument, owner=other)
    client.force_login(owner)
    response = client.get("/me/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="lifecareer-my-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "owner@example.com"
    assert {c["item"] for c in data["consents"]} == {"account", "news_email", "counsellor_view"}
    assert all(c["version"] == "2026-1" and c["at"] for c in data["consents"])
    assert [r["id"] for r in data["diagnosis_results"]] == [result.public_id]
    exported = data["diagnosis_results"][0]
    assert exported["answers"] == result.answers
    assert exported["scale_scores"] == result.scale_scores
    assert exported["profile"]["birth_year"] == result.birth_year
    assert data["plans"][0]["id"] == plan.public_id
    assert [s["title"] for s in data["plans"][0]["steps"]] == ["할 일 1", "할 일 2", "할 일 3"]


def test_export_needs_login(client: Client, consent_text: object) -> None:
    assert client.get("/me/export/")["Location"].startswith("/accounts/login/")


def test_delete_asks_to_confirm_first(client: Client, owner: User) -> None:
    client.force_login(owner)
    page = client.get("/me/delete/").content.decode()
    assert "되살릴 수 없습니다" in page
    assert User.objects.filter(pk=owner.pk).exists()


def test_delete_with_wrong_confirmation_keeps_everything(client: Client, owner: User) -> None:
    client.force_login(owner)
    wrong_email = client.post("/me/delete/", {"email": "someone@example.com", "password": PASSWORD})
    assert "이메일 주소와 다릅니다" in wrong_email.content.decode()
    wrong_password = client.post("/me/delete/", {"email": "owner@example.com", "password": "not-it"})
    assert "비밀번호가 맞지 않습니다" in wrong_password.content.decode()
    assert User.objects.filter(pk=owner.pk).exists()


def test_delete_removes_user_results_plans_and_consents(client: Client, owner: User, other: User, instrument: Instrument) -> None:
    plan = factories.plan(factories.result(instrument, owner=owner))
    kept = factories.plan(factories.result(instrument, owner=other))
    AccessAttempt.objects.create(username="owner@example.com", ip_address="127.0.0.1", failures_since_start=1, user_agent="x", get_data="", post_data="", http_accept="", path_info="/")
    AccessLog.objects.create(actor=None, actor_label="counsellor@example.com", subject_id=str(owner.pk), action="view", object_type="diagnosis.result", object_id="1")
    client.force_login(owner)
    response = client.post("/me/delete/", {"email": "OWNER@example.com", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "회원 탈퇴를 마쳤습니다" in response.content.decode()
    assert not User.objects.filter(pk=owner.pk).exists()
    assert not Account.objects.filter(email_normalised="owner@example.com").exists()
    assert not Result.objects.filter(owner_id=owner.pk).exists()
    assert not Plan.objects.filter(pk=plan.pk).exists()
    assert not PlanStep.objects.filter(plan_id=plan.pk).exists()
    assert not Consent.objects.filter(user_id=owner.pk).exists()
    assert not AccessAttempt.objects.filter(username="owner@example.com").exists()
    assert AccessLog.objects.filter(subject_id=str(owner.pk)).exists()  # the legal access log stays
    assert Plan.objects.filter(pk=kept.pk).exists()
    assert "_auth_user_id" not in client.session


def test_export_includes_what_other_apps_hold_through_their_hook(client: Client, owner: User, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = types.ModuleType("catalog.personal_data")
    hook.export = lambda user: {"seen_user": user.email}  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "catalog.personal_data", hook)
    client.force_login(owner)
    data = json.loads(client.get("/me/export/").content)
    assert data["other"]["catalog"] == {"seen_user": "owner@example.com"}
