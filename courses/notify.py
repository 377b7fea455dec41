"""Telling the employer what happened to their request. The one door for courses messages.

Messages go through the notifications outbox (`notifications.services.enqueue`), written
in the caller's transaction under a dedupe key, so a rolled-back action mails nobody and
the same event never mails twice. They go to the contact address the employer gave on
the request.
"""

from __future__ import annotations

import enum

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from courses.models import EmployerRequest
from notifications.models import Notification
from notifications.services import enqueue


class Event(enum.StrEnum):
    SCHEDULED = "scheduled"  # date fixed: here is the invitation link for your staff
    DECLINED = "declined"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def invitation_url(request: EmployerRequest) -> str:
    return absolute(reverse("courses:join", args=[request.invite_token])) if request.invite_token else ""


def send(event: Event, request_id: int) -> None:
    """Put the message for `event` in the outbox (inside the caller's transaction)."""
    request = EmployerRequest.objects.select_related("programme", "session", "requester").get(pk=request_id)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "event": event.value,
            "request": request,
            "session": request.session,
            "programme": request.programme,
            "join_url": invitation_url(request),
            "my_url": absolute(reverse("courses:employer-detail", args=[request.pk])),
        }
        subject = " ".join(render_to_string("courses/email/subject.txt", context).split())
        body = render_to_string("courses/email/body.txt", context)
    enqueue(
        kind=Notification.Kind.OTHER,
        dedupe_key=f"employer_request:{request.pk}:{event.value}",
        recipient=request.requester,
        address=request.contact_email,
        subject=subject,
        body=body,
    )
