"""One row, with the ORM's SQL and converters worked out once per process.

Look-ups that run on nearly every request of a signed-in person or a reader of a plan or a
result: the person by id (accounts.backends), the plan and the result by their public ids
(`one_by`); and the row an action locks on every enrolment (programmes.services, `first`).
Through the ORM each costs from about a millisecond and a half of Python (building the
queryset, compiling it, resolving the columns) for a plain look-up to several for a
locking query with joins and subqueries, for some tens of microseconds in the database.
Here the ORM compiles each query once per process and database (`_Shape`), and each call
runs that SQL with the new values, converts the row with the ORM's own converters and
makes the instances as a queryset's `ModelIterable` would (`Model.from_db`, the related
rows of `select_related`, the annotations). Django has no prepared-statement cache of its
own, and no library we found does this for the ORM; it is kept to single rows, where the
ORM's result handling is just these steps.

How the values find their place: the query is built once with a sentinel for each value,
and the sentinel's positions among the compiled parameters are where each call's values go.

And one row written (`insert`): the INSERT of a new instance, as `save(force_insert=True)`
writes it, compiled once per process per model, database and whether the primary key is
given. Each call runs the fields' own `pre_save` (auto_now_add) and `get_db_prep_save` (a
JSONField's text, a datetime's adaptation …) on the values, so the bytes written are the
ORM's, and reads the new key back as the ORM does (RETURNING, or the last row id where the
database cannot return columns). A model that anything else listens to or changes the save
of is saved by the ORM itself (`_orm_saves`).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, router, transaction
from django.db.models import AutoField, Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

# Values the compiled SQL is made with, found again among its parameters (one per value:
# the n-th value of a query gets the n-th sentinel of its kind).
_TEXT_SENTINEL = "lc-compiled-sentinel"
_NUMBER_SENTINEL = -731_904_221
_INT64 = (-(2**63), 2**63 - 1)


_TIME_SENTINEL = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)


def _sentinel(value: Any, n: int) -> Any:
    if isinstance(value, dt.datetime):
        return _TIME_SENTINEL + dt.timedelta(microseconds=n)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"core.compiled takes int, str or datetime values, not {type(value).__name__}")
    return _NUMBER_SENTINEL - n if isinstance(value, int) else f"{_TEXT_SENTINEL}-{n}"


def _prepared(value: Any, connection: Any) -> Any:
    """A value as the ORM passes it to the database: a datetime compared with a datetime
    column is adapted by the backend (SQLite: text in UTC); ids and codes go as they are."""
    return connection.ops.adapt_datetimefield_value(value) if isinstance(value, dt.datetime) else value


@dataclass(frozen=True)
class _Shape:
    sql: str
    slots: dict[str, tuple[int, ...]]  # value name → its positions among the parameters
    params: tuple[Any, ...]
    locks: bool  # SELECT … FOR UPDATE: only inside a transaction, as the ORM checks
    converters: dict[int, tuple[list[Any], Any]]
    compiler: Any
    # How a row becomes the instance (ModelIterable's steps, worked out once)
    model_cls: type[Model]
    start: int
    end: int
    attnames: list[str]
    related: list[Any]  # RelatedPopulator of each select_related row
    annotations: dict[str, int]


_SHAPES: dict[tuple[str, ...], _Shape] = {}
_ROUTES: dict[tuple[str, ...], tuple[type[Model], bool]] = {}  # key → (model, a write for the router)
_LOCK = threading.Lock()


def _compile(queryset: QuerySet[Any], sentinels: dict[str, Any]) -> _Shape:
    query = queryset.query.chain()
    query.clear_ordering(force=True)
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    sentinels = {name: _prepared(sentinel, compiler.connection) for name, sentinel in sentinels.items()}
    slots = {name: tuple(i for i, p in enumerate(params) if p == sentinel) for name, sentinel in sentinels.items()}
    missing = [name for name, at in slots.items() if not at]
    if missing:
        raise ValueError(f"core.compiled: {missing} not found among the parameters of {sql!r}")
    select, klass_info = compiler.select, compiler.klass_info
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    columns = [col for col, _sql, _alias in select[: compiler.col_count]]
    return _Shape(
        sql=sql, slots=slots, params=tuple(params),
        locks=bool(query.select_for_update) and compiler.connection.features.has_select_for_update,
        converters=compiler.get_converters(columns), compiler=compiler,
        model_cls=klass_info["model"], start=start, end=end,
        attnames=[f[0].target.attname for f in select[start:end]],
        related=get_related_populators(klass_info, select, queryset.db),  # type: ignore[call-arg]  # the stubs are Django 6's
        annotations=dict(compiler.annotation_col_map or {}),
    )


def _shape(key: tuple[str, ...], make: Callable[[], _Shape]) -> _Shape:
    shape = _SHAPES.get(key)
    if shape is None:
        shape = make()
        with _LOCK:
            _SHAPES[key] = shape
    return shape


def _fetch(shape: _Shape, alias: str, values: dict[str, Any]) -> Any:
    connection = connections[alias]
    if shape.locks and connection.get_autocommit():
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    params = list(shape.params)
    for name, at in shape.slots.items():
        value = _prepared(values[name], connection)
        for i in at:
            params[i] = value
    with connection.cursor() as cursor:
        cursor.execute(shape.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if shape.converters:
        row = next(iter(shape.compiler.apply_converters([row], shape.converters)))
    obj = shape.model_cls.from_db(alias, shape.attnames, row[shape.start : shape.end])
    for populator in shape.related:
        populator.populate(row, obj)
    for name, col in shape.annotations.items():
        setattr(obj, name, row[col])
    return obj


def first(build: Callable[..., QuerySet[M]], **values: int | str | dt.datetime) -> M | None:
    """`build(**values).first()` for a query that finds one row by unique values, without
    building or compiling the queryset again: `build` (a module-level function, its name is
    the key) is called once per process and database with a sentinel for each value.

    Its rows are made as the queryset would make them (select_related rows and annotations
    included); `select_for_update` is kept, and refused outside a transaction as the ORM
    does. The values must be ints or strs that go into the SQL unchanged (ids, codes), or
    datetimes compared with datetime columns (adapted as the ORM adapts them): the ORM's
    own preparation of the value runs only once, on the sentinel. Every value selects the
    row (an integer outside 64 bits gives None, as the ORM's lookup would)."""
    if any(isinstance(v, int) and not _INT64[0] <= v <= _INT64[1] for v in values.values()):
        # What the ORM's exact lookup on an integer column does with such a value (a row id
        # in the address, /sessions/99999999999999999999/): finds nothing, asks nothing.
        return None
    if "<" in build.__qualname__:  # a lambda or a nested function: its name says nothing of what it captured
        raise ValueError("core.compiled.first needs a module-level function")
    names = tuple(sorted(values))
    # The values' types are part of the key: a value of another type gets a shape of its
    # own, made with a sentinel of its type (or refused, `_sentinel`).
    key = (build.__module__, build.__qualname__, *(f"{name}:{type(values[name]).__name__}" for name in names))
    route = _ROUTES.get(key)
    probe: QuerySet[M] | None = None
    if route is None:
        sentinels = {name: _sentinel(values[name], n) for n, name in enumerate(names)}
        probe = build(**sentinels)
        route = _ROUTES[key] = (probe.model, bool(getattr(probe, "_for_write")))  # noqa: B009 - private to the queryset; the stubs do not have it
    # Asked of the router on every call, as the queryset would: a locking query is a
    # write for it (lifecareer.db_router notes that the request wrote).
    model, for_write = route
    alias = router.db_for_write(model) if for_write else router.db_for_read(model)

    def make() -> _Shape:
        sentinels = {name: _sentinel(values[name], n) for n, name in enumerate(names)}
        return _compile((probe if probe is not None else build(**sentinels)).using(alias), sentinels)

    obj: M | None = _fetch(_shape((*key, alias), make), alias, values)
    return obj


def one_by(model: type[M], field: str, value: Any, *, defer: tuple[str, ...] = (), for_update: bool = False) -> M | None:
    """The instance of `model` whose unique `field` is `value`, or None: what
    `model.objects.filter(**{field: value}).defer(*defer).first()` gives, without compiling
    the query. Deferred fields are left out of the row, as the queryset leaves them
    (`Model.from_db` marks them deferred; reading one asks the database, or the field's own
    descriptor). `for_update`: the row locked till the transaction ends, as
    `select_for_update()` (read from the database written to; only inside a transaction)."""
    alias = router.db_for_write(model) if for_update else router.db_for_read(model)
    target: Any = model._meta.pk if field == "pk" else model._meta.get_field(field)
    kind = target.get_internal_type()
    sentinel: Any = _NUMBER_SENTINEL if "Integer" in kind or "AutoField" in kind else _TEXT_SENTINEL

    def make() -> _Shape:
        queryset = model._default_manager.using(alias).filter(**{field: sentinel})
        queryset = queryset.defer(*defer) if defer else queryset
        return _compile(queryset.select_for_update() if for_update else queryset, {field: sentinel})

    key = (model._meta.label, field, alias, "defer:" + ",".join(defer), "for update" if for_update else "")
    obj: M | None = _fetch(_shape(key, make), alias, {field: target.get_db_prep_value(target.to_python(value), connections[alias])})
    return obj


# --- one row written ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Insert:
    sql: str
    fields: tuple[Any, ...]  # the columns the ORM writes, in its order
    returning: tuple[Any, ...]  # the model's db_returning_fields (the auto primary key)
    read_back: str  # "columns" (RETURNING), "last id" (the cursor's) or "" (nothing)
    returning_params: tuple[Any, ...]
    converters: dict[int, tuple[list[Any], Any]]
    compiler: Any


_INSERTS: dict[tuple[str, str, bool], _Insert] = {}
_SAVED_BY_ORM: dict[type[Model], bool] = {}  # per model: the structural reasons of `_orm_saves`


def _orm_saves(cls: type[Model]) -> bool:
    """Whether a new `cls` row must go through the ORM's own save: a receiver of pre_save or
    post_save for it (asked on every call: a receiver may be connected at any time; the
    ORM sends both signals, `insert` sends none), or a save that does more than one INSERT
    of the model's own columns (a proxy, a child of multi-table inheritance, an
    `order_with_respect_to`, a save method of its own, a field with its own placeholder)."""
    if pre_save.has_listeners(cls) or post_save.has_listeners(cls):
        return True
    structural = _SAVED_BY_ORM.get(cls)
    if structural is None:
        meta = cls._meta
        structural = bool(
            meta.proxy or meta.parents or meta.auto_created or meta.order_with_respect_to
            or any(getattr(cls, name) is not getattr(Model, name) for name in ("save", "save_base", "_save_table", "_do_insert"))
            or any(hasattr(f, "get_placeholder") for f in meta.local_concrete_fields)
        )
        _SAVED_BY_ORM[cls] = structural
    return structural


def _compile_insert(instance: Model, fields: list[Any], alias: str) -> _Insert:
    meta = instance._meta
    query = InsertQuery(type(instance))
    # raw: the compiler takes the values as they are (pre_save has run); only the SQL is kept.
    query.insert_values(fields, [instance], raw=True)
    compiler = query.get_compiler(using=alias)
    returning = tuple(meta.db_returning_fields)
    compiler.returning_fields = returning
    [(sql, params)] = compiler.as_sql()
    if len(params) != len(fields) or f"VALUES ({', '.join(['%s'] * len(fields))})" not in sql:
        raise ValueError(f"core.compiled.insert: not one plain placeholder per column in {sql!r}")
    features = compiler.connection.features
    if not returning:
        read_back = ""
    elif features.can_return_columns_from_insert:
        read_back = "columns"
    elif isinstance(returning[0], AutoField):
        read_back = "last id"
        returning = returning[:1]
    else:
        read_back = ""
    return _Insert(
        sql=sql, fields=tuple(fields), returning=returning, read_back=read_back,
        returning_params=tuple(compiler.returning_params),
        converters=compiler.get_converters([f.get_col(meta.db_table) for f in returning]) if read_back else {},
        compiler=compiler,
    )


def insert(instance: M, *, using: str | None = None) -> M:
    """`instance.save(force_insert=True, using=using)` for a new instance, without building
    and compiling the INSERT each time: the same statement, the same values (each field's
    `pre_save` and `get_db_prep_save`, as the ORM's compiler calls them), the new primary
    key set on the instance, which is then saved (`_state`). The database is the router's
    for writes unless `using` is given; an error marks the transaction for rollback as the
    ORM's save does.

    No signals are sent: a model with a pre_save or post_save receiver, or whose save does
    more than one plain INSERT, is saved by the ORM (`_orm_saves`), as is a value that is
    an expression."""
    cls = type(instance)
    if _orm_saves(cls):
        instance.save(force_insert=True, using=using)
        return instance
    meta = cls._meta
    instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]  # Django's, not in the stubs
    alias = using or router.db_for_write(cls, instance=instance)
    if not instance._is_pk_set(meta):  # type: ignore[attr-defined]  # Django 5.2's, not in the stubs
        setattr(instance, meta.pk.attname, meta.pk.get_pk_value_on_save(instance))
    pk_set = bool(instance._is_pk_set(meta))  # type: ignore[attr-defined]
    key = (meta.label, alias, pk_set)
    shape = _INSERTS.get(key)
    fields = shape.fields if shape is not None else [
        f for f in meta.local_concrete_fields if not f.generated and (pk_set or f is not meta.auto_field)
    ]
    values = []
    for field in fields:
        value = field.pre_save(instance, True)
        if hasattr(value, "resolve_expression"):
            instance.save(force_insert=True, using=alias)  # the compiler resolves expressions into the SQL
            return instance
        values.append(value)
    if shape is None:
        shape = _compile_insert(instance, list(fields), alias)
        with _LOCK:
            _INSERTS[key] = shape
    connection = connections[alias]
    params = [f.get_db_prep_save(v, connection) for f, v in zip(shape.fields, values, strict=True)]
    with transaction.mark_for_rollback_on_error(using=alias), connection.cursor() as cursor:
        cursor.execute(shape.sql, params)
        if shape.read_back == "columns":
            row = connection.ops.fetch_returned_insert_columns(cursor, shape.returning_params)  # type: ignore[attr-defined]
        elif shape.read_back == "last id":
            row = (connection.ops.last_insert_id(cursor, meta.db_table, shape.returning[0].column),)
        else:
            row = None
    if row is not None:
        if shape.converters:
            row = next(iter(shape.compiler.apply_converters([row], shape.converters)))
        for value, field in zip(row, shape.returning, strict=False):
            setattr(instance, field.attname, value)
    instance._state.db = alias
    instance._state.adding = False
    return instance
