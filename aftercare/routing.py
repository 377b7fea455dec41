"""Whose task: the person's counsellor. Set-based: one query for a whole list of people.

Rule (docs/aftercare.md): the person's latest *open* case → its centre, case and
counsellor; else their latest closed case → its centre and case, no assignee (the centre's
leads see it); else, for someone no centre has met yet, a centre in the region of their
latest self-diagnosis (one with a centre lead first), unassigned, so the leads there see
it — nobody is left with a task no one sees. Only a person with neither a case nor a
diagnosis region on record gets no centre (kept for the operators, in the admin).
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
    strangers = [i for i in ids if i not in routes]
    for start in range(0, len(strangers), CHUNK):
        routes.update(_regional(strangers[start : start + CHUNK]))
    return routes


def _regional(ids: list[int]) -> dict[int, Route]:
    from accounts.models import StaffRole
    from core.roles import Role
    from diagnosis.models import Result
    from programmes.models import Centre

    region_of: dict[int, str] = {}
    for owner_id, region in Result.objects.filter(owner_id__in=ids).order_by("owner_id", "-created_at", "-pk").values_list("owner_id", "region"):
        region_of.setdefault(owner_id, region)
    if not region_of:
        return {}
    regions = set(region_of.values())
    centre_of: dict[str, int] = {}
    led = StaffRole.objects.filter(role=Role.LEAD, centre__region__in=regions).order_by("centre__name", "centre_id")
    for region, centre_id in led.values_list("centre__region", "centre_id"):
        centre_of.setdefault(region, centre_id)
    for region, centre_id in Centre.objects.filter(region__in=regions).order_by("name", "pk").values_list("region", "pk"):
        centre_of.setdefault(region, centre_id)
    return {owner_id: Route(centre_id=centre_of[region]) for owner_id, region in region_of.items() if region in centre_of}

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
