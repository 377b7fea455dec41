"""accounts.backends.ModelBackend finds the person as Django's ModelBackend does."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from accounts.backends import ModelBackend

pytestmark = pytest.mark.django_db


def test_it_finds_an_active_person_by_id() -> None:
    person = User.objects.create_user("b@example.com", "b@example.com", "x-Strong-Pass-1234")
    assert ModelBackend().get_user(person.pk) == person


@pytest.mark.parametrize("held", ["not-an-id", None, 987654])
def test_a_session_holding_no_known_id_finds_nobody(held: object) -> None:
    assert ModelBackend().get_user(held) is None


def test_an_inactive_person_is_not_found() -> None:
    person = User.objects.create_user("c@example.com", "c@example.com", "x-Strong-Pass-1234", is_active=False)
    assert ModelBackend().get_user(person.pk) is None
