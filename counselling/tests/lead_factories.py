"""Test data for the centre lead's pages: centres, staff with roles, cases, log rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from accounts.models import StaffRole
from core.models import AccessLog
from core.tests.factories import UserFactory
from core.vocabulary import SEOUL
from counselling.models import Case
from programmes.models import Centre
from programmes.tests.factories import CentreFactory
from referrals.tests.factories import partner_if


def centre(**fields: Any) -> Centre:
    return CentreFactory.create(**fields)


def staff(role: str, at: Centre | None = None, **fields: Any) -> User:
    """A staff member holding `role` at the centre (or nationally with no centre)."""
    user = UserFactory.create(**fields)
    StaffRole.objects.create(user=user, role=role, centre=at, partner=partner_if(role))
    return user


def grant(user: User, role: str, at: Centre | None) -> User:
    StaffRole.objects.create(user=user, role=role, centre=at, partner=partner_if(role))
    if hasattr(user, "_lc_grants"):
        del user._lc_grants
    return user


def case(at: Centre, *, citizen: User | None = None, counsellor: User | None = None, **fields: Any) -> Case:
    return Case.objects.create(citizen=citizen or UserFactory.create(), centre=at, counsellor=counsellor, **fields)


def seoul(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SEOUL)


def log_row(actor: User | None, when: dt.datetime, *, subject: object = 1, action: str = AccessLog.Action.VIEW,
            object_type: str = "programmes.enrolment", object_id: object = 1, label: str | None = None, **fields: Any) -> AccessLog:
    """An access-log row at a given time (`at` is auto_now_add: set after creating)."""
    row = AccessLog.objects.create(
        actor=actor,
        actor_label=label if label is not None else (actor.get_username() if actor else "system"),
        subject_id=str(subject),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        ip_address=fields.pop("ip_address", "192.0.2.1"),
        **fields,
    )
    AccessLog.objects.filter(pk=row.pk).update(at=when)
    row.refresh_from_db()
    return row
