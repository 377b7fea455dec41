"""Delivery channels. Each module has the same small shape: a class with `name` and
`send(notification)`, which raises on failure and returns only when the message was
handed over (SMTP accepted it, the SMS gateway said OK). `get_channel` picks one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from notifications.models import Notification


class Channel(Protocol):
    name: str

    def send(self, notification: Notification) -> None: ...


def get_channel(name: str) -> Channel:
    from notifications.channels import email, sms

    channels: dict[str, Channel] = {email.channel.name: email.channel, sms.channel.name: sms.channel}
    try:
        return channels[name]
    except KeyError:
        raise ValueError(f"unknown notification channel {name!r}") from None
