"""Demand pooling: interest → operators prompted → session opened → pool invited first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from core.models import AccessLog
from notifications.models import Agreement, Notification
from programmes import services
from programmes.models import Enrolment, Interest, Mode, Session
from rescue import pooling
from rescue.models import Invitation
from rescue.tests.rescue_factories import (
    at,
    centre,
    person,
    programme,
)

pytestmark = pytest.mark.django_db
V = pooling.INTEREST_NOTICE_VERSION


@pytest.fixture
def prog() -> Any:
    return programme(min_enrolment=2)


def interested(prog: Any, n: int, *, region: str = "11", time_of_day: str = "evening") -> list[Any]:
    people = [person() for _ in range(n)]
    for someone in people:
        pooling.register_interest(someone, prog, region=region, time_of_day=time_of_day, notice_version=V)
    return people


def evening_centre_session(where: Any, **overrides: Any) -> pooling.NewSession:
    starts = at(10, 19)
    fields: dict[str, Any] = {
        "mode": Mode.CENTRE, "centre": where, "starts_at": starts, "ends_at": starts + dt.timedelta(hours=3),
        "enrolment_deadline": starts - dt.timedelta(days=1), "capacity": 2, "min_enrolment": 2,
    }
    fields.update(overrides)
    return pooling.NewSession(**fields)


def test_registering_interest_records_the_notice_agreed_to(prog: Any) -> None:
    someone = person()
    _interest, created = pooling.register_interest(someone, prog, region="11", time_of_day="evening", notice_version=V)
    _again, created_again = pooling.register_interest(someone, prog, region="11", time_of_day="evening", notice_version=V)
    assert created and not created_again
    assert Interest.objects.count() == 1
    assert list(Agreement.objects.values_list("notice", "version")) == [("programme_interest", V)]


def test_an_outdated_notice_is_refused(prog: Any) -> None:
    with pytest.raises(pooling.PoolRefused):
        pooling.register_interest(person(), prog, region="11", time_of_day="evening", notice_version="1999-1")
    assert not Interest.objects.exists()


def test_a_pool_is_ready_at_the_programmes_minimum(prog: Any) -> None:
    interested(prog, 1)
    assert [p.ready for p in pooling.pools()] == [False]
    interested(prog, 1)
    (pool,) = pooling.pools()
    assert pool.ready and pool.waiting == 2 and pool.region == "11" and pool.time_of_day == "evening"


def test_operators_are_prompted_once_per_round(prog: Any) -> None:
    operator = person("operator", staff=True)
    interested(prog, 2)
    assert pooling.check_interest() == 1
    assert pooling.check_interest() == 0
    (row,) = Notification.objects.filter(kind=Notification.Kind.INTEREST_THRESHOLD)
    assert row.recipient == operator and "/programmes/staff/demand/" in row.body


def test_opening_a_session_invites_the_pool_first(prog: Any) -> None:
    people = interested(prog, 3)
    session, invited = pooling.open_pooled_session(prog, "11", "evening", evening_centre_session(centre("11")), actor=None)
    assert invited == 3 and session.status == Session.Status.SCHEDULED
    assert set(Invitation.objects.values_list("user_id", flat=True)) == {p.pk for p in people}
    assert Notification.objects.filter(kind=Notification.Kind.INVITATION, channel="email").count() == 3
    assert pooling.pools() == []  # invited people no longer wait


def test_a_session_that_does_not_fit_the_pool_is_refused(prog: Any) -> None:
    interested(prog, 2)
    morning = at(10, 10)
    with pytest.raises(pooling.PoolRefused):
        pooling.open_pooled_session(
            prog, "11", "evening",
            evening_centre_session(centre("11"), starts_at=morning, ends_at=morning + dt.timedelta(hours=3),
                                   enrolment_deadline=morning - dt.timedelta(days=1)),
            actor=None,
        )
    with pytest.raises(pooling.PoolRefused):
        pooling.open_pooled_session(prog, "11", "evening", evening_centre_session(centre("26")), actor=None)


def test_invited_people_enrol_before_everyone_else(prog: Any) -> None:
    first, second, third = interested(prog, 3)
    session, _ = pooling.open_pooled_session(prog, "11", "evening", evening_centre_session(centre("11")), actor=None)
    with pytest.raises(services.EnrolmentRefused):
        services.enrol(session.pk, person())  # not open to all yet
    statuses = [
        pooling.accept_invitation(Invitation.objects.get(user=p).token, p).status for p in (first, second, third)
    ]
    assert statuses == [Enrolment.Status.CONFIRMED, Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED]
    again = pooling.accept_invitation(Invitation.objects.get(user=first).token, first)
    assert again.status == Enrolment.Status.CONFIRMED and Enrolment.objects.filter(user=first).count() == 1


def test_the_session_opens_to_all_when_the_priority_window_ends(prog: Any, settings: Any) -> None:
    interested(prog, 2)
    session, _ = pooling.open_pooled_session(prog, "11", "evening", evening_centre_session(centre("11")), actor=None)
    assert pooling.open_after_priority() == 0
    later = timezone.now() + dt.timedelta(hours=settings.INVITATION_PRIORITY_HOURS, minutes=1)
    assert pooling.open_after_priority(later) == 1
    assert pooling.open_after_priority(later) == 0
    session.refresh_from_db()
    assert session.status == Session.Status.OPEN


def test_an_invitation_is_only_for_its_person(prog: Any) -> None:
    (invited,) = interested(prog, 1)
    pooling.open_pooled_session(prog, "11", "evening", evening_centre_session(centre("11")), actor=None)
    token = Invitation.objects.get().token
    stranger = Client()
    stranger.force_login(person())
    assert stranger.get(f"/programmes/invitations/{token}/").status_code == 404
    owner = Client()
    owner.force_login(invited)
    assert owner.get(f"/programmes/invitations/{token}/").status_code == 200
    assert owner.post(f"/programmes/invitations/{token}/").status_code == 302
    assert Enrolment.objects.get(user=invited).status == Enrolment.Status.CONFIRMED


def test_the_interest_page_needs_agreement_and_keeps_what_was_typed(prog: Any) -> None:
    client = Client()
    someone = person()
    client.force_login(someone)
    form = {"programme": prog.pk, "region": "11", "time_of_day": "evening", "notice_version": V}
    refused = client.post("/programmes/interest/", form)
    assert refused.status_code == 200 and "동의해야 개설 희망을 등록할 수 있습니다." in refused.content.decode()
    assert 'value="evening" checked' in refused.content.decode() or "checked" in refused.content.decode()
    assert client.post("/programmes/interest/", {**form, "agree": "on"}).status_code == 302
    interest = Interest.objects.get(user=someone)
    assert client.post(f"/programmes/interest/{interest.pk}/withdraw/").status_code == 302
    assert not Interest.objects.exists()


def test_the_demand_page_is_for_staff(prog: Any) -> None:
    interested(prog, 2)
    citizen, operator = Client(), Client()
    citizen.force_login(person())
    operator.force_login(person("operator", staff=True))
    assert citizen.get("/programmes/staff/demand/").status_code == 403
    page = operator.get("/programmes/staff/demand/")
    assert page.status_code == 200 and prog.name_ko in page.content.decode()


def test_opening_from_the_staff_page_is_one_post(prog: Any) -> None:
    interested(prog, 2)
    where = centre("11")
    starts = at(10, 19)
    operator = Client()
    operator.force_login(person("operator", staff=True))
    fmt = "%Y-%m-%dT%H:%M"
    response = operator.post(
        "/programmes/staff/demand/open/",
        {
            "programme": prog.slug, "region": "11", "time_of_day": "evening", "mode": "centre", "centre": where.pk,
            "starts_at": starts.strftime(fmt), "ends_at": (starts + dt.timedelta(hours=3)).strftime(fmt),
            "enrolment_deadline": (starts - dt.timedelta(days=2)).strftime(fmt), "capacity": 10, "min_enrolment": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Invitation.objects.count() == 2


def test_opening_a_pooled_session_logs_one_row_per_person_invited(prog: Any) -> None:
    people = interested(prog, 3)
    operator = person("operator", staff=True)
    pooling.open_pooled_session(prog, "11", "evening", evening_centre_session(centre("11")), actor=operator)
    logged = AccessLog.objects.filter(actor=operator, action=AccessLog.Action.CREATE)
    assert sorted(logged.values_list("subject_id", flat=True)) == sorted(str(p.pk) for p in people)
    assert set(logged.values_list("object_type", flat=True)) == {"rescue.invitation"}


def test_a_refused_pooled_session_logs_nothing(prog: Any) -> None:
    interested(prog, 2)
    operator = person("operator", staff=True)
    with pytest.raises(pooling.PoolRefused):
        pooling.open_pooled_session(prog, "11", "evening", evening_centre_session(centre("26")), actor=operator)
    assert not AccessLog.objects.exists()


def test_the_staff_page_logs_the_invitations_against_the_operator(prog: Any) -> None:
    interested(prog, 2)
    where = centre("11")
    starts = at(10, 19)
    staff_user = person("operator", staff=True)
    operator = Client()
    operator.force_login(staff_user)
    fmt = "%Y-%m-%dT%H:%M"
    operator.post(
        "/programmes/staff/demand/open/",
        {
            "programme": prog.slug, "region": "11", "time_of_day": "evening", "mode": "centre", "centre": where.pk,
            "starts_at": starts.strftime(fmt), "ends_at": (starts + dt.timedelta(hours=3)).strftime(fmt),
            "enrolment_deadline": (starts - dt.timedelta(days=2)).strftime(fmt), "capacity": 10, "min_enrolment": 2,
        },
    )
    assert AccessLog.objects.filter(actor=staff_user, object_type="rescue.invitation").count() == 2
