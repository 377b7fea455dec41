"""The person's timeline (나의 기록): one list, newest first, of what happened along the way —
diagnoses, plans made, finished and given up, counselling and courses attended, check-in
answers, referrals, outcomes — gathered from every app that has something to say.

Every app that contributes has `<app>/timeline.py` with

    def events(user: User, before: datetime | None, limit: int) -> list[TimelineEvent]

returning at most `limit` of the person's events strictly older than `before` (all, when
None), newest first, in **one query** (select_related what the titles need). Older events
are paged with `before` (a cursor, not an offset): the events of a page are the newest
`limit` of the merged sources, and the next page asks each source again for events before
the last one shown. That keeps the page at one query per source however long the history.
(The spelling `since` in early notes meant the same cursor; events are read backwards.)

Modules are found the way core/personal_data.py finds its modules (every installed app is
asked; a missing module is skipped), so an app added later only adds its file.

Titles are in the reader's language and say what a person would say ("1:1 상담을 받았어요"),
never field names. `key` makes the order total when two events share a time, and lets tests
and the API name an event.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from django.apps import apps
from django.contrib.auth.models import User

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # "<app>.<what>", e.g. "journeys.plan_abandoned", "counselling.attended"
    title: str  # one line, in the reader's language
    key: str  # unique and stable, e.g. "journeys.plan:12:abandoned"
    detail: str = ""
    url: str = ""  # a page of the person's own, or ""


Source = Callable[[User, datetime | None, int], list[TimelineEvent]]


@dataclass(frozen=True)
class TimelinePage:
    events: list[TimelineEvent]
    next_before: datetime | None  # pass as `before` for the next (older) page; None at the end


def modules() -> list[tuple[str, ModuleType]]:
    """(app label, module) for every installed app that has a `timeline` module."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.timeline"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        if hasattr(module, "events"):
            found.append((config.label, module))
    return found


def merge(lists: list[list[TimelineEvent]], limit: int) -> TimelinePage:
    """The newest `limit` events of all the lists (each newest first, each cut at `limit`),
    and where the next page starts. Pure, for tests."""
    merged = sorted((e for events in lists for e in events), key=lambda e: (e.at, e.key), reverse=True)
    page = merged[:limit]
    more = len(merged) > limit or any(len(events) >= limit for events in lists)
    # A source that filled its quota may have more after its last event; so may the merge.
    return TimelinePage(events=page, next_before=page[-1].at if page and more else None)


def page(user: User, before: datetime | None = None, limit: int = DEFAULT_LIMIT) -> TimelinePage:
    """One page of the person's timeline: one query per source."""
    limit = max(1, min(limit, MAX_LIMIT))
    return merge([module.events(user, before, limit) for _label, module in modules()], limit)
