"""{% peers_outcome profile service=… %} / {% peers_outcome profile programme=… %}: what
happened to people like the reader who took this step, or nothing when too few did.

The figures for one profile are read once per kind (one query) and kept on the profile
object, so a plan page with many steps does not ask once per step."""

from __future__ import annotations

from typing import Any

from django import template

from insights.models import PeerCell
from insights.services import PeerOutcome, peer_outcomes

register = template.Library()


def _known(profile: Any, kind: str) -> dict[int, PeerOutcome]:
    cache: dict[str, dict[int, PeerOutcome]] = profile.__dict__.setdefault("_lc_peer_outcomes", {})
    if kind not in cache:
        cache[kind] = peer_outcomes(profile.age_band, profile.employment_status, profile.goal, kind)
    return cache[kind]


@register.inclusion_tag("insights/_peers.html")
def peers_outcome(profile: Any, service: Any = None, programme: Any = None) -> dict[str, Any]:
    """`profile`: anything with age_band, employment_status and goal (a diagnosis Result).
    Renders nothing without a profile or a step, or when too few people are behind it."""
    if profile is None or (service is None and programme is None):
        return {"peer": None}
    if service is not None:
        return {"peer": _known(profile, PeerCell.Kind.SERVICE).get(getattr(service, "pk", service))}
    return {"peer": _known(profile, PeerCell.Kind.PROGRAMME).get(getattr(programme, "pk", programme))}


@register.inclusion_tag("insights/_peers.html")
def peers_outcome_for(user: Any, programme: Any = None, service: Any = None) -> dict[str, Any]:
    """The same, for a logged-in person, from their latest self-diagnosis (nothing for
    anyone else). Two queries at most."""
    if not getattr(user, "is_authenticated", False):
        return {"peer": None}
    from diagnosis.models import Result

    profile = Result.objects.filter(owner_id=user.pk).order_by("-created_at", "-pk").only("age_band", "employment_status", "goal").first()
    return peers_outcome(profile, service=service, programme=programme)
