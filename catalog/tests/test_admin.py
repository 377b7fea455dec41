from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from catalog.tests.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_superuser_can_read_services_and_their_history_but_not_edit_in_admin(client: Client) -> None:
    service = ServiceFactory.create(slug="a")
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.test", "x" * 12))
    assert client.get(reverse("admin:catalog_service_changelist")).status_code == 200
    change = client.get(reverse("admin:catalog_service_change", args=[service.pk]))
    assert change.status_code == 200
    assert reverse("catalog:staff-edit", args=["a"]) in change.content.decode()
    assert client.get(reverse("admin:catalog_service_history", args=[service.pk])).status_code == 200
    response = client.post(reverse("admin:catalog_service_change", args=[service.pk]), {"name_ko": "바꿈"})
    assert response.status_code == 403
    assert client.get(reverse("admin:catalog_service_add")).status_code == 403
