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

from django.db.models import CharField, DateTimeField, Exists, F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils import timezone

from aftercare import tasks
from aftercare.models import CheckIn, Feedback, Task
from aftercare.routing import routes_for
from counselling.models import Booking
from journeys.models import Plan, PlanStep
from notifications.models import Notification
from notifications.services import notify_person
from programmes import messages
from programmes.models import Enrolment

NUDGE_AFTER = dt.timedelta(weeks=6)
TASK_AFTER = dt.timedelta(weeks=12)
NUDGE_BATCH = 5000
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


def stalls(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    told = Notification.objects.filter(recipient_id=OuterRef("owner_id"), kind=Notification.Kind.STALL_NUDGE, created_at__gte=OuterRef("last_activity"))
    to_nudge = (
        open_plans().filter(last_activity__lte=now - NUDGE_AFTER, last_activity__gt=now - TASK_AFTER)  # type: ignore[misc]
        .filter(~Exists(told)).select_related("owner").order_by("last_activity", "pk")[:NUDGE_BATCH]
    )
    nudged = 0
    for plan in list(to_nudge):
        step = next_step(plan)
        rendered = messages.render(
            "aftercare/messages/stall",
            {"person": plan.owner, "step": step, "url": messages.url("journeys:detail", plan.public_id)},
        )
        last = plan.last_activity  # type: ignore[attr-defined]
        notify_person(
            plan.owner, kind=Notification.Kind.STALL_NUDGE, key=f"stall:plan:{plan.pk}:{last:%Y%m%d%H%M%S}",  # type: ignore[arg-type]
            subject=rendered.subject, body=rendered.body, sms_text=rendered.sms,
        )
        nudged += 1
    has_task = Task.objects.filter(kind=Task.Kind.STALLED, about_type=ABOUT_PLAN, about_id=Cast(OuterRef("pk"), CharField()), created_at__gte=OuterRef("last_activity"))
    overdue = open_plans().filter(last_activity__lte=now - TASK_AFTER)  # type: ignore[misc]
    stalled = list(overdue.filter(~Exists(has_task)).values_list("pk", "owner_id", "last_activity"))  # type: ignore[misc]
    routes = routes_for(owner_id for _pk, owner_id, _last in stalled)
    new = []
    for pk, owner_id, last in stalled:
        route = routes.get(owner_id)
        new.append(
            tasks.NewTask(
                key=f"stalled:plan:{pk}:{last:%Y%m%d%H%M%S}", kind=Task.Kind.STALLED, citizen_id=owner_id,
                centre_id=route.centre_id if route else None, case_id=route.case_id if route else None,
                assignee_id=route.assignee_id if route else None, about_type=ABOUT_PLAN, about_id=str(pk),
            )
        )
    return {"nudged": nudged, "tasks": tasks.create_many(new)}
