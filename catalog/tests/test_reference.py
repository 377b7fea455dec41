"""The loader: idempotent, history-friendly, and it keeps operators' edits."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog import reference, services
from catalog.models import Service
from catalog.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def record(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "slug": "polytech-new-middle-age",
        "name_ko": "폴리텍 신중년 특화과정",
        "name_en": "Polytech courses for new middle age",
        "operator_ko": "한국폴리텍대학",
        "kind": "ministry",
        "stages": ["act"],
        "goals": ["reemployment"],
        "age_min": 40,
        "age_max": None,
        "statuses": ["jobseeker"],
        "regions": [],
        "delivery": "offline",
        "time_slots": None,
        "cost_ko": None,
        "duration_ko": "3~6개월",
        "duration_weeks": None,
        "summary_ko": "만 40세 이상을 위한 기술 훈련 과정.",
        "summary_en": None,
        "how_to_apply_ko": None,
        "url": "https://www.kopo.ac.kr",
        "source": ["https://example.test/news/1", "seed report"],
        "checked_on": "2026-11-25",
        "research_note": None,
    }
    base.update(overrides)
    return base


def write_file(path: Path, *records: dict[str, Any], version: str = "t1") -> Path:
    path.write_text(json.dumps({"version": version, "services": list(records)}, ensure_ascii=False), encoding="utf-8")
    return path


def run(path: Path) -> list[str]:
    lines: list[str] = []
    reference.load(lines.append, path=path)
    return lines


def test_first_load_creates_services_with_nulls_as_empty_text(tmp_path: Path) -> None:
    run(write_file(tmp_path / "s.json", record()))
    service = Service.objects.get(slug="polytech-new-middle-age")
    assert service.cost_ko == "" and service.summary_en == "" and service.research_note == ""
    assert service.time_slots == []
    assert service.sources == ["https://example.test/news/1", "seed report"]
    assert str(service.checked_on) == "2026-11-25"
    assert "폴리텍" in service.search_text
    assert service.goal_codes == ",reemployment,"


def test_second_run_changes_nothing_and_adds_no_history(tmp_path: Path) -> None:
    path = write_file(tmp_path / "s.json", record(), record(slug="other", name_ko="다른 서비스"))
    run(path)
    counts = (Service.objects.count(), Service.history.count())
    lines = run(path)
    assert (Service.objects.count(), Service.history.count()) == counts
    assert "0 created, 0 updated, 2 unchanged" in lines[-1]


def test_repository_data_loads_twice_without_new_history() -> None:
    if not reference.DATA_FILE.exists():
        pytest.skip("services.json not written yet")
    run(reference.DATA_FILE)
    counts = (Service.objects.count(), Service.history.count())
    assert counts[0] > 0
    run(reference.DATA_FILE)
    assert (Service.objects.count(), Service.history.count()) == counts


def test_a_changed_record_updates_the_service_once(tmp_path: Path) -> None:
    run(write_file(tmp_path / "s.json", record()))
    run(write_file(tmp_path / "s.json", record(cost_ko="무료"), version="t2"))
    service = Service.objects.get()
    assert service.cost_ko == "무료"
    latest = service.history.first()
    assert latest.history_type == "~"
    assert "t2" in latest.history_change_reason
    assert service.history.count() == 2


def test_an_operator_edit_survives_a_reload_of_the_unchanged_file(tmp_path: Path) -> None:
    path = write_file(tmp_path / "s.json", record())
    run(path)
    service = Service.objects.get()
    services.update_service(service, {"cost_ko": "무료 (훈련수당 지급)"}, by=StaffFactory.create())
    run(path)
    service.refresh_from_db()
    assert service.cost_ko == "무료 (훈련수당 지급)"


def test_invalid_record_names_the_service(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bad-one"):
        run(write_file(tmp_path / "s.json", record(slug="bad-one", goals=["flying"])))
    assert not Service.objects.exists()


def test_duplicate_slugs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="duplicate"):
        run(write_file(tmp_path / "s.json", record(), record()))


def test_missing_file_is_reported_not_fatal(tmp_path: Path) -> None:
    assert "not found" in run(tmp_path / "nope.json")[0]


def test_a_file_written_with_the_old_notes_key_fills_the_research_note(tmp_path: Path) -> None:
    legacy = record(notes="기사 날짜 미표시")
    del legacy["research_note"]
    run(write_file(tmp_path / "s.json", legacy))
    assert Service.objects.get().research_note == "기사 날짜 미표시"


def test_a_catalogue_release_is_recorded_when_the_loaded_file_changes_and_only_then(tmp_path: Path) -> None:
    from catalog.models import CatalogueRelease

    path = write_file(tmp_path / "s.json", record())
    run(path)
    run(path)  # the same file again (a redeploy): no new release
    write_file(path, record(cost_ko="무료"), version="t2")
    assert "catalogue release t2 recorded" in " ".join(run(path))
    releases = list(CatalogueRelease.objects.values_list("label", "version", "services"))
    assert releases == [("t1", "t1", 1), ("t2", "t2", 1)]
    first, second = CatalogueRelease.objects.all()
    assert first.content_hash != second.content_hash and first.loaded_at <= second.loaded_at


def test_a_reused_version_label_for_new_content_is_made_unique(tmp_path: Path) -> None:
    from catalog.models import CatalogueRelease

    run(write_file(tmp_path / "s.json", record()))
    run(write_file(tmp_path / "s.json", record(cost_ko="무료")))  # researchers forgot to bump "version"
    first, second = CatalogueRelease.objects.all()
    assert first.label == "t1" and second.label == f"t1+{second.content_hash[:7]}"


def test_an_operator_edit_makes_no_catalogue_release(tmp_path: Path) -> None:
    from catalog.models import CatalogueRelease

    run(write_file(tmp_path / "s.json", record()))
    services.update_service(Service.objects.get(), {"cost_ko": "무료"}, by=StaffFactory.create())
    assert CatalogueRelease.objects.count() == 1
