"""Shared test fixtures: a real local SMTP server, the reference data, personas."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management import call_command
from django.db import transaction

# Browser tests drive Playwright's sync API, which runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    # argon2 is deliberately slow; with it every created user costs ~0.1 s and the suite
    # ~40 % more time. Set once for the session (before any fixture hashes a password) rather
    # than per test. accounts/tests/test_signup.py checks production settings keep argon2
    # (see docs/decisions/0009-test-gates.md).
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


class Inbox:
    """aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's API
        msg = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        msg["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(msg)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd connects to its own port to check readiness, so it needs a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        yield inbox
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _no_outgoing_mail_by_default(settings: Any) -> None:
    # Tests that send mail use smtp_inbox; everything else must not reach a real relay.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Deliver outbox messages in-process on commit, so a test sees the mail an action sends;
    # the queue and crash tests switch this off and use real workers.
    settings.NOTIFICATIONS_QUEUE_SYNC = True


@pytest.fixture(autouse=True)
def _static_without_manifest(settings: Any) -> None:
    # Production uses WhiteNoise's manifest storage, which needs `collectstatic` first; the
    # suite tests pages, not hashed file names (scripts/api-fuzz.sh serves the real thing).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _load_reference_data() -> None:
    with open(os.devnull, "w") as devnull:
        call_command("load_reference_data", verbosity=0, stdout=devnull)


@pytest.fixture
def reference_data(request: pytest.FixtureRequest, db: None) -> None:
    # Inside a module that loaded it once (module_reference_data), loading again only costs time.
    if "module_reference_data" in request.fixturenames:
        return
    _load_reference_data()


@pytest.fixture(scope="module")
def module_reference_data(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The reference data, loaded once for a whole test module and rolled back after it.

    For modules of many read-only tests (the URL sweep): each test's own transaction
    (the `db` fixture) becomes a savepoint inside this outer one, so tests still roll back
    their own writes, and the next module starts from an empty database as before.
    Not for `transaction=True` tests: they flush the database and commit for real, which
    this outer transaction cannot survive; they use `reference_data` instead.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        _load_reference_data()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def on_postgres() -> bool:
    return bool(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


@pytest.fixture(autouse=True)
def _fragments_do_not_leak(settings: Any) -> Iterator[None]:
    # Each test starts cold: no fragment or stamp from another test. Within a test a stamp is
    # read once (a bump in this one process forgets it), so a page's query count does not
    # depend on how many seconds the test took.
    from core.fragments import forget_all
    from diagnosis.models import ReleasedSpecField

    settings.FRAGMENT_STAMP_TTL = 3600
    forget_all()
    ReleasedSpecField.forget()  # and no instrument spec kept by version from another test's rows
    yield
    forget_all()


@pytest.fixture(autouse=True)
def _rate_limits_do_not_leak(request: pytest.FixtureRequest) -> Iterator[None]:
    # Rate-limit counts live in the database cache table (core/ratelimit.py); a test in a
    # rolled-back transaction leaves none, but a transactional or live-server test would
    # leave counts that later tests from the same 127.0.0.1 would run into.
    transactional = bool({"transactional_db", "live_server"} & set(request.fixturenames))
    if transactional:
        request.getfixturevalue("transactional_db")  # so it is torn down after this clean-up
    yield
    if transactional:
        from django.core.cache import cache

        cache.clear()
