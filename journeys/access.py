"""One door to guide maps: the same 404 for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from core.access import LoginRequired
from core.compiled import one_by
from diagnosis.models import Result
from journeys.models import Plan

# The result's profile, not its answers, scores or instrument: readers of a plan (the
# page, PDF, calendar file, API) show the profile; the result page reads the rest.
_RESULT_UNREAD = ("answers", "scale_scores", "details")


def _plans() -> QuerySet[Plan]:
    return Plan.objects.select_related("result", "supersedes").defer(*(f"result__{name}" for name in _RESULT_UNREAD))


def access_plan(request: HttpRequest, public_id: str, *, with_result: bool = True) -> Plan:
    """An anonymous plan is readable by whoever holds its unguessable link; a plan that
    belongs to an account is readable only by its owner. With `with_result=False`, the
    plan's own row only (the plan page's kept part needs no more: `with_result` reads the
    rest when it is rendered)."""
    plan = _plans().filter(public_id=public_id).first() if with_result else one_by(Plan, "public_id", public_id)
    if plan is None:
        raise Http404
    if plan.owner_id is not None and plan.owner_id != getattr(request.user, "pk", None):
        if not request.user.is_authenticated and request.method == "GET":
            # The owner following an old link (e-mail, bookmark) while logged out: log in,
            # then back here. Tells a stranger only that this unguessable id exists.
            raise LoginRequired
        raise Http404
    return plan


def with_result(plan: Plan) -> Plan:
    """The plan read by access_plan(with_result=False), given its result (and the plan it
    supersedes, if any) as access_plan reads them, without reading the plan row again."""
    result = one_by(Result, "pk", plan.result_id, defer=_RESULT_UNREAD)
    if result is None:  # deleted since access_plan read the plan (the plan goes with it)
        raise Http404
    plan.result = result
    if plan.supersedes_id is not None:
        plan.supersedes = one_by(Plan, "pk", plan.supersedes_id)
    return plan
