"""Outbox rows built through `services.enqueue`, as production builds them."""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth.models import User

from notifications import services
from notifications.models import Notification

_numbers = itertools.count(1)


def make_user(email: str = "") -> User:
    email = email or f"person{next(_numbers)}@example.com"
    return User.objects.create_user(username=email, email=email)


def queued(key: str = "test:1", *, deliver: bool = False, **kwargs: Any) -> Notification:
    fields: dict[str, Any] = {
        "kind": Notification.Kind.OTHER, "dedupe_key": key, "address": f"{key.replace(':', '-')}@example.com",
        "subject": "안내", "body": "본문입니다.", "deliver": deliver,
    }
    fields.update(kwargs)
    notification, _created = services.enqueue(**fields)
    return notification
