from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from centres.tests.helpers import book, centre, slot
from programmes import centres as centre_data
from programmes.models import Centre

pytestmark = pytest.mark.django_db


def takes(c: Centre) -> bool:
    return bool(centre_data.with_bookings(Centre.objects.filter(pk=c.pk)).get().takes_bookings)  # type: ignore[attr-defined]


def test_a_centre_without_published_slots_does_not_take_bookings() -> None:
    assert not takes(centre())


def test_a_free_future_slot_makes_a_centre_take_bookings() -> None:
    c = centre()
    slot(c)
    assert takes(c)


def test_a_booked_slot_does_not_count() -> None:
    c = centre()
    book(slot(c))
    assert not takes(c)


def test_a_withdrawn_slot_does_not_count() -> None:
    c = centre()
    slot(c, withdrawn=True)
    assert not takes(c)


def test_a_slot_past_the_booking_cut_off_does_not_count() -> None:
    c = centre()
    s = slot(c)
    s.starts_at = timezone.now() + dt.timedelta(minutes=30)
    s.ends_at = s.starts_at + dt.timedelta(hours=1)
    s.save()
    assert not takes(c)


def test_modes_shown_come_from_the_sources_first_then_from_published_slots() -> None:
    sourced = centre(counselling_modes=["video", "visit"])
    assert centre_data.offered_modes(sourced) == (["visit", "video"], True)
    published = centre()
    slot(published, modes=("phone",))
    assert centre_data.offered_modes(published) == (["phone"], False)
    assert centre_data.offered_modes(centre()) == ([], False)


def test_map_links_search_the_address_and_are_absent_without_one() -> None:
    links = centre_data.map_links(centre(address="부산 동구 중앙대로 244"))
    assert links["kakao"] == "https://map.kakao.com/?q=%EB%B6%80%EC%82%B0%20%EB%8F%99%EA%B5%AC%20%EC%A4%91%EC%95%99%EB%8C%80%EB%A1%9C%20244"
    assert links["naver"].startswith("https://map.naver.com/p/search/%EB%B6%80%EC%82%B0")
    assert centre_data.map_links(centre(address=None)) == {}
