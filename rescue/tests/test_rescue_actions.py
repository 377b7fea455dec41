"""Every operator action on a session at risk records itself (rescue.RescueAction) in its own
transaction: who, what, before and after — the audit row of the action, and the fate the
statistics count 폐강 avoided from."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from programmes import services
from rescue import services as rescue
from rescue.models import RescueAction
from rescue.tests.rescue_factories import at, centre, enrol, person, programme, session

pytestmark = pytest.mark.django_db


@pytest.fixture
def prog() -> Any:
    return programme(min_enrolment=3)


def test_the_extend_page_records_the_operator_the_old_and_the_new_deadline(prog: Any) -> None:
    operator = person("operator", staff=True)
    risky = session(prog, where=centre(), starts_at=at(5), deadline_before=dt.timedelta(days=4))
    services.close_enrolment(risky.pk)
    old = risky.enrolment_deadline
    client = Client()
    client.force_login(operator)
    new_local = (risky.local_starts_at - dt.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/programmes/staff/at-risk/{risky.pk}/extend/", {f"s{risky.pk}-enrolment_deadline": new_local})
    assert response.status_code == 302
    action = RescueAction.objects.get(session=risky)
    risky.refresh_from_db()
    assert (action.kind, action.actor, action.actor_label) == ("extended", operator, operator.username)
    assert action.before == {"enrolment_deadline": old.astimezone(dt.UTC).isoformat(), "status": "closed"}
    assert action.after == {"enrolment_deadline": risky.enrolment_deadline.astimezone(dt.UTC).isoformat(), "status": "open"}


def test_a_refused_extension_records_nothing(prog: Any) -> None:
    risky = session(prog, where=centre(), starts_at=at(5))
    with pytest.raises(rescue.RescueRefused):
        rescue.extend_deadline(risky.pk, risky.starts_at + dt.timedelta(hours=1), actor=person("operator", staff=True))
    assert not RescueAction.objects.exists()


def test_a_bad_deadline_on_the_extend_page_is_explained_in_korean_and_records_nothing(prog: Any) -> None:
    operator = person("operator", staff=True)
    risky = session(prog, where=centre(), starts_at=at(5))
    enrol(risky, 1)
    client = Client()
    client.force_login(operator)
    response = client.post(f"/programmes/staff/at-risk/{risky.pk}/extend/", {f"s{risky.pk}-enrolment_deadline": ""})
    assert response.status_code == 400
    assert "새 신청 마감 일시를 입력해 주세요." in response.content.decode()
    assert not RescueAction.objects.exists()


def test_merging_moving_online_and_cancelling_each_record_their_kind(prog: Any) -> None:
    operator = person("operator", staff=True)
    where = centre()
    small, target, remote, doomed = (session(prog, where=where, starts_at=at(4 + i)) for i in range(4))
    enrol(small, 1)
    rescue.merge_into(small.pk, target.pk, actor=operator)
    rescue.move_online(remote.pk, "https://meet.example.org/x", actor=operator)
    rescue.cancel_with_offers(doomed.pk)  # the system (no person acting)
    recorded = {(a.session_id, a.kind, a.actor_label) for a in RescueAction.objects.all()}
    assert recorded == {
        (small.pk, "merged", operator.username), (remote.pk, "online", operator.username), (doomed.pk, "cancelled", "system"),
    }
    assert RescueAction.objects.get(kind="merged").target_id == target.pk
