"""Reminders three days and one day before a session, each sent once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from notifications.models import Notification, SmsContact
from programmes import services
from programmes.reminders import send_reminders
from rescue.tests.rescue_factories import (
    at,
    centre,
    enrol,
    programme,
    session,
)

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def upcoming() -> Any:
    starts = at(10)
    return session(programme(), where=centre("11"), starts_at=starts)


def reminders() -> Any:
    return Notification.objects.filter(kind__in=[Kind.REMINDER_3D, Kind.REMINDER_1D])


def kinds() -> list[tuple[str, str]]:
    return sorted(reminders().values_list("kind", "channel"))


def test_three_days_before_a_reminder_goes_out_once(upcoming: Any) -> None:
    (place,) = enrol(upcoming, 1)
    with time_machine.travel(upcoming.starts_at - dt.timedelta(days=2, hours=20)):
        assert send_reminders() == 1
        assert send_reminders() == 0
    (row,) = reminders()
    assert row.kind == Kind.REMINDER_3D and row.dedupe_key == f"reminder_3d:session:{upcoming.pk}:user:{place.user_id}:email"
    assert row.attachments[0]["mimetype"].startswith("text/calendar")


def test_one_day_before_the_second_reminder_goes_out(upcoming: Any) -> None:
    enrol(upcoming, 1)
    with time_machine.travel(upcoming.starts_at - dt.timedelta(days=2, hours=20)):
        send_reminders()
    with time_machine.travel(upcoming.starts_at - dt.timedelta(hours=20)):
        send_reminders()
    assert kinds() == [(Kind.REMINDER_1D, "email"), (Kind.REMINDER_3D, "email")]


def test_nothing_a_week_before(upcoming: Any) -> None:
    enrol(upcoming, 1)
    with time_machine.travel(upcoming.starts_at - dt.timedelta(days=6)):
        assert send_reminders() == 0


def test_waitlisted_and_cancelled_places_get_no_reminder(upcoming: Any) -> None:
    small = session(programme(), where=centre("11"), starts_at=upcoming.starts_at, capacity=1, min_enrolment=1)
    _seat, waiting = enrol(small, 2)
    (gone,) = enrol(upcoming, 1)
    services.cancel_enrolment(gone.pk)
    with time_machine.travel(upcoming.starts_at - dt.timedelta(hours=20)):
        send_reminders()
    assert not reminders().filter(recipient=waiting.user).exists()
    assert not reminders().filter(recipient=gone.user).exists()


def test_someone_who_enrolled_after_the_reminder_moment_is_not_reminded(upcoming: Any) -> None:
    with time_machine.travel(upcoming.starts_at - dt.timedelta(days=2)):
        enrol(upcoming, 1)
        assert send_reminders() == 0


def test_people_who_opted_in_also_get_a_text(upcoming: Any) -> None:
    (place,) = enrol(upcoming, 1)
    SmsContact.objects.create(user=place.user, phone="010-2222-3333", notice_version=SmsContact.NOTICE_VERSION)
    with time_machine.travel(upcoming.starts_at - dt.timedelta(hours=20)):
        send_reminders()
    sms = reminders().get(channel="sms")
    assert sms.phone == "010-2222-3333" and len(sms.body) < 120 and timezone.localtime(upcoming.starts_at).strftime("%H:%M") in sms.body
