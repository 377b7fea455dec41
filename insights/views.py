"""Staff dashboards (Perm.STATISTICS): aggregates only, a centre lead's narrowed to their
centres. Filters live in the URL (GET), so a view can be shared; ?format=csv / xlsx
downloads the same table."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.access import staff_with
from core.roles import Perm, centre_scope
from insights import charts, export, services
from insights.datasets import DATASETS, VERSION_DIMS, Column, DatasetError, Table, query
from insights.forms import attach, capacity_period, filter_form
from insights.models import STAGES
from insights.suppression import BASE, MIN_COUNT, MIN_RATE_BASE

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _scope(request: HttpRequest) -> frozenset[int] | None:
    return centre_scope(request.user, Perm.STATISTICS)


def download(table: Table, fmt: str) -> HttpResponse:
    body: str | bytes = export.to_csv(table) if fmt == "csv" else export.to_xlsx(table)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="lifecareer-{table.dataset}.{fmt}"'
    return response


def _bars(table: Table, key: str) -> list[charts.Bar]:
    column = next(c for c in table.columns if c.key == key)
    out = []
    for row in table.rows:
        label = " · ".join(str(row[f"{b}_name"]) for b in table.by)
        value = row.get(key)
        out.append(charts.Bar(label, value, export.cell_text(column, value)))
    return out


def _charts(table: Table) -> list[dict[str, Any]]:
    out = []
    if table.dataset == "funnel":
        bars = [
            charts.Bar(str(label), table.total.get(code), export.cell_text(Column(code, ""), table.total.get(code)))
            for code, label in STAGES
        ]
        out.append({
            "svg": charts.bar_chart("chart-stages", _("단계별 인원 (전체)"), _("자가진단에서 성과 기록까지, 각 단계에 이른 사람 수입니다. 아래 표에 같은 수가 있습니다."), bars),
            "table": charts.data_table(_("단계별 인원 (전체)") + " — " + _("그림의 자료"), [_("단계"), _("인원")], [[b.label, b.text] for b in bars]),
        })
    if table.by:
        key = table.chart_key if table.dataset != "outcomes" else "rate_6"
        column = next(c for c in table.columns if c.key == key)
        bars = _bars(table, key)
        if len(bars) > charts.MAX_BARS:
            return out  # too many groups to draw: the full table below has them
        title = _("%(what)s, %(by)s별") % {"what": column.label, "by": " · ".join(c.label for c in table.columns[: len(table.by)])}
        out.append({
            "svg": charts.bar_chart("chart-by", title, _("막대 길이는 값에 비례합니다. 5명 미만은 막대 없이 <5로 표시합니다."), bars),
            "table": charts.data_table(title + " — " + _("그림의 자료"), [_("항목"), column.label], [[b.label, b.text] for b in bars]),
        })
    return out


def _rows_for_display(table: Table) -> list[list[str]]:
    out = []
    for row in table.rows:
        out.append([
            str(row.get(f"{c.key}_name", "")) if c.kind == "text" else export.cell_text(c, row.get(c.key)) for c in table.columns
        ])
    return out


def _dataset_page(request: HttpRequest, dataset: str) -> HttpResponse:
    spec = DATASETS[dataset]
    raw = {k: str(v) for k, v in request.GET.items()}
    fmt = raw.pop("format", "")
    scope = _scope(request)
    try:
        table = query(dataset, raw, scope)
        error = None
    except DatasetError as exc:
        table = query(dataset, {}, scope)
        error = exc
    if fmt in CONTENT_TYPES and error is None:
        return download(table, fmt)
    total = [
        export.cell_text(c, table.total.get(c.key)) if c.kind != "text" else (str(_("전체")) if i == 0 else "")
        for i, c in enumerate(table.columns)
    ]
    form = filter_form(spec, request.GET, scope)
    if error is not None:
        attach(form, error)
    period = ""
    if table.first or table.last:
        period = f" ({table.first:%Y-%m} ~ " if table.first else " (… ~ "
        period += f"{table.last:%Y-%m})" if table.last else "…)"
    full_table = charts.data_table(
        table.title + period, [c.label for c in table.columns], _rows_for_display(table), total, row_headers=bool(table.by)
    )
    query_string = request.GET.copy()
    query_string.pop("format", None)
    return render(request, "insights/dataset.html", {
        "spec": spec, "table": table, "error": error, "charts": _charts(table), "full_table": full_table,
        "form": form,
        "query": query_string.urlencode(), "scoped": scope is not None, "min_count": MIN_COUNT, "base": BASE, "min_rate": MIN_RATE_BASE,
        "api_path": f"/api/v1/stats/{dataset}",
        "compare": [(d.label, f"?by={d.code}") for d in spec.dims if d.code in VERSION_DIMS],
    }, status=422 if error else 200)


@staff_with(Perm.STATISTICS)
def index(request: HttpRequest) -> HttpResponse:
    from insights.rollup import period

    first, last = period()
    return render(request, "insights/index.html", {
        "datasets": DATASETS.values(), "first": first, "last": last, "scoped": _scope(request) is not None,
        "min_count": MIN_COUNT, "base": BASE, "min_rate": MIN_RATE_BASE,
    })


@staff_with(Perm.STATISTICS)
def dataset_page(request: HttpRequest, dataset: str) -> HttpResponse:
    if dataset not in DATASETS:
        raise Http404
    return _dataset_page(request, dataset)


@staff_with(Perm.STATISTICS)
def capacity(request: HttpRequest) -> HttpResponse:
    period = capacity_period(request.GET, timezone.localdate().replace(day=1))
    rows = services.capacity(period.first, period.last, _scope(request))
    return render(request, "insights/capacity.html", {
        "rows": rows, "assumptions": services.ASSUMPTIONS, "form": period.form, "first": period.first, "last": period.last,
        "total_gap": sum(r.gap for r in rows), "min_count": MIN_COUNT,
    }, status=200 if period.valid else 422)
