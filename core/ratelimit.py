"""The one rate limiter: counts in the cache every worker shares.

The counts live in the `default` cache — the database cache table (`createcachetable`,
run by `migrate` through core's post_migrate hook) or Redis when `REDIS_URL` is set — so a
limit holds for the whole site, not per worker process. Each count is a fixed window that
starts at the first hit and increments atomically (core/cache.py's `count_hit`: the check
and the count in one locked transaction; on Redis, INCRBY).

Keys are an HMAC of the scope (an e-mail address, a client address, a result id), so the
cache never holds an address in the clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int  # allowed hits per window
    window: int  # seconds
    message: StrOrPromise  # shown to the person who is refused


def _key(rule: Rule, scope: object) -> str:
    digest = salted_hmac("core.ratelimit", f"{rule.name}\0{scope}").hexdigest()
    return f"rl:{rule.name}:{digest}"


def count(rule: Rule, scope: object) -> int:
    return int(cache.get(_key(rule, scope), 0))


def is_blocked(rule: Rule, scope: object) -> bool:
    """True when `scope` has used up its allowance under `rule` (nothing is counted)."""
    return count(rule, scope) >= rule.limit


def _count_hit(rule: Rule, scope: object, limit: int | None) -> tuple[int, bool]:
    """Count one hit unless the count has reached `limit`; (count, refused). The database
    cache does it in one locked transaction (core/cache.py); any other shared cache (Redis)
    through its atomic add and incr."""
    key = _key(rule, scope)
    count_hit = getattr(cache, "count_hit", None)
    if count_hit is not None:
        return count_hit(key, rule.window, limit)
    if limit is not None:
        current = int(cache.get(key, 0))
        if current >= limit:
            return current, True
    cache.add(key, 0, rule.window)
    try:
        return int(cache.incr(key)), False
    except ValueError:  # the window ended between add and incr
        cache.add(key, 1, rule.window)
        return 1, False


def record(rule: Rule, scope: object) -> int:
    """Count one hit; returns the count in the current window, this hit included."""
    return _count_hit(rule, scope, None)[0]


class RateLimited(Exception):
    """Raised by an action that `enforce` refuses: the API answers it 429 with Retry-After."""

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule.name)
        self.rule = rule


def enforce(*checks: tuple[Rule, object]) -> None:
    """`hit`, raising RateLimited for the rule exceeded. Inside a transaction the count is
    undone with the action when the action fails."""
    refused = hit(*checks)
    if refused is not None:
        raise RateLimited(refused)


def hit(*checks: tuple[Rule, object]) -> Rule | None:
    """Count one action against every (rule, scope); returns the first rule it exceeds, or
    None when the action may go ahead. An action refused up front is not counted, so a
    refused retry does not lengthen anyone's wait."""
    if len(checks) > 1:  # refused by one rule: counted against none of them
        for rule, scope in checks:
            if is_blocked(rule, scope):
                return rule
    exceeded = None
    for rule, scope in checks:
        # Checked and counted at once: a hit that finds the allowance used up (one check, or
        # another worker got there since the look above) is refused and not counted.
        count, refused = _count_hit(rule, scope, rule.limit)
        if (refused or count > rule.limit) and exceeded is None:
            exceeded = rule
    return exceeded


HOUR = 3600

# Log-in: failures from one client address across any accounts (password spraying). The
# per-account lock-out is django-axes' (per e-mail + address).
LOGIN_FAILURES_PER_CLIENT = Rule(
    "login-fail-client", 30, 15 * 60,
    _("이 접속 주소에서 로그인 실패가 너무 많아 15분 동안 로그인이 제한됩니다. 잠시 후 다시 시도해 주세요."),
)

# "E-mail my result".
RESULT_EMAIL_PER_RESULT = Rule(
    "result-email-result", 5, HOUR,
    _("이 결과는 한 시간에 5번까지만 보낼 수 있습니다. 잠시 후 다시 시도해 주세요."),
)
RESULT_EMAIL_PER_RECIPIENT = Rule(
    "result-email-recipient", 5, 24 * HOUR,
    _("이 이메일 주소로는 오늘 더 보낼 수 없습니다. 내일 다시 시도하거나 결과 주소를 복사해 두세요."),
)
RESULT_EMAIL_PER_CLIENT = Rule(
    "result-email-client", 20, HOUR,
    _("이 접속 주소에서 보낸 메일이 너무 많습니다. 한 시간 뒤에 다시 시도해 주세요."),
)

# Password reset mail.
PASSWORD_RESET_PER_ADDRESS = Rule(
    "password-reset-address", 3, HOUR,
    _("이 이메일 주소로는 비밀번호 재설정 메일을 한 시간에 3번까지만 보낼 수 있습니다. 받은 메일함과 스팸함을 확인하거나 잠시 후 다시 시도해 주세요."),
)
PASSWORD_RESET_PER_CLIENT = Rule(
    "password-reset-client", 10, HOUR,
    _("이 접속 주소에서 비밀번호 재설정 요청이 너무 많습니다. 한 시간 뒤에 다시 시도해 주세요."),
)

# Saving a diagnosis result (web and API). Generous: a 일자리센터 room shares one address.
RESULT_CREATE_PER_CLIENT = Rule(
    "result-create-client", 60, HOUR,
    _("이 접속 주소에서 저장한 진단 결과가 너무 많습니다. 한 시간 뒤에 다시 시도해 주세요. 적어 둔 답은 그대로 남아 있습니다."),
)

# The open statistics API (/api/v1/stats/…): aggregates only, but each answer scans the
# roll-ups, so one address may not hammer it.
STATS_PER_CLIENT = Rule(
    "stats-client", 300, HOUR,
    _("이 접속 주소에서 통계 요청이 너무 많습니다. 한 시간 뒤에 다시 시도해 주세요."),
)
