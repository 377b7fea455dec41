"""Enrolling, seeing and cancelling one's own places on the web, with three personas:
the owner, another citizen and an anonymous visitor."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from programmes import services
from programmes.models import Enrolment, Session
from programmes.tests.factories import UserFactory, enrol_many, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner() -> User:
    return UserFactory.create()


@pytest.fixture
def other() -> User:
    return UserFactory.create()


def test_anonymous_enrol_goes_to_login_and_comes_back(client: Client) -> None:
    s = session()
    url = reverse("programmes:enrol", args=[s.pk])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert response["Location"].endswith(f"next={url}")
    assert not Enrolment.objects.exists()


def test_enrol_page_asks_before_taking_a_place(client: Client, owner: User) -> None:
    s = session()
    client.force_login(owner)
    page = client.get(reverse("programmes:enrol", args=[s.pk])).content.decode()
    assert "이 회차에 신청할까요?" in page
    assert 'method="post"' in page
    assert not Enrolment.objects.exists()


def test_posting_takes_a_seat_and_says_so(client: Client, owner: User) -> None:
    s = session()
    client.force_login(owner)
    response = client.post(reverse("programmes:enrol", args=[s.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("programmes:my_enrolments")
    assert "수강 신청이 확정되었습니다" in response.content.decode()
    assert Enrolment.objects.get(user=owner).status == Enrolment.Status.CONFIRMED


def test_posting_to_a_full_session_joins_the_waitlist(client: Client, owner: User) -> None:
    s = session(capacity=1)
    enrol_many(s, 2)
    client.force_login(owner)
    response = client.post(reverse("programmes:enrol", args=[s.pk]), follow=True)
    assert "대기 2번으로 접수되었습니다" in response.content.decode()


def test_enrolling_twice_shows_an_error_not_a_crash(client: Client, owner: User) -> None:
    s = session()
    services.enrol(s.pk, owner)
    client.force_login(owner)
    response = client.post(reverse("programmes:enrol", args=[s.pk]), follow=True)
    assert "이미 신청한 회차입니다" in response.content.decode()
    assert Enrolment.objects.filter(user=owner).count() == 1


def test_enrolling_in_an_unknown_session_is_404(client: Client, owner: User) -> None:
    client.force_login(owner)
    assert client.post(reverse("programmes:enrol", args=[424242])).status_code == 404


def test_enrolling_in_an_employer_session_through_the_button_is_404_and_takes_no_place(client: Client, owner: User) -> None:
    """The public-session rule runs on the row the action locks (services.enrol(access=…)):
    its 404 rolls the action back."""
    from programmes.models import Mode

    employer = session(mode=Mode.EMPLOYER_SITE)
    client.force_login(owner)
    assert client.post(reverse("programmes:enrol", args=[employer.pk])).status_code == 404
    assert client.get(reverse("programmes:enrol", args=[employer.pk])).status_code == 404
    assert not Enrolment.objects.filter(session=employer).exists()


def test_my_enrolments_shows_only_my_places(client: Client, owner: User, other: User) -> None:
    mine = session()
    theirs = session()
    services.enrol(mine.pk, owner)
    services.enrol(theirs.pk, other)
    client.force_login(owner)
    page = client.get(reverse("programmes:my_enrolments")).content.decode()
    assert mine.programme.name_ko in page
    assert theirs.programme.name_ko not in page
    assert 'href="/me/"' in page


def test_my_enrolments_needs_an_account(client: Client) -> None:
    response = client.get(reverse("programmes:my_enrolments"))
    assert response.status_code == 302


def test_the_owner_cancels_and_the_next_person_gets_the_seat(client: Client, owner: User) -> None:
    s = session(capacity=1)
    mine = services.enrol(s.pk, owner)
    [waiting] = enrol_many(s, 1)
    client.force_login(owner)
    url = reverse("programmes:cancel_enrolment", args=[mine.pk])
    assert "신청을 취소할까요?" in client.get(url).content.decode()
    client.post(url)
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Enrolment.Status.CANCELLED
    assert waiting.status == Enrolment.Status.CONFIRMED


def test_someone_elses_place_is_404_to_see_or_cancel(client: Client, owner: User, other: User) -> None:
    s = session()
    theirs = services.enrol(s.pk, other)
    client.force_login(owner)
    for url in (
        reverse("programmes:cancel_enrolment", args=[theirs.pk]),
        reverse("programmes:enrolment_calendar", args=[theirs.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code in (404, 405)
    theirs.refresh_from_db()
    assert theirs.status == Enrolment.Status.CONFIRMED


def test_anonymous_cancel_goes_to_login(client: Client, owner: User) -> None:
    s = session()
    mine = services.enrol(s.pk, owner)
    response = client.post(reverse("programmes:cancel_enrolment", args=[mine.pk]))
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == Enrolment.Status.CONFIRMED


def test_the_owner_downloads_a_calendar_file(client: Client, owner: User) -> None:
    s = session()
    mine = services.enrol(s.pk, owner)
    client.force_login(owner)
    response = client.get(reverse("programmes:enrolment_calendar", args=[mine.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == s.starts_at


def test_a_waitlisted_place_shows_its_position(client: Client, owner: User) -> None:
    s = session(capacity=1)
    enrol_many(s, 1)
    services.enrol(s.pk, owner)
    client.force_login(owner)
    page = client.get(reverse("programmes:my_enrolments")).content.decode()
    assert "대기 1번" in page


def test_a_demo_place_is_marked_on_my_page(client: Client, owner: User) -> None:
    s = session()
    Session.objects.filter(pk=s.pk).update(is_demo=True)
    services.enrol(s.pk, owner)
    client.force_login(owner)
    assert "시연용 일정" in client.get(reverse("programmes:my_enrolments")).content.decode()


def test_pages_carry_no_inline_script_or_style(client: Client, owner: User) -> None:
    s = session()
    services.enrol(s.pk, owner)
    client.force_login(owner)
    for url in (reverse("programmes:my_enrolments"), reverse("programmes:enrol", args=[s.pk])):
        page: Any = client.get(url).content.decode()
        assert "<script>" not in page and "<style" not in page and 'style="' not in page
