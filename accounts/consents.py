"""Reading the consent notice and a person's consent state (no writes here; see services.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.utils import translation

from accounts.models import Consent, ConsentText

NOTICE_FIELDS = ("title", "purpose", "items", "retention", "refusal")
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class NoConsentText(LookupError):
    """No consent notice is loaded: run `manage.py load_reference_data`."""


def validate_spec(spec: Mapping[str, Any]) -> None:
    """Refuse a consent file that lacks anything §15② requires us to tell people."""
    for key in ("version", "effective_from", "intro_ko", "required"):
        if not spec.get(key):
            raise ValueError(f"consent: '{key}' is missing")
    sections = [spec["required"], *spec.get("optional", [])]
    seen: set[str] = set()
    for section in sections:
        code = str(section.get("code", ""))
        if not CODE_RE.match(code):
            raise ValueError(f"consent: item code {code!r} must be lowercase letters, digits and _")
        if code in seen:
            raise ValueError(f"consent: item code {code!r} appears twice")
        seen.add(code)
        for field in NOTICE_FIELDS:
            if not section.get(f"{field}_ko"):
                raise ValueError(f"consent: {code}.{field}_ko is missing")
        if not isinstance(section["items_ko"], list):
            raise ValueError(f"consent: {code}.items_ko must be a list")


def _loc(obj: Mapping[str, Any], field: str) -> Any:
    lang = (translation.get_language() or "ko")[:2]
    value = obj.get(f"{field}_{lang}")
    return value if value else obj.get(f"{field}_ko", "")


def localise_section(section: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"code": section["code"], "marketing": bool(section.get("marketing", False))}
    for field in NOTICE_FIELDS:
        out[field] = _loc(section, field)
    return out


def notice(text: ConsentText) -> dict[str, Any]:
    """The notice in the active language (falling back to Korean), for templates."""
    spec = text.spec
    return {
        "version": text.version,
        "effective_from": text.effective_from,
        "intro": _loc(spec, "intro"),
        "controller": _loc(spec, "controller"),
        "required": localise_section(spec["required"]),
        "optional": [localise_section(item) for item in spec.get("optional", [])],
    }


def current_text() -> ConsentText:
    text = ConsentText.objects.filter(is_current=True).first()
    if text is None:
        raise NoConsentText("no current consent text; run manage.py load_reference_data")
    return text


def latest_by_item(consents: Iterable[Consent]) -> dict[str, Consent]:
    """The latest row per item code from rows ordered newest first (Consent.Meta.ordering)."""
    latest: dict[str, Consent] = {}
    for row in consents:
        latest.setdefault(row.item, row)
    return latest


def states(user: User) -> dict[str, Consent]:
    return latest_by_item(Consent.objects.filter(user=user).select_related("text").order_by("-at", "-pk"))


def has_consent(user: User | AnonymousUser, code: str) -> bool:
    """Whether the person's latest answer to item `code` is yes. For other apps, e.g. a
    counsellor screen must check has_consent(owner, "counsellor_view") before showing results."""
    if not user.is_authenticated:
        return False
    row = Consent.objects.filter(user=user, item=code).order_by("-at", "-pk").first()
    return bool(row and row.granted)


def needs_required_consent(user: User) -> bool:
    """True when the person has not agreed to the required item of the *current* notice
    (e.g. an account made in the admin, or the notice changed since they agreed: §15② asks
    for consent again whenever purpose, items or retention change)."""
    # One query: the notice with the answers, as plain values (model instances of both
    # tables were most of its cost on the person's page).
    rows = Consent.objects.filter(user=user, text__is_current=True).order_by("-at", "-pk").values_list("item", "granted", "text__spec")
    return not next((granted for item, granted, spec in rows if item == spec["required"]["code"]), False)
