"""나의 생애경력설계: plans with steps to tick off, diagnoses compared over time."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests import factories
from diagnosis import services as diagnosis_services
from diagnosis.models import Instrument

ME = "/me/"


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 10, 0, tzinfo=dt.UTC)


def test_me_needs_login(client: Client, consent_text: object) -> None:
    response = client.get(ME)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/me/")


def test_comparison_table_shows_each_diagnosis_with_change_since_previous(client: Client, owner: User, instrument: Instrument) -> None:
    first = factories.result(instrument, owner=owner, value=2, at=at(1))
    second = factories.result(instrument, owner=owner, value=4, at=at(20))
    client.force_login(owner)
    page = client.get(ME).content.decode()
    table = page[page.index("<table"):page.index("</table>")]
    assert "<caption" in table and 'scope="col"' in table and 'scope="row"' in table
    for row in diagnosis_services.scale_rows(first):
        assert f">{row['name']}</th>" in table
    assert table.index("2026-03-01") < table.index("2026-03-20")  # oldest first
    assert diagnosis_services.type_info(instrument, second.type_code)["name"] in table
    before = {r["code"]: r["score"] for r in diagnosis_services.scale_rows(first)}
    after = {r["code"]: r["score"] for r in diagnosis_services.scale_rows(second)}
    code = next(c for c in after if after[c] != before[c])
    delta = after[code] - before[code]
    assert f"{after[code]} ({delta:+d})" in table


def test_me_lists_only_my_plans_and_results(client: Client, owner: User, other: User, instrument: Instrument) -> None:
    mine = factories.plan(factories.result(instrument, owner=owner))
    theirs = factories.plan(factories.result(instrument, owner=other))
    client.force_login(owner)
    page = client.get(ME).content.decode()
    assert f"/plans/{mine.public_id}/" in page
    assert f"/plans/{theirs.public_id}/" not in page
    assert theirs.result.public_id not in page


def test_ticking_a_step_off_and_back(client: Client, owner: User, instrument: Instrument) -> None:
    plan = factories.plan(factories.result(instrument, owner=owner))
    step = plan.steps.get(position=1)
    client.force_login(owner)
    response = client.post(reverse("me:step", args=[step.pk]), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"/me/#plan-{plan.public_id}"
    step.refresh_from_db()
    assert step.done_at is not None
    page = client.get(ME).content.decode()
    assert "할 일 3개 중 1개 마침" in page
    assert 'aria-pressed="true"' in page
    client.post(reverse("me:step", args=[step.pk]), {"done": "0"})
    step.refresh_from_db()
    assert step.done_at is None


def test_ticking_twice_keeps_the_first_time(client: Client, owner: User, instrument: Instrument) -> None:
    step = factories.plan(factories.result(instrument, owner=owner)).steps.get(position=1)
    client.force_login(owner)
    client.post(reverse("me:step", args=[step.pk]), {"done": "1"})
    step.refresh_from_db()
    first = step.done_at
    client.post(reverse("me:step", args=[step.pk]), {"done": "1"})
    step.refresh_from_db()
    assert step.done_at == first


def test_nobody_else_can_tick_my_step(client: Client, owner: User, other: User, staff: User, instrument: Instrument) -> None:
    step = factories.plan(factories.result(instrument, owner=owner)).steps.get(position=1)
    for person in (other, staff):
        client.force_login(person)
        assert client.post(reverse("me:step", args=[step.pk]), {"done": "1"}).status_code == 404
    anonymous = Client().post(reverse("me:step", args=[step.pk]), {"done": "1"})
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    step.refresh_from_db()
    assert step.done_at is None


def test_step_of_an_anonymous_plan_cannot_be_ticked_from_me(client: Client, owner: User, instrument: Instrument) -> None:
    step = factories.plan(factories.result(instrument)).steps.get(position=1)
    client.force_login(owner)
    assert client.post(reverse("me:step", args=[step.pk]), {"done": "1"}).status_code == 404


def test_step_toggle_is_post_only(client: Client, owner: User, instrument: Instrument) -> None:
    step = factories.plan(factories.result(instrument, owner=owner)).steps.get(position=1)
    client.force_login(owner)
    assert client.get(reverse("me:step", args=[step.pk])).status_code == 405


def _queries_for_me(client: Client, owner: User) -> int:
    client.force_login(owner)
    assert client.get(ME).status_code == 200  # the stamps a process reads once a second
    caches["personal"].clear()  # the part rendered again: every query of the page
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ME).status_code == 200
    return len(ctx.captured_queries)


def test_me_query_count_does_not_grow_with_results_and_plans(client: Client, owner: User, other: User, instrument: Instrument) -> None:
    for day in (1, 2):
        factories.plan(factories.result(instrument, owner=owner, at=at(day)))
    few = _queries_for_me(client, owner)
    for day in range(1, 11):
        factories.plan(factories.result(instrument, owner=other, at=at(day)), steps=6)
    many = _queries_for_me(Client(), other)
    assert few == many
    assert few <= 11  # the page's pinned count is in tests/test_query_budget.py


def test_me_shows_empty_states_without_data(client: Client, owner: User) -> None:
    client.force_login(owner)
    page = client.get(ME).content.decode()
    assert "저장한 가이드맵이 없습니다" in page
    assert "저장한 진단 결과가 없습니다" in page
    assert re.search(r'<form method="post" action="/accounts/logout/">', page)


def test_me_asks_to_rate_what_was_attended_or_finished_and_not_yet_rated(client: Client, owner: User, instrument: Instrument) -> None:
    from aftercare import feedback
    from counselling.models import BookingStatus
    from counselling.tests.factories import BookingFactory, SlotFactory, seoul_at
    from programmes import services as programme_services
    from programmes.models import Enrolment
    from programmes.tests.factories import session

    attended = programme_services.enrol(session().pk, owner)
    Enrolment.objects.filter(pk=attended.pk).update(attended=True)
    upcoming = programme_services.enrol(session().pk, owner)  # not attended: not asked
    talked = BookingFactory.create(citizen=owner, slot=SlotFactory.create(starts_at=seoul_at(-3)), status=BookingStatus.ATTENDED)
    finished = factories.plan(factories.result(instrument, owner=owner))
    finished.steps.update(done_at=timezone.now())
    rated = factories.plan(factories.result(instrument, owner=owner))
    rated.steps.update(done_at=timezone.now())
    feedback.give(owner, "plan", rated.pk, score=5)
    factories.plan(factories.result(instrument, owner=owner))  # steps not done: not asked
    client.force_login(owner)
    asked = client.get(ME).context["feedback_pending"]
    assert {(i.about, i.about_id) for i in asked} == {("session", attended.pk), ("counselling", talked.pk), ("plan", finished.pk)}
    assert {(i.about, i.about_id) for i in asked} == {(i.about, i.about_id) for i in feedback.pending(owner)}
    assert upcoming.pk not in {i.about_id for i in asked if i.about == "session"}


def test_me_offers_self_referral_only_on_steps_whose_service_takes_it(client: Client, owner: User, instrument: Instrument) -> None:
    from catalog.tests.factories import ServiceFactory
    from referrals.tests.factories import PartnerFactory

    takes, refuses = ServiceFactory.create(slug="takes-self"), ServiceFactory.create(slug="refuses-self")
    PartnerFactory.create(services=[takes], accepts_self_referral=True)
    PartnerFactory.create(services=[refuses], accepts_self_referral=False)
    plan = factories.plan(factories.result(instrument, owner=owner))
    first, second, _third = plan.steps.order_by("position")
    first.service, second.service = takes, refuses
    first.save(update_fields=["service"])
    second.save(update_fields=["service"])
    client.force_login(owner)
    page = client.get(ME).content.decode()
    assert reverse("referrals:self_refer", args=[first.pk]) in page
    assert reverse("referrals:self_refer", args=[second.pk]) not in page


def test_a_done_step_shows_its_day_in_korea_and_posts_to_its_own_address(client: Client, owner: User, instrument: Instrument) -> None:
    plan = factories.plan(factories.result(instrument, owner=owner))
    step = plan.steps.get(position=1)
    step.done_at = dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC)  # 2026-03-02 01:30 in Seoul
    step.save(update_fields=["done_at"])
    client.force_login(owner)
    page = client.get(ME).content.decode()
    assert "2026-03-02에 마침" in page
    for pk in plan.steps.values_list("pk", flat=True):
        assert f'action="{reverse("me:step", args=[pk])}"' in page


def test_a_plan_without_steps_is_not_asked_about(client: Client, owner: User, instrument: Instrument) -> None:
    plan = factories.plan(factories.result(instrument, owner=owner))
    plan.steps.all().delete()
    client.force_login(owner)
    assert [i for i in client.get(ME).context["feedback_pending"] if i.about == "plan"] == []
