"""The primary/replica router (lifecareer/db_router.py).

The replica here is a second connection to the test database — what `TEST: {"MIRROR":
"default"}` gives a suite run with DATABASE_REPLICA_URL set — added for one test at a time.
The tests that read through it are transactional, so the other connection sees the rows.
"""

from __future__ import annotations

import logging
import types
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.signals import request_started
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.tests.factories import StaffFactory
from core.tests.test_settings import run_check
from lifecareer import db_router
from lifecareer.db_router import REPLICA, PrimaryReplicaRouter, report_db
from programmes.models import Centre
from programmes.tests.factories import CentreFactory, session

AddReplica = Callable[..., None]


def _new_request() -> None:
    request_started.send(sender=None)


@pytest.fixture
def add_replica(django_db_blocker: Any) -> Iterator[AddReplica]:
    def add(**overrides: Any) -> None:
        conf = {**connections["default"].settings_dict, **overrides}
        conf["TEST"] = {"MIRROR": "default"}
        connections.settings[REPLICA] = conf
        # The test case allows only the aliases it knew when it started; this one came later,
        # so it gets Django's own ensure_connection (pytest-django keeps the unpatched one).
        replica = connections[REPLICA]
        replica.ensure_connection = types.MethodType(django_db_blocker._real_ensure_connection, replica)  # type: ignore[method-assign]

    db_router._replica_down_until = 0.0
    yield add
    if REPLICA in connections.settings:
        connections[REPLICA].close()
        del connections[REPLICA]
        del connections.settings[REPLICA]
    db_router._replica_down_until = 0.0


def _unreachable() -> dict[str, Any]:
    if connections["default"].vendor == "postgresql":
        return {"HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {"connect_timeout": 2}}
    return {"NAME": "/nonexistent-dir/replica.sqlite3"}


def test_without_a_replica_reports_read_the_primary() -> None:
    _new_request()
    assert report_db() == "default"


@pytest.mark.django_db(transaction=True)
def test_a_report_reads_the_replica_until_the_request_writes(add_replica: AddReplica) -> None:
    add_replica()
    _new_request()
    assert report_db() == REPLICA
    CentreFactory.create()  # a write on the primary …
    assert report_db() == "default"  # … so the rest of this request reads the primary
    _new_request()
    assert report_db() == REPLICA


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reports_read_the_primary(add_replica: AddReplica) -> None:
    add_replica()
    _new_request()
    with transaction.atomic():
        assert report_db() == "default"


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_replica_falls_back_to_the_primary_with_a_warning(
    add_replica: AddReplica, caplog: pytest.LogCaptureFixture
) -> None:
    add_replica(**_unreachable())
    _new_request()
    with caplog.at_level(logging.WARNING, logger="lifecareer.db_router"):
        assert report_db() == "default"
    assert "replica unreachable" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="lifecareer.db_router"):
        assert report_db() == "default"  # not tried again for a while: no second warning
    assert caplog.text == ""


@pytest.mark.django_db(transaction=True)
def test_an_object_read_from_the_replica_is_saved_to_the_primary(add_replica: AddReplica) -> None:
    add_replica()
    pk = CentreFactory.create().pk
    centre = Centre.objects.using(REPLICA).get(pk=pk)
    centre.name = "바뀐 센터"
    with CaptureQueriesContext(connections["default"]) as primary, CaptureQueriesContext(connections[REPLICA]) as replica:
        centre.save()
    assert any("UPDATE" in q["sql"] for q in primary.captured_queries)
    assert replica.captured_queries == []
    assert Centre.objects.get(pk=pk).name == "바뀐 센터"


def test_writes_and_migrations_stay_on_the_primary() -> None:
    router = PrimaryReplicaRouter()
    assert router.db_for_write(Centre) == "default"
    assert router.db_for_read(Centre) is None  # `.using()` or the primary
    assert router.allow_migrate(REPLICA, "programmes") is False
    assert router.allow_migrate("default", "programmes") is None
    a, b = Centre(), Centre()
    a._state.db, b._state.db = "default", REPLICA
    assert router.allow_relation(a, b) is True


@pytest.mark.django_db(transaction=True)
def test_the_staff_session_list_reads_the_replica(add_replica: AddReplica, client: Client) -> None:
    session()
    client.force_login(StaffFactory.create())
    add_replica()
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get(reverse("programmes:staff_sessions"))
    assert response.status_code == 200
    assert any("programmes_session" in q["sql"] for q in replica.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_staff_session_list_still_answers_when_the_replica_is_down(add_replica: AddReplica, client: Client) -> None:
    session(capacity=10, min_enrolment=4)
    client.force_login(StaffFactory.create())
    add_replica(**_unreachable())
    response = client.get(reverse("programmes:staff_sessions"))
    assert response.status_code == 200
    assert "0 / 4 / 10" in response.content.decode()


def test_settings_add_a_mirrored_replica_of_the_same_engine() -> None:
    code = "from django.conf import settings as s; r = s.DATABASES['replica']; print(r['ENGINE'], r['TEST']['MIRROR'], r['OPTIONS'])"
    ok = run_check({
        "DEBUG": "0", "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/lc", "DATABASE_REPLICA_URL": "postgres://u@127.0.0.1:5433/lc",
    }, code)
    assert ok.returncode == 0, ok.stderr
    assert "postgresql default " in ok.stdout
    assert "lifecareer-report" in ok.stdout
    mixed = run_check({
        "DEBUG": "0", "SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://u@127.0.0.1:5432/lc", "DATABASE_REPLICA_URL": "sqlite:////tmp/x.sqlite3",
    }, code)
    assert "same database engine" in mixed.stderr
