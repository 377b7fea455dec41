"""Every character the service's own text can show: what the core font chunk must hold.

Standard library only: `frontend/build.py` (run outside Django) and the test
`core/tests/test_font_core.py` share it, so the build and the guard read the same files.

Sources, all under the repository root:

- templates (`*/templates/**/*.html` and `.txt`);
- translations (`locale/*/LC_MESSAGES/*.po`, msgid and msgstr): every Korean and English
  string of the Python code and the templates, form errors included;
- reference data (`*/fixtures_data/*.json`, `diagnosis/instrument_data/*.json`): services,
  programmes, journeys, the diagnosis questions;
- the apps' Python code outside tests and migrations (choices, demo schedule …) and their
  JavaScript.

Text people type (names, free text) is not in there; the core chunk also holds the 2,350
Hangul syllables of KS X 1001, the ones that cover everyday Korean, for that.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SKIP_PARTS = {".venv", "node_modules", "var", ".git", "frontend", "bench", "docs", "tests", "migrations", "staticfiles"}
PATTERNS = (
    "*/templates/**/*.html",
    "*/templates/**/*.txt",
    "locale/*/LC_MESSAGES/*.po",
    "*/fixtures_data/*.json",
    "diagnosis/instrument_data/*.json",
    "*/**/*.py",
    "*/static/**/*.js",
)


def source_files(root: Path = REPO) -> Iterator[Path]:
    seen: set[Path] = set()
    for pattern in PATTERNS:
        for path in sorted(root.glob(pattern)):
            rel = path.relative_to(root)
            if path in seen or not path.is_file() or SKIP_PARTS & set(rel.parts[:-1]):
                continue
            seen.add(path)
            yield path


def site_chars(root: Path = REPO) -> set[str]:
    """The characters of every source file (JSON escapes such as \\uXXXX decoded)."""
    chars: set[str] = set()
    for path in source_files(root):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            import json

            text += "\n" + json.dumps(json.loads(text), ensure_ascii=False)
        chars.update(text)
    return chars


def ks_x_1001_hangul() -> set[str]:
    """The 2,350 precomposed Hangul syllables of KS X 1001 (what EUC-KR can encode)."""
    out = set()
    for cp in range(0xAC00, 0xD7A4):
        # Python's euc_kr also writes the other syllables as 8-byte jamo sequences
        # (KS X 1001 annex 3); the 2,350 are the ones with a 2-byte code.
        if len(chr(cp).encode("euc_kr")) == 2:
            out.add(chr(cp))
    return out
