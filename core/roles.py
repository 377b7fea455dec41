"""Roles: who among the staff may see and do what. The one table in code.

A person's roles are rows of `accounts.StaffRole` (role + centre, or no centre for a
national scope). Views declare the permission they need with `@staff_with(Perm.X)`
(`core/access.py`); the `access_*` functions narrow to the objects in the person's scope
with `centre_scope(user, perm)`. Outside the scope is the same 404 as missing.

`docs/roles.md` has the same table in words; `core/tests/test_roles.py` fails when the two
disagree. `is_staff` only opens the Django admin (reference-data editing); it grants no page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNSELLOR = "counsellor", _("상담사")
    LEAD = "lead", _("센터장")
    OPERATOR = "operator", _("프로그램 운영자")
    ANALYST = "analyst", _("분석 담당자")
    # Staff of a partner organisation (연계 기관): the StaffRole row names the organisation
    # (accounts.StaffRole.partner); they see only the referrals sent to it (referrals/access.py).
    PARTNER = "partner", _("연계 기관 담당자")


class Perm(StrEnum):
    # Counselling (cases are opened only in a centre's scope).
    CASES_ASSIGNED = "cases.assigned"  # cases assigned to or shared with the person
    CASES_CENTRE = "cases.centre"  # every case of the centre; assign counsellors
    AVAILABILITY = "availability"  # publish one's own counselling hours
    ACCESS_REVIEW = "access_review"  # 개인정보 접속기록 점검 of the centre
    # Programmes and their sessions.
    ROSTERS = "rosters"  # sessions, rosters, attendance, cancellation, rescue
    EMPLOYER_REQUESTS = "employer_requests"  # 기업출강 requests (national desk)
    CATALOGUE = "catalogue"  # staff view of the catalogue and its research notes
    COURSES = "courses"  # online courses' staff pages
    # Aggregates only, never a person.
    STATISTICS = "statistics"
    # Referrals (연계) sent to the person's own partner organisation: read what the person
    # chose to share, move the referral's status.
    REFERRALS_PARTNER = "referrals.partner"


PERMISSIONS: Final[dict[str, frozenset[Perm]]] = {
    Role.COUNSELLOR: frozenset({Perm.CASES_ASSIGNED, Perm.AVAILABILITY}),
    Role.LEAD: frozenset({Perm.CASES_ASSIGNED, Perm.CASES_CENTRE, Perm.AVAILABILITY, Perm.ACCESS_REVIEW, Perm.ROSTERS, Perm.STATISTICS}),
    Role.OPERATOR: frozenset({Perm.ROSTERS, Perm.EMPLOYER_REQUESTS, Perm.CATALOGUE, Perm.COURSES, Perm.STATISTICS}),
    Role.ANALYST: frozenset({Perm.STATISTICS}),
    Role.PARTNER: frozenset({Perm.REFERRALS_PARTNER}),
}

# Roles that must name a centre; the others may be national (no centre).
CENTRE_BOUND: Final = frozenset({Role.COUNSELLOR, Role.LEAD})

ALL: Final = None  # a scope of "every centre"


@dataclass(frozen=True)
class Grants:
    """What one person holds: for each permission, the centres (or ALL)."""

    superuser: bool
    roles: frozenset[str]
    scopes: dict[Perm, frozenset[int] | None]

    def can(self, perm: Perm) -> bool:
        return self.superuser or perm in self.scopes

    def centres(self, perm: Perm) -> frozenset[int] | None:
        """The centre ids in scope for `perm`; None means every centre."""
        if self.superuser:
            return ALL
        return self.scopes.get(perm, frozenset())

    @property
    def is_staff_member(self) -> bool:
        return self.superuser or bool(self.roles - {Role.PARTNER})


NOBODY: Final = Grants(False, frozenset(), {})


def grants_of(user: Any) -> Grants:
    """Read once per request (one query), kept on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_lc_grants", None)
    if cached is not None:
        return cached
    from accounts.models import StaffRole

    scopes: dict[Perm, frozenset[int] | None] = {}
    roles: set[str] = set()
    for role, centre_id in StaffRole.objects.filter(user=user).values_list("role", "centre_id"):
        roles.add(role)
        for perm in PERMISSIONS.get(role, frozenset()):
            if perm in scopes and scopes[perm] is None:
                continue
            scopes[perm] = None if centre_id is None else (scopes.get(perm) or frozenset()) | {centre_id}
    grants = Grants(bool(user.is_superuser), frozenset(roles), scopes)
    user._lc_grants = grants
    return grants


def can(user: Any, perm: Perm) -> bool:
    return grants_of(user).can(perm)


def centre_scope(user: Any, perm: Perm) -> frozenset[int] | None:
    return grants_of(user).centres(perm)


def in_scope(user: Any, perm: Perm, centre_id: int | None) -> bool:
    scope = centre_scope(user, perm)
    if not can(user, perm):
        return False
    return scope is ALL or (centre_id is not None and centre_id in scope)


def filter_by_scope(queryset: models.QuerySet[Any], user: Any, perm: Perm, field: str = "centre") -> models.QuerySet[Any]:
    """`queryset` narrowed to the centres in the person's scope for `perm` (none if no perm)."""
    if not can(user, perm):
        return queryset.none()
    scope = centre_scope(user, perm)
    if scope is ALL:
        return queryset
    return queryset.filter(**{f"{field}__in": scope})


def forget(user: Any) -> None:
    """After granting or revoking a role in the same request/test."""
    if hasattr(user, "_lc_grants"):
        del user._lc_grants
