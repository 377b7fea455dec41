"""One door to diagnosis results: the same 404 for "missing" and "not yours"."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from core.access import LoginRequired
from core.compiled import one_by
from diagnosis.models import (
    Draft,
    Result,
    keep_released,
    keeps_released,
    released_instrument,
    without_spec,
)

# The session key of the draft token: the browser that started a draft (or opened its
# resume link) is the one that may continue it.
SESSION_KEY = "diagnosis_draft"


def _results() -> QuerySet[Result]:
    return Result.objects.select_related("instrument")


def _compiled_result(public_id: str) -> Result | None:
    """_results()'s row without the ORM's compiler (core.compiled): the result page's path."""
    result = one_by(Result, "public_id", public_id)
    if result is not None:
        result.instrument = released_instrument(result.instrument_id)
    return result


def access_result(request: HttpRequest, public_id: str, *, compiled: bool = False) -> Result:
    """An anonymous result is readable by whoever holds its unguessable link; a result
    claimed into an account is readable only by its owner. `compiled`: read without the
    ORM's compiler, the instrument kept per process (the result page, read most)."""
    result = _compiled_result(public_id) if compiled else _results().filter(public_id=public_id).first()
    if result is None:
        raise Http404
    if result.owner_id is not None and result.owner_id != getattr(request.user, "pk", None):
        if not request.user.is_authenticated and request.method == "GET":
            # The owner following an old link (e-mail, bookmark) while logged out: log in,
            # then back here. Tells a stranger only that this unguessable id exists.
            raise LoginRequired
        raise Http404
    return result


def access_session_draft(request: HttpRequest) -> Draft | None:
    """The draft this browser is working on, if any (a draft holds no name or contact).
    Read on every step page and step save: its row without the ORM's compiler
    (core.compiled), its instrument the one kept per process."""
    token = request.session.get(SESSION_KEY)
    if not token:
        return None
    if not keeps_released():
        # A process that keeps no instrument yet: the draft with its instrument in one query
        # (the counts pinned in tests/test_query_budget.py are a cold process's), kept then.
        draft = without_spec(Draft.objects.select_related("instrument"), "instrument__spec").filter(token=token).first()
        if draft is not None:
            keep_released(draft.instrument)
        return draft
    draft = one_by(Draft, "token", token)
    if draft is not None:
        draft.instrument = released_instrument(draft.instrument_id)
    return draft
