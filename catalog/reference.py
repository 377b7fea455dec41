"""Load the linked-services catalogue from catalog/fixtures_data/services.json.

Idempotent: services are upserted by slug and saved only when something changed, so a
second run writes nothing and adds no history rows. Each service remembers the hash of
the repository record last applied (`reference_hash`); while that record is unchanged the
loader leaves the service alone, so corrections operators make in the staff screen are
not undone by the next deploy. When researchers change a record in the file, the file
wins (the operator's version stays in the change history).
Services that are no longer in the file are not deleted (operators may have added them);
the loader lists them so someone can decide.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from catalog import services
from catalog.models import Service
from catalog.signals import SCOPE
from core.fragments import bump

DATA_FILE = Path(__file__).resolve().parent / "fixtures_data" / "services.json"
# "notes" is the research note's name in files written before 2026.12.
RENAMED = {"source": "sources", "notes": "research_note"}
LIST_FIELDS = {"stages", "goals", "statuses", "regions", "audiences", "time_slots", "sources"}


def _text_fields() -> set[str]:
    return {
        f.name
        for f in Service._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and f.name in services.EDITABLE_FIELDS
    }


def record_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(record, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def values_of(record: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Model field values for one file record, and the keys that were ignored."""
    text_fields = _text_fields()
    values: dict[str, Any] = {}
    ignored = []
    for key, raw in record.items():
        name = RENAMED.get(key, key)
        if name not in services.EDITABLE_FIELDS:
            ignored.append(key)
            continue
        value = raw
        if name in text_fields:
            value = "" if raw is None else str(raw).strip()
        elif name in LIST_FIELDS:
            value = [] if raw is None else raw
        elif name == "checked_on":
            value = date.fromisoformat(raw) if raw else None
        values[name] = value
    return values, ignored


def load(write: Callable[[str], None], *, demo: bool = True, path: Path | None = None) -> None:
    path = path or DATA_FILE
    if not path.exists():
        write(f"services: {path.name} not found; skipped")
        return
    data = json.loads(path.read_text(encoding="utf-8"))
    records = data.get("services")
    if not isinstance(records, list):
        raise ValueError(f"{path.name}: 'services' must be a list")
    slugs = [r.get("slug") for r in records]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValueError(f"{path.name}: duplicate slugs {duplicates}")
    reason = f"기준 데이터 services.json v{data.get('version', '?')}"
    existing = {s.slug: s for s in Service.objects.all()}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for record in records:
        slug = record.get("slug")
        digest = record_hash(record)
        service = existing.get(slug)
        if service is not None and service.reference_hash == digest:
            counts["unchanged"] += 1
            continue
        values, ignored = values_of(record)
        if ignored:
            write(f"services: {slug}: ignored unknown keys {sorted(ignored)}")
        try:
            if service is None:
                services.create_service(values, by=None, reason=reason, reference_hash=digest)
                counts["created"] += 1
            elif services.update_service(service, values, by=None, reason=reason, reference_hash=digest):
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
        except (ValidationError, ValueError, TypeError) as exc:
            raise ValueError(f"{path.name}: service {slug!r}: {exc}") from exc
    bump(SCOPE)  # a hash-only change is an UPDATE without a signal
    release = services.record_release(str(data.get("version", "")), record_hash(data), len(records))
    if release is not None:
        write(f"services: catalogue release {release.label} recorded")
    stray = sorted(set(existing) - set(slugs))
    write(
        f"services v{data.get('version', '?')}: {counts['created']} created, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged" + (f"; not in file (kept): {', '.join(stray)}" if stray else "")
    )
