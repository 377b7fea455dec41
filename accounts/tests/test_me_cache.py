"""/me/'s main part is kept while what it shows is unchanged (core/page_cache.py,
accounts/me_version.py): served again with fewer queries, never stale whoever changes a row
it shows and however (these tests change rows with QuerySet.update, which no signal sees),
and always with the requester's own CSRF token."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ConsentText
from aftercare.models import Feedback, FeedbackAbout
from catalog.models import Service
from counselling.models import Booking, BookingStatus, Slot
from journeys.models import Plan, PlanStep
from programmes.models import Centre, Enrolment, Programme, Session
from referrals.models import Partner, Referral, ReferralEvent
from tests.test_query_budget import _busy_citizen

ME = "/me/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_reference_data")]


def _page(client: Client) -> str:
    response = client.get(ME)
    assert response.status_code == 200
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', response.content.decode())


@pytest.fixture
def person() -> User:
    return _busy_citizen(1)


@pytest.fixture
def client_of(person: User) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_second_visit_is_served_from_the_kept_part(client_of: Client) -> None:
    first = _page(client_of)
    with CaptureQueriesContext(connection) as queries:
        second = _page(client_of)
    assert second == first
    assert len(queries) == 3  # session, person and the version: nothing of the page's own


def test_the_kept_part_carries_each_browsers_own_csrf_token(person: User) -> None:
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for client in (first, second):
        client.force_login(person)
    first.get(ME)
    page = second.get(ME).content.decode()  # served from what `first` made
    step = PlanStep.objects.filter(plan__owner=person).first()
    assert step is not None
    token = re.search(rf'action="/me/steps/{step.pk}/">\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = second.post(f"/me/steps/{step.pk}/", {"done": "1", "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302  # accepted: the token is second's own, not first's


def _step_done(p: User) -> None:
    PlanStep.objects.filter(plan__owner=p, position=1).update(done_at=timezone.now())


def _step_renamed(p: User) -> None:
    PlanStep.objects.filter(plan__owner=p, position=2).update(title="이름을 바꾼 할 일")


def _plan_archived(p: User) -> None:
    Plan.objects.filter(owner=p).update(status="archived")


def _place_cancelled(p: User) -> None:
    Enrolment.objects.filter(user=p).update(status="cancelled")


def _session_moved(p: User) -> None:
    Session.objects.filter(enrolments__user=p).update(starts_at=F("starts_at") + dt.timedelta(days=1), ends_at=F("ends_at") + dt.timedelta(days=1))


def _programme_renamed(p: User) -> None:
    Programme.objects.filter(sessions__enrolments__user=p).update(name_ko="새 이름의 교육")


def _booking_cancelled(p: User) -> None:
    Booking.objects.filter(citizen=p, status=BookingStatus.CONFIRMED).update(status=BookingStatus.CANCELLED)


def _appointment_moved(p: User) -> None:
    Slot.objects.filter(bookings__citizen=p, bookings__status=BookingStatus.CONFIRMED).update(
        starts_at=F("starts_at") + dt.timedelta(hours=2), ends_at=F("ends_at") + dt.timedelta(hours=2)
    )


def _centre_renamed(p: User) -> None:
    Centre.objects.filter(counselling_slots__bookings__citizen=p).update(name="새 이름의 센터")


def _referral_answered(p: User) -> None:
    Referral.objects.filter(citizen=p).update(status="in_progress", status_changed_at=timezone.now())


def _referral_event(p: User) -> None:
    referral = Referral.objects.get(citizen=p)
    ReferralEvent.objects.create(referral=referral, to_status="contacted", actor_label="partner-api:x", source="api")


def _service_renamed(p: User) -> None:
    Service.objects.filter(referrals__citizen=p).update(name_ko="새 이름의 서비스")


def _partner_stops_self_referrals(p: User) -> None:
    Referral.objects.filter(citizen=p).delete()  # the open referral would hide the link otherwise
    Partner.objects.update(accepts_self_referral=False)


def _feedback_given(p: User) -> None:
    enrolment = Enrolment.objects.get(user=p)
    Feedback.objects.create(citizen=p, about=FeedbackAbout.SESSION, about_id=enrolment.pk, score=5)


def _notice_replaced(p: User) -> None:
    ConsentText.objects.update(is_current=False)


def _email_changed(p: User) -> None:
    User.objects.filter(pk=p.pk).update(email="new-address@example.com")


CHANGES: dict[str, Callable[[User], None]] = {
    f.__name__.strip("_"): f
    for f in (
        _step_done, _step_renamed, _plan_archived, _place_cancelled, _session_moved, _programme_renamed,
        _booking_cancelled, _appointment_moved, _centre_renamed, _referral_answered, _referral_event,
        _service_renamed, _partner_stops_self_referrals, _feedback_given, _notice_replaced, _email_changed,
    )
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_change_to_a_row_the_page_shows_shows_at_once(change: str, person: User, client_of: Client) -> None:
    before = _page(client_of)
    CHANGES[change](person)
    kept = _page(client_of)
    caches["personal"].clear()
    assert kept == _page(client_of)  # what a fresh rendering shows
    assert kept != before  # and the change is on the page


def test_the_clock_passing_a_sessions_start_shows_at_once(person: User, client_of: Client) -> None:
    before = _page(client_of)
    starts_at = Session.objects.filter(enrolments__user=person).values_list("starts_at", flat=True).get()
    with time_machine.travel(starts_at + dt.timedelta(minutes=1)):
        kept = _page(client_of)
        caches["personal"].clear()
        assert kept == _page(client_of)
    assert kept != before
