"""core/sessions.py reads a session as Django's database store does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from core.sessions import SessionStore


def test_the_site_uses_it() -> None:
    assert settings.SESSION_ENGINE == "core.sessions"


@pytest.mark.django_db
def test_a_session_reads_as_django_reads_it() -> None:
    saved = SessionStore()
    saved["diagnosis_draft"] = "token-1"
    saved["n"] = 3
    saved.save()
    ours, djangos = SessionStore(saved.session_key), DjangoSessionStore(saved.session_key)
    assert ours.load() == djangos.load() == {"diagnosis_draft": "token-1", "n": 3}
    assert ours.session_key == saved.session_key


@pytest.mark.django_db
def test_an_expired_or_unknown_session_is_empty_and_loses_its_key() -> None:
    saved = SessionStore()
    saved["x"] = 1
    saved.save()
    Session.objects.filter(session_key=saved.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    for key in (saved.session_key, "no-such-key-0123456789abcdef"):
        ours, djangos = SessionStore(key), DjangoSessionStore(key)
        assert ours.load() == djangos.load() == {}
        assert ours.session_key is None and djangos.session_key is None
