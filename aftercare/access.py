"""The door to after-care tasks for staff: the open tasks a counsellor or lead may work on,
with one access-log row per person listed."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _

from aftercare.models import Task
from core.audit import record_reads
from core.roles import ALL, Perm, centre_scope, grants_of

TASKS_SHOWN = 50


def _scope_q(centres: frozenset[int] | None, field: str = "centre_id") -> Q:
    return Q() if centres is ALL else Q(**{f"{field}__in": centres or ()})


def open_tasks(request: HttpRequest) -> list[Task]:
    """Open tasks assigned to the requesting person (at a centre in their scope), and, for a
    centre lead, every open task of their centre(s); oldest due first."""
    user = request.user
    grants = grants_of(user)
    mine = Q(assignee_id=user.pk) & _scope_q(centre_scope(user, Perm.CASES_ASSIGNED)) if grants.can(Perm.CASES_ASSIGNED) else Q(pk__in=())
    centre_wide = _scope_q(centre_scope(user, Perm.CASES_CENTRE)) & Q(centre__isnull=False) if grants.can(Perm.CASES_CENTRE) else Q(pk__in=())
    tasks = list(
        Task.objects.filter(done_at__isnull=True)
        .filter(mine | centre_wide)
        .select_related("citizen", "centre")
        .order_by("due_on", "created_at", "pk")[:TASKS_SHOWN]
    )
    record_reads(request, actor=user, reads=[(task.citizen_id, task) for task in tasks])
    _label_what_about(tasks)
    return tasks


def _label_what_about(tasks: list[Task]) -> None:
    """`task.about_label`: what the task is about in a few words (the referral's service, the
    check-in's month), one query per kind of subject, so the list says which one."""
    from aftercare.models import CheckIn
    from core.localize import localized
    from referrals.models import Referral

    def ids(about_type: str) -> list[int]:
        return [int(t.about_id) for t in tasks if t.about_type == about_type and t.about_id.isdigit()]

    labels: dict[tuple[str, str], str] = {}
    referral_ids = ids("referrals.referral")
    if referral_ids:
        for r in Referral.objects.filter(pk__in=referral_ids).select_related("service", "partner"):
            labels[("referrals.referral", str(r.pk))] = _("%(service)s (%(partner)s) 연계") % {"service": localized(r.service, "name"), "partner": r.partner.name}
    checkin_ids = ids("aftercare.checkin")
    if checkin_ids:
        for c in CheckIn.objects.filter(pk__in=checkin_ids).only("pk", "month"):
            labels[("aftercare.checkin", str(c.pk))] = _("%(month)d개월 사후관리 설문") % {"month": c.month}
    for task in tasks:
        task.about_label = labels.get((task.about_type, task.about_id), "")  # type: ignore[attr-defined]
