"""Text messages (문자). The gateway is a pluggable `SmsBackend` (setting `SMS_BACKEND`,
a dotted path); the default `LogSmsBackend` writes each message to the `lifecareer.sms`
logger, so development and tests need no gateway. A real gateway (e.g. a 문자 발송 API
of a telecom reseller) is one class with `send_text` that raises on failure."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from notifications.models import Notification

logger = logging.getLogger("lifecareer.sms")

# Korean carriers split long texts: up to 90 bytes (EUC-KR) is an SMS, longer an LMS.
# We keep texts short and put the detail behind a link.
MAX_CHARS = 300


class SmsBackend(Protocol):
    def send_text(self, phone: str, text: str) -> None: ...


class LogSmsBackend:
    def send_text(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


def backend() -> SmsBackend:
    backend_class = import_string(settings.SMS_BACKEND)
    instance: SmsBackend = backend_class()
    return instance


class SmsChannel:
    name = "sms"

    def send(self, notification: Notification) -> None:
        backend().send_text(notification.phone, notification.body[:MAX_CHARS])


channel = SmsChannel()
