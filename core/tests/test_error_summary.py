"""Every form page's error summary (includes/error_summary.html): each link lands on an
element of the page that takes focus — for a radio or checkbox group its first option —
and the page title starts with "오류" so a screen-reader user hears the failure first."""

from __future__ import annotations

from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import citizen
from core.tests.factories import StaffFactory
from courses.tests.factories import employer_request
from diagnosis.tests.helpers import VALID_PROFILE

pytestmark = pytest.mark.usefixtures("reference_data")
Response = Any  # the test client's response type is private to Django

FOCUSABLE = {"input", "select", "textarea", "button"}


class Page(HTMLParser):
    """Element ids (and their tags), the error summary's links and the <title>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}
        self.summary_links: list[str] = []
        self.summaries = 0
        self.title = ""
        self._depth = 0  # >0 while inside the summary
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.tags[str(a["id"])] = tag
        if self._depth and tag == "div":
            self._depth += 1
        if tag == "div" and "error-summary" in (a.get("class") or "").split():
            self.summaries += 1
            self._depth = 1
        if self._depth and tag == "a":
            self.summary_links.append(a.get("href") or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        if self._depth and tag == "div":
            self._depth -= 1
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def diagnosis_profile() -> Response:
    # All radio groups left empty: the case the summary used to link to ids that do not exist.
    data = {k: v for k, v in VALID_PROFILE.items() if k in ("birth_year", "career_years")}
    return Client().post(reverse("diagnosis:step", args=[0]), data)


def diagnosis_section() -> Response:
    client = Client()
    client.post(reverse("diagnosis:step", args=[0]), VALID_PROFILE)
    return client.post(reverse("diagnosis:step", args=[1]), {"action": "next"})


def signup() -> Response:
    return Client().post(reverse("accounts:signup"), {"email": "not-an-address"})


def login() -> Response:
    citizen(email="kim@example.com")
    return Client().post(reverse("accounts:login"), {"username": "kim@example.com", "password": "wrong-password-123"})


def password_reset() -> Response:
    return Client().post(reverse("accounts:password_reset"), {"email": "not-an-address"})


def delete_account() -> Response:
    return _signed_in(citizen()).post(reverse("me:delete"), {})


def catalog_filter() -> Response:
    return Client().get(reverse("catalog:list"), {"age": "많음"})


def catalog_staff_form() -> Response:
    # Blank fields (as a browser sends them): an empty POST would leave the form unbound.
    return _signed_in(StaffFactory.create()).post(reverse("catalog:staff-new"), {"url": ""})


def certificate_lookup() -> Response:
    return Client().get(reverse("courses:certificate-lookup"), {"code": "!"})


def employer_request_form() -> Response:
    return _signed_in(citizen()).post(reverse("courses:employer-request"), {"company_name": ""})


def staff_employer_request_decline() -> Response:
    req = employer_request()
    return _signed_in(StaffFactory.create()).post(reverse("courses:staff-request", args=[req.pk]), {"action": "decline"})


def staff_session_form() -> Response:
    return _signed_in(StaffFactory.create()).post(reverse("programmes:staff_session_create"), {"online_url": ""})


PAGES: list[Callable[[], Response]] = [
    diagnosis_profile,
    diagnosis_section,
    signup,
    login,
    password_reset,
    delete_account,
    catalog_filter,
    catalog_staff_form,
    certificate_lookup,
    employer_request_form,
    staff_employer_request_decline,
    staff_session_form,
]


def _render(make: Callable[[], Response]) -> Page:
    response = make()
    assert response.status_code in (200, 400), response.status_code
    page = Page()
    page.feed(response.content.decode())
    assert page.summaries == 1, "the failed form shows one error summary"
    return page


@pytest.mark.parametrize("make", PAGES, ids=lambda f: f.__name__)
def test_every_error_link_lands_on_a_control_of_the_page(make: Callable[[], Response]) -> None:
    page = _render(make)
    for href in page.summary_links:
        assert href.startswith("#"), href
        assert page.tags.get(href[1:]) in FOCUSABLE, f"{href} -> {page.tags.get(href[1:])}"


@pytest.mark.parametrize("make", PAGES, ids=lambda f: f.__name__)
def test_the_title_says_there_is_an_error(make: Callable[[], Response]) -> None:
    assert _render(make).title.strip().startswith("오류: ")


def test_a_radio_group_error_links_to_its_first_option() -> None:
    page = _render(diagnosis_profile)
    assert "#id_goal_0" in page.summary_links
    assert page.tags["id_goal_0"] == "input"


def test_an_unanswered_likert_item_links_to_its_first_option() -> None:
    page = _render(diagnosis_section)
    assert page.summary_links and all(page.tags[h[1:]] == "input" and h.endswith("_0") for h in page.summary_links)
