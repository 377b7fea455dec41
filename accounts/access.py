"""One door to objects the accounts app touches: the same 404 for "missing" and "not yours"."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from diagnosis.models import Result
from journeys.models import PlanStep


def access_claimable_result(request: HttpRequest, public_id: str) -> Result:
    """A result that is still anonymous, or already the requester's own. Anything else
    (missing, or in someone else's account, staff included) is a 404."""
    result = Result.objects.select_related("instrument").filter(public_id=public_id).first()
    if result is None:
        raise Http404
    if result.owner_id is not None and result.owner_id != getattr(request.user, "pk", None):
        raise Http404
    return result


def access_own_step(request: HttpRequest, step_id: int) -> PlanStep:
    """A step of one of the requester's own plans. Staff get no exception: ticking off
    someone else's step is never a staff task."""
    if not request.user.is_authenticated:
        raise Http404
    step = PlanStep.objects.select_related("plan").filter(pk=step_id, plan__owner_id=request.user.pk).first()
    if step is None:
        raise Http404
    return step
