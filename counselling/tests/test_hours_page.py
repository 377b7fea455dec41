"""The counsellor's hours page: adding and removing weekly hours and exceptions through the
page, Korean errors that keep what was typed, and slots following at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from counselling.models import HoursException, Slot, WeeklyHours
from counselling.tests.factories import CounsellorFactory, centre_of

pytestmark = pytest.mark.django_db
URL = "/counsellor/hours/"


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def hours_post(counsellor: User, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {
        "action": "add_hours", "h-centre": centre_of(counsellor).pk, "h-weekday": "2",
        "h-starts": "18:00", "h-ends": "20:00", "h-slot_minutes": "60", "h-modes": ["phone", "video"],
    }
    data.update(fields)
    return data


def test_the_page_shows_the_forms() -> None:
    html = client_for(CounsellorFactory.create()).get(URL).content.decode()
    assert "상담 가능 시간" in html and 'name="h-starts"' in html and 'name="x-date"' in html


def test_adding_evening_hours_makes_slots() -> None:
    counsellor = CounsellorFactory.create()
    response = client_for(counsellor).post(URL, hours_post(counsellor))
    assert response.status_code == 302
    row = WeeklyHours.objects.get(counsellor=counsellor)
    assert (row.weekday, row.starts, row.ends, row.modes) == (2, dt.time(18), dt.time(20), ["phone", "video"])
    assert Slot.objects.filter(counsellor=counsellor, starts_at__gt=timezone.now()).count() >= 10  # six Wednesdays × 2


def test_an_end_before_the_start_is_refused_in_korean_and_the_input_kept() -> None:
    counsellor = CounsellorFactory.create()
    response = client_for(counsellor).post(URL, hours_post(counsellor, **{"h-starts": "19:00", "h-ends": "18:00"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "종료 시각은 시작 시각보다 늦어야 합니다" in html
    assert 'value="19:00"' in html
    assert not WeeklyHours.objects.exists()


def test_overlapping_hours_are_refused() -> None:
    counsellor = CounsellorFactory.create()
    client = client_for(counsellor)
    client.post(URL, hours_post(counsellor))
    html = client.post(URL, hours_post(counsellor, **{"h-starts": "19:00", "h-ends": "21:00"})).content.decode()
    assert "겹칩니다" in html and "수요일" in html
    assert WeeklyHours.objects.count() == 1


def test_removing_hours_withdraws_their_free_slots() -> None:
    counsellor = CounsellorFactory.create()
    client = client_for(counsellor)
    client.post(URL, hours_post(counsellor))
    row = WeeklyHours.objects.get()
    assert client.post(URL, {"action": "remove_hours", "row": row.pk}).status_code == 302
    assert not Slot.objects.filter(counsellor=counsellor, withdrawn=False).exists()


def test_a_day_off_and_its_removal() -> None:
    counsellor = CounsellorFactory.create()
    client = client_for(counsellor)
    day = timezone.localdate() + dt.timedelta(days=9)
    assert client.post(URL, {"action": "add_exception", "x-date": day.isoformat(), "x-reason": "연차"}).status_code == 302
    exception = HoursException.objects.get(counsellor=counsellor)
    assert exception.reason == "연차" and exception.starts is None
    assert client.post(URL, {"action": "remove_exception", "row": exception.pk}).status_code == 302
    assert not HoursException.objects.exists()


def test_an_exception_with_only_a_start_is_refused() -> None:
    counsellor = CounsellorFactory.create()
    day = timezone.localdate() + dt.timedelta(days=9)
    html = client_for(counsellor).post(URL, {"action": "add_exception", "x-date": day.isoformat(), "x-starts": "10:00"}).content.decode()
    assert "시작과 종료를 모두 입력하세요" in html


def test_someone_elses_row_cannot_be_removed() -> None:
    owner, other = CounsellorFactory.create(), CounsellorFactory.create()
    client_for(owner).post(URL, hours_post(owner))
    row = WeeklyHours.objects.get()
    html = client_for(other).post(URL, {"action": "remove_hours", "row": row.pk}).content.decode()
    assert "이미 지워졌거나 없는 상담 시간입니다" in html
    assert WeeklyHours.objects.filter(pk=row.pk).exists()


def test_an_unknown_action_is_404() -> None:
    assert client_for(CounsellorFactory.create()).post(URL, {"action": "nonsense"}).status_code == 404
