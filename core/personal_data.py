"""The registry of personal data: which models hold something under a person's name, and
how each app exports and erases it (개인정보 열람·삭제 요구, 개인정보보호법 §35, §36).

Every app that stores data about a person has `<app>/personal_data.py` with

* `HOLDINGS: list[Holding]` — each model with a link to the person (a foreign key or
  one-to-one to the user, or through another such model), and what deleting the account
  does to its rows;
* optionally `export(user) -> dict` (JSON-ready) for the data export (`/me/export/`), and
* optionally `erase(user) -> None`, run inside the account deletion's transaction *before*
  the user row is deleted (for what cascading alone would get wrong, e.g. giving up seats
  so the waitlist moves up, or rows keyed by the e-mail address as text).

`core.tests.test_personal_data` walks every installed model and fails when one with a link
to the user is not declared here or in an app's module. This module declares what core and
third-party apps hold, since they cannot carry a module of their own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User


@dataclass(frozen=True)
class Holding:
    model: str  # "app_label.ModelName"
    link: str  # lookup from the model to the person: "user", "plan__owner", "username (text)"
    on_delete: str  # what deleting the account does to the rows, in a few words
    exported: bool = True  # False only for rows the person has no right to receive (see `why`)
    why: str = ""


Exporter = Callable[[User], dict[str, Any]]
Eraser = Callable[[User], None]

HOLDINGS: list[Holding] = [
    Holding(
        "core.AccessLog", "actor", "kept; actor set to NULL (the log is required by law; it holds ids only)",
        exported=False, why="the log of staff work; a person's own rows are the subject_id column, not the actor",
    ),
    Holding(
        "admin.LogEntry", "user", "deleted with the staff account (cascade)",
        exported=False, why="only staff accounts have admin log entries",
    ),
    Holding(
        "catalog.HistoricalService", "history_user", "kept; history_user set to NULL",
        exported=False, why="who edited the public service catalogue; staff only",
    ),
]


def modules() -> list[tuple[str, ModuleType]]:
    """(app label, module) for every installed app that has a `personal_data` module."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.personal_data"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        found.append((config.label, module))
    return found


def holdings() -> list[Holding]:
    return [holding for _label, module in modules() for holding in getattr(module, "HOLDINGS", [])]


def export_all(user: User) -> dict[str, dict[str, Any]]:
    """Each app's export, by app label."""
    out: dict[str, dict[str, Any]] = {}
    for label, module in modules():
        exporter: Exporter | None = getattr(module, "export", None)
        if exporter is not None:
            out[label] = exporter(user)
    return out


def erase_all(user: User) -> None:
    """Each app's eraser; the caller deletes the user afterwards, in the same transaction."""
    for _label, module in modules():
        eraser: Eraser | None = getattr(module, "erase", None)
        if eraser is not None:
            eraser(user)
