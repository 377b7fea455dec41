"""Whose task: the person's counsellor. Set-based: one query for a whole list of people.

Rule (docs/aftercare.md): the person's latest *open* case → its centre, case and
counsellor; else their latest closed case → its centre and case, no assignee (the centre's
leads see it); else no centre at all (no centre has a relationship with the person yet:
the task is kept for the operators, in the admin, and not shown on any workspace).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from counselling.models import Case, CaseStatus


@dataclass(frozen=True)
class Route:
    centre_id: int | None = None
    case_id: int | None = None
    assignee_id: int | None = None


def routes_for(citizen_ids: Iterable[int]) -> dict[int, Route]:
    ids = list(set(citizen_ids))
    routes: dict[int, Route] = {}
    if not ids:
        return routes
    best: dict[int, tuple[bool, object, Route]] = {}
    for start in range(0, len(ids), CHUNK):
        _best_of(ids[start : start + CHUNK], best)
    for citizen_id, (_open, _at, route) in best.items():
        routes[citizen_id] = route
    return routes


CHUNK = 2000


def _best_of(ids: list[int], best: dict[int, tuple[bool, object, Route]]) -> None:
    # An open case beats a closed one; among equals the most recently opened wins.
    rows = Case.objects.filter(citizen_id__in=ids).values_list("citizen_id", "pk", "centre_id", "counsellor_id", "status", "opened_at")
    for citizen_id, case_id, centre_id, counsellor_id, status, opened_at in rows:
        is_open = status == CaseStatus.OPEN
        route = Route(centre_id=centre_id, case_id=case_id, assignee_id=counsellor_id if is_open else None)
        held = best.get(citizen_id)
        if held is None or (is_open, opened_at) >= (held[0], held[1]):
            best[citizen_id] = (is_open, opened_at, route)
