"""An at-risk action on a session that is no longer at risk says why, in the layout."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rescue.tests.rescue_factories import (
    at,
    centre,
    person,
    programme,
    session,
)

pytestmark = pytest.mark.django_db


def test_acting_on_a_session_no_longer_at_risk_shows_the_reason() -> None:
    calm = session(programme(min_enrolment=3), where=centre("11", "서울센터"), starts_at=at(60))
    client = Client()
    client.force_login(person("operator", staff=True))
    response = client.post(f"/programmes/staff/at-risk/{calm.pk}/online/", {f"s{calm.pk}-online_url": "not a url"})
    assert response.status_code == 400
    assert "이 회차는 이제 폐강 위험 목록에 없습니다" in response.content.decode()


def test_extending_a_session_no_longer_at_risk_shows_the_reason() -> None:
    calm = session(programme(min_enrolment=3), where=centre("11", "서울센터"), starts_at=at(60))
    client = Client()
    client.force_login(person("operator", staff=True))
    response: Any = client.post(f"/programmes/staff/at-risk/{calm.pk}/extend/", {f"s{calm.pk}-enrolment_deadline": "garbage"})
    assert response.status_code == 400
    assert "이 회차는 이제 폐강 위험 목록에 없습니다" in response.content.decode()
