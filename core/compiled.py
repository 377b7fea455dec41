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
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
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
