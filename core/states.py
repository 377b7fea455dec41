"""Lifecycles as tables: the one way a status changes.

Each lifecycle (a session, an enrolment, an employer request, an outbox row, a held seat,
an offer of alternatives, …) is a `Transitions` table next to the actions that use it:

    SESSION_FLOW = Transitions(Session, {OPEN: {SCHEDULED, CLOSED}, CLOSED: {OPEN}, …},
                               stamp="status_changed_at", touch=("updated_at",))
    SESSION_FLOW.move(session, OPEN)                      # checks, sets, saves named fields
    SESSION_FLOW.move(enrolment, CANCELLED, cancelled_at=now)  # extra fields saved with it
    SESSION_FLOW.bulk_move(Offer.objects.filter(…), EXPIRED, closed_at=now)

A move that the table does not allow raises `IllegalTransition` (a ValueError whose
message a person can read) and saves nothing. Creating a row in its first state is not a
move. Status fields are `editable=False`, and core/tests/test_states.py fails when code
outside this module assigns a status directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)

# Every table, so that tests can walk them all (see core/tests/test_states.py).
MACHINES: list[Transitions[Any]] = []


class IllegalTransition(ValueError):
    """A status change the lifecycle does not allow (e.g. a cancelled session → open)."""

    def __init__(self, obj: models.Model, to: str, *, field: str = "status") -> None:
        current = getattr(obj, field)
        choices = dict(getattr(obj._meta.get_field(field), "choices", None) or ())
        super().__init__(
            _("%(label)s 상태를 '%(current)s'에서 '%(target)s'(으)로 바꿀 수 없습니다.")
            % {"label": obj._meta.verbose_name, "current": choices.get(current, current), "target": choices.get(to, to)}
        )
        self.obj = obj
        self.current = current
        self.target = to


class Transitions(Generic[M]):
    """One lifecycle: for each to-state, the states it may be reached from."""

    def __init__(
        self,
        model: type[M],
        flow: Mapping[str, Iterable[str]],
        *,
        field: str = "status",
        stamp: str | None = None,
        touch: Iterable[str] = (),
    ) -> None:
        self.model = model
        self.flow: Mapping[str, frozenset[str]] = {str(to): frozenset(str(s) for s in sources) for to, sources in flow.items()}
        self.field = field
        self.stamp = stamp  # a datetime field set to now on every move
        self.touch = tuple(touch)  # fields saved with every move (e.g. an auto_now `updated_at`)
        MACHINES.append(self)

    def __repr__(self) -> str:
        return f"Transitions({self.model._meta.label}.{self.field})"

    def sources(self, to: str) -> frozenset[str]:
        return self.flow.get(str(to), frozenset())

    def allows(self, current: str, to: str) -> bool:
        return str(current) in self.sources(to)

    def check(self, obj: M, to: str) -> None:
        """Raise `IllegalTransition` unless `obj` may move to `to` now (for actions that
        must refuse before they start other work)."""
        if not self.allows(getattr(obj, self.field), to):
            raise IllegalTransition(obj, to, field=self.field)

    def move(self, obj: M, to: str, **fields: Any) -> None:
        """Check, set the status (and the stamp and `fields`), and save only those fields."""
        self.check(obj, to)
        setattr(obj, self.field, to)
        update = [self.field, *fields, *self.touch]
        if self.stamp:
            setattr(obj, self.stamp, timezone.now())
            update.append(self.stamp)
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save(update_fields=update)

    def bulk_move(self, queryset: models.QuerySet[M], to: str, **fields: Any) -> int:
        """Move every row of `queryset` that may move to `to` (others are left alone), in
        one UPDATE. Returns how many moved. Model `save()` is not called."""
        if self.stamp:
            fields = {self.stamp: timezone.now(), **fields}
        return queryset.filter(**{f"{self.field}__in": self.sources(to)}).update(**{self.field: to}, **fields)
