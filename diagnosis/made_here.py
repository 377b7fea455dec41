"""Results made in this browser before the person had an account.

The session (a 30-day cookie) remembers the public ids of results finished here, so that
log-in and sign-up can offer to keep them, and the plans made from them, in the account
("이 브라우저에서 만든 진단 결과와 계획"). Only results finished in this browser are
remembered, never ones merely opened from a link someone shared; log-out ends the session
and forgets them, so the next person on a shared computer is not offered them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q
from django.http import HttpRequest

from diagnosis.models import Result

SESSION_KEY = "diagnosis_made_here"
KEEP_AT_MOST = 20


def remember(request: HttpRequest, result: Result) -> None:
    ids = [i for i in request.session.get(SESSION_KEY, []) if i != result.public_id]
    request.session[SESSION_KEY] = [*ids, result.public_id][-KEEP_AT_MOST:]


def holds_unclaimed(request: HttpRequest) -> bool:
    """This browser made results it has not yet saved to an account (no query)."""
    return bool(request.session.get(SESSION_KEY))


def unclaimed(request: HttpRequest) -> list[Result]:
    """Results made here that belong to no account yet, newest first, each with
    `plan_count` (the plans made from it, which are kept together with it)."""
    ids = request.session.get(SESSION_KEY, [])
    if not ids:
        return []
    return list(
        Result.objects.select_related("instrument")
        .filter(public_id__in=ids, owner__isnull=True)
        .annotate(plan_count=Count("plans", filter=Q(plans__owner__isnull=True)))
        .order_by("-created_at", "-pk")
    )


def forget(request: HttpRequest, public_ids: Iterable[str]) -> None:
    gone = set(public_ids)
    ids = [i for i in request.session.get(SESSION_KEY, []) if i not in gone]
    if ids:
        request.session[SESSION_KEY] = ids
    else:
        request.session.pop(SESSION_KEY, None)
