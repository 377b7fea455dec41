"""The counsellor's workspace: today's appointments, the caseload, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import AccessLog
from core.tests.factories import UserFactory
from core.vocabulary import SEOUL
from counselling.models import AgreedStep, Case
from counselling.tests.factories import (
    BookingFactory,
    CaseFactory,
    CounsellorFactory,
    SlotFactory,
    centre_of,
    seoul_at,
)

pytestmark = pytest.mark.django_db

URL = "/counsellor/"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def caseload(counsellor: User, n: int) -> list[Case]:
    cases = []
    for i in range(n):
        case = CaseFactory.create(centre=centre_of(counsellor), counsellor=counsellor, share=[])
        AgreedStep.objects.create(case=case, title=f"단계 {i}", due_on=dt.date(2030, 1, 1 + i))
        cases.append(case)
    return cases


def early_today(minutes: int = 30) -> dt.datetime:
    """A time earlier today in Seoul (still "today" whenever the test runs)."""
    return dt.datetime.combine(timezone.localdate(), dt.time(0), tzinfo=SEOUL) + dt.timedelta(minutes=minutes)


def test_the_url_is_named() -> None:
    assert reverse("counselling:workspace") == URL


def test_today_lists_the_appointment_with_mode_topic_and_the_persons_address() -> None:
    counsellor = CounsellorFactory.create()
    start = early_today()
    person = UserFactory.create(username="today@example.com", email="today@example.com")
    BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor, starts_at=start, ends_at=start + dt.timedelta(minutes=30)), citizen=person, mode="video")
    html = client_for(counsellor).get(URL).content.decode()
    assert "today@example.com" in html and "화상" in html and "재취업" in html


def test_each_appointment_and_case_links_to_its_case_page() -> None:
    counsellor = CounsellorFactory.create()
    start = early_today()
    booking = BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor, starts_at=start, ends_at=start + dt.timedelta(minutes=30)))
    listed = caseload(counsellor, 2)
    html = client_for(counsellor).get(URL).content.decode()
    for case_id in [booking.case_id, *(case.pk for case in listed)]:
        assert f'href="{reverse("counselling:case", args=[case_id])}"' in html


def test_the_caseload_shows_next_step_and_flags_six_weeks_without_contact() -> None:
    counsellor = CounsellorFactory.create()
    quiet, recent = caseload(counsellor, 2)
    Case.objects.filter(pk=quiet.pk).update(opened_at=timezone.now() - dt.timedelta(weeks=7))
    Case.objects.filter(pk=recent.pk).update(last_contact_at=timezone.now() - dt.timedelta(days=3))
    html = client_for(counsellor).get(URL).content.decode()
    assert html.count("6주 이상 연락 없음") == 1
    assert "단계 0" in html and "단계 1" in html


def test_cases_of_other_counsellors_are_not_listed() -> None:
    counsellor = CounsellorFactory.create()
    other = CaseFactory.create(centre=centre_of(counsellor), counsellor=CounsellorFactory.create(centre=centre_of(counsellor)), share=[])
    html = client_for(counsellor).get(URL).content.decode()
    assert other.citizen.email not in html


def test_each_listed_person_gets_one_access_row() -> None:
    counsellor = CounsellorFactory.create()
    cases = caseload(counsellor, 3)
    client_for(counsellor).get(URL)
    assert sorted(AccessLog.objects.values_list("subject_id", flat=True)) == sorted(str(c.citizen_id) for c in cases)


def test_the_query_count_does_not_grow_with_the_caseload() -> None:
    counsellor = CounsellorFactory.create()
    client = client_for(counsellor)
    caseload(counsellor, 1)
    client.get(URL)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    caseload(counsellor, 8)
    for case in Case.objects.all()[:3]:
        BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor, starts_at=early_today(minutes=30 * case.pk % 600)), citizen=case.citizen)
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many.captured_queries) == len(one.captured_queries)
    assert len(one.captured_queries) <= 10


def test_a_citizen_gets_403() -> None:
    assert client_for(UserFactory.create()).get(URL).status_code == 403


def test_the_coming_week_is_listed_and_later_days_are_not() -> None:
    counsellor = CounsellorFactory.create()
    in_three_days = UserFactory.create(username="soon@example.com", email="soon@example.com")
    in_ten_days = UserFactory.create(username="later@example.com", email="later@example.com")
    BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor, starts_at=seoul_at(3, 10)), citizen=in_three_days)
    BookingFactory.create(slot=SlotFactory.create(counsellor=counsellor, starts_at=seoul_at(10, 10)), citizen=in_ten_days)
    html = client_for(counsellor).get(URL).content.decode()
    appointments = html.split("맡은 사례")[0]  # the caseload below lists both people
    assert "soon@example.com" in appointments
    assert "later@example.com" not in appointments
