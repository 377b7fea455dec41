"""Texts of the messages about sessions sent through the outbox (reminders here; rescue
offers, invitations and staff prompts in the rescue app). Each message is three templates
named by a prefix such as `programmes/messages/reminder`: `<prefix>_subject.txt`,
`<prefix>_body.txt` and, for people, `<prefix>_sms.txt` (short: the detail is behind the link)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    sms: str


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def url(name: str, *args: Any) -> str:
    return absolute(reverse(name, args=args))


def render(prefix: str, context: dict[str, Any], *, sms: bool = True) -> Rendered:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        body = render_to_string(f"{prefix}_body.txt", context).strip() + "\n"
        text = " ".join(render_to_string(f"{prefix}_sms.txt", context).split()) if sms else ""
    return Rendered(subject=subject, body=body, sms=text)
