"""Load the versioned consent notice from accounts/fixtures_data/consent.json.

Idempotent: a second run changes nothing. A released version is immutable: loading
different content under a version that is already in the database is refused, because
stored consents must keep pointing at the words people actually agreed to. To change the
text, give it a new version; the new version becomes current and people are asked again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from accounts.consents import validate_spec
from accounts.models import ConsentText

CONSENT_FILE = Path(__file__).resolve().parent / "fixtures_data" / "consent.json"


def load(write: Callable[[str], None], *, demo: bool = True, path: Path = CONSENT_FILE) -> None:
    spec = json.loads(path.read_text(encoding="utf-8"))
    validate_spec(spec)
    version = str(spec["version"])
    effective_from = dt.date.fromisoformat(spec["effective_from"])
    text = ConsentText.objects.filter(version=version).first()
    if text is None:
        text = ConsentText.objects.create(version=version, effective_from=effective_from, spec=spec)
        status = "created"
    elif text.spec != spec or text.effective_from != effective_from:
        raise ValueError(
            f"consent text {version} is already loaded with different content; "
            "give the changed text a new version instead of editing a released one."
        )
    else:
        status = "unchanged"
    if not text.is_current:
        ConsentText.objects.filter(is_current=True).update(is_current=False)
        ConsentText.objects.filter(pk=text.pk).update(is_current=True)
        status = f"{status}, now current"
    write(f"consent text {version}: {status}")
