"""Loading the illustrative case stories from cases.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeys import reference
from journeys.models import CaseStory


def lines() -> list[str]:
    out: list[str] = []
    reference.load(out.append)
    return out


@pytest.mark.django_db
def test_loads_at_least_24_cases_with_both_outcomes() -> None:
    lines()
    assert CaseStory.objects.count() >= 24
    assert set(CaseStory.objects.values_list("outcome", flat=True)) == {"success", "failure"}


@pytest.mark.django_db
def test_every_goal_and_age_band_has_cases() -> None:
    lines()
    assert set(CaseStory.objects.values_list("goal", flat=True)) == {"reemployment", "startup", "rural", "social", "undecided"}
    assert set(CaseStory.objects.values_list("age_band", flat=True)) == {"40s", "50s", "60s"}


@pytest.mark.django_db
def test_a_second_load_changes_nothing() -> None:
    lines()
    before = list(CaseStory.objects.order_by("slug").values())
    second = lines()
    assert "0 created, 0 updated" in second[-1]
    assert list(CaseStory.objects.order_by("slug").values()) == before


@pytest.mark.django_db
def test_a_changed_record_is_updated_by_slug(tmp_path: Path) -> None:
    data = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))
    lines()
    data["cases"][0]["lesson_ko"] = "바뀐 배울 점"
    changed = tmp_path / "cases.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out: list[str] = []
    reference.load(out.append, path=changed)
    assert "0 created, 1 updated" in out[-1]
    assert CaseStory.objects.get(slug=data["cases"][0]["slug"]).lesson_ko == "바뀐 배울 점"


@pytest.mark.django_db
def test_duplicate_slugs_are_refused(tmp_path: Path) -> None:
    data = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))
    data["cases"].append(data["cases"][0])
    bad = tmp_path / "cases.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        reference.load(lambda _line: None, path=bad)


def test_the_file_marks_every_case_as_illustrative() -> None:
    data = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))
    assert data["illustrative"] is True
    assert data["note_ko"] == "실제 인물이 아닌 이해를 돕기 위한 가상 사례입니다."
