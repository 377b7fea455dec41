"""`{% load lc_i18n %}{{ obj|localized:"name" }}`: reference data in the reader's language
(core.localize)."""

from __future__ import annotations

from typing import Any

from django import template

from core.localize import localized as _localized

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    return _localized(obj, field)
