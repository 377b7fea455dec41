from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from accounts import reference as accounts_reference
from accounts.models import ConsentText
from accounts.tests import factories
from diagnosis import reference as diagnosis_reference
from diagnosis.models import Instrument


@pytest.fixture
def consent_text(db: None) -> ConsentText:
    accounts_reference.load(lambda _line: None)
    return ConsentText.objects.get(is_current=True)


@pytest.fixture
def instrument(db: None) -> Instrument:
    diagnosis_reference.load(lambda _line: None)
    return Instrument.objects.get(is_current=True)


@pytest.fixture
def owner(consent_text: ConsentText) -> User:
    return factories.citizen(email="owner@example.com")


@pytest.fixture
def other(consent_text: ConsentText) -> User:
    return factories.citizen(email="other@example.com")


@pytest.fixture
def staff(db: None) -> User:
    return factories.StaffFactory.create()
