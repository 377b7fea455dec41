"""core.compiled.first and one_by: a query compiled once per process gives what the
queryset gives, row for row (select_related rows, annotations, converters, deferred fields,
row locks), with each call's values."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from core import compiled
from programmes import services
from programmes.models import Session
from programmes.tests.factories import UserFactory, session

pytestmark = pytest.mark.django_db


def _with_places_of(session_id: int, user_id: int) -> QuerySet[Session]:
    return (
        Session.objects.select_related("programme", "centre")
        .annotate(mine=Count("enrolments", filter=Q(enrolments__user_id=user_id)), places=Count("enrolments"))
        .filter(pk=session_id)
    )


def _locked(session_id: int) -> QuerySet[Session]:
    return Session.objects.select_for_update(of=("self",)).select_related("centre").filter(pk=session_id)


def _by_code(region: str, session_id: int) -> QuerySet[Session]:
    return Session.objects.filter(region=region, pk=session_id)


def _snapshot(s: Session) -> dict[str, object]:
    fields = {f.attname: getattr(s, f.attname) for f in Session._meta.concrete_fields}
    return {**fields, "programme": s.programme.name_ko, "centre": s.centre and s.centre.name}


def test_the_compiled_row_is_the_querysets_with_each_calls_values() -> None:
    first, second = session(), session()
    person, other = UserFactory.create(), UserFactory.create()
    services.enrol(first.pk, person)
    services.enrol(first.pk, other)
    for s, user in [(first, person), (second, person), (first, UserFactory.create())]:
        expected = _with_places_of(s.pk, user.pk).first()
        got = compiled.first(_with_places_of, session_id=s.pk, user_id=user.pk)
        assert expected is not None and got is not None
        assert _snapshot(got) == _snapshot(expected)
        assert (got.mine, got.places) == (expected.mine, expected.places)  # type: ignore[attr-defined]
        assert isinstance(got.starts_at, dt.datetime) and got.starts_at.tzinfo is not None  # the converters ran
        assert not got._state.adding and got._state.db == "default"
    assert compiled.first(_with_places_of, session_id=second.pk + 1000, user_id=person.pk) is None
    assert _with_places_of(2**64, person.pk).first() is None
    assert compiled.first(_with_places_of, session_id=2**64, user_id=person.pk) is None


def test_a_compiled_query_is_one_statement_and_keeps_its_lock() -> None:
    s = session()
    compiled.first(_locked, session_id=s.pk)  # compiled here
    with CaptureQueriesContext(connection) as queries:
        got = compiled.first(_locked, session_id=s.pk)
    assert got is not None and got.centre == s.centre
    assert len(queries.captured_queries) == 1
    if connection.features.has_select_for_update_of:
        assert "FOR UPDATE OF" in queries.captured_queries[0]["sql"]


def _starting_after(session_id: int, after: dt.datetime) -> QuerySet[Session]:
    return Session.objects.filter(pk=session_id, starts_at__gt=after)


def test_datetimes_are_adapted_as_the_orm_adapts_them() -> None:
    s = session()
    for after, found in [(s.starts_at - dt.timedelta(microseconds=1), True), (s.starts_at, False)]:
        assert (_starting_after(s.pk, after).first() is not None) is found
        assert (compiled.first(_starting_after, session_id=s.pk, after=after) is not None) is found


def test_text_values_take_their_own_places() -> None:
    s = session()
    assert compiled.first(_by_code, region=s.region, session_id=s.pk) == s
    assert compiled.first(_by_code, region="99", session_id=s.pk) is None


@pytest.mark.django_db(transaction=True)
def test_a_locking_query_outside_a_transaction_is_refused_as_the_orm_refuses_it() -> None:
    s = session()
    with transaction.atomic():
        assert compiled.first(_locked, session_id=s.pk) == s
    if connection.features.has_select_for_update:
        with pytest.raises(TransactionManagementError):
            _locked(s.pk).first()
        with pytest.raises(TransactionManagementError):
            compiled.first(_locked, session_id=s.pk)
    else:  # SQLite: no FOR UPDATE, nothing to refuse (BEGIN IMMEDIATE serialises writers)
        assert compiled.first(_locked, session_id=s.pk) == s


def test_only_module_level_builders_and_plain_values_are_taken() -> None:
    with pytest.raises(ValueError, match="module-level"):
        compiled.first(lambda session_id: _locked(session_id), session_id=1)
    with pytest.raises(TypeError):
        compiled.first(_locked, session_id=1.5)  # type: ignore[arg-type]


def _ignores(session_id: int) -> QuerySet[Session]:
    return Session.objects.all()


def test_a_value_the_query_does_not_use_is_an_error() -> None:
    with pytest.raises(ValueError, match="not found among the parameters"):
        compiled.first(_ignores, session_id=1)


def test_one_by_is_the_querysets_first_row_or_none() -> None:
    user = UserFactory.create(username="compiled@example.com")
    User = get_user_model()
    found = compiled.one_by(User, "pk", user.pk)
    assert found == User.objects.filter(pk=user.pk).first()
    assert found is not None and found.username == "compiled@example.com" and found._state.adding is False
    assert compiled.one_by(User, "username", "nobody@example.com") is None


def test_a_deferred_field_is_left_out_and_read_when_asked_for(django_assert_num_queries: Any) -> None:
    user = UserFactory.create(username="deferred@example.com", first_name="하나")
    User = get_user_model()
    with django_assert_num_queries(1):
        found = compiled.one_by(User, "pk", user.pk, defer=("first_name",))
    assert found is not None and found.get_deferred_fields() == {"first_name"}
    with django_assert_num_queries(1):
        assert found.first_name == "하나"


@pytest.mark.django_db(transaction=True)
def test_a_locked_read_needs_a_transaction_where_rows_can_be_locked() -> None:
    user = UserFactory.create(username="locked@example.com")
    User = get_user_model()
    if connection.features.has_select_for_update:  # PostgreSQL; SQLite locks no rows
        with pytest.raises(TransactionManagementError):
            compiled.one_by(User, "pk", user.pk, for_update=True)
    with transaction.atomic():
        locked = compiled.one_by(User, "pk", user.pk, for_update=True)
    assert locked is not None and locked.pk == user.pk
