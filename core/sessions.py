"""The session engine: Django's database sessions, with the session looked up on every
request through core.compiled (the query compiled once per process), not the ORM's
compiler. Set as SESSION_ENGINE."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from core.compiled import one_by


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> Any:
        session = one_by(self.model, "session_key", self.session_key) if self.session_key else None
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session
