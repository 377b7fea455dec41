"""People for tests, shared by every app: a citizen and a staff member (by default a
national programme operator: every centre's sessions, rosters and employer requests)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory

from core.roles import Role, forget

NATIONAL_OPERATOR: tuple[tuple[str, Any], ...] = ((Role.OPERATOR, None),)


def grant(user: User, role: str, centre: Any = None, partner: Any = None) -> User:
    """Give `user` a role in `centre` (None: nationally), as the admin would. A partner
    role needs its organisation: a new one unless `partner` is given."""
    from accounts.models import StaffRole

    if role == Role.PARTNER and partner is None:
        from referrals.tests.factories import PartnerFactory

        partner = PartnerFactory.create()
    StaffRole.objects.create(user=user, role=role, centre=centre, partner=partner)
    forget(user)
    return user


def grant_all(user: User, roles: Iterable[tuple[str, Any]]) -> None:
    for role, centre in roles:
        grant(user, role, centre)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}@example.com")
    email = factory.SelfAttribute("username")


class StaffFactory(UserFactory):
    """`StaffFactory(roles=[(Role.LEAD, centre)])` for another role; no `is_staff`: that
    flag only opens the Django admin and grants no page."""

    username = factory.Sequence(lambda n: f"staff{n}@lifecareer.example")

    @factory.post_generation
    def roles(self, create: bool, extracted: Iterable[tuple[str, Any]] | None, **kwargs: Any) -> None:
        if create:
            grant_all(self, NATIONAL_OPERATOR if extracted is None else extracted)  # type: ignore[arg-type]  # self is the User made
