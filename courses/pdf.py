"""Korean PDFs with WeasyPrint, shared by any app: `render_pdf(template_name, context)`.

The web pages load Pretendard GOV as many small subset files per weight, split by
`unicode-range` (lifecareer/static/lifecareer/css/fonts.css). WeasyPrint 70 mixes up
glyphs when several @font-face rules share one family name and differ only by
unicode-range (checked with pdftotext: "년" came out as "도"). So each subset gets its own
family name here (`LifecareerKR-<n>`), `html` lists them all as a fallback chain, and only
the subsets that hold a character of the rendered document are declared, so the PDF
embeds a few small fonts instead of all of them.

Only one subset holds the space character. Pango keeps a space in the font of the text
around it, so a space between two Hangul syllables of another subset was drawn as a
.notdef box. Each subset without a space is therefore rewritten once (fontTools, a
WeasyPrint dependency) with an empty space glyph of the real width, as a .ttf in
`settings.PDF_FONT_CACHE_DIR` (default: the system temp folder); the files are reused afterwards.

Templates: a normal Django template with a full HTML document; put print CSS in a
`<style>` element (a PDF is not a web page, CSP does not apply) and do not set
`font-family` (the Korean font is set on `html`). WeasyPrint 70 ignores
`word-break: keep-all`. WeasyPrint may read only files under an app's `static/` folder,
the font cache and `data:` URLs; anything else (http, other paths) is refused, so text a
person typed can never make the server fetch a URL.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONTS_CSS = "lifecareer/css/fonts.css"
FAMILY_PREFIX = "LifecareerKR"
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

    def covers(self, codepoints: set[int]) -> bool:
        return any(low <= cp <= high for cp in codepoints for low, high in self.ranges)

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
    """Every subset face of the web font. Faces with the same unicode-range (the regular
    and bold file of one subset) share a family name; each subset has its own."""
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


def cache_dir() -> Path:
    configured = getattr(settings, "PDF_FONT_CACHE_DIR", None)
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "lifecareer-pdf-fonts"


@functools.cache
def space_advance(weight: int) -> int:
    """Advance width of the space in the subset that has one (same weight)."""
    for face in faces():
        if face.weight == weight and face.covers({0x20}):
            font = TTFont(face.path)
            name = font.getBestCmap()[0x20]
            return int(font["hmtx"][name][0])
    return 0


@functools.cache
def font_file(face: Face) -> Path:
    """The file WeasyPrint loads for `face`: the original when it has a space glyph (or is
    not a glyf font), else a cached .ttf copy with one added."""
    font = TTFont(face.path)
    cmap = font.getBestCmap()
    if all(cp in cmap for cp in SPACES) or "glyf" not in font:
        return face.path
    stat = face.path.stat()
    target = cache_dir() / f"{face.path.stem}-{stat.st_size}-{int(stat.st_mtime)}.ttf"
    if target.exists():
        return target
    name = "space" if "space" not in font.getGlyphOrder() else "space.lc"
    if name not in font.getGlyphOrder():
        font["glyf"][name] = Glyph()
        font["hmtx"][name] = (space_advance(face.weight), 0)
    for table in font["cmap"].tables:
        if table.isUnicode():
            for cp in SPACES:
                table.cmap.setdefault(cp, name)
    font.flavor = None
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(partial))
    os.replace(partial, target)  # atomic: parallel workers never read half a file
    return target


def font_css(text: str) -> str:
    """@font-face rules for the subsets that `text` needs, plus `html { font-family }`."""
    codepoints = {ord(ch) for ch in text}
    chosen = [face for face in faces() if face.covers(codepoints)]
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


class StaticOnlyFetcher(URLFetcher):
    """Only files under an app's static/ folder, and data: URLs; nothing from the network."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:") or _allowed_file(url):
            return super().fetch(url, headers)
        raise ValueError(f"refused to fetch {url!r} while rendering a PDF")


def html_to_pdf(html: str) -> bytes:
    font_config = FontConfiguration()
    fetcher = StaticOnlyFetcher()
    stylesheet = CSS(string=font_css(html), font_config=font_config, url_fetcher=fetcher)
    document = HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=[stylesheet], font_config=font_config, pdf_tags=True)
    assert pdf is not None
    return bytes(pdf)


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a Django template to PDF bytes with Korean text in Pretendard GOV."""
    return html_to_pdf(render_to_string(template_name, context))
