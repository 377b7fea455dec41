"""Actions of the catalogue: every write to a Service goes through here, in one transaction.

`create_service` and `update_service` are the only places that save a service. They
recompute the derived columns (search_text and the delimited code columns the filters
use), validate with Service.full_clean, and save only when something changed, so
django-simple-history records real changes only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from catalog.models import CatalogueRelease, Service
from catalog.queries import code_column, search_text_of

# Fields operators and the reference loader may set. Everything else is derived or automatic.
EDITABLE_FIELDS: tuple[str, ...] = (
    "slug", "name_ko", "name_en", "operator_ko", "kind", "stages", "goals", "age_min", "age_max",
    "statuses", "regions", "audiences", "firm_size_min", "firm_size_max", "delivery", "time_slots", "cost_ko", "duration_ko", "duration_weeks",
    "summary_ko", "summary_en", "how_to_apply_ko", "url", "sources", "checked_on", "research_note", "is_active",
)

Actor = AbstractBaseUser | AnonymousUser | None
HISTORY_REASON_MAX = 100


def derived_values(service: Service) -> dict[str, str]:
    return {
        "search_text": search_text_of(service),
        "goal_codes": code_column(service.goals),
        "stage_codes": code_column(service.stages),
        "region_codes": code_column(service.regions),
    }


def _set(service: Service, values: Mapping[str, Any]) -> list[str]:
    changed = []
    for name, value in values.items():
        if getattr(service, name) != value:
            setattr(service, name, value)
            changed.append(name)
    return changed


def _check_names(values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


def _save(service: Service, *, by: Actor, reason: str) -> None:
    service.full_clean(exclude=["reference_hash"])
    service._history_user = by if by is not None and by.is_authenticated else None  # type: ignore[attr-defined]
    service._change_reason = reason[:HISTORY_REASON_MAX] or None  # type: ignore[attr-defined]
    service.save()


@transaction.atomic
def create_service(values: Mapping[str, Any], *, by: Actor, reason: str = "", reference_hash: str = "") -> Service:
    """Create a service. Raises django.core.exceptions.ValidationError on invalid values."""
    _check_names(values)
    service = Service(**values, reference_hash=reference_hash)
    _set(service, derived_values(service))
    _save(service, by=by, reason=reason)
    return service


@transaction.atomic
def update_service(
    service: Service, changes: Mapping[str, Any], *, by: Actor, reason: str = "", reference_hash: str | None = None
) -> list[str]:
    """Apply `changes` to the stored row of `service`; return the names of the fields that changed.

    Compares against the row as it is in the database (not the possibly form-mutated
    instance), saves (one history row) only if a tracked field changed, and refreshes
    `service` from what was saved. Derived columns or the reference hash alone are
    written with an UPDATE that adds no history row.
    """
    _check_names(changes)
    current = Service.objects.select_for_update().get(pk=service.pk)
    changed = _set(current, changes)
    untracked = {**derived_values(current)}
    if reference_hash is not None:
        untracked["reference_hash"] = reference_hash
    untracked = {k: v for k, v in untracked.items() if getattr(current, k) != v}
    if changed:
        _set(current, untracked)
        _save(current, by=by, reason=reason)
    elif untracked:
        Service.objects.filter(pk=current.pk).update(**untracked)
        _set(current, untracked)
    for field in Service._meta.concrete_fields:
        setattr(service, field.attname, getattr(current, field.attname))
    return changed


def record_release(version: str, content_hash: str, services: int, *, now: Any = None) -> CatalogueRelease | None:
    """A new CatalogueRelease when the loaded file differs from the latest release (by its
    content hash); None when it is the same file again (a re-run or a redeploy). A version
    label reused for different content gets the hash's first 7 characters added."""
    from django.utils import timezone

    latest = CatalogueRelease.objects.order_by("-loaded_at", "-pk").first()
    if latest is not None and latest.content_hash == content_hash:
        return None
    label = version or "?"
    if CatalogueRelease.objects.filter(label=label).exists():
        label = f"{label}+{content_hash[:7]}"
    return CatalogueRelease.objects.create(
        label=label, version=version, content_hash=content_hash, services=services, loaded_at=now or timezone.now()
    )


def releases() -> list[tuple[Any, str]]:
    """(loaded_at, label) of every catalogue release, oldest first: the one in effect at a
    moment is the last loaded at or before it (insights.rollup)."""
    return list(CatalogueRelease.objects.order_by("loaded_at", "pk").values_list("loaded_at", "label"))
