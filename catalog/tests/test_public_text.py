"""Issue 9: what citizens see of the catalogue. Research notes stay on staff screens, every
service offers a way to apply, and the repository data covers the personas' services."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from catalog import reference
from catalog.models import Service
from catalog.tests.factories import ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db

# Words and names that only belong in research notes: the note's own heading, "assumed",
# field and file names, the blog-source marker.
NOTE_MARKERS = (
    "자료 조사", "가정했", "가정", "TODO", "research_note", "statuses", "delivery", "audiences", "regions",
    "[B]", ".md", ".json", "korea-domain", "fixtures_data", "seed report", "INFERENCE",
)


def records() -> list[dict[str, Any]]:
    return list(json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))["services"])


def load_repository_data() -> None:
    reference.load(lambda _line: None)


def main_text(html: str) -> str:
    """The text a person reads in the page body (no header, footer or markup such as form field names)."""
    main = html.split("<main", 1)[-1].split("</main>", 1)[0]
    return re.sub(r"<[^>]*>", " ", main)


def test_every_public_service_page_is_free_of_research_notes(client: Client) -> None:
    load_repository_data()
    services = list(Service.objects.filter(is_active=True))
    assert len(services) == len(records())
    for service in services:
        page = main_text(client.get(reverse("catalog:detail", args=[service.slug])).content.decode())
        found = [m for m in NOTE_MARKERS if m in page]
        assert not found, f"{service.slug}: {found}"
        if service.research_note:
            assert service.research_note[:40] not in page, service.slug


def test_list_pages_are_free_of_research_notes(client: Client) -> None:
    load_repository_data()
    for number in (1, 2, 3):
        page = main_text(client.get(reverse("catalog:list"), {"page": number}).content.decode())
        found = [m for m in NOTE_MARKERS if m in page]
        assert not found, f"page {number}: {found}"


def test_a_research_note_is_not_on_the_page_or_in_the_api(client: Client) -> None:
    ServiceFactory.create(slug="noted", research_note="출처 없음: 온라인 제공은 가정했습니다")
    page = client.get(reverse("catalog:detail", args=["noted"])).content.decode()
    assert "출처 없음" not in page
    item = client.get("/api/v1/services/noted").json()
    assert "research_note" not in item and "notes" not in item
    assert "출처 없음" not in json.dumps(item, ensure_ascii=False)


def test_the_staff_form_shows_the_research_note(client: Client) -> None:
    ServiceFactory.create(slug="noted", research_note="기사 날짜 미표시")
    client.force_login(StaffFactory.create())
    page = client.get(reverse("catalog:staff-edit", args=["noted"])).content.decode()
    assert "기사 날짜 미표시" in page


def test_every_repository_service_has_an_official_site_or_a_way_to_apply() -> None:
    missing = [r["slug"] for r in records() if not (r.get("url") or r.get("how_to_apply_ko"))]
    assert missing == []


def test_public_fields_of_repository_data_carry_no_research_markers() -> None:
    public = ("name_ko", "operator_ko", "summary_ko", "how_to_apply_ko", "cost_ko", "duration_ko")
    found = [(r["slug"], f, m) for r in records() for f in public for m in NOTE_MARKERS if m in (r.get(f) or "")]
    assert found == []


def test_repository_counts_by_kind_and_report_group() -> None:
    kinds = Counter(r["kind"] for r in records())
    assert kinds == {"own": 15, "ministry": 14, "agency": 23, "private": 2}
    # The report's split: internal (고용노동부 내) = own + ministry; external (타 기관) = agency + private.
    assert kinds["own"] + kinds["ministry"] == 29
    assert kinds["agency"] + kinds["private"] == 25


def test_personas_services_are_in_the_catalogue_with_their_eligibility() -> None:
    by_slug = {r["slug"]: r for r in records()}
    saeil = by_slug["saeil-women-reemployment-centre"]
    assert saeil["audiences"] == ["career_break_women"] and "career_break" in saeil["statuses"]
    assert by_slug["career-planning-1on1"]["firm_size_max"] == 999
    assert by_slug["reemployment-support-mandatory"]["firm_size_min"] == 1000
    assert by_slug["senior-talent-bank"]["age_min"] == 50
    assert by_slug["senior-jobs-social-activity"]["age_min"] == 60
    assert (by_slug["seoul-50plus-foundation"]["age_min"], by_slug["seoul-50plus-foundation"]["age_max"]) == (50, 64)
    for slug in ("naeil-baeum-card", "returnfarm-centre", "volunteer-1365", "shinjungnyeon-social-contribution",
                 "jangnyeon-tech-startup-centre", "pre-startup-package", "gyeonggi-return-farm-centre"):
        assert slug in by_slug
    outside_seoul = {region for r in records() if r["kind"] == "agency" for region in r["regions"]} - {"11"}
    assert {"26", "28", "36", "41", "44"} <= outside_seoul


def test_online_delivery_that_no_source_supports_is_not_claimed() -> None:
    by_slug = {r["slug"]: r for r in records()}
    assert by_slug["own-aftercare"]["delivery"] == "offline"
    assert by_slug["own-alumni-community"]["delivery"] == "offline"
