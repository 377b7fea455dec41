"""What a plan page's main part shows of rows that change, as one short query, and of the
reference data, as its stamps: the version its rendering is kept under (core/page_cache.py).

The plan's own row is already in hand (journeys.access.access_plan read it), so the query
reads its steps (ticked off from the page or /me/, by the person) and the steps its owner
agreed with a counsellor (written by the counsellor): a change to any of them shows at once.
The reference data the page shows is keyed by the core.fragments stamps of its scopes, read
from the shared cache at most once a second per process, not once per request: the steps'
services (catalogue), the sessions the steps' links count and the clock's place among their
starts (programmes), the peers' figures of the nightly roll-up (peers) and the case stories.
journeys/tests/test_plan_cache.py changes each of them and expects the page to follow.
"""

from __future__ import annotations

from catalog.signals import SCOPE as CATALOGUE
from core.fragments import stamps
from core.page_cache import per_database, table, text_columns
from counselling.models import AgreedStep, Case
from insights.services import PEERS_SCOPE
from journeys.models import Plan, PlanStep
from journeys.signals import SCOPE as CASE_STORIES
from programmes.models import Centre
from programmes.queries import starts_passed
from programmes.signals import SCOPE as PROGRAMMES

WIDTH = 11


@per_database
def _sql() -> str:
    steps = (
        f"SELECT {text_columns(WIDTH, 's', 's.id', 's.position', 's.stage', 's.theme', 's.service_id', 's.title', 's.reason', 's.start_week', 's.duration_weeks', 's.done_at', 's.carried_from_id')}"
        f" FROM {table(PlanStep)} s WHERE s.plan_id = %(plan)s"
    )
    agreed = (
        f"SELECT {text_columns(WIDTH, 'a', 'a.id', 'a.title', 'a.due_on', 'a.done_at', 'c.status', 'ce.name')}"
        f" FROM {table(AgreedStep)} a JOIN {table(Case)} c ON c.id = a.case_id JOIN {table(Centre)} ce ON ce.id = c.centre_id"
        " WHERE c.citizen_id = %(owner)s"
    )
    return f"{steps} UNION ALL {agreed} ORDER BY 1, 2"


def query(plan_id: int, owner_id: int | None) -> tuple[str, dict[str, object]]:
    """The version query and its parameters, for core.page_cache.version."""
    return _sql(), {"plan": plan_id, "owner": owner_id if owner_id is not None else -1}


def row_of(plan: Plan) -> tuple[object, ...]:
    """What the page shows of the plan's own row (already read by access_plan); its result
    never changes once made."""
    return (
        plan.pk, plan.owner_id, plan.result_id, plan.status, plan.start_date, plan.ended_at,
        plan.abandon_reason, plan.changes, plan.cases,
    )


def reference() -> tuple[str, ...]:
    """The stamps of the reference data the page shows, and where the clock stands among the
    sessions' starts (programmes.queries.starts_passed)."""
    return (*stamps(CATALOGUE, PROGRAMMES, PEERS_SCOPE, CASE_STORIES), starts_passed())
