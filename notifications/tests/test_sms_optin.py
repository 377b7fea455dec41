from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from notifications import services
from notifications.models import Agreement, Notification, SmsContact
from notifications.tests.factories import make_user

pytestmark = pytest.mark.django_db
V = services.SMS_NOTICE_VERSION


@pytest.fixture(autouse=True)
def _static_without_manifest(settings: Any) -> None:
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def test_opting_in_keeps_the_number_and_the_notice_version() -> None:
    person = make_user()
    client = Client()
    client.force_login(person)
    response = client.post("/notifications/sms/", {"phone": "010-1234-5678", "agree": "on", "notice_version": V})
    assert response.status_code == 302
    contact = SmsContact.objects.get(user=person)
    assert contact.phone == "01012345678" and contact.notice_version == V
    assert Agreement.objects.filter(user=person, notice="sms", version=V).exists()


def test_a_bad_number_is_refused_and_kept_in_the_form() -> None:
    client = Client()
    client.force_login(make_user())
    response = client.post("/notifications/sms/", {"phone": "02-123-4567", "agree": "on", "notice_version": V})
    body = response.content.decode()
    assert response.status_code == 200 and "010으로 시작하는 휴대전화 번호" in body and 'value="02-123-4567"' in body
    assert not SmsContact.objects.exists()


def test_without_agreement_nothing_is_stored() -> None:
    client = Client()
    client.force_login(make_user())
    response = client.post("/notifications/sms/", {"phone": "010-1234-5678", "notice_version": V})
    assert "동의해야 문자 알림을 받을 수 있습니다." in response.content.decode()
    assert not SmsContact.objects.exists()


def test_opting_out_forgets_the_number_and_unsent_texts() -> None:
    person = make_user()
    services.opt_in_sms(person, "01012345678", notice_version=V)
    services.enqueue(kind="other", dedupe_key="x:sms", channel="sms", recipient=person, phone="01012345678", body="b")
    client = Client()
    client.force_login(person)
    assert client.post("/notifications/sms/off/").status_code == 302
    assert not SmsContact.objects.exists() and not Notification.objects.exists()


def test_the_page_needs_a_login() -> None:
    response = Client().get("/notifications/sms/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
