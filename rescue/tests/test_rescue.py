"""폐강 prevention: at-risk sessions, the operator's one-step options, offers and held seats."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from notifications.models import Notification
from programmes import services
from programmes.models import Enrolment, Mode, Session
from programmes.outbox import event_key
from rescue import holds
from rescue import services as rescue
from rescue.models import RescueOffer, SeatHold
from rescue.tests.rescue_factories import (
    at,
    centre,
    enrol,
    person,
    programme,
    session,
)

pytestmark = pytest.mark.django_db
Confirmed, Waitlisted, Cancelled = Enrolment.Status.CONFIRMED, Enrolment.Status.WAITLISTED, Enrolment.Status.CANCELLED


@pytest.fixture
def seoul() -> Any:
    return centre("11", "서울센터")


@pytest.fixture
def prog() -> Any:
    return programme(min_enrolment=3)


# --- at risk ------------------------------------------------------------------------------


def test_a_session_under_its_minimum_close_to_the_start_is_at_risk(prog: Any, seoul: Any) -> None:
    soon = session(prog, where=seoul, starts_at=at(5))
    enrol(soon, 2)
    assert rescue.is_at_risk(soon)


def test_far_off_full_enough_or_cancelled_sessions_are_not_at_risk(prog: Any, seoul: Any, settings: Any) -> None:
    far = session(prog, where=seoul, starts_at=at(settings.AT_RISK_LEAD_DAYS + 3))
    enough = session(prog, where=seoul, starts_at=at(4))
    enrol(enough, 3)
    gone = session(prog, where=seoul, starts_at=at(4))
    services.cancel_session(gone.pk)
    assert list(rescue.at_risk_sessions()) == []
    assert not rescue.is_at_risk(far)


def test_operators_are_told_once_about_a_session_at_risk(prog: Any, seoul: Any) -> None:
    operator = person("operator", staff=True)
    session(prog, where=seoul, starts_at=at(3))
    assert rescue.check_at_risk() == 1
    assert rescue.check_at_risk() == 0
    (row,) = Notification.objects.filter(kind=Notification.Kind.SESSION_AT_RISK)
    assert row.recipient == operator and "/programmes/staff/at-risk/" in row.body


# --- cancel with offers ---------------------------------------------------------------------------


def test_cancelling_offers_everyone_alternatives_and_holds_a_seat(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    places = enrol(doomed, 2)
    evening = session(prog, where=seoul, starts_at=at(6, 19))
    same_time = session(prog, where=seoul, starts_at=at(8), capacity=5)

    outcome = rescue.cancel_with_offers(doomed.pk)

    doomed.refresh_from_db()
    assert doomed.status == Session.Status.CANCELLED and outcome.held == 2
    for place in places:
        place.refresh_from_db()
        assert place.status == Cancelled
        offer = RescueOffer.objects.get(enrolment=place)
        assert offer.alternatives == [same_time.pk, evening.pk]  # same time of day first
        assert offer.holds.get().session_id == same_time.pk
        row = Notification.objects.get(dedupe_key=event_key("session_cancelled", place.pk) + ":email")
        assert row.kind == Notification.Kind.SESSION_CANCELLED and offer.token in row.body
    assert holds.free_seats(same_time) == 3  # two held seats count against capacity


def test_each_enrolee_gets_one_cancellation_message_not_two(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    session(prog, where=seoul, starts_at=at(7))
    rescue.cancel_with_offers(doomed.pk)
    about_it = Notification.objects.filter(recipient=place.user, kind=Notification.Kind.SESSION_CANCELLED)
    assert about_it.count() == 1 and "/programmes/rescue/" in about_it.get().body


def test_a_held_seat_is_not_given_to_someone_else(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    small = session(prog, where=seoul, starts_at=at(6), capacity=1, min_enrolment=1)
    rescue.cancel_with_offers(doomed.pk)
    assert services.enrol(small.pk, person()).status == Waitlisted
    assert rescue.accept_offer(RescueOffer.objects.get(enrolment=place).token, place.user, small.pk).status == Confirmed


def test_accepting_takes_the_held_seat_in_one_step(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    other = session(prog, where=seoul, starts_at=at(7))
    rescue.cancel_with_offers(doomed.pk)
    offer = RescueOffer.objects.get(enrolment=place)

    moved = rescue.accept_offer(offer.token, place.user, other.pk)

    assert moved.session_id == other.pk and moved.status == Confirmed
    offer.refresh_from_db()
    assert offer.status == RescueOffer.Status.ACCEPTED and offer.accepted_enrolment == moved
    assert SeatHold.objects.get(offer=offer).status == SeatHold.Status.TAKEN


def test_an_offer_can_be_used_once_and_only_by_its_person(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    other = session(prog, where=seoul, starts_at=at(7))
    rescue.cancel_with_offers(doomed.pk)
    token = RescueOffer.objects.get(enrolment=place).token
    with pytest.raises(rescue.RescueRefused) as refused:
        rescue.accept_offer(token, person(), other.pk)
    assert refused.value.code == "not_found"
    rescue.accept_offer(token, place.user, other.pk)
    with pytest.raises(rescue.RescueRefused) as again:
        rescue.accept_offer(token, place.user, other.pk)
    assert again.value.code == "closed"


def test_a_session_not_offered_cannot_be_picked(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    rescue.cancel_with_offers(doomed.pk)
    elsewhere = session(programme(), where=seoul, starts_at=at(7))
    with pytest.raises(rescue.RescueRefused) as refused:
        rescue.accept_offer(RescueOffer.objects.get(enrolment=place).token, place.user, elsewhere.pk)
    assert refused.value.code == "not_offered"


def test_declining_gives_the_held_seat_back(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    other = session(prog, where=seoul, starts_at=at(7), capacity=3)
    rescue.cancel_with_offers(doomed.pk)
    assert holds.free_seats(other) == 2
    rescue.decline_offer(RescueOffer.objects.get(enrolment=place).token, place.user)
    assert holds.free_seats(other) == 3


def test_expired_holds_free_the_seat_and_close_the_offer(prog: Any, seoul: Any, settings: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    other = session(prog, where=seoul, starts_at=at(9), capacity=2)
    rescue.cancel_with_offers(doomed.pk)
    later = timezone.now() + dt.timedelta(hours=settings.HOLD_HOURS, minutes=1)
    assert holds.free_seats(other, now=later) == 2  # no longer counted, even before the job runs
    assert rescue.expire_holds(later) == 1
    assert rescue.expire_holds(later) == 0
    assert SeatHold.objects.get().status == SeatHold.Status.EXPIRED
    offer = RescueOffer.objects.get(enrolment=place)
    assert offer.status == RescueOffer.Status.EXPIRED
    with time_machine.travel(later), pytest.raises(rescue.RescueRefused):
        rescue.accept_offer(offer.token, place.user, other.pk)


def test_a_hold_never_outlives_the_alternatives_deadline(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(2))
    enrol(doomed, 1)
    starts = at(3)
    soon = session(prog, where=seoul, starts_at=starts, deadline_before=starts - (timezone.now() + dt.timedelta(hours=20)))
    rescue.cancel_with_offers(doomed.pk)
    soon.refresh_from_db()
    assert SeatHold.objects.get().expires_at == soon.enrolment_deadline


# --- merge, move online, extend ------------------------------------------------------------


def test_merging_moves_everyone_respecting_capacity_then_cancels(prog: Any, seoul: Any) -> None:
    small = session(prog, where=seoul, starts_at=at(4))
    places = enrol(small, 3)
    target = session(prog, where=seoul, starts_at=at(6), capacity=4)
    enrol(target, 2)

    outcome = rescue.merge_into(small.pk, target.pk)

    assert (outcome.confirmed, outcome.waitlisted) == (2, 1)
    small.refresh_from_db()
    assert small.status == Session.Status.CANCELLED
    moved = {e.user_id: e for e in Enrolment.objects.filter(session=target, user__in=[p.user for p in places])}
    assert [moved[p.user_id].status for p in places] == [Confirmed, Confirmed, Waitlisted]
    assert moved[places[2].user_id].position == 1
    for place in places:
        row = Notification.objects.get(dedupe_key=event_key("session_cancelled", place.pk) + ":email")
        assert row.kind == Notification.Kind.SESSION_MOVED
    assert not SeatHold.objects.exists()


def test_merging_across_programmes_is_refused(prog: Any, seoul: Any) -> None:
    a = session(prog, where=seoul, starts_at=at(4))
    b = session(programme(), where=seoul, starts_at=at(6))
    with pytest.raises(rescue.RescueRefused):
        rescue.merge_into(a.pk, b.pk)


def test_moving_online_keeps_places_and_offers_a_way_out(prog: Any, seoul: Any) -> None:
    risky = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(risky, 1)
    in_person = session(prog, where=centre("41"), starts_at=at(8))

    rescue.move_online(risky.pk, "https://meet.example.org/abc")

    risky.refresh_from_db()
    assert risky.mode == Mode.ONLINE_LIVE and risky.region == "" and risky.online_url == "https://meet.example.org/abc"
    place.refresh_from_db()
    assert place.status == Confirmed
    offer = RescueOffer.objects.get(enrolment=place, reason=RescueOffer.Reason.MOVED)
    assert offer.alternatives == [in_person.pk] and not offer.holds.exists()
    moved = rescue.accept_offer(offer.token, place.user, in_person.pk)
    place.refresh_from_db()
    assert moved.status == Confirmed and place.status == Cancelled


def test_extending_the_deadline_reopens_a_closed_session(prog: Any, seoul: Any) -> None:
    risky = session(prog, where=seoul, starts_at=at(5), deadline_before=dt.timedelta(days=4))
    services.close_enrolment(risky.pk)
    new_deadline = risky.starts_at - dt.timedelta(hours=12)
    rescue.extend_deadline(risky.pk, new_deadline)
    risky.refresh_from_db()
    assert risky.enrolment_deadline == new_deadline and risky.status == Session.Status.OPEN


def test_a_deadline_after_the_start_is_refused(prog: Any, seoul: Any) -> None:
    risky = session(prog, where=seoul, starts_at=at(5))
    with pytest.raises(rescue.RescueRefused):
        rescue.extend_deadline(risky.pk, risky.starts_at + dt.timedelta(hours=1))


# --- the pages ---------------------------------------------------------------------------------


def test_operator_cancels_and_enrolee_moves_with_one_post_into_the_held_seat(prog: Any, seoul: Any) -> None:
    operator = person("operator", staff=True)
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    alternative = session(prog, where=seoul, starts_at=at(7), capacity=1, min_enrolment=1)

    staff_client = Client()
    staff_client.force_login(operator)
    response = staff_client.post(f"/programmes/staff/at-risk/{doomed.pk}/cancel/")
    assert response.status_code == 302
    hold = SeatHold.objects.get(session=alternative, user=place.user)
    assert hold.status == SeatHold.Status.HELD

    person_client = Client()
    person_client.force_login(place.user)
    token = RescueOffer.objects.get(enrolment=place).token
    page = person_client.get(f"/programmes/rescue/{token}/")
    assert page.status_code == 200 and "내 자리 맡아 둠" in page.content.decode()
    response = person_client.post(f"/programmes/rescue/{token}/", {"session": alternative.pk})

    assert response.status_code == 302 and response["Location"] == "/programmes/me/"
    moved = Enrolment.objects.get(session=alternative, user=place.user)
    assert moved.status == Confirmed
    hold.refresh_from_db()
    assert hold.status == SeatHold.Status.TAKEN


def test_the_cancel_is_logged_as_a_change_to_each_persons_data(prog: Any, seoul: Any) -> None:
    from core.models import AccessLog

    operator = person("operator", staff=True)
    doomed = session(prog, where=seoul, starts_at=at(4))
    places = enrol(doomed, 2)
    client = Client()
    client.force_login(operator)
    client.post(f"/programmes/staff/at-risk/{doomed.pk}/cancel/")
    logged = set(AccessLog.objects.filter(action="change").values_list("subject_id", flat=True))
    assert logged == {str(p.user_id) for p in places}


def test_someone_elses_offer_is_404(prog: Any, seoul: Any) -> None:
    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    rescue.cancel_with_offers(doomed.pk)
    client = Client()
    client.force_login(person())
    assert client.get(f"/programmes/rescue/{RescueOffer.objects.get().token}/").status_code == 404
    owner = Client()
    owner.force_login(place.user)
    assert owner.get("/programmes/rescue/not-a-token/").status_code == 404


def test_the_at_risk_page_is_for_staff_only(prog: Any, seoul: Any) -> None:
    session(prog, where=seoul, starts_at=at(4))
    anonymous, citizen, operator = Client(), Client(), Client()
    citizen.force_login(person())
    operator.force_login(person("operator", staff=True))
    assert anonymous.get("/programmes/staff/at-risk/").status_code == 302
    assert citizen.get("/programmes/staff/at-risk/").status_code == 403
    page = operator.get("/programmes/staff/at-risk/")
    assert page.status_code == 200 and prog.name_ko in page.content.decode()
    assert citizen.post("/programmes/staff/at-risk/1/cancel/").status_code == 403


def test_the_at_risk_page_shows_errors_and_keeps_what_was_typed(prog: Any, seoul: Any) -> None:
    risky = session(prog, where=seoul, starts_at=at(4))
    client = Client()
    client.force_login(person("operator", staff=True))
    response = client.post(f"/programmes/staff/at-risk/{risky.pk}/online/", {f"s{risky.pk}-online_url": "not a url"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "https://로 시작하는 주소를 입력해 주세요." in body and "not a url" in body


def test_merging_from_the_page_is_one_post(prog: Any, seoul: Any) -> None:
    small = session(prog, where=seoul, starts_at=at(4))
    enrol(small, 1)
    target = session(prog, where=seoul, starts_at=at(6))
    client = Client()
    client.force_login(person("operator", staff=True))
    response = client.post(f"/programmes/staff/at-risk/{small.pk}/merge/", {f"s{small.pk}-target": target.pk})
    assert response.status_code == 302
    assert Enrolment.objects.filter(session=target, status=Confirmed).count() == 1


def test_open_offers_show_on_the_enrolments_block(prog: Any, seoul: Any) -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    doomed = session(prog, where=seoul, starts_at=at(4))
    (place,) = enrol(doomed, 1)
    other = session(prog, where=seoul, starts_at=at(7))
    rescue.cancel_with_offers(doomed.pk)
    request = RequestFactory().get("/programmes/me/")
    request.user = place.user
    html = Template("{% load rescue_tags %}{% open_rescue_offers %}").render(Context({"request": request, "csrf_token": "t"}))
    assert f'name="session" value="{other.pk}"' in html


@pytest.mark.parametrize("pattern", __import__("rescue.urls", fromlist=["urlpatterns"]).urlpatterns, ids=lambda p: p.name)
def test_every_rescue_page_declares_who_may_use_it_and_never_errors(pattern: Any) -> None:
    from core.access import rule_of
    from core.tests.test_url_access import concrete

    rule = rule_of(pattern.callback)
    assert rule in {"citizen", "staff"}
    url = concrete("programmes/" + str(pattern.pattern))
    citizen, operator = Client(), Client()
    citizen.force_login(person())
    operator.force_login(person("operator", staff=True))
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert citizen.get(url).status_code == (403 if rule == "staff" else citizen.get(url).status_code)
    for client in (citizen, operator):
        assert client.get(url).status_code < 500
