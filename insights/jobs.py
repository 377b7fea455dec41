"""The roll-up as a scheduled job (notifications/schedules.py: `insights.rollup`, daily)."""

from __future__ import annotations

from typing import Any

from insights.rollup import rollup as run


def rollup() -> dict[str, Any]:
    return run()
