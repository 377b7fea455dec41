"""Korean PDFs, the one way: `render_pdf(html) -> bytes` (and `render_template_pdf`).

Used by the guide-map plan (journeys) and the course certificate (courses). Why it works
this way is in docs/decisions/0007-korean-pdf-helper.md; in short:

- The service's font, Pretendard GOV, ships as a core and ~70 small woff2 subsets per weight split by
  `unicode-range` (lifecareer/static/lifecareer/css/fonts.css). WeasyPrint 70 mixes up
  glyphs when several faces share a family name and differ only by unicode-range
  ("귀농귀촌" came out as "귀농귀전"), so each subset gets its own family
  (`LifecareerKR-<n>`), `html` lists them as a fallback chain, and only the subsets that
  hold a character of the document are declared: the PDF embeds a few small fonts.
- Only one subset holds the space. Pango keeps a space in the font of the text around it,
  so a space between Hangul of another subset was drawn as a box (pdftotext still read a
  space: only a rendered image shows it). Each subset is therefore converted once to a
  TrueType file with a space glyph of the real width, cached in
  `settings.PDF_FONT_CACHE_DIR`. Plain TrueType also spares WeasyPrint from decompressing
  woff2 on every request. `manage.py build_pdf_fonts` fills the cache at deploy (about a
  minute); otherwise a subset is converted the first time a document needs it.
- Tagged, PDF/UA-1 output (`pdf_variant="pdf/ua-1"`): give the document `<html lang>` and
  a `<title>`.
- WeasyPrint may read only files under an app's `static/` folder, the font cache and
  `data:` URLs; anything else (http, other paths) is refused, so text a person typed can
  never make the server fetch a URL.

Templates: a whole HTML document; put print CSS in a `<style>` element (or pass
`stylesheets`), and do not set `font-family` (the Korean font is set on `html`).
WeasyPrint 70 ignores `word-break: keep-all`.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string

FONTS_CSS = "lifecareer/css/fonts.css"
FAMILY_PREFIX = "LifecareerKR"
PDF_VARIANT = "pdf/ua-1"
_FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}")
_SRC_RE = re.compile(r"url\(([^)]+)\)")
_RANGE_RE = re.compile(r"unicode-range:\s*([^;}]+)")
_WEIGHT_RE = re.compile(r"font-weight:\s*(\d+)")
SPACES = (0x20, 0xA0)


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    path: Path
    ranges: tuple[tuple[int, int], ...]

    def css(self) -> str:
        ranges = ",".join(f"U+{low:x}" if low == high else f"U+{low:x}-{high:x}" for low, high in self.ranges)
        return (
            f'@font-face{{font-family:"{self.family}";font-style:normal;font-weight:{self.weight};'
            f'src:url("{font_file(self).as_uri()}");unicode-range:{ranges}}}'
        )


def _parse_ranges(text: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in text.split(","):
        low, _, high = part.strip().removeprefix("U+").removeprefix("u+").partition("-")
        out.append((int(low, 16), int(high or low, 16)))
    return tuple(out)


@functools.cache
def faces() -> tuple[Face, ...]:
    """Every subset face of the web font. The regular and bold file of one subset (same
    unicode-range) share a family name; each subset has its own."""
    found = finders.find(FONTS_CSS)
    if not found:
        raise FileNotFoundError(f"{FONTS_CSS} not found by the static files finders")
    css_path = Path(str(found))
    families: dict[tuple[tuple[int, int], ...], str] = {}
    out = []
    for body in _FACE_RE.findall(css_path.read_text(encoding="utf-8")):
        src, ranges, weight = _SRC_RE.search(body), _RANGE_RE.search(body), _WEIGHT_RE.search(body)
        if not (src and ranges and weight):
            continue
        path = (css_path.parent / src.group(1).strip("'\"")).resolve()
        parsed = _parse_ranges(ranges.group(1))
        family = families.setdefault(parsed, f"{FAMILY_PREFIX}-{len(families) + 1}")
        out.append(Face(family, int(weight.group(1)), path, parsed))
    if not out:
        raise ValueError(f"{FONTS_CSS} declares no usable @font-face")
    return tuple(out)


@functools.cache
def _faces_by_codepoint() -> dict[int, tuple[int, ...]]:
    """Character -> indexes of the faces that hold it (about 24,000 entries, built once)."""
    index: dict[int, list[int]] = {}
    for number, face in enumerate(faces()):
        for low, high in face.ranges:
            for codepoint in range(low, high + 1):
                index.setdefault(codepoint, []).append(number)
    return {codepoint: tuple(numbers) for codepoint, numbers in index.items()}


def faces_for(text: str) -> list[Face]:
    """The faces (both weights) whose subsets hold a character of `text`, in fonts.css order."""
    by_codepoint = _faces_by_codepoint()
    chosen = {number for ch in set(text) for number in by_codepoint.get(ord(ch), ())}
    every = faces()
    return [every[number] for number in sorted(chosen)]


def cache_dir() -> Path:
    configured = getattr(settings, "PDF_FONT_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "pdf-fonts"


@functools.cache
def space_advance(weight: int) -> int:
    """Advance width of the space in the subset of this weight that has one."""
    from fontTools.ttLib import TTFont

    for face in faces():
        if face.weight == weight and any(low <= 0x20 <= high for low, high in face.ranges):
            font = TTFont(face.path)
            name = font.getBestCmap()[0x20]
            return int(font["hmtx"][name][0])
    return 0


@functools.cache
def font_file(face: Face) -> Path:
    """The cached TrueType copy of `face` that WeasyPrint loads, with a space glyph added
    when the subset has none. Built on first use; the file name changes with the source."""
    stat = face.path.stat()
    target = cache_dir() / f"{face.path.stem}-{stat.st_size}-{int(stat.st_mtime)}.ttf"
    if target.exists():
        return target
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    font = TTFont(face.path)
    cmap = font.getBestCmap()
    if "glyf" in font and not all(cp in cmap for cp in SPACES):
        order = font.getGlyphOrder()
        name = "space" if "space" not in order else "space.lc"
        if name not in order:
            font["glyf"][name] = Glyph()
            font["hmtx"][name] = (space_advance(face.weight), 0)
        for table in font["cmap"].tables:
            if table.isUnicode():
                for cp in SPACES:
                    table.cmap.setdefault(cp, name)
    font.flavor = None  # woff2 -> plain TrueType, read without decompressing per request
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(partial))
    os.replace(partial, target)  # atomic: parallel workers never read half a file
    return target


def build_all() -> list[Path]:
    """Convert every subset ahead of time (`manage.py build_pdf_fonts`, run at deploy)."""
    return [font_file(face) for face in faces()]


def font_css(text: str) -> str:
    """@font-face rules for the subsets that `text` needs, plus `html { font-family }`."""
    chosen = faces_for(text)
    families = list(dict.fromkeys(face.family for face in chosen))
    stack = ", ".join(f'"{family}"' for family in families)
    rules = "\n".join(face.css() for face in chosen)
    return f"{rules}\nhtml {{ font-family: {stack}{', ' if stack else ''}sans-serif; }}\n"


def _allowed_file(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return False
    path = Path(unquote(parsed.path)).resolve()
    if path.parent == cache_dir().resolve() and path.suffix == ".ttf":
        return True
    try:
        parts = path.relative_to(Path(settings.BASE_DIR).resolve()).parts
    except ValueError:
        return False
    return "static" in parts[:-1] and not any(part.startswith(".") for part in parts)


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Only files under an app's static/ folder, the font cache and data: URLs."""

        def __init__(self) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith("data:") or _allowed_file(url):
                return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url!r} while rendering a PDF")

    return StaticOnlyFetcher()


def render_pdf(html: str, *, stylesheets: Iterable[str] = ()) -> bytes:
    """Render a whole HTML document to tagged PDF/UA-1 bytes with Korean text in
    Pretendard GOV. `stylesheets` are static file names (e.g. "journeys/plan-pdf.css")."""
    # WeasyPrint is heavy to import: load it with the first PDF, not with every worker.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    fetcher = _fetcher()
    sheets = [CSS(string=font_css(html), font_config=font_config, url_fetcher=fetcher)]
    for name in stylesheets:
        found = finders.find(name)
        if not found:
            raise FileNotFoundError(f"{name} not found by the static files finders")
        sheets.append(CSS(filename=str(found), font_config=font_config, url_fetcher=fetcher))
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=sheets, font_config=font_config, pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return bytes(pdf)


def render_template_pdf(
    template_name: str, context: dict[str, Any], *, request: HttpRequest | None = None, stylesheets: Iterable[str] = ()
) -> bytes:
    """Render a Django template (a whole HTML document) to PDF bytes."""
    return render_pdf(render_to_string(template_name, context, request=request), stylesheets=stylesheets)
