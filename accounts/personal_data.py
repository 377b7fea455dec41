"""What the accounts app holds about a person: the account, consents, and the log-in
records django-axes keeps under the e-mail address (as text, so erased here by hand)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.auth.models import User

from accounts.models import Consent
from core.personal_data import Holding

HOLDINGS = [
    Holding("auth.User", "pk", "deleted"),
    Holding("accounts.Account", "user", "deleted (cascade)"),
    Holding("accounts.Consent", "user", "deleted (cascade)"),
    Holding("accounts.StaffRole", "user", "deleted (cascade)", exported=False, why="a staff member's roles; not data about a citizen"),
    Holding(
        "accounts.HistoricalStaffRole", "history_user", "kept; history_user set to NULL",
        exported=False, why="who granted or revoked a staff role (안전성 확보조치); staff only",
    ),
    Holding("axes.AccessAttempt", "username (text)", "deleted by erase()"),
    Holding("axes.AccessFailureLog", "username (text)", "deleted by erase()"),
    Holding("axes.AccessLog", "username (text)", "deleted by erase()"),
]


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export(user: User) -> dict[str, Any]:
    consents = Consent.objects.filter(user=user).select_related("text").order_by("at", "pk")
    username = user.get_username()
    return {
        "account": {"email": user.email, "date_joined": _iso(user.date_joined), "last_login": _iso(user.last_login)},
        "consents": [
            {"version": c.text.version, "item": c.item, "granted": c.granted, "at": c.at.isoformat()} for c in consents
        ],
        "login_records": [
            {"at": r.attempt_time.isoformat(), "logout_at": _iso(r.logout_time), "ip_address": r.ip_address, "user_agent": r.user_agent}
            for r in AxesAccessLog.objects.filter(username=username).order_by("attempt_time")
        ],
        "failed_logins": [
            {"at": r.attempt_time.isoformat(), "ip_address": r.ip_address, "locked_out": r.locked_out}
            for r in AccessFailureLog.objects.filter(username=username).order_by("attempt_time")
        ],
    }


def erase(user: User) -> None:
    username = user.get_username()
    AccessAttempt.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()
    AxesAccessLog.objects.filter(username=username).delete()
