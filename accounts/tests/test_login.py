"""Log-in, log-out and the lockout after repeated failures (django-axes)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from accounts.tests.factories import PASSWORD

LOGIN = "/accounts/login/"
LOCKED = "로그인에 여러 번 실패해 15분 동안 로그인이 제한됩니다"


def test_login_with_email_in_any_case_goes_to_me(client: Client, owner: User) -> None:
    response = client.post(LOGIN, {"username": "  OWNER@Example.com ", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_wrong_password_is_explained_in_korean_and_email_kept(client: Client, owner: User) -> None:
    response = client.post(LOGIN, {"username": "owner@example.com", "password": "wrong-password"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "이메일 주소 또는 비밀번호가 맞지 않습니다" in page
    assert 'value="owner@example.com"' in page
    assert "wrong-password" not in page


def test_logout_is_post_only_and_says_so(client: Client, owner: User) -> None:
    client.force_login(owner)
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/", follow=True)
    assert "_auth_user_id" not in client.session
    assert "로그아웃했습니다." in response.content.decode()


def test_five_failures_lock_the_account_and_the_sixth_is_refused_even_with_the_right_password(client: Client, owner: User) -> None:
    for _attempt in range(4):
        response = client.post(LOGIN, {"username": "owner@example.com", "password": "wrong-password"})
        assert response.status_code == 200
    fifth = client.post(LOGIN, {"username": "Owner@Example.com", "password": "wrong-password"})  # case does not reset the count
    assert fifth.status_code == 429
    sixth = client.post(LOGIN, {"username": "owner@example.com", "password": PASSWORD})
    page = sixth.content.decode()
    assert sixth.status_code == 429
    assert LOCKED in page
    assert "/accounts/password-reset/" in page
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_and_address_not_global(client: Client, owner: User, other: User) -> None:
    for _attempt in range(5):
        client.post(LOGIN, {"username": "owner@example.com", "password": "wrong-password"})
    response = client.post(LOGIN, {"username": "other@example.com", "password": PASSWORD})
    assert response.status_code == 302


def test_login_page_offers_reset_and_signup(client: Client) -> None:
    page = client.get(LOGIN).content.decode()
    assert "/accounts/password-reset/" in page
    assert "/accounts/signup/" in page


def test_lockout_counts_addresses_case_insensitively() -> None:
    from django.test import RequestFactory

    from accounts.lockout import username_of

    request = RequestFactory().post("/admin/login/", {"username": " Owner@Example.COM "})
    assert username_of(request) == "owner@example.com"
    assert username_of(request, {"username": "A@B.kr"}) == "a@b.kr"


# --- Behind the reverse proxy (TRUSTED_PROXIES; core/clientip.py) -------------------------
PROXY = "127.0.0.1"  # the documented set-up: the proxy on the same host


def _via_proxy(client_address: str) -> dict[str, Any]:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


def test_failures_from_one_client_behind_the_proxy_do_not_lock_the_owner_out_elsewhere(client: Client, owner: User) -> None:
    for _attempt in range(5):
        client.post(LOGIN, {"username": "owner@example.com", "password": "wrong-password"}, **_via_proxy("203.0.113.7"))
    owners_client = Client()
    response = owners_client.post(LOGIN, {"username": "owner@example.com", "password": PASSWORD}, **_via_proxy("198.51.100.20"))
    assert response.status_code == 302
    assert owners_client.session["_auth_user_id"] == str(owner.pk)


def test_the_attacker_behind_the_proxy_is_still_locked_out_of_that_account(client: Client, owner: User) -> None:
    for _attempt in range(5):
        client.post(LOGIN, {"username": "owner@example.com", "password": "wrong-password"}, **_via_proxy("203.0.113.7"))
    response = client.post(LOGIN, {"username": "owner@example.com", "password": PASSWORD}, **_via_proxy("203.0.113.7"))
    assert response.status_code == 429


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(client: Client, owner: User) -> None:
    for n in range(5):  # a new forged address each time would dodge the lock-out if believed
        client.post(LOGIN, {"username": "owner@example.com", "password": "wrong-password"}, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.9.8.{n}")
    response = client.post(LOGIN, {"username": "owner@example.com", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.9.8.200")
    assert response.status_code == 429


def test_one_guess_each_at_forty_accounts_from_one_address_gets_that_address_blocked(client: Client, owner: User) -> None:
    from accounts.tests import factories

    for n in range(40):
        factories.citizen(email=f"person{n}@example.com")
    statuses = [
        client.post(LOGIN, {"username": f"person{n}@example.com", "password": "wrong-password"}, **_via_proxy("203.0.113.7")).status_code
        for n in range(40)
    ]
    assert statuses[-1] == 429
    blocked = client.post(LOGIN, {"username": "owner@example.com", "password": PASSWORD}, **_via_proxy("203.0.113.7"))
    assert blocked.status_code == 429
    assert "이 접속 주소에서 로그인 실패가 너무 많아" in blocked.content.decode()
    assert 'value="owner@example.com"' in blocked.content.decode()
    elsewhere = Client().post(LOGIN, {"username": "owner@example.com", "password": PASSWORD}, **_via_proxy("198.51.100.20"))
    assert elsewhere.status_code == 302
