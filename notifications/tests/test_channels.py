from __future__ import annotations

import logging
from typing import Any

import pytest

from notifications import services
from notifications.channels import get_channel
from notifications.models import Notification, SmsContact
from notifications.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_email_goes_over_real_smtp(smtp_inbox: Any) -> None:
    row, _ = services.enqueue(kind="other", dedupe_key="c:1", address="lee@example.com", subject="제목", body="본문 한글")
    services.deliver(row.pk)
    (message,) = smtp_inbox.messages
    assert message["To"] == "lee@example.com" and message["Subject"] == "제목"
    assert "본문 한글" in message.get_content()


def test_sms_is_written_to_the_sms_log(caplog: Any) -> None:
    row, _ = services.enqueue(kind="other", dedupe_key="c:2", channel="sms", phone="010-1234-5678", body="내일 교육이 있습니다.")
    with caplog.at_level(logging.INFO, logger="lifecareer.sms"):
        services.deliver(row.pk)
    assert "010-1234-5678" in caplog.text and "내일 교육이 있습니다." in caplog.text
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT


def test_the_sms_backend_is_a_setting(settings: Any) -> None:
    settings.SMS_BACKEND = "notifications.tests.test_channels.RecordingBackend"
    RecordingBackend.sent = []
    get_channel("sms").send(Notification(channel="sms", phone="01000000000", body="x"))
    assert RecordingBackend.sent == [("01000000000", "x")]


def test_a_person_gets_a_text_only_if_they_opted_in(caplog: Any) -> None:
    with_phone, without = make_user(), make_user()
    SmsContact.objects.create(user=with_phone, phone="010-0000-0001", notice_version=SmsContact.NOTICE_VERSION)
    for user in (with_phone, without):
        services.notify_person(user, kind="other", key=f"p:{user.pk}", subject="s", body="b", sms_text="문자")
    channels = sorted(Notification.objects.values_list("recipient_id", "channel"))
    assert channels == sorted([(with_phone.pk, "email"), (with_phone.pk, "sms"), (without.pk, "email")])


def test_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError):
        get_channel("pigeon")


class RecordingBackend:
    sent: list[tuple[str, str]] = []

    def send_text(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))
