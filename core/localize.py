"""Reference data in the reader's language: one helper for every model that keeps a Korean
value and an optional English one side by side (`name_ko`/`name` and `name_en`, ...).

    localized(programme, "name")   -> programme.name_en in English, else programme.name_ko
    localized(centre, "address")   -> centre.address_en in English, else centre.address
    {% load lc_i18n %}{{ programme|localized:"name" }}

Korean is the source: an English value that is missing falls back to the Korean one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation


def active_language() -> str:
    """The language of this request (or the site's, outside one): part of every key of
    something kept per language."""
    return translation.get_language() or settings.LANGUAGE_CODE


def is_english() -> bool:
    return (translation.get_language() or "ko")[:2] == "en"


def localized(obj: Any, field: str) -> str:
    """`obj.<field>_en` when the active language is English and it is filled in, otherwise
    `obj.<field>_ko` (or `obj.<field>` for models whose Korean field has no suffix)."""
    if obj is None:
        return ""
    if is_english():
        english = getattr(obj, f"{field}_en", None)
        if english:
            return str(english)
    korean = getattr(obj, f"{field}_ko", None)
    if korean is None:
        korean = getattr(obj, field, None)
    return "" if korean is None else str(korean)
