"""Booking mail reaches a real (local) SMTP server with a calendar file; the reminder the
day before goes once per booking."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar

from counselling import reminders, services
from counselling.models import Booking, Mode, Topic
from counselling.tests.factories import UserFactory, slot, slots
from notifications.schedules import SCHEDULES

pytestmark = pytest.mark.django_db(transaction=True)


def calendars(message: EmailMessage) -> list[Calendar]:
    return [Calendar.from_ical(p.get_payload(decode=True)) for p in message.walk() if p.get_content_type() == "text/calendar"]


def text(message: EmailMessage) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]


def book(person: Any, target: Any) -> Booking:
    return services.book(person, target.pk, mode=Mode.PHONE, topic=Topic.UNSURE, share=[])


def test_a_booking_is_confirmed_by_mail_with_an_ics(smtp_inbox: Any) -> None:
    s = slot()
    booking = book(UserFactory.create(email="lee@example.com"), s)
    [message] = smtp_inbox.messages
    assert message["To"] == "lee@example.com"
    assert "확정" in message["Subject"]
    assert s.centre.name in text(message) and "전화" in text(message)
    [cal] = calendars(message)
    assert str(cal["METHOD"]) == "PUBLISH"
    [event] = cal.walk("VEVENT")
    assert event.decoded("DTSTART") == s.starts_at and event.decoded("DTEND") == s.ends_at
    assert str(event["UID"]).startswith(f"counselling-booking-{booking.pk}@")


def test_cancelling_mails_a_cancel_ics_for_the_same_event(smtp_inbox: Any) -> None:
    person = UserFactory.create()
    booking = book(person, slot())
    services.cancel(person, booking.pk)
    message = smtp_inbox.messages[-1]
    assert "취소" in message["Subject"]
    [cal] = calendars(message)
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(cal.walk("VEVENT")[0]["UID"]).startswith(f"counselling-booking-{booking.pk}@")


def test_rescheduling_mails_once_with_the_new_time_and_the_old_one_cancelled(smtp_inbox: Any) -> None:
    person = UserFactory.create()
    a, b = slots(2)
    old = book(person, a)
    new = services.reschedule(person, old.pk, b.pk)
    assert len(smtp_inbox.messages) == 2
    message = smtp_inbox.messages[-1]
    assert "옮겼습니다" in message["Subject"]
    methods = {str(c["METHOD"]): str(c.walk("VEVENT")[0]["UID"]) for c in calendars(message)}
    assert methods["PUBLISH"].startswith(f"counselling-booking-{new.pk}@")
    assert methods["CANCEL"].startswith(f"counselling-booking-{old.pk}@")


def test_the_reminder_goes_the_day_before_once(smtp_inbox: Any) -> None:
    s = slot()
    booking = book(UserFactory.create(), s)
    Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - dt.timedelta(days=7))
    assert reminders.send_reminders(now=s.starts_at - dt.timedelta(days=2)) == 0
    assert reminders.send_reminders(now=s.starts_at - dt.timedelta(hours=20)) == 1
    assert reminders.send_reminders(now=s.starts_at - dt.timedelta(hours=19)) == 0
    message = smtp_inbox.messages[-1]
    assert "내일" in message["Subject"]
    assert len(smtp_inbox.messages) == 2


def test_no_reminder_for_a_booking_made_within_the_day_or_cancelled(smtp_inbox: Any) -> None:
    person = UserFactory.create()
    a, b = slots(2)
    late = book(person, a)
    Booking.objects.filter(pk=late.pk).update(created_at=a.starts_at - dt.timedelta(hours=13))  # booked within the day
    cancelled = book(person, b)
    Booking.objects.filter(pk=cancelled.pk).update(created_at=timezone.now() - dt.timedelta(days=7))
    services.cancel(person, cancelled.pk)
    assert reminders.send_reminders(now=a.starts_at - dt.timedelta(hours=12)) == 0


def test_the_reminder_job_is_scheduled_and_runs() -> None:
    from counselling import jobs

    assert jobs.send_reminders() == 0
    assert ("counselling.reminders", "counselling.jobs.send_reminders") in {(p.name, p.func) for p in SCHEDULES}
