"""`{% session_cards sessions heading_level %}`: the cards of decorated sessions (programmes.cards)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from programmes import cards
from programmes.models import Session

register = template.Library()


@register.simple_tag
def session_cards(sessions: Iterable[Session], heading_level: Any = 3) -> SafeString:
    return cards.cards(sessions, heading_level)
