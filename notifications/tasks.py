"""Entry points for the task queue (django-q2). Keep these names stable: queued tasks and
schedules refer to them by dotted path. Each one is idempotent."""

from __future__ import annotations

from notifications import services


def deliver(notification_id: int) -> str:
    return services.deliver(notification_id)


def deliver_batch(notification_ids: list[int]) -> dict[str, int]:
    return services.deliver_batch(notification_ids)


def sweep() -> dict[str, int]:
    return services.sweep()


def purge() -> int:
    return services.purge_old()
