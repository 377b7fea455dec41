"""What a plan page's main part shows of rows that change, as one short query: the version
its rendering is kept under (core/page_cache.py).

The plan's own row is already in hand (journeys.access.access_plan read it), so the query
reads its steps (ticked off from the page or /me/, by the person) and the steps its owner
agreed with a counsellor (written by the counsellor): a change to any of them shows at once.
The reference data the page shows (service names, the session links' labels, which follow
the schedule and the clock, the peers' figures of the nightly roll-up) is kept at most
`KEEP_SECONDS`: reading its stamps too would cost the page two more queries when cold. journeys/tests/test_plan_cache.py changes each row and expects the page
to follow.
"""

from __future__ import annotations

from core.page_cache import per_database, table, text_columns
from counselling.models import AgreedStep, Case
from journeys.models import Plan, PlanStep
from programmes.models import Centre

WIDTH = 11
# A kept plan part is at most this old: how late a change of reference data may show.
KEEP_SECONDS = 60


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
