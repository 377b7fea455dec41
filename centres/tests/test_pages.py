from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from centres.tests.helpers import NOTE, centre, slot
from diagnosis import services
from diagnosis.tests.helpers import VALID_PROFILE, all_answers
from programmes.tests.factories import session

pytestmark = pytest.mark.django_db

LIST = reverse("centres:list")


def page(client: Client, url: str, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return str(response.content.decode())


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_list_without_a_filter_shows_every_centre() -> None:
    a, b = centre(name="서울센터가", region="11"), centre(name="부산센터나", region="26")
    html = page(Client(), LIST)
    assert a.name in html and b.name in html


def test_the_region_filter_keeps_only_that_region(client: Client) -> None:
    centre(name="서울센터가", region="11")
    centre(name="부산센터나", region="26")
    html = page(client, LIST, region="26")
    assert "부산센터나" in html and "서울센터가" not in html


def test_sigungu_options_are_those_of_the_chosen_region(client: Client) -> None:
    centre(region="11", sigungu="중구", address="서울 중구")
    centre(region="26", sigungu="동구", address="부산 동구")
    html = page(client, LIST, region="11")
    assert '<option value="중구"' in html and '<option value="동구"' not in html
    assert 'name="sigungu"' not in page(client, LIST)  # no region yet: nothing to choose from


def test_the_sigungu_filter_shows_its_centres_then_the_rest_of_the_region(client: Client) -> None:
    centre(name="중구센터", region="11", sigungu="중구", address="서울 중구")
    centre(name="주소모름센터", region="11", sigungu="", address=None)
    html = main_of(page(client, LIST, region="11", sigungu="중구"))
    assert html.index("중구센터") < html.index("의 다른 센터") < html.index("주소모름센터")


def test_a_sigungu_of_another_region_is_reported_and_ignored(client: Client) -> None:
    centre(name="서울센터가", region="11", sigungu="중구", address="서울 중구")
    centre(name="부산센터나", region="26", sigungu="동구", address="부산 동구")
    html = page(client, LIST, region="26", sigungu="중구")
    assert "부산센터나" in html
    assert "오류:" in html


def test_a_region_without_centres_offers_neighbours_and_remote_counselling(client: Client) -> None:
    daejeon = centre(name="대전센터", region="30")
    far = centre(name="제주전화센터", region="50")
    slot(far, modes=("phone",))
    centre(name="부산센터나", region="26")
    html = main_of(page(client, LIST, region="36"))  # 세종: no centre
    assert "아직 확인된 센터가 없습니다" in html
    assert 'id="alternatives"' in html
    assert daejeon.name in html  # 대전 borders 세종
    assert "제주전화센터" in html and "전화" in html
    assert "부산센터나" not in html
    assert "https://www.nosa.or.kr" in html


def test_the_detail_page_shows_address_phone_and_map_links(client: Client) -> None:
    c = centre(name="부산중장년내일센터", region="26", sigungu="동구", address="부산 동구 중앙대로 244", phone="051-860-1300", source=["https://example.org/a"])
    html = main_of(page(client, reverse("centres:detail", args=[c.slug])))
    assert 'href="tel:0518601300"' in html
    assert "https://map.kakao.com/?q=" in html and "https://map.naver.com/p/search/" in html
    assert 'target="_blank" rel="noopener noreferrer"' in html and "(새 창)" in html
    assert "https://example.org/a" in html and "출처" in html


def test_unknown_phone_and_hours_say_so_with_a_way_forward(client: Client) -> None:
    c = centre(phone="", hours="", address=None)
    html = main_of(page(client, reverse("centres:detail", args=[c.slug])))
    assert "전화번호가 확인되지 않았습니다" in html
    assert "운영 시간이 확인되지 않았습니다" in html
    assert "https://www.nosa.or.kr" in html
    assert "map.kakao.com" not in html


def test_research_notes_never_reach_the_public_pages(client: Client) -> None:
    c = centre(region="11")
    assert NOTE not in page(client, LIST)
    assert NOTE not in page(client, LIST, region="11")
    assert NOTE not in page(client, reverse("centres:detail", args=[c.slug]))


def test_an_unknown_centre_is_404(client: Client) -> None:
    assert client.get(reverse("centres:detail", args=["no-such-centre"])).status_code == 404


def test_sessions_at_the_centre_are_listed(client: Client) -> None:
    here, there = centre(), centre()
    mine = session(centre=here)
    other = session(centre=there)
    html = page(client, reverse("centres:detail", args=[here.slug]))
    assert reverse("programmes:session_detail", args=[mine.pk]) in html
    assert reverse("programmes:session_detail", args=[other.pk]) not in html


def test_no_booking_button_without_published_slots(client: Client, settings: Any) -> None:
    c = centre()
    html = page(client, reverse("centres:detail", args=[c.slug]))
    assert "/counselling/book/" not in html
    assert "상담 예약을 받지 않습니다" in html


def test_the_booking_button_links_to_the_booking_start_with_the_centre(client: Client, settings: Any) -> None:
    c = centre(slug="busan")
    slot(c)
    html = page(client, reverse("centres:detail", args=[c.slug]))
    assert 'href="/counselling/book/?centre=busan&amp;from=centre"' in html
    assert "상담 예약" in html


def test_english_pages_use_the_english_name_and_address(client: Client) -> None:
    c = centre(name="부산센터나", name_en="Busan Mid-life Career Centre", address="부산 동구", address_en="Dong-gu, Busan")
    with translation.override("ko"):
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        detail = main_of(page(client, reverse("centres:detail", args=[c.slug])))
        listing = main_of(page(client, LIST))
    assert "Busan Mid-life Career Centre" in detail and "Dong-gu, Busan" in detail
    assert "Busan Mid-life Career Centre" in listing


def test_the_navigation_and_the_home_page_link_to_the_list(client: Client) -> None:
    html = page(client, "/")
    assert html.count(f'href="{LIST}"') >= 3  # menu, home page, footer


def test_the_result_page_links_its_counselling_sentence_to_the_list(client: Client, reference_data: None) -> None:
    instrument = services.current_instrument()
    result = services.create_result(instrument, VALID_PROFILE, all_answers(instrument, 4))
    html = page(client, reverse("diagnosis:result", args=[result.public_id]))
    sentence = html.split("중장년내일센터 상담에서 더 자세히", 1)[1].split("</p>", 1)[0]
    assert f'href="{LIST}"' in sentence
