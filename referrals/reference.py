"""Partner organisations from the catalogue (catalog/fixtures_data/services.json): one
partner per distinct operator (`operator_ko`) of the services the catalogue marks as
delivered outside the Ministry (kind agency or private: catalog.models.OWNER_KINDS["other"]),
linked to those services. No contact details are invented: the address stays empty until an
operator enters the one the organisation gives (no e-mail → no link can be sent).

With `demo` (development), two demo partners (시연용, `…@example.invalid`) are added, one of
which takes self-referrals, so the whole flow can be tried. Idempotent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from catalog.models import OWNER_KINDS, Service
from referrals.models import Partner

SERVICES = Path(settings.BASE_DIR) / "catalog" / "fixtures_data" / "services.json"

DEMO: tuple[tuple[str, str, bool, tuple[str, ...]], ...] = (
    ("demo-partner-rural", "시연용 귀농귀촌 지원기관", True, ("returnfarm-centre", "leading-farm-practice")),
    ("demo-partner-startup", "시연용 창업 지원기관", False, ("jangnyeon-tech-startup-centre", "pre-startup-package")),
)


def slug_for(operator: str) -> str:
    return "ref-" + hashlib.sha256(operator.encode("utf-8")).hexdigest()[:16]


def load(write: Callable[[str], None], *, demo: bool = True, path: Path | None = None) -> None:
    data = json.loads((path or SERVICES).read_text(encoding="utf-8"))
    external = set(OWNER_KINDS["other"])
    by_operator: dict[str, tuple[str, list[str]]] = {}
    for record in data["services"]:
        if record.get("kind") in external and record.get("operator_ko"):
            kind, slugs = by_operator.setdefault(record["operator_ko"], (record["kind"], []))
            slugs.append(record["slug"])
    made = 0
    for operator, (kind, slugs) in sorted(by_operator.items()):
        partner, created = Partner.objects.get_or_create(
            reference_key=operator, defaults={"slug": slug_for(operator), "name": operator[:200], "kind": kind},
        )
        made += created
        partner.services.add(*Service.objects.filter(slug__in=slugs))
    if demo:
        for slug, name, self_ok, service_slugs in DEMO:
            partner, created = Partner.objects.get_or_create(
                slug=slug,
                defaults={"name": name, "kind": Partner.Kind.AGENCY, "email": f"{slug}@example.invalid", "is_demo": True, "accepts_self_referral": self_ok},
            )
            made += created
            partner.services.add(*Service.objects.filter(slug__in=service_slugs))
    write(f"referrals: {made} partner organisation(s) added ({len(by_operator)} from the catalogue)")
