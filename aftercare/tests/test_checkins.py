"""Check-ins: scheduled from the later anchor, moved by a newer one, sent once, reminded
twice, then a task; answered once through the link (page and API); expiry; bounded queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftercare import checkins
from aftercare.models import AnchorKind, CheckIn, Task
from aftercare.tests.helpers import plan_with_act
from core import link_tokens
from core.tests.factories import UserFactory
from counselling.models import BookingStatus, CaseStatus
from counselling.tests.factories import BookingFactory, CaseFactory, counsellor, slot
from journeys.models import Plan
from notifications.models import Notification
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
NOW = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)  # 10:00 in Seoul


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC)


def ended_plan(days_ago: int = 0, owner: User | None = None) -> Plan:
    # act step in weeks 5..8 → the stage ends 8 weeks after the start
    return plan_with_act(owner, start=TODAY - dt.timedelta(weeks=8, days=days_ago))


def token_of(checkin: CheckIn) -> str:
    return link_tokens.link_token(checkins.PURPOSE, checkin.nonce)


def sent_checkin(**fields: object) -> CheckIn:
    ended_plan()
    checkins.schedule_checkins(NOW)
    row = CheckIn.objects.get(month=1)
    CheckIn.objects.filter(pk=row.pk).update(sent_at=NOW, expires_at=timezone.now() + dt.timedelta(days=60), **fields)
    row.refresh_from_db()
    return row


def test_the_plans_act_end_is_the_day_after_its_last_act_week() -> None:
    assert checkins.act_end(dt.date(2026, 1, 5), 5 + 4) == dt.date(2026, 3, 2)


def test_four_checkins_are_scheduled_from_the_act_end_and_a_rerun_adds_nothing() -> None:
    plan = ended_plan()
    checkins.schedule_checkins(NOW)
    checkins.schedule_checkins(NOW)
    rows = list(CheckIn.objects.order_by("month"))
    assert [(r.month, r.due_on) for r in rows] == [(1, dt.date(2026, 7, 1)), (3, dt.date(2026, 9, 1)), (6, dt.date(2026, 12, 1)), (12, dt.date(2027, 6, 1))]
    assert {r.citizen_id for r in rows} == {plan.owner_id}
    assert {r.anchor_kind for r in rows} == {AnchorKind.PLAN_ACT_END}


def test_a_plan_whose_act_stage_has_not_ended_has_no_checkins_yet() -> None:
    plan_with_act(start=TODAY - dt.timedelta(weeks=2))
    checkins.schedule_checkins(NOW)
    assert not CheckIn.objects.exists()


def test_the_later_anchor_wins_and_a_newer_one_moves_the_unsent_checkins() -> None:
    plan = ended_plan(days_ago=40)
    checkins.schedule_checkins(NOW)
    first = CheckIn.objects.get(month=1)
    CheckIn.objects.filter(pk=first.pk).update(sent_at=NOW)  # month 1 went out already
    case = CaseFactory.create(citizen=plan.owner)
    BookingFactory.create(case=case, citizen=plan.owner, slot=slot(starts_at=at(TODAY - dt.timedelta(days=3)), centre=case.centre), status=BookingStatus.ATTENDED)
    checkins.schedule_checkins(NOW)
    checkins.schedule_checkins(NOW)
    kept = CheckIn.objects.filter(anchor_kind=AnchorKind.PLAN_ACT_END)
    assert list(kept.values_list("month", flat=True)) == [1]  # the sent one stays as history
    moved = CheckIn.objects.filter(anchor_kind=AnchorKind.LAST_COUNSELLING).order_by("month")
    assert [r.due_on for r in moved][:1] == [dt.date(2026, 6, 29)]
    assert moved.count() == 4


def test_due_checkins_are_mailed_once_with_a_working_link() -> None:
    ended_plan(days_ago=31)
    checkins.schedule_checkins(NOW)
    assert checkins.send_due(NOW)["sent"] == 1
    assert checkins.send_due(NOW)["sent"] == 0
    mail = Notification.objects.get(kind=Notification.Kind.CHECKIN)
    row = CheckIn.objects.get(sent_at__isnull=False)
    assert f"/aftercare/checkin/{token_of(row)}/" in mail.body
    assert token_of(row) not in row.token_hash  # only the hash is stored


def test_two_reminders_then_a_task_for_the_case_counsellor() -> None:
    row = sent_checkin()
    centre = CentreFactory.create()
    who = counsellor(centre)
    case = CaseFactory.create(citizen=row.citizen, centre=centre, counsellor=who)
    assert checkins.send_due(NOW + dt.timedelta(days=6))["reminder_1"] == 0
    assert checkins.send_due(NOW + dt.timedelta(days=7))["reminder_1"] == 1
    assert checkins.send_due(NOW + dt.timedelta(days=14))["reminder_2"] == 1
    assert checkins.send_due(NOW + dt.timedelta(days=14)) == {"sent": 0, "reminder_1": 0, "reminder_2": 0}
    assert Notification.objects.filter(kind=Notification.Kind.CHECKIN_REMINDER).count() == 2
    checkins.unanswered_tasks(NOW + dt.timedelta(days=20))
    assert not Task.objects.exists()
    checkins.unanswered_tasks(NOW + dt.timedelta(days=21))
    checkins.unanswered_tasks(NOW + dt.timedelta(days=22))
    task = Task.objects.get()
    assert (task.kind, task.assignee, task.case, task.centre) == (Task.Kind.CHECKIN_UNANSWERED, who, case, centre)


def test_without_an_open_case_the_task_goes_to_the_centre_of_the_closed_one_unassigned() -> None:
    row = sent_checkin(reminder_1_at=NOW, reminder_2_at=NOW)
    case = CaseFactory.create(citizen=row.citizen, status=CaseStatus.CLOSED)
    checkins.unanswered_tasks(NOW + dt.timedelta(days=8))
    task = Task.objects.get()
    assert (task.centre_id, task.assignee_id) == (case.centre_id, None)


def test_an_answered_checkin_is_not_reminded() -> None:
    row = sent_checkin()
    checkins.answer(token_of(row), status="employed", satisfaction=4, now=NOW)
    assert checkins.send_due(NOW + dt.timedelta(days=8))["reminder_1"] == 0


def test_the_page_records_one_answer_and_refuses_a_replay(client: Client) -> None:
    row = sent_checkin()
    url = f"/aftercare/checkin/{token_of(row)}/"
    assert "아직 준비 중" in client.get(url).content.decode()
    response = client.post(url, {"status": "preparing", "satisfaction": "2", "comment": "천천히"})
    assert response.status_code == 200
    assert "다시 시작하기" in response.content.decode()
    replay = client.post(url, {"status": "employed", "satisfaction": "5"})
    assert replay.status_code == 409
    assert "이미 답해 주셨습니다" in replay.content.decode()
    row.refresh_from_db()
    assert (row.situation, row.satisfaction, row.comment) == ("preparing", 2, "천천히")


def test_bad_input_keeps_what_was_typed(client: Client) -> None:
    row = sent_checkin()
    response = client.post(f"/aftercare/checkin/{token_of(row)}/", {"satisfaction": "4", "comment": "메모"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "지금 상황을 하나 골라 주세요" in html and "메모" in html and 'value="4" id="satisfaction-4" checked' in html


def test_bad_input_is_the_one_error_summary_linking_to_each_question(client: Client) -> None:
    row = sent_checkin()
    html = client.post(f"/aftercare/checkin/{token_of(row)}/", {"comment": "메모"}).content.decode()
    assert html.count('id="error-summary"') == 1
    assert '<a href="#status-employed">지금 상황을 하나 골라 주세요.</a>' in html
    assert '<a href="#satisfaction-1">만족도를 1부터 5 사이에서 골라 주세요.</a>' in html
    assert "<li>status</li>" not in html and "<li>satisfaction</li>" not in html  # no field names


def test_an_expired_link_answers_410_with_a_way_forward(client: Client) -> None:
    row = sent_checkin()
    CheckIn.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(f"/aftercare/checkin/{token_of(row)}/")
    assert response.status_code == 410
    assert "/centres/" in response.content.decode()


def test_an_unknown_or_unsent_token_is_404(client: Client) -> None:
    ended_plan()
    checkins.schedule_checkins(NOW)
    unsent = CheckIn.objects.first()
    assert unsent is not None
    assert client.get(f"/aftercare/checkin/{token_of(unsent)}/").status_code == 404
    assert client.get("/aftercare/checkin/nonsense/").status_code == 404


def test_the_api_answers_201_then_409(client: Client) -> None:
    row = sent_checkin()
    url = f"/api/v1/checkins/{token_of(row)}"
    body = json.dumps({"status": "stopped", "satisfaction": 1, "comment": ""})
    first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and first.json()["status"] == "stopped"
    assert client.post(url, body, content_type="application/json").status_code == 409


def test_the_api_answers_404_410_and_422(client: Client) -> None:
    row = sent_checkin()
    body = json.dumps({"status": "employed", "satisfaction": 3})
    assert client.post("/api/v1/checkins/nope", body, content_type="application/json").status_code == 404
    bad = client.post(f"/api/v1/checkins/{token_of(row)}", json.dumps({"status": "x", "satisfaction": 9}), content_type="application/json")
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"status", "satisfaction"}
    CheckIn.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert client.post(f"/api/v1/checkins/{token_of(row)}", body, content_type="application/json").status_code == 410


def _people(n: int) -> None:
    for _ in range(n):
        p = ended_plan(days_ago=31)
        CaseFactory.create(citizen=p.owner)


def _selection_queries(now: dt.datetime) -> int:
    CheckIn.objects.all().delete()
    Task.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        checkins.schedule_checkins(now)
    CheckIn.objects.update(sent_at=now, reminder_1_at=now, reminder_2_at=now)
    with CaptureQueriesContext(connection) as ctx2:
        checkins.unanswered_tasks(now + dt.timedelta(days=40))
    assert Task.objects.count() == CheckIn.objects.count() > 0
    # Selections are counted; writes are bulk statements whose number follows the batch
    # size (on SQLite a batch is capped by its 999 bound parameters), never one per person.
    return sum(1 for q in ctx.captured_queries + ctx2.captured_queries if q["sql"].startswith("SELECT"))


def test_scheduling_and_task_selection_issue_the_same_number_of_queries_for_5_and_50_people() -> None:
    _people(5)
    few = _selection_queries(NOW)
    _people(45)
    many = _selection_queries(NOW)
    assert few == many


def test_people_without_an_account_plan_get_nothing() -> None:
    plan = ended_plan()
    plan.owner = None
    plan.save()
    checkins.schedule_checkins(NOW)
    assert not CheckIn.objects.exists()


def test_inactive_people_get_nothing() -> None:
    user = UserFactory.create(is_active=False)
    ended_plan(owner=user)
    checkins.schedule_checkins(NOW)
    assert not CheckIn.objects.exists()


def test_an_answer_is_on_the_persons_timeline() -> None:
    from core import timeline

    row = sent_checkin()
    checkins.answer(token_of(row), status="preparing", satisfaction=2, comment="천천히", now=NOW)
    events = [e for e in timeline.page(row.citizen, before=NOW + dt.timedelta(days=1)).events if e.kind == "aftercare.checkin"]
    assert len(events) == 1 and "아직 준비 중" in events[0].title and events[0].detail == "천천히"
