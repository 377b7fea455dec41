"""Daily: referrals with no movement for 14 days become a task for the counsellor
(aftercare). One SELECT of the due referrals and one bulk INSERT of the tasks, idempotent by
key (referrals already holding a task since their last change are not selected): the key holds the date of the last status change, so a referral that moves and then
sits still again makes a new task, and a re-run the same day makes none."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, Exists, F, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone

from aftercare.models import Task, TaskKind
from aftercare.routing import routes_for
from aftercare.tasks import NewTask, create_many
from core.vocabulary import SEOUL
from referrals.models import OPEN_STATUSES, Referral

STALE_AFTER = dt.timedelta(days=14)
ABOUT_REFERRAL = "referrals.referral"


def stale_referrals(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    already = Task.objects.filter(
        kind=TaskKind.REFERRAL_STALE, about_type=ABOUT_REFERRAL, about_id=Cast(OuterRef("pk"), CharField()), created_at__gte=OuterRef("status_changed_at")
    )
    rows = list(
        Referral.objects.filter(status__in=sorted(OPEN_STATUSES), status_changed_at__lte=now - STALE_AFTER)
        .filter(~Exists(already))
        .annotate(centre_id=F("case__centre_id"), counsellor_id=F("case__counsellor_id"))
        .values_list("pk", "citizen_id", "case_id", "centre_id", "counsellor_id", "status_changed_at")
    )
    # A self-referral has no case: its task goes where the person's other tasks go.
    routes = routes_for(citizen_id for _pk, citizen_id, case_id, *_rest in rows if case_id is None)
    new = []
    for pk, citizen_id, case_id, centre_id, counsellor_id, changed in rows:
        if case_id is None and citizen_id in routes:
            route = routes[citizen_id]
            case_id, centre_id, counsellor_id = route.case_id, route.centre_id, route.assignee_id
        new.append(
            NewTask(
                key=f"referral-stale:referral:{pk}:{changed.astimezone(SEOUL).date().isoformat()}",
                kind=TaskKind.REFERRAL_STALE,
                citizen_id=citizen_id,
                centre_id=centre_id,
                case_id=case_id,
                assignee_id=counsellor_id,
                about_type=ABOUT_REFERRAL,
                about_id=str(pk),
            )
        )
    return create_many(new)
