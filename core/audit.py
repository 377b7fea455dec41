"""The one place that writes the personal-data access log.

Call `record_access` whenever a person's data is read or changed by *someone else*
(a counsellor, an operator, an admin). A person reading their own data is not logged.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.clientip import client_ip
from core.models import AccessLog


def record_access(
    request: HttpRequest | None,
    *,
    actor: Any,
    subject_id: Any,
    action: str,
    obj: Any,
    reason: str = "",
) -> AccessLog | None:
    if actor is not None and getattr(actor, "pk", None) is not None and str(actor.pk) == str(subject_id):
        return None  # one's own data
    return AccessLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "get_username", lambda: "system")() if actor is not None else "system",
        subject_id=str(subject_id),
        action=action,
        object_type=obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__,
        object_id=str(getattr(obj, "pk", obj)),
        ip_address=client_ip(request),
        reason=reason,
    )
