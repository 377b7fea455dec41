"""Citizens never see research notes: centre names and addresses, programme summaries and
durations carry no source dates or "미확인"; the notes stay in staff-only fields. A venue
without a known address says to ask the centre, with its phone when known."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from programmes import reference
from programmes.models import Centre, Mode, Programme, Track
from programmes.tests.factories import CentreFactory, UserFactory, session

pytestmark = pytest.mark.django_db

# What only research notes say: unconfirmed, "at the time", article, inferred, old name,
# blog-source marker, the year an address was reported.
NOTE_MARKERS = ("미확인", "확인하지", "확인되지", "기사", "당시", "추정", "추가 지정", "(구 ", "[B]", "출처", "년 개소")


def main_text(html: str) -> str:
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"<[^>]*>", " ", main)


def markers(text: str) -> list[str]:
    return [m for m in NOTE_MARKERS if m in text]


def test_public_fields_of_the_reference_data_carry_no_research_notes() -> None:
    data = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))
    found = [
        (row["slug"], field, markers(row.get(field) or ""))
        for kind, fields in (("centres", ("name_ko", "address_ko")), ("programmes", ("name_ko", "summary_ko", "duration_ko")))
        for row in data[kind]
        for field in fields
        if markers(row.get(field) or "")
    ]
    assert found == []


def test_every_centre_has_an_english_name_and_every_known_address_an_english_one() -> None:
    data = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))
    assert [c["slug"] for c in data["centres"] if not c.get("name_en")] == []
    assert [c["slug"] for c in data["centres"] if c.get("address_ko") and not c.get("address_en")] == []
    assert [p["slug"] for p in data["programmes"] if not p.get("name_en")] == []


def test_session_and_programme_pages_show_no_research_notes(client: Client, reference_data: None) -> None:
    client.force_login(UserFactory.create())
    programme = Programme.objects.exclude(track=Track.ONLINE_COURSE).first()
    sessions = [session(programme=programme, centre=centre) for centre in Centre.objects.all()]
    pages = [reverse("programmes:session_detail", args=[s.pk]) for s in sessions]
    pages += [reverse("programmes:detail", args=[p.slug]) for p in Programme.objects.exclude(track=Track.ONLINE_COURSE)]
    pages += [reverse("programmes:list"), reverse("programmes:session_search"), reverse("programmes:my_enrolments")]
    texts = {url: main_text(client.get(url).content.decode()) for url in pages}
    assert {url: markers(text) for url, text in texts.items() if markers(text)} == {}
    notes = [centre.notes[:30] for centre in Centre.objects.exclude(notes="")]
    assert [n for n in notes for text in texts.values() if n in text] == []


def test_a_venue_without_an_address_says_to_ask_the_centre_and_gives_its_phone(client: Client) -> None:
    centre = CentreFactory.create(name="인천중장년내일센터", address=None, phone="032-000-0000")
    page = client.get(reverse("programmes:session_detail", args=[session(centre=centre).pk])).content.decode()
    assert "인천중장년내일센터" in page
    assert "주소는 센터에 문의해 주세요." in page
    assert 'href="tel:0320000000"' in page


def test_a_venue_with_an_address_shows_it(client: Client) -> None:
    centre = CentreFactory.create(address="부산 동구 중앙대로 244, 11층")
    page = client.get(reverse("programmes:session_detail", args=[session(centre=centre).pk])).content.decode()
    assert "부산 동구 중앙대로 244, 11층" in page
    assert "주소는 센터에 문의해 주세요." not in page


def test_an_online_session_shows_no_address(client: Client) -> None:
    page = client.get(reverse("programmes:session_detail", args=[session(mode=Mode.ONLINE_LIVE).pk])).content.decode()
    assert "주소는 센터에 문의해 주세요." not in page


def test_a_programme_without_sessions_offers_the_interest_form(client: Client) -> None:
    programme = Programme.objects.create(slug="lonely", name_ko="구직자 과정 1", audience="jobseeker", track=Track.JOBSEEKER_MODULES)
    page = client.get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert 'href="/programmes/interest/?programme=lonely"' in page


def test_every_programme_with_a_korean_duration_has_an_english_one() -> None:
    data = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))
    assert [p["slug"] for p in data["programmes"] if p.get("duration_ko") and not p.get("duration_en")] == []


def test_the_english_programme_page_shows_the_english_duration(client: Client, reference_data: None) -> None:
    with translation.override("ko"):  # the request activates English; leave the thread as it was
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        page = main_text(client.get(reverse("programmes:detail", args=["sector-course-journalists-50plus"])).content.decode())
    assert "2 days" in page
    assert "2일" not in page
