"""Whose task: the open case's counsellor, else the closed case's centre, else a centre in
the region of the person's latest self-diagnosis (one with a lead first)."""

from __future__ import annotations

import pytest

from aftercare.routing import Route, routes_for
from core.roles import Role
from core.tests.factories import UserFactory
from counselling.models import CaseStatus
from counselling.tests.factories import CaseFactory, staff_member
from journeys.tests.factories import ResultFactory
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


def test_an_open_case_routes_to_its_counsellor() -> None:
    centre = CentreFactory.create()
    counsellor = staff_member(Role.COUNSELLOR, centre)
    case = CaseFactory.create(centre=centre, counsellor=counsellor)
    assert routes_for([case.citizen_id]) == {case.citizen_id: Route(centre.pk, case.pk, counsellor.pk)}


def test_a_closed_case_routes_to_its_centre_unassigned() -> None:
    case = CaseFactory.create(counsellor=None)
    type(case).objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
    assert routes_for([case.citizen_id])[case.citizen_id] == Route(case.centre_id, case.pk, None)


def test_without_a_case_the_led_centre_of_the_diagnosis_region_gets_it() -> None:
    person = UserFactory.create()
    ResultFactory.create(owner=person, region="26")
    CentreFactory.create(region="26", name="가 센터 (리더 없음)")
    led = CentreFactory.create(region="26", name="나 센터")
    staff_member(Role.LEAD, led)
    assert routes_for([person.pk]) == {person.pk: Route(centre_id=led.pk)}


def test_without_a_case_or_a_diagnosis_there_is_no_route() -> None:
    assert routes_for([UserFactory.create().pk]) == {}
