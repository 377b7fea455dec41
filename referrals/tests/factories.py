from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory

from accounts.models import StaffRole
from core.roles import Role, forget
from referrals.models import Partner


class PartnerFactory(DjangoModelFactory[Partner]):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"partner-{n}")
    name = factory.Sequence(lambda n: f"연계 기관 {n}")
    kind = Partner.Kind.AGENCY
    email = factory.Sequence(lambda n: f"partner-{n}@example.invalid")

    @factory.post_generation
    def services(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.services.add(*extracted)


def partner_staff(partner: Partner, user: User | None = None) -> User:
    from core.tests.factories import UserFactory

    user = user or UserFactory.create(username=f"staff-{partner.slug}-{Partner.objects.count()}-{StaffRole.objects.count()}@partner.example")
    StaffRole.objects.create(user=user, role=Role.PARTNER, partner=partner)
    forget(user)
    return user


def partner_if(role: str) -> Partner | None:
    """For helpers that grant any role: a partner role needs its organisation."""
    return PartnerFactory.create() if role == Role.PARTNER else None
