"""The size budget's font invariant, checked without a server: every character of the
service's own text is in the core font chunk that base.html preloads on the first visit,
so a later page never downloads another font file for it (docs/frontend.md, issue 8)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
STATIC = ROOT / "lifecareer" / "static" / "lifecareer"
FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}")
PRELOAD_RE = re.compile(r"<link rel=\"preload\" href=\"\{% static '([^']+\.woff2)' %\}\" as=\"font\"")


def _site_chars_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("site_chars", ROOT / "frontend" / "site_chars.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _faces() -> list[tuple[str, str, set[int]]]:
    """(weight, file name, code points) of every @font-face in fonts.css."""
    out = []
    for body in FACE_RE.findall((STATIC / "css" / "fonts.css").read_text(encoding="utf-8")):
        weight = re.search(r"font-weight:\s*(\d+)", body)
        src = re.search(r"url\(\.\./fonts/([^)]+)\)", body)
        ranges = re.search(r"unicode-range:\s*([^;}]+)", body)
        assert weight and src and ranges, body[:120]
        cps: set[int] = set()
        for part in ranges.group(1).split(","):
            low, _, high = part.strip().removeprefix("U+").partition("-")
            cps.update(range(int(low, 16), int(high or low, 16) + 1))
        out.append((weight.group(1), src.group(1), cps))
    return out


def _preloaded() -> set[str]:
    base = (ROOT / "lifecareer" / "templates" / "base.html").read_text(encoding="utf-8")
    return {Path(path).name for path in PRELOAD_RE.findall(base)}


def test_base_preloads_one_existing_font_file_per_weight() -> None:
    preloaded = _preloaded()
    weights = {weight for weight, name, _ in _faces() if name in preloaded}
    assert weights == {"400", "700"}
    assert len(preloaded) == 2
    assert all((STATIC / "fonts" / name).is_file() for name in preloaded)


def test_every_character_of_the_sites_own_text_is_in_the_preloaded_core_chunk() -> None:
    faces = _faces()
    preloaded = _preloaded()
    served = set().union(*(cps for _, _, cps in faces))  # what the web font draws at all
    chars = {ord(ch) for ch in _site_chars_module().site_chars()} & served
    assert len(chars) > 500  # the sources were found: Korean text, not just ASCII
    for weight in ("400", "700"):
        core = set().union(*(cps for w, name, cps in faces if w == weight and name in preloaded))
        missing = "".join(sorted(chr(cp) for cp in chars - core))
        assert missing == "", f"weight {weight}: characters outside the core font chunk: {missing}"
