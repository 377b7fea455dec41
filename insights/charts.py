"""Server-rendered charts: plain SVG, readable without JavaScript and in print.

Each chart is an image with a title and a description (role="img", aria-labelledby); the
page puts the same figures in a table right after it, so nothing is only in the picture.
Colours and text are drawn with currentColor and a pattern-free solid fill that prints.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 200
PLOT_WIDTH = 360
VALUE_WIDTH = 80


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: suppressed (fewer than 5 people)
    text: str  # the value as shown ("120", "<5", "38.0%")


def bar_chart(chart_id: str, title: str, description: str, bars: list[Bar]) -> SafeString:
    """A horizontal bar chart; `chart_id` must be unique on the page."""
    top = max((b.value for b in bars if b.value is not None), default=0) or 1
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + PLOT_WIDTH + VALUE_WIDTH
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="lc-chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        mid = y + BAR_HEIGHT * 0.7
        parts.append(f'<text x="{LABEL_WIDTH - 8}" y="{mid:.1f}" text-anchor="end" font-size="14" fill="currentColor">{escape(bar.label[:28])}</text>')
        if bar.value is not None and bar.value > 0:
            w = max(1.0, PLOT_WIDTH * bar.value / top)
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR_HEIGHT}" fill="#256ef4"/>')
            end = LABEL_WIDTH + w + 6
        else:
            end = LABEL_WIDTH + 6
        parts.append(f'<text x="{end:.1f}" y="{mid:.1f}" font-size="14" fill="currentColor">{escape(bar.text)}</text>')
    if not bars:
        parts.append(f'<text x="8" y="20" font-size="14" fill="currentColor">{escape(_("보여 줄 자료가 없습니다."))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


MAX_BARS = 50  # more groups than this make an unreadable chart: the table alone says it


def data_table(caption: str, header: list[str], rows: list[list[str]], footer: list[str] | None = None, *, row_headers: bool = True) -> SafeString:
    """The table under a chart (or a dataset's full table), built here rather than in a
    template loop: a two-dimension breakdown has hundreds of rows × twenty columns, and a
    string join is what keeps the page fast. Everything is escaped."""

    def line(cells: list[str], tag_first: str) -> str:
        out = []
        for i, cell in enumerate(cells):
            if i == 0 and tag_first == "th":
                out.append(f'<th scope="row">{escape(cell)}</th>')
            else:
                out.append(f"<td>{escape(cell)}</td>")
        return "<tr>" + "".join(out) + "</tr>"

    first = "th" if row_headers else "td"
    parts = [
        '<table class="tbl data">',
        f'<caption class="lc-caption">{escape(caption)}</caption>',
        "<thead><tr>" + "".join(f'<th scope="col">{escape(h)}</th>' for h in header) + "</tr></thead>",
        "<tbody>" + "".join(line(r, first) for r in rows) + "</tbody>",
    ]
    if footer is not None:
        parts.append("<tfoot>" + line(footer, "th") + "</tfoot>")
    parts.append("</table>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
