"""Start-up check: the no-overselling guarantee on SQLite needs BEGIN IMMEDIATE."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.db.utils import load_backend


@register()
def sqlite_transactions_take_the_write_lock(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    return problems(settings.DATABASES)


def problems(databases: Mapping[str, Any]) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for alias, config in databases.items():
        if load_backend(config["ENGINE"]).DatabaseWrapper.vendor != "sqlite":  # Django's engine or core.sqlite
            continue
        mode = (config.get("OPTIONS") or {}).get("transaction_mode")
        if mode != "IMMEDIATE":
            errors.append(
                Error(
                    f"DATABASES[{alias!r}] is SQLite without OPTIONS['transaction_mode'] = 'IMMEDIATE'.",
                    hint="programmes.services serialises enrolments with BEGIN IMMEDIATE on SQLite; "
                    "without it two people can take the last seat at once.",
                    id="programmes.E001",
                )
            )
    return errors
