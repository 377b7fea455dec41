"""`{% load rescue_tags %}{% open_rescue_offers %}` on the person's enrolments page: open
offers of alternatives, each with a one-click button for the best choice."""

from __future__ import annotations

from typing import Any

from django import template

from rescue import services as rescue

register = template.Library()


@register.inclusion_tag("rescue/_open_offers.html", takes_context=True)
def open_rescue_offers(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"offers": []}
    offers = []
    for offer in rescue.open_offers(user):
        choices = [c for c in rescue.offer_choices(offer) if c["joinable"]]
        offers.append({"offer": offer, "best": choices[0] if choices else None, "more": len(choices) > 1})
    return {"offers": offers, "csrf_token": context.get("csrf_token")}
