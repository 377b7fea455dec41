"""Messages written by the worker at delivery (notifications/composers.py, ADR 0014)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from notifications import composers, personal_data, services
from notifications.models import Notification, SmsContact
from notifications.tests.factories import make_user

pytestmark = pytest.mark.django_db
Status = Notification.Status

GREETING = "test.greeting"
BROKEN = "test.broken"


def greeting(args: dict[str, Any]) -> composers.Composed:
    name = args["name"]
    return composers.Composed(
        subject=f"{name}님께", body=f"{name}님, 안녕하세요.\n", sms=f"{name}님 안녕하세요",
        attachments=[services.Attachment("a.ics", "BEGIN:VCALENDAR", "text/calendar")],
    )


def broken(args: dict[str, Any]) -> composers.Composed:
    raise LookupError("the booking is gone")


composers.register(GREETING, greeting)
composers.register(BROKEN, broken)


def later(name: str = "김하나", composer: str = GREETING) -> composers.Later:
    return composers.Later(composer, {"name": name})


def test_the_action_writes_no_text_only_the_composer() -> None:
    row, _ = services.enqueue(kind="other", dedupe_key="c:1", address="a@example.com", later=later(), deliver=False)
    row.refresh_from_db()
    assert (row.subject, row.body, row.attachments) == ("", "", [])
    assert (row.composer, row.composer_args) == (GREETING, {"name": "김하나"})


def test_delivery_writes_the_message_sends_it_and_keeps_it() -> None:
    row, _ = services.enqueue(kind="other", dedupe_key="c:2", address="a@example.com", later=later(), deliver=False)
    assert services.deliver(row.pk) == Status.SENT
    [message] = mail.outbox
    assert (message.subject, message.body) == ("김하나님께", "김하나님, 안녕하세요.\n")
    assert message.attachments[0][:2] == ("a.ics", "BEGIN:VCALENDAR")
    row.refresh_from_db()
    assert (row.subject, row.body, row.attachments[0]["filename"]) == ("김하나님께", "김하나님, 안녕하세요.\n", "a.ics")


def test_the_text_message_row_gets_the_composers_short_text() -> None:
    user = make_user()
    SmsContact.objects.create(user=user, phone="010-1234-5678", notice_version=SmsContact.NOTICE_VERSION)
    rows = services.notify_person(user, kind="other", key="c:3", later=later())
    sms = next(r for r in rows if r.channel == Notification.Channel.SMS)
    assert services.deliver(sms.pk) == Status.SENT
    sms.refresh_from_db()
    assert (sms.subject, sms.body, sms.attachments) == ("", "김하나님 안녕하세요", [])


def test_no_text_message_row_when_the_composer_has_no_short_text() -> None:
    user = make_user()
    SmsContact.objects.create(user=user, phone="010-1234-5678", notice_version=SmsContact.NOTICE_VERSION)
    rows = services.notify_person(user, kind="other", key="c:4", later=composers.Later(GREETING, {"name": "김"}, sms=False))
    assert [r.channel for r in rows] == [Notification.Channel.EMAIL]


def test_a_composer_that_fails_leaves_the_row_to_be_tried_again() -> None:
    row, _ = services.enqueue(kind="other", dedupe_key="c:5", address="a@example.com", later=later(composer=BROKEN), deliver=False)
    assert services.deliver(row.pk) == Status.PENDING
    row.refresh_from_db()
    assert "the booking is gone" in row.last_error and row.body == "" and mail.outbox == []


def test_a_row_with_an_unknown_composer_is_not_sent() -> None:
    row, _ = services.enqueue(kind="other", dedupe_key="c:6", address="a@example.com", later=later(composer="test.nobody"), deliver=False)
    assert services.deliver(row.pk) == Status.PENDING
    row.refresh_from_db()
    assert "no composer named 'test.nobody'" in row.last_error and mail.outbox == []


def test_a_message_is_written_either_now_or_by_its_composer() -> None:
    with pytest.raises(ValueError):
        services.enqueue(kind="other", dedupe_key="c:7", address="a@example.com", body="본문", later=later())
    with pytest.raises(ValueError):
        services.enqueue(kind="other", dedupe_key="c:8", address="a@example.com")


def test_a_composer_name_is_taken_once() -> None:
    composers.register(GREETING, greeting)  # the same one again: nothing changes
    with pytest.raises(ValueError):
        composers.register(GREETING, broken)


def test_the_export_shows_a_waiting_message_as_it_will_be_sent() -> None:
    user = make_user()
    services.notify_person(user, kind="other", key="c:9", later=later())
    [message] = personal_data.export(user)["messages"]
    assert (message["subject"], message["body"], message["status"]) == ("김하나님께", "김하나님, 안녕하세요.\n", Status.PENDING)
    assert Notification.objects.get().body == ""  # the export reads; it does not write


def test_the_export_shows_no_text_for_a_waiting_message_whose_subject_is_gone() -> None:
    user = make_user()
    services.notify_person(user, kind="other", key="c:10", later=later(composer=BROKEN))
    [message] = personal_data.export(user)["messages"]
    assert (message["subject"], message["body"], message["status"]) == ("", "", Status.PENDING)
