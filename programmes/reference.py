"""Reference data: programmes and centres from `fixtures_data/programmes.json`, and, in
development and demonstrations only, a demo schedule of sessions.

Idempotent: rows are upserted by slug and saved only when a value differs; demo sessions
are keyed by a stable `demo_key`, so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models

from counselling.models import Mode as CounsellingMode
from programmes.demo import ensure_schedule
from programmes.models import AgeBand, Audience, Centre, Mode, Programme, Tier, Track

DATA_FILE = Path(__file__).resolve().parent / "fixtures_data" / "programmes.json"


def _sources(raw: Any) -> list[str]:
    if raw is None:
        return []
    return [str(raw)] if isinstance(raw, str) else [str(s) for s in raw]


def _date(raw: str | None) -> dt.date | None:
    return dt.date.fromisoformat(raw) if raw else None


def _check_choice(slug: str, field: str, value: str, choices: type[models.TextChoices]) -> str:
    if value and value not in choices.values:
        raise ValueError(f"programme {slug}: {field} {value!r} is not one of {sorted(choices.values)}")
    return value


def programme_values(row: dict[str, Any]) -> dict[str, Any]:
    slug = row["slug"]
    modes = list(row.get("modes") or [])
    for mode in modes:
        _check_choice(slug, "mode", mode, Mode)
    return {
        "name_ko": row["name_ko"],
        "name_en": row.get("name_en") or "",
        "audience": _check_choice(slug, "audience", row["audience"], Audience),
        "age_band": _check_choice(slug, "age_band", row.get("age_band") or "", AgeBand),
        "tier": _check_choice(slug, "tier", row.get("tier") or "", Tier),
        "track": _check_choice(slug, "track", row["track"], Track),
        "order": row.get("order"),
        "summary_ko": row.get("summary_ko") or "",
        "summary_en": row.get("summary_en") or "",
        "duration_ko": row.get("duration_ko") or "",
        "duration_en": row.get("duration_en") or "",
        "research_note": row.get("research_note") or "",
        "hours": None if row.get("hours") is None else Decimal(str(round(float(row["hours"]), 1))),
        "min_enrolment": row.get("min_enrolment"),
        "default_capacity": row.get("default_capacity"),
        "modes": modes,
        "source": _sources(row.get("source")),
        "checked_on": _date(row.get("checked_on")),
    }


def centre_values(row: dict[str, Any]) -> dict[str, Any]:
    slug = row["slug"]
    modes = list(row.get("counselling_modes") or [])
    for mode in modes:
        _check_choice(slug, "counselling mode", mode, CounsellingMode)
    address = row.get("address_ko") or None
    sigungu = row.get("sigungu") or ""
    # 시군구 is copied from the sourced address, never guessed: refuse one it does not contain.
    if sigungu and sigungu not in (address or ""):
        raise ValueError(f"centre {slug}: sigungu {sigungu!r} is not in its address {address!r}")
    return {
        "name": row["name_ko"],
        "name_en": row.get("name_en") or "",
        "region": row["region"],
        "address": address,
        "address_en": row.get("address_en") or "",
        "phone": row.get("phone") or "",
        "sigungu": sigungu,
        "hours": row.get("hours_ko") or "",
        "hours_en": row.get("hours_en") or "",
        "counselling_modes": modes,
        "notes": row.get("notes") or "",
        "source": _sources(row.get("source")),
        "checked_on": _date(row.get("checked_on")),
    }


def _same(current: Any, wanted: Any) -> bool:
    if isinstance(current, Decimal | float) and isinstance(wanted, Decimal | float):
        return Decimal(str(current)) == Decimal(str(wanted))
    return bool(current == wanted)


def upsert(model: type[models.Model], slug: str, values: dict[str, Any]) -> str:
    """Create or update the row with this slug; save only when something differs."""
    obj = model._default_manager.filter(slug=slug).first()
    if obj is None:
        obj = model(slug=slug, **values)
        obj.full_clean()
        obj.save()
        return "created"
    changed = [name for name, value in values.items() if not _same(getattr(obj, name), value)]
    if not changed:
        return "unchanged"
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean()
    obj.save(update_fields=changed)
    return "updated"


def load_data(data: dict[str, Any], write: Callable[[str], None]) -> None:
    counts: dict[str, dict[str, int]] = {"programmes": {}, "centres": {}}
    for row in data["programmes"]:
        status = upsert(Programme, row["slug"], programme_values(row))
        counts["programmes"][status] = counts["programmes"].get(status, 0) + 1
    for row in data["centres"]:
        status = upsert(Centre, row["slug"], centre_values(row))
        counts["centres"][status] = counts["centres"].get(status, 0) + 1
    for kind, tally in counts.items():
        summary = ", ".join(f"{n} {status}" for status, n in sorted(tally.items())) or "none"
        write(f"{kind} {data.get('version', '?')}: {summary}")


def load(write: Callable[[str], None], *, demo: bool = True) -> None:
    if not DATA_FILE.exists():
        raise ValueError(f"missing {DATA_FILE}")
    load_data(json.loads(DATA_FILE.read_text(encoding="utf-8")), write)
    if demo and settings.LOAD_DEMO_SCHEDULE:
        created, existing = ensure_schedule()
        write(f"demo schedule: {created} created, {existing} unchanged")
        # Demo counsellors and their slots (counselling app), with the same switch.
        from counselling.demo import ensure_demo_counsellors

        counsellors, slots = ensure_demo_counsellors()
        write(f"demo counsellors: {counsellors} created, {slots} slots created")
