"""Object level: staff reach the sessions, rosters, enrolments, at-risk sessions and pools of
the centres in their scope only; anything else is the same 404 as a missing object. A
session without a centre (online live, 기업출강) is reached by a national scope only."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from core.roles import Role
from core.tests.factories import StaffFactory, UserFactory
from courses.tests.factories import employer_request
from notifications.models import Notification
from programmes import services
from programmes.models import Centre, Mode, Session
from programmes.tests.factories import CentreFactory, ProgrammeFactory, session
from rescue import pooling
from rescue import services as rescue
from rescue.tests.rescue_factories import at

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def centres() -> tuple[Centre, Centre]:
    return CentreFactory.create(region="11"), CentreFactory.create(region="26")


@pytest.fixture
def sessions(centres: tuple[Centre, Centre]) -> dict[str, Session]:
    programme = ProgrammeFactory.create(modes=["centre", "online_live", "employer_site"])
    return {
        # Soon and empty: each is also at risk (under the programme's minimum of 8).
        "a": session(programme=programme, centre=centres[0], starts_at=at(5)),
        "b": session(programme=programme, centre=centres[1], starts_at=at(5)),
        "online": session(programme=programme, mode=Mode.ONLINE_LIVE, online_url="https://meet.example/x", starts_at=at(5)),
    }


def operator_of(centre: Centre | None) -> User:
    return StaffFactory.create(roles=[(Role.OPERATOR, centre)])


def test_an_operator_of_centre_a_opens_a_roster_of_a_but_gets_404_for_b(centres: Any, sessions: dict[str, Session]) -> None:
    client = logged_in(operator_of(centres[0]))
    assert client.get(reverse("programmes:staff_roster", args=[sessions["a"].pk])).status_code == 200
    assert client.get(reverse("programmes:staff_roster", args=[sessions["b"].pk])).status_code == 404
    assert client.get(reverse("programmes:staff_roster_csv", args=[sessions["b"].pk])).status_code == 404
    assert client.get(reverse("programmes:staff_session_edit", args=[sessions["b"].pk])).status_code == 404


def test_out_of_scope_is_the_same_404_as_missing(centres: Any, sessions: dict[str, Session]) -> None:
    client = logged_in(operator_of(centres[0]))
    other = client.get(reverse("programmes:staff_roster", args=[sessions["b"].pk]))
    missing = client.get(reverse("programmes:staff_roster", args=[999999]))
    assert other.status_code == missing.status_code == 404
    assert [t.name for t in other.templates] == [t.name for t in missing.templates]


def test_an_out_of_scope_roster_logs_no_access(centres: Any, sessions: dict[str, Session]) -> None:
    services.enrol(sessions["b"].pk, UserFactory.create())
    logged_in(operator_of(centres[0])).get(reverse("programmes:staff_roster", args=[sessions["b"].pk]))
    assert not AccessLog.objects.exists()


def test_a_lead_reaches_only_their_centres_rosters(centres: Any, sessions: dict[str, Session]) -> None:
    client = logged_in(StaffFactory.create(roles=[(Role.LEAD, centres[1])]))
    assert client.get(reverse("programmes:staff_roster", args=[sessions["b"].pk])).status_code == 200
    assert client.get(reverse("programmes:staff_roster", args=[sessions["a"].pk])).status_code == 404


def test_a_session_without_a_centre_is_for_national_scope_only(centres: Any, sessions: dict[str, Session]) -> None:
    url = reverse("programmes:staff_roster", args=[sessions["online"].pk])
    assert logged_in(operator_of(centres[0])).get(url).status_code == 404
    assert logged_in(operator_of(None)).get(url).status_code == 200


def test_a_national_operator_reaches_every_centre(sessions: dict[str, Session]) -> None:
    client = logged_in(operator_of(None))
    for found in sessions.values():
        assert client.get(reverse("programmes:staff_roster", args=[found.pk])).status_code == 200


def test_the_session_list_shows_only_the_sessions_in_scope(centres: Any, sessions: dict[str, Session]) -> None:
    response = logged_in(operator_of(centres[0])).get(reverse("programmes:staff_sessions"))
    shown = {s.pk for s in response.context["sessions"]}
    assert shown == {sessions["a"].pk}


def test_attendance_for_an_enrolment_out_of_scope_is_404(centres: Any, sessions: dict[str, Session]) -> None:
    enrolment = services.enrol(sessions["b"].pk, UserFactory.create())
    response = logged_in(operator_of(centres[0])).post(reverse("programmes:staff_attendance", args=[enrolment.pk]), {"attended": "1"})
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.attended is None


def test_a_status_change_out_of_scope_is_404_and_changes_nothing(centres: Any, sessions: dict[str, Session]) -> None:
    response = logged_in(operator_of(centres[0])).post(
        reverse("programmes:staff_session_status", args=[sessions["b"].pk]), {"action": "close"}
    )
    assert response.status_code == 404
    sessions["b"].refresh_from_db()
    assert sessions["b"].status == Session.Status.OPEN


def test_the_session_form_offers_only_centres_in_scope_and_no_centreless_modes(centres: Any) -> None:
    response = logged_in(operator_of(centres[0])).get(reverse("programmes:staff_session_create"))
    form = response.context["form"]
    assert list(form.fields["centre"].queryset) == [centres[0]]
    assert Mode.ONLINE_LIVE not in {value for value, _label in form.fields["mode"].choices}


def test_creating_a_session_at_another_centre_is_refused(centres: Any) -> None:
    programme = ProgrammeFactory.create()
    data = {
        "programme": programme.pk, "mode": "centre", "centre": centres[1].pk,
        "starts_at": at(20).strftime("%Y-%m-%dT%H:%M"), "ends_at": at(20, 16).strftime("%Y-%m-%dT%H:%M"),
        "enrolment_deadline": at(18).strftime("%Y-%m-%dT%H:%M"), "capacity": 20, "min_enrolment": 8,
    }
    response = logged_in(operator_of(centres[0])).post(reverse("programmes:staff_session_create"), data)
    assert "담당하는 센터 중에서 골라 주세요." in response.content.decode()
    assert not Session.objects.exists()
    # The same form from a national operator goes through: the refusal is the scope.
    response = logged_in(operator_of(None)).post(reverse("programmes:staff_session_create"), data)
    assert response.status_code == 302 and Session.objects.filter(centre=centres[1]).exists()


def test_the_at_risk_page_lists_and_acts_on_sessions_in_scope_only(centres: Any, sessions: dict[str, Session]) -> None:
    client = logged_in(operator_of(centres[0]))
    shown = {card["session"].pk for card in client.get(reverse("programmes:rescue_at_risk")).context["cards"]}
    assert shown == {sessions["a"].pk}
    assert client.post(reverse("programmes:rescue_cancel", args=[sessions["b"].pk])).status_code == 404
    sessions["b"].refresh_from_db()
    assert sessions["b"].status == Session.Status.OPEN


def test_at_risk_mail_goes_to_the_centres_roster_holders_and_national_operators(centres: Any, sessions: dict[str, Session]) -> None:
    national, here, elsewhere = operator_of(None), operator_of(centres[0]), operator_of(centres[1])
    lead_here = StaffFactory.create(roles=[(Role.LEAD, centres[0])])
    analyst = StaffFactory.create(roles=[(Role.ANALYST, None)])
    assert set(rescue.operators(centre_id=centres[0].pk)) == {national, here, lead_here}
    assert analyst not in rescue.operators(centre_id=centres[1].pk)
    assert set(rescue.operators()) == {national}
    rescue.check_at_risk()
    told = {(n.recipient_id, n.dedupe_key.split(":")[2]) for n in Notification.objects.filter(kind=Notification.Kind.SESSION_AT_RISK)}
    assert (elsewhere.pk, str(sessions["a"].pk)) not in told
    assert (here.pk, str(sessions["a"].pk)) in told


def test_the_admin_flag_alone_gets_no_mail() -> None:
    UserFactory.create(is_staff=True, email="admin@example.com")
    assert rescue.operators() == []


def test_pools_outside_the_scope_are_hidden_and_404(centres: Any) -> None:
    programme = ProgrammeFactory.create(min_enrolment=1)
    for region in ("11", "26"):
        pooling.register_interest(UserFactory.create(), programme, region=region, time_of_day="weekday_day", notice_version=pooling.INTEREST_NOTICE_VERSION)
    client = logged_in(operator_of(centres[0]))  # a centre in 11
    pools = client.get(reverse("programmes:pool_list")).context["pools"]
    assert {pool.region for pool in pools} == {"11"}
    url = reverse("programmes:pool_open")
    assert client.get(url, {"programme": programme.slug, "region": "26", "time_of_day": "weekday_day"}).status_code == 404
    form = client.get(url, {"programme": programme.slug, "region": "11", "time_of_day": "weekday_day"}).context["form"]
    assert list(form.fields["centre"].queryset) == [centres[0]]


def test_employer_requests_are_for_the_national_desk(centres: Any) -> None:
    request = employer_request()
    url = reverse("courses:staff-request", args=[request.pk])
    assert logged_in(operator_of(centres[0])).get(url).status_code == 404
    assert not logged_in(operator_of(centres[0])).get(reverse("courses:staff-requests")).context["page"].object_list
    assert logged_in(operator_of(None)).get(url).status_code == 200
