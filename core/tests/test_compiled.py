"""core.compiled.first and one_by: a query compiled once per process gives what the
queryset gives, row for row (select_related rows, annotations, converters, deferred fields,
row locks), with each call's values. core.compiled.insert: the row the ORM's save writes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, router, transaction
from django.db.models import Count, Model, Q, QuerySet, Value
from django.db.models.functions import Upper
from django.db.models.signals import post_save, pre_save
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from core import compiled
from diagnosis.models import Instrument, Result
from notifications.models import Notification
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


# --- core.compiled.insert -----------------------------------------------------------------


def _instrument() -> Instrument:
    return Instrument.objects.create(version="compiled-1", title="도구", spec={"scales": ["가"]})


def _result(instrument: Instrument, owner: Any = None) -> Result:
    return Result(
        instrument=instrument, owner=owner, birth_year=1968, age_band="50s", employment_status="retiring",
        career_years=25, occupation="clerical", region="11", goal="reemployment", availability=["evening", "주말"],
        answers={"q1": 4, "q2": 1}, type_code="탐색형", scale_scores={"가": 3.5, "나": 0},
        details={"weighted_answers": [{"id": "q1", "w": 1.25}], "what_would_change": []},
    )


def _notification(user: Any, key: str, created_at: dt.datetime) -> Notification:
    return Notification(
        recipient=user, address="a@example.com", channel="email", kind="other", dedupe_key=key,
        subject="제목", body="본문\n둘째 줄", attachments=[{"filename": "a.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}],
        created_at=created_at,
    )


def _stored(model: type[Model], pk: Any, leave_out: set[str]) -> dict[str, Any]:
    """The row as the database gives it to a plain cursor (no converters): the bytes written."""
    columns = [str(f.column) for f in model._meta.concrete_fields if f.column not in leave_out]
    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} WHERE id = %s"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return dict(zip(columns, cursor.fetchone(), strict=True))


def test_the_row_inserted_is_the_orms() -> None:
    instrument, owner = _instrument(), UserFactory.create()
    by_orm = _result(instrument, owner)
    by_orm.save(force_insert=True)
    for attempt in range(2):  # the first call compiles, the second runs the kept statement
        mine = compiled.insert(_result(instrument, owner))
        assert mine.pk is not None and mine.pk != by_orm.pk and not mine._state.adding and mine._state.db == "default"
        assert mine.created_at is not None and mine.created_at.tzinfo is not None, attempt  # auto_now_add ran
        leave_out = {"id", "public_id", "created_at"}
        assert _stored(Result, mine.pk, leave_out) == _stored(Result, by_orm.pk, leave_out)
        again = Result.objects.get(pk=mine.pk)
        assert (again.public_id, again.created_at, again.answers) == (mine.public_id, mine.created_at, mine.answers)


def test_a_datetime_and_a_json_list_are_written_as_the_orm_writes_them() -> None:
    user = UserFactory.create()
    at = dt.datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=dt.UTC)
    by_orm = _notification(user, "orm", at)
    by_orm.save(force_insert=True)
    mine = compiled.insert(_notification(user, "mine", at))
    assert _stored(Notification, mine.pk, {"id", "dedupe_key"}) == _stored(Notification, by_orm.pk, {"id", "dedupe_key"})
    assert Notification.objects.get(pk=mine.pk).created_at == at


def _statements(write: Callable[[], Any]) -> list[str]:
    seen: list[str] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        write()
    return seen


def test_one_statement_the_orms_own() -> None:
    instrument = _instrument()
    orm = _statements(lambda: _result(instrument).save(force_insert=True))
    compiled.insert(_result(instrument))
    mine = _statements(lambda: compiled.insert(_result(instrument)))
    assert len(mine) == 1 and mine == orm


def test_a_given_primary_key_is_written_and_kept() -> None:
    instrument = _instrument()
    result = _result(instrument)
    result.pk = 987_654
    compiled.insert(result)
    assert Result.objects.filter(pk=987_654, type_code="탐색형").exists()
    assert compiled.insert(_result(instrument)).pk != 987_654  # a shape of its own: without the key


def test_a_model_whose_key_is_its_own_is_written_without_reading_anything_back() -> None:
    from django.contrib.sessions.models import Session as StoredSession

    expires = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    statements = _statements(lambda: compiled.insert(StoredSession(session_key="k" * 32, session_data="자료", expire_date=expires)))
    assert len(statements) == 1 and "RETURNING" not in statements[0]
    stored = StoredSession.objects.get(pk="k" * 32)
    assert (stored.session_data, stored.expire_date) == ("자료", expires)


def test_the_write_is_the_routers(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[type[Model]] = []
    result = _result(_instrument())

    def db_for_write(model: type[Model], **hints: Any) -> str:
        asked.append(model)
        return "default"

    monkeypatch.setattr(router, "db_for_write", db_for_write)
    compiled.insert(result)
    assert asked == [Result]


def test_without_receivers_the_orms_save_is_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    instrument = _instrument()

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the ORM saved it")

    monkeypatch.setattr(Result, "save_base", refuse)
    assert compiled.insert(_result(instrument)).pk is not None


@pytest.mark.parametrize("signal", [pre_save, post_save])
def test_a_model_with_save_receivers_is_saved_by_the_orm_and_they_hear_it(signal: Any) -> None:
    instrument = _instrument()
    heard: list[tuple[Any, bool | None]] = []

    def receiver(sender: Any, instance: Result, **kwargs: Any) -> None:
        heard.append((instance.type_code, kwargs.get("created")))

    signal.connect(receiver, sender=Result, weak=False, dispatch_uid="test-compiled-insert")
    try:
        result = compiled.insert(_result(instrument))
    finally:
        signal.disconnect(sender=Result, dispatch_uid="test-compiled-insert")
    assert heard == [("탐색형", True if signal is post_save else None)]
    assert Result.objects.filter(pk=result.pk).exists()
    heard.clear()
    compiled.insert(_result(instrument))  # disconnected: no signal any more
    assert heard == []


def test_a_model_with_a_save_of_its_own_is_saved_by_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled, "_SAVED_BY_ORM", {})
    calls: list[dict[str, Any]] = []

    def save(self: Result, **kwargs: Any) -> None:
        calls.append(kwargs)
        Model.save(self, **kwargs)

    monkeypatch.setattr(Result, "save", save)
    result = compiled.insert(_result(_instrument()))
    assert calls == [{"force_insert": True, "using": None}]
    assert Result.objects.filter(pk=result.pk).exists()


def test_an_expression_is_left_to_the_orm() -> None:
    user = UserFactory.create()
    row = _notification(user, "expr", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    row.subject = Upper(Value("abc"))
    compiled.insert(row)
    assert Notification.objects.get(pk=row.pk).subject == "ABC"


def test_a_failed_insert_marks_the_transaction_for_rollback_as_the_orms_save() -> None:
    user = UserFactory.create()
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    compiled.insert(_notification(user, "once", at))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            compiled.insert(_notification(user, "once", at))
        assert transaction.get_rollback()  # the block is rolled back as it ends


def test_without_returning_the_key_is_the_cursors_last_row_id(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's last row id; PostgreSQL always returns the key")
    monkeypatch.setattr(compiled, "_INSERTS", {})
    monkeypatch.setattr(connection.features, "can_return_columns_from_insert", False)
    instrument = _instrument()
    sql = _statements(lambda: compiled.insert(_result(instrument)))
    result = compiled.insert(_result(instrument))
    assert "RETURNING" not in sql[0]
    assert Result.objects.order_by("-pk").values_list("pk", flat=True).first() == result.pk
