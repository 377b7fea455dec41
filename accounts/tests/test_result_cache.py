"""The result page's main part is kept per result (a result never changes once made) under
what else it shows: whether it is claimed, whether the reader is signed in, the address."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import services
from accounts.tests import factories
from diagnosis.models import Instrument, Result

pytestmark = pytest.mark.usefixtures("consent_text")
CLAIM = "내 계정에 저장하기 (선택)"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
SIGN_UP_HINT = "로그인하지 않았으면 회원가입 화면으로 이어집니다."


def page(client: Client, result: Result) -> str:
    response = client.get(reverse("diagnosis:result", args=[result.public_id]))
    assert response.status_code == 200
    return TOKEN.sub('name="csrfmiddlewaretoken" value="-"', response.content.decode())


def test_the_second_reading_is_served_from_the_kept_part(client: Client, instrument: Instrument) -> None:
    result = factories.result(instrument)
    first = page(client, result)
    with CaptureQueriesContext(connection) as queries:
        second = page(client, result)
    assert second == first
    assert len(queries) == 1  # the result; the instrument is kept per process


def test_signing_in_changes_the_claim_box(client: Client, instrument: Instrument, owner: User) -> None:
    result = factories.result(instrument)
    assert SIGN_UP_HINT in page(client, result)
    client.force_login(owner)
    signed_in = page(client, result)
    assert CLAIM in signed_in and SIGN_UP_HINT not in signed_in


def test_claiming_takes_the_claim_box_away(client: Client, instrument: Instrument, owner: User) -> None:
    result = factories.result(instrument)
    client.force_login(owner)
    assert CLAIM in page(client, result)
    services.claim_result(owner, result)
    assert CLAIM not in page(client, result)
