"""The roll-up's internal per-result fact: no name, contact or free text; never shown or
exported row by row (only summed into suppressed figures), and deleted with the result."""

from __future__ import annotations

from core.personal_data import Holding

HOLDINGS = [
    Holding(
        "insights.FunnelFact", "result__owner", "deleted (cascade with the diagnosis result)",
        exported=False, why="internal pseudonymous statistics row; derived from data exported by diagnosis, journeys, programmes and outcomes",
    ),
]
