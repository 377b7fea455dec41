"""One door to diagnosis results: the same 404 for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from core.access import LoginRequired
from diagnosis.models import Result


def _results() -> QuerySet[Result]:
    return Result.objects.select_related("instrument")


def access_result(request: HttpRequest, public_id: str) -> Result:
    """An anonymous result is readable by whoever holds its unguessable link; a result
    claimed into an account is readable only by its owner."""
    result = _results().filter(public_id=public_id).first()
    if result is None:
        raise Http404
    if result.owner_id is not None and result.owner_id != getattr(request.user, "pk", None):
        if not request.user.is_authenticated and request.method == "GET":
            # The owner following an old link (e-mail, bookmark) while logged out: log in,
            # then back here. Tells a stranger only that this unguessable id exists.
            raise LoginRequired
        raise Http404
    return result
