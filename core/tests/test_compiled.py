"""core.compiled.one_by gives what the queryset gives, with deferred fields and row locks."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from core.compiled import one_by
from core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_one_by_is_the_querysets_first_row_or_none() -> None:
    user = UserFactory.create(username="compiled@example.com")
    User = get_user_model()
    found = one_by(User, "pk", user.pk)
    assert found == User.objects.filter(pk=user.pk).first()
    assert found is not None and found.username == "compiled@example.com" and found._state.adding is False
    assert one_by(User, "username", "nobody@example.com") is None


def test_a_deferred_field_is_left_out_and_read_when_asked_for(django_assert_num_queries: Any) -> None:
    user = UserFactory.create(username="deferred@example.com", first_name="하나")
    User = get_user_model()
    with django_assert_num_queries(1):
        found = one_by(User, "pk", user.pk, defer=("first_name",))
    assert found is not None and found.get_deferred_fields() == {"first_name"}
    with django_assert_num_queries(1):
        assert found.first_name == "하나"


@pytest.mark.django_db(transaction=True)
def test_a_locked_read_needs_a_transaction_where_rows_can_be_locked() -> None:
    user = UserFactory.create(username="locked@example.com")
    User = get_user_model()
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks no rows
        with pytest.raises(TransactionManagementError):
            one_by(User, "pk", user.pk, for_update=True)
    with transaction.atomic():
        locked = one_by(User, "pk", user.pk, for_update=True)
    assert locked is not None and locked.pk == user.pk
