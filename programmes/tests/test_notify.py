"""Messages reach a real (local) SMTP server, with a calendar file people can import."""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from icalendar import Calendar

from programmes import services
from programmes.tests.factories import UserFactory, enrol_many, session

pytestmark = pytest.mark.django_db(transaction=True)


def calendar_of(message: EmailMessage) -> Calendar:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "exactly one calendar attachment"
    assert parts[0].get_filename() == "lifecareer-session.ics"
    return Calendar.from_ical(parts[0].get_payload(decode=True))


def only_event(cal: Calendar) -> Any:
    events = cal.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_a_confirmed_place_is_mailed_with_an_ics_for_the_session(smtp_inbox: Any) -> None:
    s = session()
    person = UserFactory.create(email="kim@example.com")
    enrolment = services.enrol(s.pk, person)

    [message] = smtp_inbox.messages
    assert message["To"] == "kim@example.com"
    assert "확정" in message["Subject"]
    assert s.programme.name_ko in message.get_body(preferencelist=("plain",)).get_content()
    cal = calendar_of(message)
    assert str(cal["METHOD"]) == "PUBLISH"
    event = only_event(cal)
    assert event.decoded("DTSTART") == s.starts_at
    assert event.decoded("DTEND") == s.ends_at
    assert str(event["SUMMARY"]) == s.programme.name_ko
    assert s.centre.name in str(event["LOCATION"])  # type: ignore[union-attr]
    assert str(event["UID"]).startswith(f"enrolment-{enrolment.pk}@")


def test_a_waitlisted_place_is_mailed_its_position_without_a_calendar(smtp_inbox: Any) -> None:
    s = session(capacity=1)
    enrol_many(s, 2)
    message = smtp_inbox.messages[-1]
    assert "대기" in message["Subject"]
    assert "대기 순번은 1번" in message.get_body(preferencelist=("plain",)).get_content()
    assert not [p for p in message.walk() if p.get_content_type() == "text/calendar"]


def test_the_promoted_person_is_told_and_gets_the_calendar(smtp_inbox: Any) -> None:
    s = session(capacity=1)
    holder, waiting = enrol_many(s, 2)
    smtp_inbox.messages.clear()

    services.cancel_enrolment(holder.pk)

    by_recipient = {m["To"]: m for m in smtp_inbox.messages}
    promoted = by_recipient[waiting.user.email]
    assert "대기 중이던 신청이 확정" in promoted["Subject"]
    assert str(calendar_of(promoted)["METHOD"]) == "PUBLISH"
    cancelled = by_recipient[holder.user.email]
    assert str(calendar_of(cancelled)["METHOD"]) == "CANCEL"
    assert str(only_event(calendar_of(cancelled))["UID"]).startswith(f"enrolment-{holder.pk}@")


def test_a_demo_session_is_marked_in_the_mail_and_the_calendar(smtp_inbox: Any) -> None:
    from programmes.models import Session

    s = session()
    Session.objects.filter(pk=s.pk).update(is_demo=True)
    services.enrol(s.pk, UserFactory.create())
    [message] = smtp_inbox.messages
    assert "시연용 일정" in message["Subject"]
    assert "시연용 일정" in str(only_event(calendar_of(message))["SUMMARY"])


def test_nothing_is_sent_when_the_action_is_rolled_back() -> None:
    s = session()
    mail.outbox.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.enrol(s.pk, UserFactory.create())
        raise RuntimeError("rolled back")
    assert mail.outbox == []


def test_a_session_cancellation_tells_everyone_holding_a_place() -> None:
    s = session(capacity=1)
    enrol_many(s, 2)
    mail.outbox.clear()
    services.cancel_session(s.pk)
    assert len(mail.outbox) == 2
    assert all("회차가 취소" in m.subject for m in mail.outbox)
