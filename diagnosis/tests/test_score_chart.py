"""The result page's score chart (includes/score_chart.html, built by form_tags.score_chart)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from diagnosis import services
from diagnosis.models import Result


def _chart(scales: list[dict[str, object]]) -> str:
    return render_to_string("includes/score_chart.html", {"scales": scales})


def test_every_score_is_in_the_image_label_and_drawn_clamped_to_0_100() -> None:
    with translation.override("ko"):
        html = _chart([{"name": "직무능력", "score": 57}, {"name": "계획 <행동>", "score": 140}])
    assert 'aria-label="영역별 점수 그래프: 직무능력 57점, 계획 &lt;행동&gt; 100점"' in html
    assert '<g transform="translate(0 64)">' in html
    assert 'height="128"' in html
    assert 'class="lc-chart-bar" x="0" y="30" width="100%"' in html
    assert "<행동>" not in html


def test_the_chart_speaks_the_page_language() -> None:
    with translation.override("en"):
        html = _chart([{"name": "Job skills", "score": 50}])
    assert 'aria-label="Chart of scores by area: Job skills 50 points"' in html


def test_no_scores_no_chart() -> None:
    assert "<svg" not in _chart([])


@pytest.mark.usefixtures("reference_data")
def test_the_scales_are_listed_in_the_instruments_order_whatever_order_they_were_stored_in() -> None:
    # As PostgreSQL's jsonb gives them back: shortest key first.
    instrument = services.current_instrument()
    order = [scale["code"] for scale in instrument.spec["scales"]]
    stored = {code: n for n, code in enumerate(sorted(order, key=lambda c: (len(c), c)))}
    rows = services.scale_rows(Result(instrument=instrument, scale_scores=stored))
    assert [row["code"] for row in rows] == order
    assert [row["score"] for row in rows] == [stored[code] for code in order]
