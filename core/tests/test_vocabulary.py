"""The shared vocabulary (core/vocabulary.py): age bands, names, and that it is the only copy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from core import vocabulary as vocab
from diagnosis.scoring import INSTRUMENT_DIR, load_instrument

BASE = Path(settings.BASE_DIR)
VOCABULARY_FILE = BASE / "core" / "vocabulary.py"
SKIP_DIRS = {".venv", "node_modules", "migrations", "tests", "var", ".git", "frontend", "bench"}


@pytest.mark.parametrize(
    ("age", "band"),
    [(40, "40s"), (49, "40s"), (50, "50s"), (59, "50s"), (60, "60s"), (69, "60s"), (70, "60s"), (75, "60s")],
)
def test_age_band_of_each_boundary(age: int, band: str) -> None:
    assert vocab.age_band(age) == band


@pytest.mark.parametrize("age", [0, 39, 76])
def test_age_outside_the_service_has_no_band(age: int) -> None:
    with pytest.raises(ValueError, match="outside 40-75"):
        vocab.age_band(age)


def test_the_last_age_band_reads_sixty_and_over_in_both_languages() -> None:
    assert vocab.label_of(vocab.AGE_BANDS, "60s") == "60대 이상"
    with translation.override("en"):
        assert vocab.label_of(vocab.AGE_BANDS, "60s") == "60s and over"


def test_type_name_is_translated_and_korean_stays_korean() -> None:
    with translation.override("en"):
        assert vocab.type_name("job_search") == "Job-search skills need building"
        assert vocab.korean_of(vocab.CAREER_TYPES, "job_search") == "구직기술필요형"


def test_unknown_codes_are_shown_as_they_are() -> None:
    assert vocab.type_name("retired") == "retired"
    assert vocab.label_of(vocab.REGIONS, "99") == "99"


def test_there_are_seventeen_regions_with_unique_codes() -> None:
    assert len(vocab.REGIONS) == 17
    assert len(set(vocab.codes(vocab.REGIONS))) == 17


@pytest.mark.parametrize("path", sorted(INSTRUMENT_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_each_instrument_names_its_types_as_the_vocabulary_does(path: Path) -> None:
    instrument = load_instrument(path)
    with translation.override("en"):
        expected = {t.code: (t.ko, str(t.label)) for t in vocab.CAREER_TYPES}
    assert {t.code: (t.name_ko, t.name_en) for t in instrument.types} == expected


def _source_files() -> list[Path]:
    return [
        path
        for path in BASE.rglob("*.py")
        if not SKIP_DIRS.intersection(path.relative_to(BASE).parts[:-1])
        and not path.name.startswith("test_")
        and path != VOCABULARY_FILE
    ]


def _copies(terms: vocab.Terms) -> list[str]:
    """Files naming three or more of the list's Korean names: a second copy of the list."""
    names = [term.ko for term in terms]
    out = []
    for path in _source_files():
        text = path.read_text(encoding="utf-8")
        if sum(f'"{name}"' in text for name in names) >= 3:
            out.append(str(path.relative_to(BASE)))
    return out


@pytest.mark.parametrize(
    "terms",
    [vocab.REGIONS, vocab.GOALS, vocab.EMPLOYMENT_STATUSES, vocab.OCCUPATIONS, vocab.TIME_SLOTS, vocab.AGE_BANDS,
     vocab.STAGES, vocab.CAREER_TYPES],
    ids=["regions", "goals", "statuses", "occupations", "time_slots", "age_bands", "stages", "career_types"],
)
def test_no_app_keeps_its_own_copy_of_a_vocabulary_list(terms: vocab.Terms) -> None:
    assert _copies(terms) == []


def test_no_app_defines_its_own_seoul_time_zone_or_type_name_helper() -> None:
    pattern = re.compile(r'ZoneInfo\(\s*["\']Asia/Seoul|^def _?type_name\(', re.MULTILINE)
    found = [str(p.relative_to(BASE)) for p in _source_files() if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == []
