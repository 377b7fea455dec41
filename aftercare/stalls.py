"""Stalls: a plan with nothing happening. See docs/aftercare.md, "Stalls".

Activity (what resets the clock): the plan's creation, a step ticked, an enrolment in a
session, a counselling booking, a check-in answered, a satisfaction answer. Logging in is
not activity: looking at the plan without doing anything is exactly what a stall is.

For each person's latest owned plan with a step not done, `last_activity` is computed in
the database (Greatest over correlated Max subqueries). After 6 weeks: one gentle message
with the plan's next step, once per stall (a message sent after the last activity means
"already told"). After 12 weeks: a task for the person's counsellor, once per stall.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import DateTimeField, Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from aftercare import tasks
from aftercare.models import CheckIn, Feedback, Task
from aftercare.routing import routes_for
from counselling.models import Booking
from journeys.models import Plan, PlanStep
from notifications.models import Notification
from notifications.services import PersonMessage, notify_many
from programmes import messages
from programmes.models import Enrolment

NUDGE_AFTER = dt.timedelta(weeks=6)
TASK_AFTER = dt.timedelta(weeks=12)
NUDGE_BATCH = 5000
MAIL_BATCH = 500
ABOUT_PLAN = "journeys.plan"


def _latest(model: type, person_field: str, field: str) -> Coalesce:
    rows = model.objects.filter(**{person_field: OuterRef("owner_id")}).values(person_field).annotate(last=Max(field)).values("last")  # type: ignore[attr-defined]
    # A missing kind of activity counts as the plan's creation (Greatest is NULL-hostile on SQLite).
    return Coalesce(Subquery(rows, output_field=DateTimeField()), F("created_at"))


def open_plans() -> QuerySet[Plan]:
    """Each active person's latest plan that still has a step to do, with `last_activity`."""
    newer = Plan.objects.filter(owner_id=OuterRef("owner_id"), created_at__gt=OuterRef("created_at"))
    undone = PlanStep.objects.filter(plan_id=OuterRef("pk"), done_at__isnull=True)
    return (
        Plan.objects.filter(owner__isnull=False, owner__is_active=True)
        .filter(~Exists(newer), Exists(undone))
        .annotate(
            last_activity=Greatest(
                F("created_at"),
                _latest(PlanStep, "plan__owner_id", "done_at"),
                _latest(Enrolment, "user_id", "created_at"),
                _latest(Booking, "citizen_id", "created_at"),
                _latest(CheckIn, "citizen_id", "answered_at"),
                _latest(Feedback, "citizen_id", "created_at"),
            )
        )
    )


def next_step(plan: Plan) -> PlanStep | None:
    return plan.steps.filter(done_at__isnull=True).order_by("start_week", "position").first()


def _due_plan_ids(now: dt.datetime) -> list[int]:
    """The plans with work today, in one pass: `last_activity` (the correlated subqueries,
    the whole cost) is computed once per open plan in a materialised CTE, then compared with
    both edges: 6–12 weeks and not told since → nudge; 12 weeks+ and no task since → task."""
    sql, params = open_plans().values("pk", "owner_id", "last_activity").query.sql_with_params()  # type: ignore[misc]
    materialised = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    adapt = connection.ops.adapt_datetimefield_value
    nudge_edge, task_edge = adapt(now - NUDGE_AFTER), adapt(now - TASK_AFTER)
    # Only table names and the ORM's own SQL are interpolated; every value is a parameter.
    query = f"""
        WITH o AS {materialised}({sql})
        SELECT o.pk FROM o
        WHERE o.last_activity <= %s AND (
            (o.last_activity > %s AND NOT EXISTS (
                SELECT 1 FROM {Notification._meta.db_table} n
                WHERE n.recipient_id = o.owner_id AND n.kind = %s AND n.created_at >= o.last_activity))
            OR (o.last_activity <= %s AND NOT EXISTS (
                SELECT 1 FROM {Task._meta.db_table} t
                WHERE t.about_type = %s AND t.about_id = CAST(o.pk AS TEXT) AND t.kind = %s AND t.created_at >= o.last_activity)))
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, nudge_edge, task_edge, str(Notification.Kind.STALL_NUDGE), task_edge, ABOUT_PLAN, str(Task.Kind.STALLED)])
        return [row[0] for row in cursor.fetchall()]


def _next_steps(plan_ids: list[int]) -> dict[int, PlanStep]:
    first: dict[int, PlanStep] = {}
    for step in PlanStep.objects.filter(plan_id__in=plan_ids, done_at__isnull=True).order_by("plan_id", "start_week", "position"):
        first.setdefault(step.plan_id, step)
    return first


def stalls(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    ids = _due_plan_ids(now)
    due = list(open_plans().filter(pk__in=ids).select_related("owner").order_by("last_activity", "pk"))  # type: ignore[misc]
    to_nudge = [plan for plan in due if plan.last_activity > now - TASK_AFTER][:NUDGE_BATCH]  # type: ignore[attr-defined]
    nudged = 0
    for start in range(0, len(to_nudge), MAIL_BATCH):
        batch = to_nudge[start : start + MAIL_BATCH]
        steps = _next_steps([plan.pk for plan in batch])
        mails = []
        for plan in batch:
            rendered = messages.render(
                "aftercare/messages/stall",
                {"person": plan.owner, "step": steps.get(plan.pk), "url": messages.url("journeys:detail", plan.public_id)},
            )
            last = plan.last_activity  # type: ignore[attr-defined]
            mails.append(PersonMessage(
                plan.owner, kind=Notification.Kind.STALL_NUDGE, key=f"stall:plan:{plan.pk}:{last:%Y%m%d%H%M%S}",  # type: ignore[arg-type]
                subject=rendered.subject, body=rendered.body, sms_text=rendered.sms,
            ))
        notify_many(mails)
        nudged += len(mails)
    # open_plans() has an owner: the `is not None` is for the type checker.
    stalled = [(plan, plan.owner_id) for plan in due if plan.last_activity <= now - TASK_AFTER and plan.owner_id is not None]  # type: ignore[attr-defined]
    routes = routes_for(owner_id for _plan, owner_id in stalled)
    new = []
    for plan, owner_id in stalled:
        route = routes.get(owner_id)
        new.append(
            tasks.NewTask(
                key=f"stalled:plan:{plan.pk}:{plan.last_activity:%Y%m%d%H%M%S}", kind=Task.Kind.STALLED, citizen_id=owner_id,  # type: ignore[attr-defined]
                centre_id=route.centre_id if route else None, case_id=route.case_id if route else None,
                assignee_id=route.assignee_id if route else None, about_type=ABOUT_PLAN, about_id=str(plan.pk),
            )
        )
    return {"nudged": nudged, "tasks": tasks.create_many(new)}
