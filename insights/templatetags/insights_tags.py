"""{% peers_outcome profile service=… %} / {% peers_outcome profile programme=… %}: what
happened to people like the reader who took this step, or nothing when too few did."""

from __future__ import annotations

from typing import Any

from django import template

from insights.services import peers_outcome as compute

register = template.Library()


@register.inclusion_tag("insights/_peers.html")
def peers_outcome(profile: Any, service: Any = None, programme: Any = None) -> dict[str, Any]:
    """`profile`: anything with age_band, employment_status and goal (a diagnosis Result).
    Renders nothing without a profile, or when the figure would rest on too few people."""
    if profile is None or (service is None and programme is None):
        return {"peer": None}
    ref = getattr(service, "pk", service) if service is not None else getattr(programme, "pk", programme)
    keyword = {"service_id": ref} if service is not None else {"programme_id": ref}
    peer = compute(profile.age_band, profile.employment_status, profile.goal, **keyword)
    return {"peer": peer}
