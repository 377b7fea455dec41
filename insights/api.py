"""The open statistics API: GET /api/v1/stats/{dataset} (docs/insights.md).

Public (no authentication): every figure is a suppressed aggregate of the roll-ups
(insights.suppression), the same the staff dashboards publish to national staff. JSON by
default, CSV with ?format=csv. Rate-limited per client address (core.ratelimit)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from pydantic import Field

from api.errors import FieldErrors
from api.schemas import ErrorOut
from core import ratelimit
from core.clientip import client_ip
from insights import export
from insights.datasets import DATASETS, DatasetError, Table, query

router = Router(tags=["stats"])


class ColumnOut(Schema):
    key: str
    label: str
    kind: str = Field(description="count: 인원 (0, null=5명 미만으로 가림, 또는 5의 배수) · number: 인원이 아닌 수 · rate: 0~1 비율 · mean: 평균 · text: 기준 값")


class StatsOut(Schema):
    dataset: str
    title: str
    by: list[str]
    filters: dict[str, str]
    period: dict[str, str | None] = Field(description="from, to: YYYY-MM (null이면 처음 또는 끝까지)")
    source: str
    suppression: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    total: dict[str, Any]


SUPPRESSION = gettext_lazy(
    "1~4명은 null(가림), 5명 이상은 5 단위로 반올림, 0은 0. 비율은 공개된 두 수의 비이며 분모 20명 이상일 때만 제공합니다."
)


def payload(table: Table) -> dict[str, Any]:
    return {
        "dataset": table.dataset,
        "title": table.title,
        "by": table.by,
        "filters": table.filters,
        "period": {"from": f"{table.first:%Y-%m}" if table.first else None, "to": f"{table.last:%Y-%m}" if table.last else None},
        "source": table.source,
        "suppression": str(SUPPRESSION),
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": table.rows,
        "total": table.total,
    }


@router.get(
    "/stats/{dataset}",
    response={200: StatsOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="공개 통계 (funnel, programmes, outcomes, counselling, aftercare, referrals)",
    description=(
        "by: 나눌 기준 (쉼표로 2개까지). funnel·outcomes: type, goal, age_band, status, region, centre, month, instrument. "
        "programmes: programme, centre, region, month, mode. counselling, aftercare: centre, month. "
        "referrals: partner, status, centre, month. 같은 이름의 매개변수로 거를 수 있습니다 (예: goal=reemployment). "
        "from, to: YYYY-MM. format=csv이면 CSV (UTF-8, BOM). 잘못된 기준·값·달은 422(errors[].code: unknown_dimension, "
        "too_many_dimensions, invalid_choice, int_parsing, invalid_month, invalid_range), 없는 dataset은 404."
    ),
)
def stats(request: HttpRequest, dataset: str, by: str = "", format: str = "json") -> Any:  # noqa: A002 - the documented parameter name
    if dataset not in DATASETS:
        raise Http404
    errors = FieldErrors()
    if format not in {"json", "csv"}:
        errors.add("format", _("json 또는 csv 가운데 하나를 골라 주세요."), "invalid_choice")
        errors.raise_if_any()
    ratelimit.enforce((ratelimit.STATS_PER_CLIENT, client_ip(request)))
    raw = {k: str(v) for k, v in request.GET.items() if k != "format"}
    try:
        table = query(dataset, raw, None)
    except DatasetError as exc:
        errors.add(exc.field, exc.message, exc.code)
        errors.raise_if_any()
        raise  # unreachable: raise_if_any raised
    if format == "csv":
        response = HttpResponse(export.to_csv(table), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="lifecareer-{dataset}.csv"'
        return response
    return payload(table)
