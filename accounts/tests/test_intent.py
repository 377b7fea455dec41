"""Keeping the reason someone came through log-in and sign-up (issue 8): enrol while logged
out → a log-in page that says why → sign-up keeping `next` → back at the session."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import PASSWORD
from programmes.models import Enrolment, Session
from programmes.tests.factories import ProgrammeFactory, session

pytestmark = pytest.mark.usefixtures("consent_text")


@pytest.fixture
def open_session(db: None) -> Session:
    return session(programme=ProgrammeFactory.create(name_ko="신중년 인생3모작 설계 과정"))


def enrol_url(target: Session) -> str:
    return reverse("programmes:enrol", args=[target.pk])


def signup_data(email: str = "new@example.com") -> dict[str, str]:
    return {"email": email, "password1": PASSWORD, "password2": PASSWORD, "consent_account": "on"}


def test_enrolling_while_logged_out_leads_to_a_login_page_that_says_why(client: Client, open_session: Session) -> None:
    response = client.get(enrol_url(open_session))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "수강 신청을 하려면 로그인해 주세요." in page
    assert "신중년 인생3모작 설계 과정" in page


def test_login_page_signup_link_keeps_next(client: Client, open_session: Session) -> None:
    response = client.get(reverse("accounts:login"), {"next": enrol_url(open_session)})
    signup_link = response.context["signup_url"]
    assert urlsplit(signup_link).path == reverse("accounts:signup")
    assert parse_qs(urlsplit(signup_link).query)["next"] == [enrol_url(open_session)]
    assert signup_link.replace("&", "&amp;") in response.content.decode()


def test_login_page_drops_an_offsite_next_from_the_signup_link(client: Client) -> None:
    response = client.get(reverse("accounts:login"), {"next": "https://evil.example/"})
    assert response.context["signup_url"] == reverse("accounts:signup")
    assert "로그인하면 보던 화면으로" not in response.content.decode()


def test_signup_page_says_why_and_returns_to_the_enrolment(client: Client, open_session: Session) -> None:
    url = reverse("accounts:signup") + "?next=" + enrol_url(open_session)
    page = client.get(url).content.decode()
    assert "수강 신청을 하려면 로그인해 주세요." in page
    assert f'name="next" value="{enrol_url(open_session)}"' in page
    response = client.post(url, signup_data())
    assert response.status_code == 302
    assert response["Location"] == enrol_url(open_session)


def test_back_at_the_session_the_enrol_button_is_ready_but_nothing_is_taken(client: Client, open_session: Session) -> None:
    client.post(reverse("accounts:signup") + "?next=" + enrol_url(open_session), signup_data())
    page = client.get(enrol_url(open_session))
    assert page.status_code == 200
    assert f'action="{enrol_url(open_session)}"' in page.content.decode()
    assert not Enrolment.objects.exists()


def test_logging_in_returns_to_the_enrolment(client: Client, owner: User, open_session: Session) -> None:
    response = client.post(reverse("accounts:login"), {"username": owner.email, "password": PASSWORD, "next": enrol_url(open_session)})
    assert response["Location"] == enrol_url(open_session)


def test_login_for_a_saved_result_says_it_is_kept_in_an_account(client: Client) -> None:
    page = client.get(reverse("accounts:login"), {"next": "/diagnosis/r/abcdefghijklmnopqrstuv/"}).content.decode()
    assert "계정에 저장된 기록입니다" in page
