"""E-mail: Django's mail framework (SMTP in production, `EMAIL_*` settings), with text
attachments such as an iCalendar file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage

if TYPE_CHECKING:
    from notifications.models import Notification


class EmailChannel:
    name = "email"

    def build(self, notification: Notification) -> EmailMessage:
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.address],
            headers={"X-Lifecareer-Notification": notification.dedupe_key},
        )
        for item in notification.attachments:
            message.attach(item["filename"], item["content"], item.get("mimetype", "text/plain"))
        return message

    def send(self, notification: Notification) -> None:
        self.build(notification).send(fail_silently=False)


channel = EmailChannel()
