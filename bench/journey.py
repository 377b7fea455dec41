"""What a benchmark submits as a person: one diagnosis profile and seeded answers to the
instrument as the public API serves it (`GET /api/v1/diagnosis/instrument`). Shared by
bench/load.py, bench/topology.py and bench/profile_pages.py."""

from __future__ import annotations

import random
from typing import Any

PROFILE: dict[str, Any] = {
    "birth_year": 1968,
    "employment_status": "retiring",
    "career_years": 25,
    "occupation": "clerical",
    "region": "11",
    "goal": "reemployment",
    "availability": ["evening"],
}


def answers_body(instrument: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A submit body: each respondent leans one way overall, so the types vary."""
    values = [c["value"] for c in instrument["choices"]]
    lean = rng.uniform(-1.5, 1.5)
    answers: dict[str, int] = {}
    for section in instrument["sections"]:
        for item in section["items"]:
            mid = (len(values) - 1) / 2 + lean + rng.gauss(0, 1.0)
            answers[item["id"]] = values[max(0, min(len(values) - 1, round(mid)))]
    return {"instrument_version": instrument["version"], "profile": PROFILE, "answers": answers}
