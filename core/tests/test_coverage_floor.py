"""scripts/coverage-floor.py: a file may not fall below its floor, and floors only rise."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from django.conf import settings


def _script() -> ModuleType:
    path = Path(settings.BASE_DIR) / "scripts" / "coverage-floor.py"
    spec = importlib.util.spec_from_file_location("coverage_floor", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


floor = _script()


def report(tmp_path: Path, **percent: float) -> Path:
    path = tmp_path / "coverage.json"
    files = {f"{name}.py": {"summary": {"percent_covered": value, "num_statements": 10}} for name, value in percent.items()}
    path.write_text(json.dumps({"files": files}))
    return path


def run(tmp_path: Path, floors: dict[str, float], *args: str, **percent: float) -> tuple[int, dict[str, float]]:
    floors_path = tmp_path / "floors.json"
    floors_path.write_text(json.dumps(floors))
    code = floor.main([str(report(tmp_path, **percent)), "--floors", str(floors_path), *args])
    return code, json.loads(floors_path.read_text())


def test_a_file_below_its_floor_fails(tmp_path: Path) -> None:
    assert run(tmp_path, {"a.py": 90}, a=89.5)[0] == 1


def test_a_file_at_or_above_its_floor_passes(tmp_path: Path) -> None:
    assert run(tmp_path, {"a.py": 90}, a=90.0)[0] == 0


def test_a_new_file_must_meet_the_minimum(tmp_path: Path) -> None:
    assert run(tmp_path, {}, fresh=floor.NEW_FILE_MINIMUM - 1)[0] == 1
    assert run(tmp_path, {}, fresh=floor.NEW_FILE_MINIMUM)[0] == 0


def test_update_raises_floors_with_a_margin_and_never_lowers_them(tmp_path: Path) -> None:
    code, floors = run(tmp_path, {"up.py": 50, "down.py": 95}, "--update", up=80.7, down=60.0)
    assert code == 0
    assert floors == {"down.py": 95, "up.py": 79}


def test_update_adds_new_files_and_forgets_deleted_ones(tmp_path: Path) -> None:
    _, floors = run(tmp_path, {"gone.py": 70}, "--update", fresh=42.0)
    assert floors == {"fresh.py": 41}
