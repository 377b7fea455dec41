"""Signed webhooks against a real local HTTP server; the reference partners."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from catalog.models import Service
from counselling.models import Case
from referrals import reference, services, webhooks
from referrals.models import CONTACT_EMAIL, Partner, WebhookDelivery
from referrals.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db

SECRET = "test-webhook-secret"


class Receiver:
    def __init__(self) -> None:
        self.answers = [500, 200]
        self.received: list[tuple[dict[str, str], bytes]] = []


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, str]]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.answers.pop(0) if state.answers else 200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state, f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


def test_a_change_is_posted_signed_and_retried_after_a_500(receiver: tuple[Receiver, str], counsellor: User, case: Case, service: Service) -> None:
    state, url = receiver
    partner = PartnerFactory.create(services=[service], webhook_url=url, webhook_secret=SECRET)
    referral = services.refer(counsellor, case=case, service=service, partner=partner, items=[CONTACT_EMAIL], consent_given=True)
    delivery = WebhookDelivery.objects.get(referral=referral)
    assert webhooks.deliver(delivery.pk) == "pending"  # the server answered 500
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.retry_at is not None and "500" in delivery.last_error
    assert webhooks.deliver(delivery.pk) == "skipped"  # the backoff has not passed
    WebhookDelivery.objects.filter(pk=delivery.pk).update(retry_at=timezone.now() - dt.timedelta(seconds=1))
    assert webhooks.sweep() == {"sent": 1}
    assert len(state.received) == 2
    headers, body = state.received[-1]
    expected = hmac.new(SECRET.encode(), headers["x-lifecareer-timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["x-lifecareer-signature"] == f"sha256={expected}"
    data = json.loads(body)
    assert data["event"] == "referral.created" and data["referral_id"] == referral.pk and data["status"] == "received"
    assert case.citizen.email not in body.decode()


def test_each_status_change_makes_one_delivery(counsellor: User, case: Case, service: Service) -> None:
    partner = PartnerFactory.create(services=[service], webhook_url="http://127.0.0.1:9/none", webhook_secret=SECRET)
    referral = services.refer(counsellor, case=case, service=service, partner=partner, items=[], consent_given=True)
    services.change_status(services.PartnerActor(partner, "api"), referral.pk, "contacted")
    assert WebhookDelivery.objects.filter(referral=referral).count() == 2


def test_a_partner_without_a_webhook_gets_no_delivery(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    services.refer(counsellor, case=case, service=service, partner=partner, items=[], consent_given=True)
    assert not WebhookDelivery.objects.exists()


def test_gives_up_after_the_last_attempt(counsellor: User, case: Case, service: Service) -> None:
    partner = PartnerFactory.create(services=[service], webhook_url="http://127.0.0.1:9/none", webhook_secret=SECRET)
    referral = services.refer(counsellor, case=case, service=service, partner=partner, items=[], consent_given=True)
    delivery = WebhookDelivery.objects.get(referral=referral)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=webhooks.MAX_ATTEMPTS - 1)
    assert webhooks.deliver(delivery.pk) == "failed"


def test_reference_partners_come_from_the_catalogues_outside_agencies_without_invented_addresses() -> None:
    from catalog import reference as catalog_reference

    catalog_reference.load(lambda _line: None, demo=False)
    reference.load(lambda _line: None, demo=False)
    reference.load(lambda _line: None, demo=False)  # idempotent
    partners = list(Partner.objects.all())
    assert partners and all(p.email == "" and not p.is_demo for p in partners)
    kinds = set(Service.objects.filter(partners__isnull=False).values_list("kind", flat=True))
    assert kinds <= {"agency", "private"}
    assert not Partner.objects.filter(services__kind__in=["own", "ministry"]).exists()


def test_demo_partners_are_marked_and_use_example_invalid() -> None:
    from catalog import reference as catalog_reference

    catalog_reference.load(lambda _line: None, demo=False)
    reference.load(lambda _line: None, demo=True)
    demos = list(Partner.objects.filter(is_demo=True))
    assert len(demos) == 2 and all(p.email.endswith("@example.invalid") for p in demos)
    assert "시연용" in str(demos[0])
