"""Password reset by e-mail over real SMTP (aiosmtpd), following the link in the mail."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.tests.factories import PASSWORD

NEW_PASSWORD = "Saeroun-bimil-2026!"
LOGIN = "/accounts/login/"


def reset_link(message: Any) -> str:
    body = message.get_content()
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", body)
    assert match, body
    return match.group(1)


def test_reset_mail_link_sets_a_new_password(client: Client, owner: User, smtp_inbox: Any) -> None:
    response = client.post("/accounts/password-reset/", {"email": "Owner@Example.com"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["X-Envelope-To"] == "owner@example.com"
    assert "비밀번호" in message["Subject"]

    form_page = client.get(reset_link(message), follow=True)
    assert "새 비밀번호 정하기" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/reset/done/"

    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert client.post(LOGIN, {"username": "owner@example.com", "password": NEW_PASSWORD}).status_code == 302


def test_weak_new_password_is_refused_in_korean(client: Client, owner: User, smtp_inbox: Any) -> None:
    client.post("/accounts/password-reset/", {"email": "owner@example.com"})
    form_page = client.get(reset_link(smtp_inbox.messages[0]), follow=True)
    set_url = form_page.redirect_chain[-1][0]
    page = client.post(set_url, {"new_password1": "1234", "new_password2": "1234"}).content.decode()
    assert "이 비밀번호는 너무 짧습니다" in page
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_unknown_address_sends_nothing_and_reveals_nothing(client: Client, owner: User, smtp_inbox: Any) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert smtp_inbox.messages == []


def test_resetting_the_password_lifts_a_lockout(client: Client, owner: User, smtp_inbox: Any) -> None:
    for _attempt in range(5):
        client.post(LOGIN, {"username": "owner@example.com", "password": "wrong-password"})
    assert client.post(LOGIN, {"username": "owner@example.com", "password": PASSWORD}).status_code == 429
    client.post("/accounts/password-reset/", {"email": "owner@example.com"})
    form_page = client.get(reset_link(smtp_inbox.messages[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert client.post(LOGIN, {"username": "owner@example.com", "password": NEW_PASSWORD}).status_code == 302


pytestmark = pytest.mark.usefixtures("consent_text")


def test_one_address_gets_at_most_three_reset_mails_an_hour(client: Client, owner: User, smtp_inbox: Any) -> None:
    for _n in range(3):
        assert client.post("/accounts/password-reset/", {"email": "owner@example.com"}).status_code == 302
    refused = client.post("/accounts/password-reset/", {"email": "OWNER@example.com"}, REMOTE_ADDR="198.51.100.20")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "한 시간에 3번까지만" in page
    assert 'value="OWNER@example.com"' in page
    assert len(smtp_inbox.messages) == 3


def test_one_client_asks_for_at_most_ten_resets_an_hour(client: Client, owner: User, smtp_inbox: Any) -> None:
    statuses = [client.post("/accounts/password-reset/", {"email": f"p{n}@example.com"}).status_code for n in range(10)]
    assert statuses == [302] * 10
    refused = client.post("/accounts/password-reset/", {"email": "owner@example.com"})
    assert refused.status_code == 429
    assert "비밀번호 재설정 요청이 너무 많습니다" in refused.content.decode()
    assert smtp_inbox.messages == []
