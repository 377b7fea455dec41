"""Sign-up with e-mail, password and consent on one page (개인정보보호법 §15②, §22)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import Account, Consent, ConsentText
from accounts.tests.factories import PASSWORD, citizen
from lifecareer import settings as production_settings

pytestmark = pytest.mark.usefixtures("consent_text")
SIGNUP = "/accounts/signup/"


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "email": "Kim.Minsu@Example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent_account": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_signup_page_shows_the_four_facts_for_each_item_and_asks_no_resident_number(client: Client) -> None:
    page = client.get(SIGNUP).content.decode()
    for heading in ("수집·이용 목적", "수집 항목", "보유·이용 기간", "동의를 거부할 권리와 거부할 때의 불이익"):
        assert page.count(heading) == 3  # required item + two optional items
    assert "프로그램 소식을 이메일로 받기 (선택, 홍보)" in page
    assert "상담사가 내 진단 결과를 볼 수 있게 하기 (선택)" in page
    assert "주민등록번호는 묻지 않습니다" in page
    assert 'name="name"' not in page and 'name="phone"' not in page


def test_happy_path_creates_account_logs_in_and_lands_on_me(client: Client) -> None:
    response = client.post(SIGNUP, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    user = User.objects.get()
    assert user.username == user.email == "kim.minsu@example.com"
    assert Account.objects.get().email_normalised == "kim.minsu@example.com"
    assert client.session["_auth_user_id"] == str(user.pk)


def test_password_is_stored_with_argon2(client: Client, settings: Any) -> None:
    # The suite hashes with MD5 for speed (conftest.py); this puts back what production runs.
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    client.post(SIGNUP, form_data())
    assert User.objects.get().password.startswith("argon2")


def test_consent_rows_record_version_item_and_time(client: Client, consent_text: ConsentText) -> None:
    client.post(SIGNUP, form_data(consent_news_email="on"))
    rows = {c.item: c for c in Consent.objects.all()}
    assert set(rows) == {"account", "news_email", "counsellor_view"}
    assert all(c.text == consent_text and c.text.version == "2026-1" for c in rows.values())
    assert rows["account"].granted and rows["news_email"].granted
    assert rows["counsellor_view"].granted is False
    assert len({c.at for c in rows.values()}) == 1 and rows["account"].at is not None


def test_refusing_every_optional_item_still_signs_up(client: Client) -> None:
    response = client.post(SIGNUP, form_data())
    assert response.status_code == 302
    optional = Consent.objects.exclude(item="account")
    assert optional.count() == 2 and not optional.filter(granted=True).exists()


def test_missing_required_consent_is_refused_with_message_and_input_kept(client: Client) -> None:
    response = client.post(SIGNUP, form_data(consent_account=None, consent_news_email="on"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "필수 항목에 동의해야 회원가입을 할 수 있습니다" in page
    assert 'value="Kim.Minsu@Example.com"' in page  # what was typed is kept
    assert PASSWORD not in page  # but never the password
    assert _checked(page, "id_consent_news_email")  # the optional choice is kept too
    assert not User.objects.exists() and not Consent.objects.exists()


def _checked(page: str, element_id: str) -> bool:
    tag = re.search(rf'<input[^>]*id="{element_id}"[^>]*>', page)
    return bool(tag and "checked" in tag.group(0))


def test_duplicate_email_in_different_case_is_refused_in_korean(client: Client) -> None:
    citizen(email="kim.minsu@example.com")
    response = client.post(SIGNUP, form_data(email="KIM.MINSU@EXAMPLE.COM"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "이미 가입된 이메일 주소입니다" in page
    assert 'value="KIM.MINSU@EXAMPLE.COM"' in page
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "이 비밀번호는 너무 짧습니다. 최소 10자 이상이어야 합니다."),
        ("1234567890123", "비밀번호가 전부 숫자로 되어 있습니다."),
        ("password123", "너무 흔히 사용되는 비밀번호입니다."),
    ],
)
def test_weak_password_gets_djangos_korean_message(client: Client, password: str, message: str) -> None:
    response = client.post(SIGNUP, form_data(password1=password, password2=password))
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert 'value="Kim.Minsu@Example.com"' in page
    assert not User.objects.exists()


def test_password_similar_to_email_is_refused(client: Client) -> None:
    response = client.post(SIGNUP, form_data(email="gildong.hong@example.com", password1="gildong.hong", password2="gildong.hong"))
    assert "너무 유사합니다" in response.content.decode()


def test_mismatched_passwords_are_explained(client: Client) -> None:
    page = client.post(SIGNUP, form_data(password2=PASSWORD + "x")).content.decode()
    assert "두 비밀번호가 서로 다릅니다" in page


def test_invalid_email_is_explained(client: Client) -> None:
    page = client.post(SIGNUP, form_data(email="kim.minsu")).content.decode()
    assert "이메일 주소 형식이 올바르지 않습니다" in page
    assert 'value="kim.minsu"' in page


def test_database_refuses_a_second_account_for_the_same_address(db: None) -> None:
    first = User.objects.create_user(username="a@example.com", email="a@example.com")
    second = User.objects.create_user(username="a2@example.com", email="a@example.com")
    Account.objects.create(user=first, email_normalised="a@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(user=second, email_normalised="a@example.com")


def test_database_refuses_an_address_that_is_not_lowercased(db: None) -> None:
    user = User.objects.create_user(username="b@example.com", email="b@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(user=user, email_normalised="B@example.com")


def test_logged_in_person_is_sent_to_me_instead_of_sign_up(client: Client) -> None:
    client.force_login(citizen(email="c@example.com"))
    response = client.get(SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("me:dashboard")


def test_signup_returns_to_a_safe_next_page(client: Client) -> None:
    response = client.post(SIGNUP + "?next=/courses/", form_data())
    assert response.status_code == 302
    assert response["Location"] == "/courses/"


def test_signup_ignores_an_offsite_next(client: Client) -> None:
    response = client.post(SIGNUP + "?next=https://evil.example/", form_data())
    assert response["Location"] == "/me/"
