"""The one place that writes the personal-data access log (접속기록).

Who calls it:

* **actions** (`services.py` functions and their kin) that change someone else's data take
  the acting person as `actor` and call `record_access` inside their transaction, after the
  change is known to have succeeded; a refused action rolls back and leaves no row;
* **access functions** (`<app>/access.py`) that hand someone else's data to a staff page,
  and the admin's read logging (`core.admin.AuditedReadAdmin`), log reads.

Staff views never call it themselves. A person reading or changing their own data is not
logged, and neither is the platform's own scheduled work (`actor=None`).

Reads by someone without an account (a partner organisation opening a referral through a
signed e-mailed link, or its system calling the API with its key) are logged with
`actor=None` and an `actor_label` naming who it was (`partner-link:<slug>`,
`partner-api:<slug>`), so the log still says who read the data (referrals/access.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from core.clientip import client_ip
from core.models import AccessLog


def current_request() -> HttpRequest | None:
    """The request being served, if any. Actions do not take the request (jobs and the shell
    call them too), yet the log wants the address the change came from (§8 접속지 정보);
    simple_history's middleware already keeps the current request for its own records."""
    return getattr(HistoricalRecords.context, "request", None)


def _is_person(actor: Any) -> bool:
    return actor is not None and getattr(actor, "pk", None) is not None


def record_access(
    request: HttpRequest | None = None,
    *,
    actor: Any,
    subject_id: Any,
    action: str,
    obj: Any = None,
    reason: str = "",
    object_type: str = "",
    object_id: str = "",
    actor_label: str = "",
) -> AccessLog | None:
    """One row: `actor` did `action` to `obj` (or to `object_type`/`object_id`, for what is
    not one model instance, e.g. a page of a list) belonging to the person `subject_id`.
    `actor_label` names an actor without an account (see the module docstring)."""
    if _is_person(actor) and str(actor.pk) == str(subject_id):
        return None  # one's own data
    return AccessLog.objects.create(
        actor=actor if _is_person(actor) else None,
        actor_label=actor.get_username() if _is_person(actor) else (actor_label or "system"),
        subject_id=str(subject_id),
        action=action,
        object_type=object_type or (obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__),
        object_id=object_id or str(getattr(obj, "pk", obj)),
        ip_address=client_ip(request or current_request()),
        reason=reason,
    )


def record_changes(
    actor: Any,
    objs: Iterable[Any],
    *,
    action: str = AccessLog.Action.CHANGE,
    subject: Callable[[Any], Any] = lambda obj: obj.user_id,
) -> int:
    """For actions: one row per person whose data `actor` changed. One row per person, never
    one row listing many: the log is read by data subject ("who touched my data?").
    Nothing is written when there is no acting person (scheduled jobs, the system)."""
    if not _is_person(actor):
        return 0
    return sum(
        record_access(actor=actor, subject_id=subject(obj), action=action, obj=obj) is not None for obj in objs
    )


class Item(NamedTuple):
    """What was read when it is not one model instance (a shared item of a case, a page of
    a list): `record_access`'s `object_type`/`object_id`, for `record_reads`."""

    object_type: str
    object_id: str


def record_reads(request: HttpRequest | None, *, actor: Any, reads: Iterable[tuple[Any, Any]], action: str = AccessLog.Action.VIEW) -> int:
    """For access functions that read many things on one page (a caseload, the items a
    person shares with a case): one row per (subject_id, obj) pair as `record_access` would
    write (`obj` a model instance or an `Item`), in one INSERT, so the page's query count
    does not grow with what it reads."""
    if not _is_person(actor):
        return 0
    ip = client_ip(request or current_request())
    rows = [
        AccessLog(
            actor=actor,
            actor_label=actor.get_username(),
            subject_id=str(subject_id),
            action=action,
            object_type=obj.object_type if isinstance(obj, Item) else obj._meta.label_lower if hasattr(obj, "_meta") else type(obj).__name__,
            object_id=obj.object_id if isinstance(obj, Item) else str(getattr(obj, "pk", obj)),
            ip_address=ip,
        )
        for subject_id, obj in reads
        if str(subject_id) != str(actor.pk)
    ]
    AccessLog.objects.bulk_create(rows)
    return len(rows)
