"""Korean PDFs with WeasyPrint and the service's own font (Pretendard GOV).

The web font ships as ~90 small woff2 files per weight, split by `unicode-range`
(lifecareer/static/lifecareer/css/fonts.css). WeasyPrint 70 cannot use them as they are:
with one family name it mixes up glyphs between the files ("귀농귀촌" came out as
"귀농귀전"), and with one family per file the spaces between Korean words print as empty
boxes (a subset holding 가 has no space glyph). Checked by rendering to PNG, not only
with pdftotext, which reads the right text in both broken cases.

So the subsets of each weight are merged once into one TrueType font (fontTools, about
6 seconds per weight) and cached under `settings.PDF_FONT_CACHE_DIR` (default
var/pdf-fonts/), keyed by a hash of fonts.css so a rebuilt web font gives a new cache.
`manage.py build_pdf_fonts` builds the cache ahead of time (run it at deploy); otherwise
the first PDF request builds it.

WeasyPrint may read only those font files: every other URL (http, other files) is
refused, so nothing in a document can make the server fetch something.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

FONTS_CSS = "lifecareer/css/fonts.css"
PDF_FAMILY = "LifecareerPDF"
WEIGHT_NAMES = {400: "Regular", 700: "Bold"}
_FACE_RE = re.compile(r"@font-face\s*\{([^}]*)\}")
_SRC_RE = re.compile(r"url\(([^)]+)\)")
_WEIGHT_RE = re.compile(r"font-weight:\s*(\d+)")
_lock = threading.Lock()


def cache_dir() -> Path:
    configured = getattr(settings, "PDF_FONT_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.BASE_DIR) / "var" / "pdf-fonts"


def _fonts_css() -> Path:
    found = finders.find(FONTS_CSS)
    if not found:
        raise FileNotFoundError(f"{FONTS_CSS} not found by the static files finders")
    return Path(str(found))


def subset_files(css_path: Path) -> dict[int, list[Path]]:
    """The woff2 subset files of each weight, in the order fonts.css lists them."""
    out: dict[int, list[Path]] = {}
    for body in _FACE_RE.findall(css_path.read_text(encoding="utf-8")):
        src, weight = _SRC_RE.search(body), _WEIGHT_RE.search(body)
        if src and weight:
            path = (css_path.parent / src.group(1).strip("'\"")).resolve()
            out.setdefault(int(weight.group(1)), []).append(path)
    return out


def _merge(files: list[Path], target: Path) -> None:
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont

    with tempfile.TemporaryDirectory() as tmp:
        plain = []
        for index, path in enumerate(files):
            font = TTFont(str(path))
            font.flavor = None  # woff2 -> plain TrueType, which the merger reads
            out = Path(tmp) / f"{index}.ttf"
            font.save(str(out))
            plain.append(str(out))
        merged = Merger().merge(plain)
        partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        merged.save(str(partial))
        os.replace(partial, target)  # atomic: a concurrent reader sees all or nothing


def pdf_fonts() -> dict[int, Path]:
    """One merged TrueType file per weight, built on first use and cached on disk."""
    css_path = _fonts_css()
    digest = hashlib.sha256(css_path.read_bytes()).hexdigest()[:12]
    directory = cache_dir()
    targets = {w: directory / f"PretendardGOV-{name}-{digest}.ttf" for w, name in WEIGHT_NAMES.items()}
    if all(t.exists() for t in targets.values()):
        return targets
    with _lock:
        directory.mkdir(parents=True, exist_ok=True)
        files = subset_files(css_path)
        for weight, target in targets.items():
            if not target.exists():
                if not files.get(weight):
                    raise ValueError(f"{FONTS_CSS} has no font files of weight {weight}")
                _merge(files[weight], target)
    return targets


class FontOnlyFetcher(URLFetcher):
    """Fetches only the cached PDF fonts; refuses every other URL."""

    def __init__(self, allowed: set[Path], **kwargs: Any) -> None:
        super().__init__(allowed_protocols=("file",), **kwargs)
        self._allowed = {p.resolve().as_uri() for p in allowed}

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url not in self._allowed:
            raise ValueError(f"refused to fetch {url!r} while rendering a PDF")
        return super().fetch(url, headers)


def font_css(fonts: dict[int, Path]) -> str:
    faces = "\n".join(
        f'@font-face{{font-family:"{PDF_FAMILY}";font-style:normal;font-weight:{weight};src:url("{path.resolve().as_uri()}")}}'
        for weight, path in sorted(fonts.items())
    )
    return f'{faces}\nhtml{{font-family:"{PDF_FAMILY}",sans-serif}}\n'


def html_to_pdf(html: str, stylesheets: list[Path] | None = None) -> bytes:
    """Render a whole HTML document (no external resources) to PDF bytes."""
    fonts = pdf_fonts()
    fetcher = FontOnlyFetcher(set(fonts.values()))
    font_config = FontConfiguration()
    sheets = [CSS(string=font_css(fonts), font_config=font_config, url_fetcher=fetcher)]
    sheets += [
        CSS(string=p.read_text(encoding="utf-8"), font_config=font_config, url_fetcher=fetcher) for p in stylesheets or []
    ]
    document = HTML(string=html, url_fetcher=fetcher)
    pdf = document.write_pdf(stylesheets=sheets, font_config=font_config)
    assert isinstance(pdf, bytes)
    return pdf
