"""The one rate limiter (core/ratelimit.py) counts in the cache every worker shares."""

from __future__ import annotations

import datetime

from django.core.cache import caches
from django.db import connection

from core import ratelimit
from programmes.tests.concurrency import run_in_threads, shared_database

RULE = ratelimit.Rule("test-rule", 3, 3600, "too many")


def test_the_count_lives_in_the_shared_cache_not_in_the_process(db: None) -> None:
    ratelimit.record(RULE, "203.0.113.7")
    ratelimit.record(RULE, "203.0.113.7")
    another_worker = caches.create_connection("default")  # a fresh cache object: no local memory
    assert another_worker.get(ratelimit._key(RULE, "203.0.113.7")) == 2


def test_the_scope_is_never_stored_in_the_clear(db: None) -> None:
    ratelimit.record(RULE, "person@example.com")
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM lifecareer_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert keys
    assert not any("person@example.com" in key for key in keys)


def test_hit_refuses_over_the_limit_and_does_not_count_refusals(db: None) -> None:
    assert [ratelimit.hit((RULE, "a")) for _ in range(3)] == [None, None, None]
    assert ratelimit.hit((RULE, "a")) is RULE
    assert ratelimit.count(RULE, "a") == 3
    assert ratelimit.hit((RULE, "b")) is None  # another scope has its own allowance


def test_incr_keeps_the_window_it_was_started_with(db: None) -> None:
    cache = caches["default"]
    cache.add("window", 0, 3600)
    cache.incr("window")
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM lifecareer_cache WHERE cache_key LIKE %s", ["%window"])
        (expires,) = cursor.fetchone()
    from django.utils import timezone

    if isinstance(expires, str):  # SQLite returns text through a raw cursor
        from django.utils.dateparse import parse_datetime

        expires = parse_datetime(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, datetime.UTC)
    assert (expires - timezone.now()).total_seconds() > 3000  # not Django's default 300 s


def test_workers_counting_at_once_each_get_their_own_number(transactional_db: None) -> None:
    seen: list[int] = []
    with shared_database() as shared:
        errors = run_in_threads(shared, lambda _i: seen.append(ratelimit.record(RULE, "burst")), 8)
        assert errors == []
        assert sorted(seen) == list(range(1, 9))


def test_workers_hitting_at_once_get_exactly_the_allowance(transactional_db: None) -> None:
    rule = ratelimit.Rule("test-burst", 5, 3600, "too many")
    refused: list[bool] = []
    with shared_database() as shared:
        errors = run_in_threads(shared, lambda _i: refused.append(ratelimit.hit((rule, "burst")) is not None), 8)
        assert errors == []
        assert sorted(refused) == [False] * 5 + [True] * 3
        assert ratelimit.count(rule, "burst") == 5  # the refused hits were not counted


def test_a_window_that_has_ended_starts_again_from_one(db: None) -> None:
    for _ in range(3):
        ratelimit.hit((RULE, "late"))
    assert ratelimit.hit((RULE, "late")) is RULE
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE lifecareer_cache SET expires = %s WHERE cache_key LIKE %s",
            [connection.ops.adapt_datetimefield_value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)), "%rl:test-rule:%"],
        )
    assert ratelimit.hit((RULE, "late")) is None
    assert ratelimit.count(RULE, "late") == 1
