"""The one page navigation (includes/pagination.html) and the one error summary: every
list and form page uses the include, so labels and ARIA stay the same across the site."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def render_page(number: int, pages: int = 5, query: str = "") -> str:
    page = Paginator(range(pages * 10), 10).get_page(number)
    request = RequestFactory().get(f"/list/?{query}page={number}")
    with translation.override("ko"):  # another test may have left English active
        return render_to_string("includes/pagination.html", {"page": page}, request=request)


def test_a_middle_page_links_both_ways_with_one_label_each() -> None:
    html = render_page(3)
    assert html.count("이전 페이지") == 1 and html.count("다음 페이지") == 1
    assert 'aria-label="페이지 이동"' in html


def test_the_current_page_is_marked_for_screen_readers() -> None:
    html = render_page(3)
    assert re.findall(r'<a [^>]*aria-current="page"[^>]*>([^<]*)</a>', html) == ["3쪽"]


def test_page_links_keep_the_filters() -> None:
    html = render_page(2, query="goal=startup&")
    assert 'href="?goal=startup&amp;page=3"' in html
    assert 'href="?goal=startup&amp;page=1"' in html


def test_the_first_and_last_page_offer_only_the_way_that_exists() -> None:
    assert "이전 페이지" not in render_page(1) and "다음 페이지" in render_page(1)
    assert "다음 페이지" not in render_page(5) and "이전 페이지" in render_page(5)


def test_a_single_page_has_no_navigation() -> None:
    assert render_page(1, pages=1).strip() == ""


def _templates_containing(pattern: str) -> list[str]:
    root = Path(settings.BASE_DIR)
    return sorted(
        str(path.relative_to(root))
        for path in root.glob("*/templates/**/*.html")
        if re.search(pattern, path.read_text(encoding="utf-8"))
    )


def test_no_list_page_builds_its_own_page_links() -> None:
    assert _templates_containing(r"next_page_number") == ["lifecareer/templates/includes/pagination.html"]


def test_no_form_page_builds_its_own_error_summary() -> None:
    assert _templates_containing(r'class="error-summary') == ["lifecareer/templates/includes/error_summary.html"]
