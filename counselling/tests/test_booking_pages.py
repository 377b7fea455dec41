"""The booking pages: choices without an account, log-in keeps them, refusals in Korean
with the next free slots, the person's own bookings."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from counselling import services
from counselling.models import Booking, BookingStatus, Mode, Topic
from counselling.tests.factories import UserFactory, seoul_at, slot, slots
from journeys.tests.factories import ResultFactory

pytestmark = pytest.mark.django_db

BOOK = "/counselling/book/"


def choices(s, **extra):
    return {"centre": s.centre.slug, "mode": "phone", "topic": "unsure", "slot": str(s.pk), "share": ["latest_diagnosis"], "note": "저녁이 편해요", **extra}


def test_the_booking_page_is_public_and_lists_centres_that_take_bookings(client: Client) -> None:
    s = slot()
    page = client.get(BOOK).content.decode()
    assert s.centre.name in page
    assert "/centres/" in page


def test_each_step_is_named_by_its_heading_not_by_its_own_content(client: Client) -> None:
    # A section labelled by its own id gets all its text (every slot and label) as its name:
    # a screen reader reads the whole step, and "get by label" finds the section.
    import re

    s = slot()
    page = client.get(BOOK, {"centre": s.centre.slug, "mode": "phone"}).content.decode()
    for section in re.finditer(r"<section ([^>]*)>", page):
        attrs = dict(re.findall(r'([a-z-]+)="([^"]*)"', section.group(1)))
        label = attrs["aria-labelledby"]
        assert label != attrs.get("id"), section.group(0)
        assert re.search(rf'<h2[^>]* id="{label}"', page), label


def test_slots_that_fit_the_persons_hours_come_first_and_are_labelled(client: Client) -> None:
    person = UserFactory.create()
    ResultFactory.create(owner=person, availability=["weekend_morning"], goal="startup")
    weekday = slot(starts_at=seoul_at(_days_to(2), 10))  # a Wednesday
    weekend = slot(centre=weekday.centre, starts_at=seoul_at(_days_to(5), 10))  # a Saturday
    client.force_login(person)
    response = client.get(BOOK, {"centre": weekday.centre.slug, "mode": "phone"})
    page = response.content.decode()
    assert page.index(f'value="{weekend.pk}"') < page.index(f'value="{weekday.pk}"')
    assert "말씀하신 시간에 맞아요" in page
    assert 'value="startup" id="topic-startup" checked' in page, "the topic comes from the latest diagnosis goal"


def _days_to(weekday: int) -> int:
    from django.utils import timezone

    today = timezone.localdate()
    for offset in range(2, 9):
        if (today.weekday() + offset) % 7 == weekday:
            return offset
    raise AssertionError


def test_an_anonymous_confirm_goes_to_log_in_and_comes_back_with_every_choice(client: Client) -> None:
    s = slot()
    response = client.post(BOOK, {**choices(s), "action": "confirm"})
    assert response.status_code == 302
    login = urlsplit(response["Location"])
    assert login.path == "/accounts/login/"
    next_url = parse_qs(login.query)["next"][0]
    assert "상담 예약을 마치려면" in client.get(response["Location"]).content.decode()
    assert not Booking.objects.exists()
    client.force_login(UserFactory.create())
    page = client.get(next_url).content.decode()
    assert f'value="{s.pk}" id="slot-{s.pk}" checked' in page
    assert 'id="share-latest_diagnosis" aria-describedby="share-latest_diagnosis-help" checked' in page
    assert "저녁이 편해요" in page


def test_a_logged_in_confirm_books_and_shows_the_booking(client: Client) -> None:
    person = UserFactory.create()
    client.force_login(person)
    s = slot()
    response = client.post(BOOK, {**choices(s), "action": "confirm"})
    booking = Booking.objects.get(citizen=person)
    assert response["Location"] == reverse("counselling:booking", args=[booking.pk])
    assert booking.mode == Mode.PHONE and booking.note == "저녁이 편해요"
    page = client.get(response["Location"]).content.decode()
    assert "최근 자가진단 결과" in page and "담당 상담사" in page


def test_missing_choices_are_said_in_korean_and_what_was_typed_is_kept(client: Client) -> None:
    client.force_login(UserFactory.create())
    s = slot()
    response = client.post(BOOK, {**choices(s), "slot": "", "topic": "", "action": "confirm"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "상담 시간을 골라 주세요." in page and "상담 주제를 골라 주세요." in page
    assert "저녁이 편해요" in page


def test_missing_choices_are_summed_up_at_the_top_with_links_to_answer_them(client: Client) -> None:
    client.force_login(UserFactory.create())
    s = slot()
    page = client.post(BOOK, {**choices(s), "slot": "", "topic": "", "action": "confirm"}).content.decode()
    summary = page.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    assert page.index('id="error-summary"') < page.index('id="step-centre"')
    assert f'<a href="#topic-{Topic.values[0]}">상담 주제를 골라 주세요.</a>' in summary
    assert f'<a href="#slot-{s.pk}">상담 시간을 골라 주세요.</a>' in summary
    assert f'id="slot-{s.pk}"' in page and f'id="topic-{Topic.values[0]}"' in page


def test_undecided_and_unsure_topics_do_not_read_as_the_same_choice(client: Client) -> None:
    labels = dict(client.get(BOOK).context["topics"])
    assert labels[Topic.UNDECIDED] != "결정하지 못함"
    assert len(set(labels.values())) == len(labels)
    assert "결정하지 못함" in str(labels[Topic.UNDECIDED]) and "잘 모르겠어요" in str(labels[Topic.UNSURE])


def test_a_taken_slot_shows_the_message_and_the_next_free_slots_to_pick_with_one_tap(client: Client) -> None:
    first, second = slots(2)
    services.book(UserFactory.create(), first.pk, mode=Mode.PHONE, topic=Topic.UNSURE)
    person = UserFactory.create()
    client.force_login(person)
    response = client.post(BOOK, {**choices(first), "action": "confirm"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "다른 분이" in page
    assert f'name="retry_slot" value="{second.pk}"' in page
    client.post(BOOK, {**choices(first), "slot": "", "retry_slot": str(second.pk)})
    assert Booking.objects.get(citizen=person).slot_id == second.pk


def test_my_bookings_lists_mine_with_change_buttons_and_others_are_404(client: Client) -> None:
    person = UserFactory.create()
    a, b = slots(2)
    mine = services.book(person, a.pk, mode=Mode.VISIT, topic=Topic.RURAL)
    theirs = services.book(UserFactory.create(), b.pk, mode=Mode.VISIT, topic=Topic.RURAL)
    client.force_login(person)
    page = client.get(reverse("counselling:my_bookings")).content.decode()
    assert reverse("counselling:cancel_booking", args=[mine.pk]) in page
    assert reverse("counselling:move_booking", args=[mine.pk]) in page
    for name in ("booking", "cancel_booking", "move_booking", "booking_ics"):
        assert client.get(reverse(f"counselling:{name}", args=[theirs.pk])).status_code == 404


def test_cancel_and_move_through_the_pages(client: Client) -> None:
    person = UserFactory.create()
    a, b = slots(2)
    booking = services.book(person, a.pk, mode=Mode.PHONE, topic=Topic.UNSURE)
    client.force_login(person)
    response = client.post(reverse("counselling:move_booking", args=[booking.pk]), {"slot": str(b.pk)})
    moved = Booking.objects.get(citizen=person, status=BookingStatus.CONFIRMED)
    assert moved.slot_id == b.pk and response["Location"] == reverse("counselling:booking", args=[moved.pk])
    client.post(reverse("counselling:cancel_booking", args=[moved.pk]))
    assert not Booking.objects.filter(citizen=person, status=BookingStatus.CONFIRMED).exists()


def test_the_calendar_file_downloads(client: Client) -> None:
    person = UserFactory.create()
    booking = services.book(person, slot().pk, mode=Mode.PHONE, topic=Topic.UNSURE)
    client.force_login(person)
    response = client.get(reverse("counselling:booking_ics", args=[booking.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_my_bookings_needs_an_account(client: Client, django_user_model: type[User]) -> None:
    assert client.get(reverse("counselling:my_bookings"))["Location"].startswith("/accounts/login/")


def test_the_me_page_puts_the_next_booking_first_in_next_things(client: Client) -> None:
    from accounts import reference
    from accounts.tests.factories import citizen

    reference.load(lambda _line: None)
    person = citizen()
    booking = services.book(person, slot().pk, mode=Mode.PHONE, topic=Topic.UNSURE)
    client.force_login(person)
    page = client.get("/me/").content.decode()
    assert reverse("counselling:booking", args=[booking.pk]) in page
    assert reverse("counselling:my_bookings") in page


def test_the_result_page_links_to_booking(client: Client) -> None:
    from accounts import reference
    from accounts.tests.factories import citizen
    from diagnosis import reference as diagnosis_reference

    reference.load(lambda _line: None)
    diagnosis_reference.load(lambda _line: None)
    person = citizen()
    result = ResultFactory.create(owner=person)
    client.force_login(person)
    page = client.get(reverse("diagnosis:result", args=[result.public_id])).content.decode()
    assert f"{reverse('counselling:book')}?from=result" in page


def test_moving_to_a_slot_just_taken_offers_the_next_free_ones(client: Client) -> None:
    person = UserFactory.create()
    a, b, c = slots(3)
    mine = services.book(person, a.pk, mode=Mode.PHONE, topic=Topic.UNSURE)
    services.book(UserFactory.create(), b.pk, mode=Mode.PHONE, topic=Topic.UNSURE)
    client.force_login(person)
    url = reverse("counselling:move_booking", args=[mine.pk])
    response = client.post(url, {"slot": str(b.pk)})
    assert response.status_code == 409
    assert f'name="slot" value="{c.pk}"' in response.content.decode()
    assert client.post(url, {"slot": "x"}).status_code == 400
    assert client.get(url).status_code == 200


def test_after_the_cut_off_the_pages_send_the_person_to_the_phone(client: Client) -> None:
    import datetime as dt

    from django.utils import timezone

    person = UserFactory.create()
    booking = services.book(person, slot().pk, mode=Mode.PHONE, topic=Topic.UNSURE)
    Booking.objects.filter(pk=booking.pk).update(slot=slot(starts_at=timezone.now() + dt.timedelta(minutes=60)))
    client.force_login(person)
    assert "센터에 전화해" in client.get(reverse("counselling:cancel_booking", args=[booking.pk])).content.decode()
    response = client.post(reverse("counselling:cancel_booking", args=[booking.pk]), follow=True)
    assert "온라인으로 바꿀 수 없습니다" in response.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == BookingStatus.CONFIRMED


def test_an_unknown_centre_and_a_too_long_note_are_said_and_kept(client: Client) -> None:
    response = client.post(BOOK, {"centre": "nowhere", "note": "가" * 1001, "action": "confirm"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "이 센터를 찾을 수 없습니다" in page and "1000자까지" in page


def test_a_logged_in_confirm_naming_an_unknown_or_another_centre_books_nothing(client: Client) -> None:
    """The page leaves the centre check to the action (on the slot it locks): a centre that
    does not exist is said as before, a slot of another centre is "not found"."""
    client.force_login(UserFactory.create())
    s, other = slot(), slot()
    response = client.post(BOOK, {**choices(s), "centre": "nowhere", "action": "confirm"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "이 센터를 찾을 수 없습니다" in page and "이 상담 시간을 찾을 수 없습니다" not in page
    response = client.post(BOOK, {**choices(s), "centre": other.centre.slug, "action": "confirm"})
    assert response.status_code == 400
    assert "이 상담 시간을 찾을 수 없습니다" in response.content.decode()
    assert not Booking.objects.exists()


def test_show_times_keeps_the_choices_in_the_address(client: Client) -> None:
    s = slot()
    response = client.post(BOOK, {"centre": s.centre.slug, "mode": "visit", "topic": "rural", "action": "show"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f'value="{s.pk}"' in page and 'id="topic-rural" checked' in page


def test_show_times_without_a_centre_says_to_choose_one_and_keeps_the_rest(client: Client) -> None:
    slot()
    response = client.post(BOOK, {"topic": "rural", "note": "저녁이 좋아요", "action": "show"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "상담받을 센터를 먼저 골라 주세요" in page and 'href="#id_centre"' in page
    assert 'id="topic-rural" checked' in page and "저녁이 좋아요" in page
