"""Per-file coverage floor that only rises (docs/decisions/0009-test-gates.md).

    python scripts/coverage-floor.py var/coverage.json            check (make test-sqlite)
    python scripts/coverage-floor.py var/coverage.json --update   raise floors, add new files

coverage-floor.json maps each measured file to the lowest line coverage (percent) it may
fall to. A check fails when a file drops below its floor, or when a file that is not
listed yet is below NEW_FILE_MINIMUM. --update sets every floor to the current value
rounded down by MARGIN (so a run that takes a slightly different path through random
or property-based tests does not fail), never lowers a floor, adds new files and drops
files that no longer exist. To lower a floor on purpose, edit the JSON by hand and say
why in the commit.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

FLOOR_FILE = Path(__file__).resolve().parent.parent / "coverage-floor.json"
NEW_FILE_MINIMUM = 80.0
MARGIN = 1.0


def measured(report: Path) -> dict[str, float]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return {
        Path(name).as_posix(): float(info["summary"]["percent_covered"])
        for name, info in data["files"].items()
        if info["summary"]["num_statements"]
    }


def floor_for(percent: float) -> float:
    return float(max(0, math.floor(percent - MARGIN)))


def check(current: dict[str, float], floors: dict[str, float]) -> list[str]:
    problems = []
    for name, percent in sorted(current.items()):
        floor = floors.get(name)
        if floor is None:
            if percent < NEW_FILE_MINIMUM:
                problems.append(f"{name}: {percent:.1f}% — a new file needs {NEW_FILE_MINIMUM:.0f}% (or a floor in {FLOOR_FILE.name})")
        elif percent < floor:
            problems.append(f"{name}: {percent:.1f}% is below its floor of {floor:.0f}%")
    return problems


def update(current: dict[str, float], floors: dict[str, float]) -> dict[str, float]:
    raised = {name: max(floors.get(name, 0.0), floor_for(percent)) for name, percent in current.items()}
    return dict(sorted(raised.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path, help="coverage JSON (pytest --cov-report=json:PATH)")
    parser.add_argument("--update", action="store_true", help="raise floors to the current coverage; add new files")
    parser.add_argument("--floors", type=Path, default=FLOOR_FILE, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    current = measured(args.report)
    floors = json.loads(args.floors.read_text(encoding="utf-8")) if args.floors.exists() else {}
    if args.update:
        new = update(current, floors)
        args.floors.write_text(json.dumps(new, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{args.floors.name}: {len(new)} files, {sum(new.get(k, 0) > floors.get(k, 0) for k in new)} floors raised or added")
        return 0
    problems = check(current, floors)
    for line in problems:
        print(line, file=sys.stderr)
    if problems:
        print(f"coverage floor: {len(problems)} file(s) fell short; see docs/operations.md (Coverage floor)", file=sys.stderr)
        return 1
    print(f"coverage floor: {len(current)} files at or above their floors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
