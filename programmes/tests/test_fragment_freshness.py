"""The public pages render programmes and sessions once per process (core.fragments, scope
"programmes"): a change made through the service layer shows on the next request, seat
counts follow every enrolment at once, and a viewer's own place is never shown to another."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from programmes import services
from programmes.models import Programme
from programmes.tests.factories import UserFactory, enrol_many, session

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
