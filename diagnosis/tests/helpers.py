from __future__ import annotations

from typing import Any

from diagnosis import services
from diagnosis.models import Instrument

VALID_PROFILE: dict[str, Any] = {
    "birth_year": 1968,
    "employment_status": "retiring",
    "career_years": 25,
    "occupation": "clerical",
    "region": "11",
    "goal": "reemployment",
    "availability": ["evening", "weekend"],
}


def item_ids(instrument: Instrument) -> list[str]:
    return [item["id"] for s in services.sections(instrument) for item in s["items"]]


def all_answers(instrument: Instrument, value: int = 4) -> dict[str, int]:
    return dict.fromkeys(item_ids(instrument), value)
