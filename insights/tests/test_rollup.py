"""The roll-up against known data: the funnel of a generated cohort equals a hand count;
re-running changes nothing; only what changed is recomputed; outcomes reuse the measure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from insights import rollup
from insights.datasets import query
from insights.models import FunnelCell, FunnelFact, PeerCell, ProgrammeCell
from insights.suppression import publish_count
from insights.tests import cohort
from journeys.models import PlanStatus
from journeys.tests.factories import ServiceFactory
from outcomes import services as outcome_services

pytestmark = pytest.mark.django_db


def snapshot() -> dict[str, Any]:
    def rows(model: Any, order: tuple[str, ...]) -> list[tuple[Any, ...]]:
        fields = [f.name for f in model._meta.fields if f.name != "id"]
        return list(model.objects.order_by(*order).values_list(*fields))

    return {
        "facts": rows(FunnelFact, ("result_id",)),
        "cells": sorted(rows(FunnelCell, ()), key=repr),
        "programmes": rows(ProgrammeCell, ("session_id",)),
        "peers": rows(PeerCell, ("kind", "ref_id", "age_band", "status", "goal")),
    }


def test_the_funnel_of_a_known_cohort_matches_the_hand_count() -> None:
    c = cohort.build()
    rollup.rollup()
    stages = dict(FunnelFact.objects.values_list("result_id", "stage"))
    assert stages == c.expected_stage
    # Reached stage k = furthest stage ≥ k, hand-counted from the cohort's list.
    hand = Counter(c.expected_stage.values())
    reached = [sum(n for s, n in hand.items() if s >= k) for k in range(7)]
    assert reached == [10, 7, 6, 4, 3, 2, 1]
    cells = Counter[int]()
    for stage, people in FunnelCell.objects.values_list("stage", "people"):
        cells[stage] += people
    assert [sum(n for s, n in cells.items() if s >= k) for k in range(7)] == reached
    table = query("funnel", {})
    codes = ["diagnosed", "plan", "step_done", "engaged", "completed", "checkin", "outcome"]
    assert [table.total[code] for code in codes] == [publish_count(n) for n in reached] == [10, 5, 5, None, None, None, None]


def test_dimensions_come_from_the_result_and_the_centre_from_the_first_booking_or_session() -> None:
    c = cohort.build()
    rollup.rollup()
    by_goal = Counter(FunnelFact.objects.values_list("goal", flat=True))
    assert by_goal == {"reemployment": 8, "startup": 2}
    centres = Counter(FunnelFact.objects.values_list("centre_id", flat=True))
    # d, e, g, h, i's second result at the centre; f at the other; the rest none.
    assert centres == {c.centre.pk: 5, c.other_centre.pk: 1, None: 4}
    assert FunnelFact.objects.get(result__owner=c.people[-1], latest=True).stage == 0


def test_rerunning_the_rollup_yields_identical_tables() -> None:
    cohort.build()
    rollup.rollup()
    first = snapshot()
    rollup.rollup()
    assert snapshot() == first
    call_command("insights_rollup", "--full", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    assert snapshot() == first


def test_only_what_changed_since_the_watermark_is_recomputed() -> None:
    c = cohort.build()
    rollup.rollup()
    mark = timezone.now()
    assert rollup.changed_results(mark, timezone.localdate()) == []
    person = c.people[0]  # stage 2: plan and a step done
    cohort.enrol(person, c.centre)
    changed = rollup.changed_results(mark, timezone.localdate())
    assert changed == list(FunnelFact.objects.filter(result__owner=person).values_list("result_id", flat=True))
    rollup.rollup()
    assert FunnelFact.objects.get(result__owner=person).stage == 3


def test_a_deleted_account_leaves_no_fact_and_drops_out_of_the_cells() -> None:
    c = cohort.build()
    rollup.rollup()
    before = sum(FunnelCell.objects.values_list("people", flat=True))
    c.people[0].delete()
    rollup.rollup()
    assert sum(FunnelCell.objects.values_list("people", flat=True)) == before - 1


def test_outcomes_at_6_and_12_months_reuse_the_quarterly_measure() -> None:
    person = cohort.UserFactory.create()
    r = cohort.result(person, days_ago=700)
    cohort.plan(r, step_done=True, status=PlanStatus.ABANDONED, ended=dt.datetime(2025, 1, 10, tzinfo=dt.UTC))
    cohort.outcome(person, on=dt.date(2025, 8, 1))
    rollup.rollup(dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    fact = FunnelFact.objects.get(result=r)
    assert (fact.employed_6m, fact.employed_12m) == ("employed", "employed")
    assert fact.recheck_on is None
    people = rollup._people([person.pk])
    assert rollup.exit_on(people[person.pk]) == outcome_services.exit_date(person.pk)


def test_a_quarter_not_yet_over_is_looked_at_again_on_the_day_after_it_ends() -> None:
    person = cohort.UserFactory.create()
    r = cohort.result(person, days_ago=30)
    cohort.plan(r, step_done=True, status=PlanStatus.COMPLETED, ended=timezone.now() - dt.timedelta(days=20))
    rollup.rollup()
    fact = FunnelFact.objects.get(result=r)
    assert fact.employed_6m == ""
    assert fact.recheck_on is not None and fact.recheck_on > timezone.localdate()
    assert r.pk in rollup.changed_results(timezone.now(), fact.recheck_on)


def test_peer_cells_count_people_who_did_a_service_step_or_attended_a_programme() -> None:
    service = ServiceFactory.create()
    for i in range(3):
        person = cohort.UserFactory.create()
        r = cohort.result(person, days_ago=700)
        p = cohort.plan(r, status=PlanStatus.COMPLETED, ended=dt.datetime(2025, 1, 10, tzinfo=dt.UTC))
        p.steps.update(service=service, done_at=timezone.now())
        if i < 2:
            cohort.outcome(person, on=dt.date(2025, 8, 1))
    rollup.rollup(dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    cell = PeerCell.objects.get(kind="service", ref_id=service.pk)
    assert (cell.due_6m, cell.employed_6m, cell.age_band, cell.goal) == (3, 2, "50s", "reemployment")


def test_counselling_cells_count_appointments_per_centre() -> None:
    c = cohort.build()
    rollup.rollup()
    from django.db.models import Sum

    from insights.models import CounsellingCell

    def totals(centre: int) -> dict[str, Any]:
        return CounsellingCell.objects.filter(centre_id=centre).aggregate(
            b=Sum("bookings"), a=Sum("attended"), n=Sum("no_show"), f=Sum("first_n")
        )

    assert totals(c.centre.pk) == {"b": 2, "a": 2, "n": 0, "f": 2}  # g and h
    assert totals(c.other_centre.pk) == {"b": 1, "a": 1, "n": 0, "f": 1}  # f
    table = query("counselling", {"by": "centre"})
    assert table.total["bookings"] is None  # 3 appointments: fewer than 5


def test_attendance_marked_later_is_picked_up_while_the_session_is_recent() -> None:
    c = cohort.build()
    rollup.rollup()
    mark = timezone.now()
    person = c.people[1]  # stage 3: enrolled, attendance not marked
    from programmes.models import Enrolment, Session

    place = Enrolment.objects.get(user=person)
    ends = timezone.now() - dt.timedelta(hours=2)
    Session.objects.filter(pk=place.session_id).update(starts_at=ends - dt.timedelta(hours=3), ends_at=ends, enrolment_deadline=ends - dt.timedelta(days=1))
    mark = timezone.now()
    Enrolment.objects.filter(pk=place.pk).update(attended=True)  # as mark_attendance: no timestamp
    assert FunnelFact.objects.get(result__owner=person).result_id in rollup.changed_results(mark, timezone.localdate())


def test_programme_fates_come_from_the_recorded_rescue_actions() -> None:
    from programmes import services as programme_services
    from rescue import services as rescue
    from rescue.tests.rescue_factories import at, centre, person, programme, session

    operator = person("operator", staff=True)
    prog, where = programme(min_enrolment=3), centre()
    extended, target, doomed, extended_then_cancelled, untouched = (session(prog, where=where, starts_at=at(5 + i)) for i in range(5))
    for s in (extended, extended_then_cancelled):
        rescue.extend_deadline(s.pk, s.starts_at - dt.timedelta(hours=2), actor=operator)
    rescue.cancel_with_offers(doomed.pk, actor=operator)
    programme_services.cancel_session(extended_then_cancelled.pk, actor=operator)
    rollup.rollup()
    fates = dict(ProgrammeCell.objects.values_list("session_id", "fate"))
    assert fates[extended.pk] == "extended" and fates[untouched.pk] == "" and fates[target.pk] == ""
    assert fates[doomed.pk] == "cancelled" and fates[extended_then_cancelled.pk] == "cancelled"


def test_each_fact_carries_the_catalogue_release_in_effect_when_the_person_was_diagnosed() -> None:
    from catalog.models import CatalogueRelease
    from journeys.tests.factories import ResultFactory

    before = ResultFactory.create()
    CatalogueRelease.objects.create(label="2026.12", version="2026.12", content_hash="a" * 64, services=54, loaded_at=timezone.now())
    after = ResultFactory.create()
    rollup.rollup()
    catalogue = dict(FunnelFact.objects.values_list("result_id", "catalogue"))
    assert (catalogue[before.pk], catalogue[after.pk]) == ("", "2026.12")
    table = query("funnel", {"by": "catalogue"})
    assert [row["catalogue_name"] for row in table.rows] == ["기록 이전", "2026.12"]
