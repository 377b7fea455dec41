"""The public pages render programmes and sessions once per process (core.fragments, scope
"programmes"): a change made through the service layer shows on the next request, seat
counts follow every enrolment at once, and a viewer's own place is never shown to another."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.fragments import forget_all
from programmes import services
from programmes.models import Programme, Track
from programmes.tests.factories import (
    ProgrammeFactory,
    UserFactory,
    enrol_many,
    next_weekday,
    seoul,
    session,
)
from programmes.views import PAGE_SIZE

pytestmark = pytest.mark.django_db

SEARCH = reverse("programmes:session_search")


@pytest.fixture(autouse=True)
def _stamp_remembered(settings: Any) -> None:
    # As in production a process remembers a stamp; bump() must still show the change at once here.
    settings.FRAGMENT_STAMP_TTL = 60


def pages(s: Any) -> list[str]:
    return [SEARCH, reverse("programmes:detail", args=[s.programme.slug]), reverse("programmes:session_detail", args=[s.pk])]


def test_a_session_edit_shows_at_once(client: Client) -> None:
    s = session(capacity=5)
    for url in pages(s):
        assert "정원 5명" in client.get(url).content.decode()
    services.update_session(s.pk, capacity=7)
    for url in pages(s):
        assert "정원 7명" in client.get(url).content.decode(), url


def test_a_programme_rename_shows_at_once(client: Client) -> None:
    s = session()
    listing = reverse("programmes:list")
    assert s.programme.name_ko in client.get(SEARCH).content.decode()
    assert s.programme.name_ko in client.get(listing).content.decode()
    programme = Programme.objects.get(pk=s.programme.pk)
    programme.name_ko = "새로 바뀐 과정 이름"
    programme.save()
    for url in [*pages(s), listing]:
        assert "새로 바뀐 과정 이름" in client.get(url).content.decode(), url


def test_a_cancelled_session_leaves_the_search_at_once(client: Client) -> None:
    s = session()
    detail = reverse("programmes:session_detail", args=[s.pk])
    assert detail in client.get(SEARCH).content.decode()
    services.cancel_session(s.pk)
    assert detail not in client.get(SEARCH).content.decode()


def test_every_enrolment_changes_the_seats_shown_at_once(client: Client) -> None:
    s = session(capacity=2)
    for url in pages(s):
        assert "잔여 2석" in client.get(url).content.decode()
    enrol_many(s, 1)
    for url in pages(s):
        assert "잔여 1석" in client.get(url).content.decode(), url
    enrol_many(s, 2)
    for url in pages(s):
        page = client.get(url).content.decode()
        assert "정원 마감 · 대기 1명" in page, url
    services.cancel_enrolment(s.enrolments.filter(status="confirmed").first().pk)  # type: ignore[union-attr]
    for url in pages(s):
        assert "정원 마감 · 대기 0명" in client.get(url).content.decode(), url  # the waiting person was promoted


def test_a_viewers_own_place_is_theirs_alone(client: Client) -> None:
    s = session(capacity=3)
    citizen = UserFactory.create()
    services.enrol(s.pk, citizen)
    other = Client()
    other.force_login(UserFactory.create())
    client.force_login(citizen)
    for url in pages(s)[:2]:
        assert "신청 확정" in client.get(url).content.decode(), url
        assert "신청 확정" not in other.get(url).content.decode(), url
        assert "신청 확정" not in Client().get(url).content.decode(), url


def test_a_kept_search_page_is_never_served_over_a_viewers_own_place(client: Client) -> None:
    # The anonymous page is kept first; the citizen's page, with their place, is theirs.
    s = session(capacity=3)
    citizen = UserFactory.create()
    services.enrol(s.pk, citizen)
    assert "신청 확정" not in Client().get(SEARCH).content.decode()
    client.force_login(citizen)
    assert "신청 확정" in client.get(SEARCH).content.decode()
    assert "신청 확정" not in Client().get(SEARCH).content.decode()


def test_the_clock_moves_a_kept_search_page() -> None:
    # Nothing is bumped when a deadline passes or a session starts: both are in the key.
    # (Within the hour the fragments are kept: a longer jump would only expire them.)
    now = timezone.now()
    soon = session(starts_at=now + dt.timedelta(minutes=40), enrolment_deadline=now + dt.timedelta(minutes=20))
    session(starts_at=seoul(next_weekday(1) + 7))
    detail = reverse("programmes:session_detail", args=[soon.pk])
    enrol_link = reverse("programmes:enrol", args=[soon.pk])
    page = Client().get(SEARCH).content.decode()
    assert "일정 2건" in page and enrol_link in page
    with time_machine.travel(soon.enrolment_deadline + dt.timedelta(minutes=1)):
        page = Client().get(SEARCH).content.decode()
        assert "일정 2건" in page and detail in page and enrol_link not in page
    with time_machine.travel(soon.starts_at + dt.timedelta(minutes=1)):
        page = Client().get(SEARCH).content.decode()
        assert "일정 1건" in page and detail not in page


def test_a_kept_search_page_repeats_its_own_query_string_in_the_page_links() -> None:
    programme = ProgrammeFactory.create()
    for day in range(3, 3 + PAGE_SIZE + 2):
        session(programme=programme, starts_at=seoul(day))
    urls = [f"{SEARCH}?page=2&programme={programme.slug}", f"{SEARCH}?programme={programme.slug}&page=2", f"{SEARCH}?page=2"]
    kept = [Client().get(url).content.decode() for url in urls for _ in range(2)][1::2]
    forget_all()
    fresh = [Client().get(url).content.decode() for url in urls]
    assert [_no_token(p) for p in kept] == [_no_token(p) for p in fresh]
    assert f'href="?programme={programme.slug}&amp;page=1"' in kept[1]
    assert f'href="?page=1&amp;programme={programme.slug}"' in kept[0]


def test_a_session_starting_on_a_later_page_changes_the_count_on_a_kept_first_page() -> None:
    # The first page's cards stay the same; only the number found moves, so it is in the key.
    first = ProgrammeFactory.create(track=Track.EMPLOYED_TIER)
    later = ProgrammeFactory.create(track=Track.OTHER)  # listed after every session of `first`
    for day in range(3, 3 + PAGE_SIZE):
        session(programme=first, starts_at=seoul(day))
    now = timezone.now()
    soon = session(programme=later, starts_at=now + dt.timedelta(minutes=40), enrolment_deadline=now + dt.timedelta(minutes=20))
    session(programme=later, starts_at=seoul(3 + PAGE_SIZE))
    assert f"일정 {PAGE_SIZE + 2}건" in Client().get(SEARCH).content.decode()
    with time_machine.travel(soon.starts_at + dt.timedelta(minutes=1)):
        assert f"일정 {PAGE_SIZE + 1}건" in Client().get(SEARCH).content.decode()


def _no_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_a_kept_session_page_is_per_sign_in_state_and_never_over_a_viewers_own_place(client: Client) -> None:
    s = session(capacity=3)
    url = reverse("programmes:session_detail", args=[s.pk])
    citizen = UserFactory.create()
    services.enrol(s.pk, citizen)
    other = Client()
    other.force_login(UserFactory.create())
    client.force_login(citizen)
    hint, mine, enrol_link = "신청하려면 로그인해야 합니다.", reverse("programmes:my_enrolments"), reverse("programmes:enrol", args=[s.pk])
    for _ in range(2):
        anonymous, theirs, someone = (c.get(url).content.decode() for c in (Client(), client, other))
        assert hint in anonymous and enrol_link in anonymous and "잔여 2석" in anonymous
        assert hint not in theirs and enrol_link not in theirs and f'class="krds-btn secondary large" href="{mine}"' in theirs
        assert hint not in someone and enrol_link in someone and "잔여 2석" in someone
