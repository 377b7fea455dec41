"""One row by a unique column, with the ORM's SQL and converters worked out once per process.

Look-ups that run on nearly every request of a signed-in person or a reader of a plan or a
result: the person by id (accounts.backends), the plan and the result by their public ids. Through the ORM
each costs about a millisecond and a half of Python (building the queryset, compiling it,
resolving the columns) for some tens of microseconds in the database. Here the ORM
compiles each look-up once per process and database (`_Shape`), and each call runs that
SQL with the new value, converts the row with the ORM's own converters and makes the
instance with `Model.from_db`, as a queryset would. Django has no prepared-statement
cache of its own, and no library we found does this for the ORM; it is kept to single
rows of one table, where the ORM's result handling is just these two steps.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)

# Values the compiled SQL is made with, found again among its parameters.
_TEXT_SENTINEL = "lc-compiled-sentinel"
_NUMBER_SENTINEL = -731_904_221


@dataclass(frozen=True)
class _Shape:
    sql: str
    at: int  # where the looked-up value goes among the parameters
    params: tuple[Any, ...]
    attnames: list[str]
    converters: dict[int, tuple[list[Any], Any]]
    compiler: Any


_SHAPES: dict[tuple[str, str, str, tuple[str, ...], bool], _Shape] = {}
_LOCK = threading.Lock()


def _field(model: type[Model], name: str) -> Any:
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _shape(model: type[Model], field: str, alias: str, defer: tuple[str, ...], for_update: bool) -> _Shape:
    key = (model._meta.label, field, alias, defer, for_update)
    shape = _SHAPES.get(key)
    if shape is None:
        target = _field(model, field)
        sentinel: Any = _NUMBER_SENTINEL if "Integer" in target.get_internal_type() or "AutoField" in target.get_internal_type() else _TEXT_SENTINEL
        queryset = model._default_manager.using(alias).filter(**{field: sentinel})
        queryset = queryset.defer(*defer) if defer else queryset
        query = (queryset.select_for_update() if for_update else queryset).query
        query.clear_ordering(force=True)
        compiler = query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        at = next(i for i, p in enumerate(params) if p == sentinel)
        columns = [col for col, _sql, _alias in compiler.select]
        shape = _Shape(
            sql=sql, at=at, params=tuple(params),
            attnames=[col.target.attname for col in columns],
            converters=compiler.get_converters(columns), compiler=compiler,
        )
        with _LOCK:
            _SHAPES[key] = shape
    return shape


def one_by(model: type[M], field: str, value: Any, *, defer: tuple[str, ...] = (), for_update: bool = False) -> M | None:
    """The instance of `model` whose unique `field` is `value`, or None: what
    `model.objects.filter(**{field: value}).defer(*defer).first()` gives, without compiling
    the query. Deferred fields are left out of the row, as the queryset leaves them
    (`Model.from_db` marks them deferred; reading one asks the database, or the field's own
    descriptor). `for_update`: the row locked till the transaction ends, as
    `select_for_update()` (read from the database written to; only inside a transaction)."""
    alias = router.db_for_write(model) if for_update else router.db_for_read(model)
    connection = connections[alias]
    if for_update and connection.features.has_select_for_update and connection.get_autocommit():
        # What the queryset's compiler says; the SQL kept here is not compiled again to say it.
        raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
    shape = _shape(model, field, alias, defer, for_update)
    target = _field(model, field)
    params = list(shape.params)
    params[shape.at] = target.get_db_prep_value(target.to_python(value), connection)
    with connection.cursor() as cursor:
        cursor.execute(shape.sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    if shape.converters:
        row = next(iter(shape.compiler.apply_converters([row], shape.converters)))
    return model.from_db(alias, shape.attnames, row)
