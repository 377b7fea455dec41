"""The Django admin logs every read of a personal-data model (core.admin.AuditedReadAdmin)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client

from core import personal_data
from core.admin import AuditedReadAdmin
from core.models import AccessLog
from core.tests.factories import UserFactory
from notifications import services as outbox
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("admin@example.com", "admin@example.com", "pw-not-used-0123"))
    return client


def rows() -> list[tuple[str, str, str]]:
    return list(AccessLog.objects.order_by("pk").values_list("subject_id", "object_type", "action"))


def test_opening_a_user_logs_one_view_against_them(admin_client: Client) -> None:
    person = UserFactory.create()
    assert admin_client.get(f"/admin/auth/user/{person.pk}/change/").status_code == 200
    assert rows() == [(str(person.pk), "auth.user", "view")]


def test_the_user_list_logs_one_row_naming_the_people_shown(admin_client: Client) -> None:
    people = UserFactory.create_batch(3)
    assert admin_client.get("/admin/auth/user/").status_code == 200
    (row,) = AccessLog.objects.all()
    assert (row.subject_id, row.object_type, row.object_id) == ("list", "auth.user", "page 1")
    assert all(f",{p.pk}," in row.reason for p in people)


def test_opening_a_message_logs_a_view_against_its_recipient(admin_client: Client) -> None:
    person = UserFactory.create()
    message, _created = outbox.enqueue(kind=Notification.Kind.OTHER, dedupe_key="t:1", recipient=person, subject="s", body="b", deliver=False)
    assert admin_client.get(f"/admin/notifications/notification/{message.pk}/change/").status_code == 200
    assert rows() == [(str(person.pk), "notifications.notification", "view")]


def test_opening_a_login_attempt_logs_a_view_against_the_account_it_names(admin_client: Client) -> None:
    person = UserFactory.create()
    attempt = AccessAttempt.objects.create(
        username=person.username.upper(), ip_address="203.0.113.9", failures_since_start=1,
        user_agent="x", get_data="", post_data="", http_accept="", path_info="/",
    )
    assert admin_client.get(f"/admin/axes/accessattempt/{attempt.pk}/change/").status_code == 200
    assert rows() == [(str(person.pk), "axes.accessattempt", "view")]


def test_a_missing_object_logs_nothing(admin_client: Client) -> None:
    admin_client.get("/admin/auth/user/999999/change/")
    assert rows() == []


def test_every_personal_data_model_in_the_admin_logs_its_reads() -> None:
    # (rows not exported are staff records: the access log itself, admin and edit history)
    declared = {apps.get_model(h.model) for h in personal_data.holdings() if h.exported}
    unaudited = [
        model._meta.label for model, model_admin in admin.site._registry.items()
        if model in declared and not isinstance(model_admin, AuditedReadAdmin)
    ]
    assert unaudited == []
