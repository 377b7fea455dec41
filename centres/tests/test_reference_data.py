from __future__ import annotations

import json
from typing import Any

import pytest

from programmes.models import Centre
from programmes.reference import DATA_FILE, centre_values

ROW: dict[str, Any] = {"slug": "x", "name_ko": "엑스센터", "region": "26", "address_ko": "부산 동구 중앙대로 244"}


def centres_in_file() -> list[dict[str, Any]]:
    return list(json.loads(DATA_FILE.read_text(encoding="utf-8"))["centres"])


def test_every_sigungu_in_the_data_is_taken_from_its_address() -> None:
    for row in centres_in_file():
        if row.get("sigungu"):
            assert row["sigungu"] in (row.get("address_ko") or ""), row["slug"]


def test_the_loader_refuses_a_sigungu_the_address_does_not_contain() -> None:
    with pytest.raises(ValueError, match="sigungu"):
        centre_values({**ROW, "sigungu": "중구"})


def test_the_loader_refuses_an_unknown_counselling_mode() -> None:
    with pytest.raises(ValueError, match="counselling mode"):
        centre_values({**ROW, "counselling_modes": ["fax"]})


def test_the_loader_reads_hours_and_modes() -> None:
    values = centre_values({**ROW, "sigungu": "동구", "hours_ko": "평일 9시~18시", "hours_en": "Weekdays 9:00-18:00", "counselling_modes": ["visit"]})
    assert (values["sigungu"], values["hours"], values["hours_en"], values["counselling_modes"]) == ("동구", "평일 9시~18시", "Weekdays 9:00-18:00", ["visit"])


@pytest.mark.django_db
def test_loaded_centres_have_their_sigungu(reference_data: None) -> None:
    assert Centre.objects.get(slug="busan").sigungu == "동구"
    assert Centre.objects.get(slug="jeju-nosa").sigungu == ""  # the sourced address names no 시군구
