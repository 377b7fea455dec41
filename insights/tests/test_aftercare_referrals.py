"""The aftercare and referrals datasets against a hand-counted cohort (insights/tests/cohort.py)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Sum
from django.utils import timezone

from aftercare.models import CheckIn, Task, TaskKind
from insights import rollup
from insights.datasets import _aftercare_figures, _referral_figures, query
from insights.models import AftercareCell, ReferralCell
from insights.tests import cohort
from journeys.tests.factories import ServiceFactory
from notifications.models import Notification
from referrals.models import Partner, Referral, ReferralEvent, ReferralStatus
from referrals.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def sent_checkin(person: User, month: int) -> CheckIn:
    return CheckIn.objects.create(
        citizen=person, anchor_kind="plan_act_end", anchor_date=timezone.localdate(), month=month, due_on=timezone.localdate(),
        nonce=secrets.token_hex(8), token_hash=secrets.token_hex(32), sent_at=timezone.now(),
    )


def totals(centre: int | None) -> dict[str, Any]:
    cells = AftercareCell.objects.filter(centre_id=centre) if centre is not None else AftercareCell.objects.filter(centre_id__isnull=True)
    return cells.aggregate(
        sent=Sum("sent"), answered=Sum("answered"), nudges=Sum("stall_nudges"), stall_tasks=Sum("stall_tasks"),
        opened=Sum("tasks_opened"), closed=Sum("tasks_closed"),
    )


def test_aftercare_cells_count_checkins_stalls_and_tasks_per_centre() -> None:
    c = cohort.build()
    _cu, du, _eu, _fu, gu, *_rest = c.people  # centres: c none, d and g c.centre, f other_centre
    # The cohort answered one check-in each for f and g; add three sent, unanswered ones.
    sent_checkin(gu, 3)
    sent_checkin(du, 1)
    sent_checkin(c.people[0], 1)
    Notification.objects.create(recipient=du, channel="email", address="d@example.invalid", kind=Notification.Kind.STALL_NUDGE, dedupe_key="n1", body="b")
    Notification.objects.create(recipient=gu, channel="email", address="g@example.invalid", kind=Notification.Kind.REMINDER_1D, dedupe_key="n2", body="b")  # not a stall
    Task.objects.create(key="s1", kind=TaskKind.STALLED, citizen=gu, centre=c.centre)
    Task.objects.create(key="u1", kind=TaskKind.CHECKIN_UNANSWERED, citizen=du, centre=c.centre, done_at=timezone.now())
    Task.objects.create(key="u2", kind=TaskKind.CHECKIN_UNANSWERED, citizen=gu, centre=c.other_centre)
    rollup.rollup()

    assert totals(c.centre.pk) == {"sent": 3, "answered": 1, "nudges": 1, "stall_tasks": 1, "opened": 2, "closed": 1}
    assert totals(c.other_centre.pk) == {"sent": 1, "answered": 1, "nudges": 0, "stall_tasks": 0, "opened": 1, "closed": 0}
    assert totals(None) == {"sent": 1, "answered": 0, "nudges": 0, "stall_tasks": 0, "opened": 0, "closed": 0}

    before = list(AftercareCell.objects.order_by("month", "centre_id").values_list("month", "centre_id", "sent", "answered", "tasks_opened"))
    rollup.rollup()
    after = list(AftercareCell.objects.order_by("month", "centre_id").values_list("month", "centre_id", "sent", "answered", "tasks_opened"))
    assert before == after

    table = query("aftercare", {"by": "centre"}, frozenset({c.centre.pk}))
    assert [r["centre"] for r in table.rows] == [c.centre.pk]  # a lead sees their centres only
    assert table.total["sent"] is None  # 3 check-ins: fewer than 5


def test_aftercare_response_rate_only_over_twenty_sent() -> None:
    row = {"sent": 40, "answered": 10, "stall_nudges": 0, "stall_tasks": 0, "tasks_opened": 7, "tasks_closed": 3}
    figures = _aftercare_figures([row])
    assert figures["sent"] == 40 and figures["answered"] == 10 and figures["response_rate"] == 0.25
    assert figures["tasks_opened"] == 5 and figures["tasks_closed"] is None
    assert _aftercare_figures([{**row, "sent": 19}])["response_rate"] is None


def refer(person: User, partner: Partner, *, case: Any = None, days_ago: int = 0) -> Referral:
    made = Referral.objects.create(citizen=person, service=ServiceFactory.create(), partner=partner, origin=Referral.Origin.SELF, case=case)
    Referral.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    made.refresh_from_db()
    ReferralEvent.objects.create(referral=made, to_status=ReferralStatus.RECEIVED, at=made.created_at, actor_label="본인", source=ReferralEvent.Source.CITIZEN)
    return made


def act(referral: Referral, status: str, *, days_after: int, source: str = ReferralEvent.Source.PARTNER_ACCOUNT) -> None:
    at = referral.created_at + dt.timedelta(days=days_after)
    ReferralEvent.objects.create(referral=referral, to_status=status, at=at, actor_label="기관", source=source)
    reason = "자격 요건이 맞지 않음" if status == ReferralStatus.DECLINED else ""
    Referral.objects.filter(pk=referral.pk).update(status=status, status_changed_at=at, decline_reason=reason)


def test_referral_cells_count_per_partner_and_status_with_days_to_first_response() -> None:
    c = cohort.build()
    p1, p2 = PartnerFactory.create(), PartnerFactory.create()
    people = c.people
    refer(people[0], p1, days_ago=1)  # p1 received, no response
    r2 = refer(people[1], p1, days_ago=10)
    act(r2, ReferralStatus.CONTACTED, days_after=3)  # first response after 3 days
    act(r2, ReferralStatus.IN_PROGRESS, days_after=5)
    r3 = refer(people[2], p1, days_ago=10)
    act(r3, ReferralStatus.COMPLETED, days_after=1, source=ReferralEvent.Source.API)  # after 1 day
    r4 = refer(people[3], p2, days_ago=10)
    act(r4, ReferralStatus.DECLINED, days_after=2, source=ReferralEvent.Source.SIGNED_LINK)
    r5 = refer(people[4], p2, days_ago=10)
    act(r5, ReferralStatus.CONTACTED, days_after=1, source=ReferralEvent.Source.COUNSELLOR)  # not the partner's act
    rollup.rollup()

    def cell(partner: Partner) -> dict[str, tuple[int, int, int]]:
        out: dict[str, tuple[int, int, int]] = {}
        for status, n, responded, days in ReferralCell.objects.filter(partner_id=partner.pk).values_list(
            "status", "referrals", "responded_n", "response_days"
        ):
            a, b, d = out.get(status, (0, 0, 0))
            out[status] = (a + n, b + responded, d + days)
        return out

    assert cell(p1) == {"received": (1, 0, 0), "in_progress": (1, 1, 3), "completed": (1, 1, 1)}
    assert cell(p2) == {"declined": (1, 1, 2), "contacted": (1, 0, 0)}
    table = query("referrals", {"by": "partner,status"})
    assert {(r["partner_name"], r["status_name"]) for r in table.rows} >= {(p1.name, "접수"), (p2.name, "거절")}
    assert all(r["referrals"] is None for r in table.rows)  # one each: fewer than 5
    assert query("referrals", {"partner": str(p2.pk)}).filters == {"partner": str(p2.pk)}
    # Self-referrals have no centre: a lead sees none of them.
    assert query("referrals", {"by": "partner"}, frozenset({c.centre.pk})).rows == []


def test_referral_average_days_only_over_twenty_responses() -> None:
    figures = _referral_figures([{"referrals": 50, "responded_n": 25, "response_days": 100}])
    assert figures == {"referrals": 50, "responded": 25, "response_rate": 0.5, "response_days": 4.0}
    assert _referral_figures([{"referrals": 50, "responded_n": 19, "response_days": 100}])["response_days"] is None


def test_the_new_datasets_are_served_by_the_api(client: Any) -> None:
    for dataset, by in (("aftercare", "centre,month"), ("referrals", "partner,status")):
        response = client.get(f"/api/v1/stats/{dataset}", {"by": by})
        assert response.status_code == 200, response.content
        assert client.get(f"/api/v1/stats/{dataset}", {"by": by, "format": "csv"}).status_code == 200
    assert client.get("/api/v1/stats/referrals", {"status": "nope"}).status_code == 422


def test_the_dashboard_pages_draw_the_new_datasets_and_a_lead_sees_their_centres_only() -> None:
    from django.test import Client
    from django.urls import reverse

    from core.roles import Role
    from counselling.tests.factories import staff_member
    from programmes.tests.factories import CentreFactory

    a, b = CentreFactory.create(), CentreFactory.create(region="26")
    jan = dt.date(2026, 1, 1)
    for centre, sent in ((a, 40), (b, 200)):
        AftercareCell.objects.create(month=jan, centre_id=centre.pk, sent=sent, answered=10, stall_nudges=5, stall_tasks=5, tasks_opened=7, tasks_closed=0)
    partner = PartnerFactory.create()
    ReferralCell.objects.create(month=jan, partner_id=partner.pk, status="received", centre_id=a.pk, referrals=30, responded_n=20, response_days=60)
    ReferralCell.objects.create(month=jan, partner_id=partner.pk, status="completed", centre_id=b.pk, referrals=300, responded_n=0, response_days=0)

    lead = Client()
    lead.force_login(staff_member(Role.LEAD, a))
    html = lead.get(reverse("insights:dataset", args=["aftercare"]), {"by": "centre"}).content.decode()
    assert 'role="img"' in html and "<caption" in html
    assert ">40<" in html and ">200<" not in html and ">25.0%<" in html  # 10 answered of 40 sent
    html = lead.get(reverse("insights:dataset", args=["referrals"]), {"by": "partner,status"}).content.decode()
    assert partner.name in html and ">30<" in html and ">300<" not in html and ">3.0<" in html
