"""The account backend: Django's ModelBackend, with the person looked up on every request
through core.compiled (the query compiled once per process), not the ORM's compiler."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError

from core.compiled import one_by


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id: Any) -> Any:
        try:
            user = one_by(get_user_model(), "pk", user_id)
        except (ValueError, TypeError, ValidationError):
            return None  # a session holding something that is not an id
        return user if user is not None and self.user_can_authenticate(user) else None
