from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from catalog.models import Service
from catalog.tests.factories import ServiceFactory
from core.tests.factories import UserFactory
from counselling.models import Case
from counselling.tests.factories import CaseFactory, CounsellorFactory, centre_of
from referrals.models import Partner
from referrals.tests.factories import PartnerFactory


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def service() -> Service:
    return ServiceFactory.create()


@pytest.fixture
def partner(service: Service) -> Partner:
    return PartnerFactory.create(services=[service])


@pytest.fixture
def counsellor() -> User:
    return CounsellorFactory.create()


@pytest.fixture
def case(counsellor: User) -> Case:
    return CaseFactory.create(centre=centre_of(counsellor), counsellor=counsellor, citizen=UserFactory.create())


@pytest.fixture
def captured(settings: Any) -> Any:
    settings.NOTIFICATIONS_QUEUE_SYNC = False
    return settings


@pytest.fixture
def consent_text(db: None) -> Any:
    from accounts import reference as accounts_reference
    from accounts.models import ConsentText

    accounts_reference.load(lambda _line: None)
    return ConsentText.objects.get(is_current=True)
