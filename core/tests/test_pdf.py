"""The one Korean-PDF helper (core/pdf.py): fonts, tagging, and nothing fetched from outside."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from core import pdf
from core.tests.pdfcheck import chunks as pdf_chunks
from core.tests.pdfcheck import (
    embedded_fonts,
    extractable_chars,
    first_page_png,
    has_poppler,
    ink_ratio,
)

HTML = '<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>시험</title></head><body><h1>귀농 귀촌 준비</h1></body></html>'


def test_only_the_subsets_the_text_needs_are_declared() -> None:
    css = pdf.font_css("가")
    assert css.count("@font-face") == 2  # one subset, regular + bold


def test_a_subset_without_a_space_gets_one_in_its_cached_copy() -> None:
    face = next(f for f in pdf.faces() if 0x20 not in TTFont(f.path).getBestCmap())
    assert 0x20 in TTFont(pdf.font_file(face)).getBestCmap()


def test_the_renderer_refuses_the_network_and_other_files() -> None:
    fetcher = pdf._fetcher()
    for url in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


def test_a_static_font_file_may_be_fetched() -> None:
    response = pdf._fetcher().fetch(pdf.faces()[0].path.as_uri())
    try:
        assert response.read(4) == b"wOF2"
    finally:
        response.close()


def test_a_document_pointing_outside_still_renders_without_fetching() -> None:
    html = HTML.replace("</h1>", '</h1><img src="http://127.0.0.1:9/x.png" alt="">')
    assert pdf.render_pdf(html).startswith(b"%PDF")


def test_the_pdf_is_tagged_pdf_ua() -> None:
    chunks = list(pdf_chunks(pdf.render_pdf(HTML)))
    assert any(b"/StructTreeRoot" in chunk for chunk in chunks)
    assert any(b"pdfuaid:part" in chunk for chunk in chunks)


def test_the_pdf_embeds_only_the_korean_web_font() -> None:
    out = pdf.render_pdf(HTML)
    fonts = embedded_fonts(out)
    assert fonts
    assert all(name.startswith(pdf.FAMILY_PREFIX) for name in fonts), fonts
    assert set("귀농귀촌준비") <= extractable_chars(out)


@pytest.mark.skipif(not has_poppler(), reason="needs poppler-utils (make browsers)")
def test_spaces_between_hangul_are_drawn_as_space_not_boxes(tmp_path: Path) -> None:
    # A .notdef box is ink; a space is not. Two words with a space must have no more ink
    # than the same words drawn apart by a margin.
    spaced = pdf.render_pdf(HTML.replace("<h1>귀농 귀촌 준비</h1>", "<h1>귀농  귀촌</h1>"))
    apart = pdf.render_pdf(HTML.replace("<h1>귀농 귀촌 준비</h1>", '<h1>귀농<span style="margin-left:1em">귀촌</span></h1>'))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert ink_ratio(first_page_png(spaced, tmp_path / "a")) <= ink_ratio(first_page_png(apart, tmp_path / "b")) * 1.02
