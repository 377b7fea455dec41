"""Load the illustrative case stories (사례) from journeys/fixtures_data/cases.json.

Idempotent: stories are upserted by slug and saved only when a field changed, so a second
run writes nothing. Stories no longer in the file are kept and listed (plans refer to
them by slug).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from journeys.models import CaseStory

DATA_FILE = Path(__file__).resolve().parent / "fixtures_data" / "cases.json"
FIELDS = (
    "title_ko", "title_en", "age_band", "goal", "career_types", "status", "outcome",
    "story_ko", "story_en", "lesson_ko", "lesson_en", "services",
)  # fmt: skip
LIST_FIELDS = {"career_types", "services"}


def values_of(record: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        raw = record.get(name)
        if name in LIST_FIELDS:
            values[name] = list(raw or [])
        else:
            values[name] = "" if raw is None else str(raw).strip()
    return values


def load(write: Callable[[str], None], *, demo: bool = True, path: Path | None = None) -> None:
    path = path or DATA_FILE
    if not path.exists():
        write(f"cases: {path.name} not found; skipped")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    records = data.get("cases")
    if not isinstance(records, list):
        raise ValueError(f"{path.name}: 'cases' must be a list")
    slugs = [r.get("slug") for r in records]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValueError(f"{path.name}: duplicate slugs {duplicates}")
    existing = {c.slug: c for c in CaseStory.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for record in records:
        slug = record.get("slug")
        values = values_of(record)
        story = existing.get(slug) or CaseStory(slug=slug)
        changed = [name for name, value in values.items() if getattr(story, name) != value]
        if story.pk is not None and not changed:
            counts["unchanged"] += 1
            continue
        for name in changed:
            setattr(story, name, values[name])
        try:
            story.full_clean()
        except ValidationError as exc:
            raise ValueError(f"{path.name}: case {slug!r}: {exc}") from exc
        if story.pk is None:
            story.save()
            counts["created"] += 1
        else:
            story.save(update_fields=changed)
            counts["updated"] += 1
    stray = sorted(set(existing) - {str(s) for s in slugs})
    write(
        f"cases v{data.get('version', '?')}: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged" + (f"; not in file (kept): {', '.join(stray)}" if stray else "")
    )
