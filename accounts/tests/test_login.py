"""Log-in, log-out and the lockout after repeated failures (django-axes)."""

from __future__ import annotations

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
