"""People for tests, shared by every app: a citizen and a staff member (counsellor/operator)."""

from __future__ import annotations

import factory
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}@example.com")
    email = factory.SelfAttribute("username")


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}@lifecareer.example")
    is_staff = True
