"""The shared cache on Redis, as production runs it with REDIS_URL: the real server on
127.0.0.1:6379 (started by scripts/ensure-services.sh), database 15 so nothing else is touched."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

from core import fragments, ratelimit

REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture
def on_redis(settings: Any) -> Iterator[None]:
    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS}}
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.mark.usefixtures("on_redis")
def test_a_limit_holds_across_threads_counting_at_once() -> None:
    rule = ratelimit.Rule("redis-test", limit=20, window=60, message="")
    refused: list[bool] = []
    lock = threading.Lock()

    def one() -> None:
        exceeded = ratelimit.hit((rule, "127.0.0.9")) is not None
        with lock:
            refused.append(exceeded)

    threads = [threading.Thread(target=one) for _ in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert refused.count(False) == 20  # exactly the allowance, however the threads interleave
    assert ratelimit.is_blocked(rule, "127.0.0.9")


@pytest.mark.usefixtures("on_redis")
def test_a_bump_on_redis_reaches_a_process_that_remembered_the_old_stamp() -> None:
    before = fragments.stamp("catalogue")
    fragments.bump("catalogue")
    assert fragments.stamp("catalogue") != before
    assert caches["default"].get("fragment-stamp:catalogue") == fragments.stamp("catalogue")
