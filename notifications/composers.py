"""Messages the worker writes when it delivers them (ADR 0014).

A confirmation is about a row the action has just written (a booking): everything it says
can be read back from that row later. So the action puts in the outbox only who gets it,
its dedupe key and a *composer*: a registered name and a few ids (`Later`). The worker
that delivers the row calls the composer, stores the subject, body and attachments it
returns on the row, and sends them. The action's transaction pays one short INSERT per
channel instead of rendering three templates and a calendar file while it holds its locks.

Apps register their composers in `AppConfig.ready` (`register`). A composer takes the
row's `composer_args` and returns the message for every channel (`Composed`); it reads
what it needs from the database, as it stands at delivery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from notifications.models import Notification
    from notifications.services import Attachment


@dataclass(frozen=True)
class Later:
    """The message `composer` will write at delivery from `args` (JSON: ids, event names).
    `sms`: the message has a text-message version (sent if the person opted in)."""

    composer: str
    args: dict[str, Any]
    sms: bool = True


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str
    sms: str = ""
    attachments: list[Attachment] = field(default_factory=list)


Composer = Callable[[dict[str, Any]], Composed]

_COMPOSERS: dict[str, Composer] = {}


def register(name: str, composer: Composer) -> None:
    """Make `composer` the one that writes rows named `name` (once per name)."""
    if _COMPOSERS.get(name, composer) is not composer:
        raise ValueError(f"a composer named {name!r} is already registered")
    _COMPOSERS[name] = composer


def needs_writing(row: Notification) -> bool:
    return bool(row.composer) and not row.body


def write(row: Notification) -> None:
    """Fill the row's subject, body and attachments (for its channel) from its composer,
    in memory only. Raises if the composer is unknown or fails (e.g. its row is gone)."""
    try:
        composer = _COMPOSERS[row.composer]
    except KeyError:
        raise LookupError(f"no composer named {row.composer!r}") from None
    composed = composer(dict(row.composer_args))
    if row.channel == row.Channel.SMS:
        row.subject, row.body, row.attachments = "", composed.sms, []
    else:
        row.subject, row.body = composed.subject[:200], composed.body
        row.attachments = [a.as_json() for a in composed.attachments]
    if not row.body:
        raise ValueError(f"composer {row.composer!r} wrote no {row.channel} text")


def write_and_keep(row: Notification) -> None:
    """`write`, then store the text on the row, so the outbox keeps what was sent (for the
    person's data export and for operations) and a second attempt sends the same words."""
    from notifications.models import Notification

    write(row)
    with transaction.atomic():
        Notification.objects.filter(pk=row.pk, body="").update(subject=row.subject, body=row.body, attachments=row.attachments)
