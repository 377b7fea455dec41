"""The published datasets: funnel, programmes, outcomes, counselling, aftercare, referrals (docs/insights.md).

One function, `query(dataset, params, scope)`, serves the dashboard, its CSV/XLSX exports
and the statistics API, so all of them publish exactly the same, suppressed figures. It
reads only the roll-up cells (insights/models.py), never a person's row, through
`insights.db.reporting_db()`; every count passes through insights.suppression.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import vocabulary as vocab
from insights.db import reporting_db
from insights.models import (
    STAGES,
    AftercareCell,
    CounsellingCell,
    Employment,
    FunnelCell,
    ProgrammeCell,
    ReferralCell,
)
from insights.suppression import MIN_RATE_BASE, publish_count, publish_mean, publish_rate

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_BY = 2
INT_DIMS = frozenset({"centre", "programme", "partner"})  # filters by an id
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
SOURCE = gettext_lazy("lifecareer 운영 자료 (자가진단·가이드맵·교육·상담·사후관리 기록), 매일 밤 집계")


class DatasetError(ValueError):
    def __init__(self, field_name: str, message: str, code: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message
        self.code = code


def _terms(terms: vocab.Terms, empty: Any = None) -> Callable[[Iterable[Any]], dict[Any, str]]:
    """Names of the values; an empty value (an online session has no region) is named too,
    so no row of a table is left without a label. `empty` is lazy: named in the page's language."""
    return lambda values: {v: vocab.label_of(terms, v) if v else str(empty or _("해당 없음")) for v in values}


def _centres(values: Iterable[Any]) -> dict[Any, str]:
    from programmes.models import Centre

    names = dict(Centre.objects.filter(pk__in=[v for v in values if v is not None]).values_list("pk", "name"))
    return {v: names.get(v, _("센터 연결 없음")) if v is not None else str(_("센터 연결 없음")) for v in values}


def _programmes(values: Iterable[Any]) -> dict[Any, str]:
    from programmes.models import Programme

    english = (translation.get_language() or "").startswith("en")
    rows = Programme.objects.filter(pk__in=list(values)).values_list("pk", "name_ko", "name_en")
    return {pk: (en or ko) if english else ko for pk, ko, en in rows}


def _partners(values: Iterable[Any]) -> dict[Any, str]:
    from referrals.models import Partner

    return dict(Partner.objects.filter(pk__in=list(values)).values_list("pk", "name"))


def _referral_statuses(values: Iterable[Any]) -> dict[Any, str]:
    from referrals.models import ReferralStatus

    return {v: str(ReferralStatus(v).label) if v in ReferralStatus.values else str(v) for v in values}


def _referral_status_choices() -> list[tuple[str, str]]:
    from referrals.models import ReferralStatus

    return [(str(code), str(label)) for code, label in ReferralStatus.choices]


def _months(values: Iterable[Any]) -> dict[Any, str]:
    return {v: f"{v:%Y-%m}" for v in values}


def _same(values: Iterable[Any]) -> dict[Any, str]:
    return {v: str(v) for v in values}


def _catalogues(values: Iterable[Any]) -> dict[Any, str]:
    return {v: str(v) if v else str(_("기록 이전")) for v in values}


def _types(values: Iterable[Any]) -> dict[Any, str]:
    return {v: vocab.type_name(v) for v in values}


def _modes(values: Iterable[Any]) -> dict[Any, str]:
    from programmes.models import Mode

    return {v: str(Mode(v).label) if v in Mode.values else v for v in values}


@dataclass(frozen=True)
class Dimension:
    code: str  # the URL parameter (by=…, and the filter of the same name)
    label: StrOrPromise
    field: str  # the cell table's column
    names: Callable[[Iterable[Any]], dict[Any, str]]
    values: Callable[[], list[tuple[str, str]]] | None = None  # choices for a filter form


def _choices(terms: vocab.Terms) -> Callable[[], list[tuple[str, str]]]:
    return lambda: [(t.code, str(t.label)) for t in terms]


PEOPLE_DIMS: tuple[Dimension, ...] = (
    Dimension("type", gettext_lazy("경력개발유형"), "type_code", _types, _choices(vocab.CAREER_TYPES)),
    Dimension("goal", gettext_lazy("희망 목표"), "goal", _terms(vocab.GOALS), _choices(vocab.GOALS)),
    Dimension("age_band", gettext_lazy("연령대"), "age_band", _terms(vocab.AGE_BANDS), _choices(vocab.AGE_BANDS)),
    Dimension("status", gettext_lazy("고용 상태"), "status", _terms(vocab.EMPLOYMENT_STATUSES), _choices(vocab.EMPLOYMENT_STATUSES)),
    Dimension("region", gettext_lazy("지역"), "region", _terms(vocab.REGIONS, gettext_lazy("온라인 (지역 없음)")), _choices(vocab.REGIONS)),
    Dimension("centre", gettext_lazy("센터"), "centre_id", _centres),
    Dimension("month", gettext_lazy("진단한 달"), "month", _months),
    Dimension("instrument", gettext_lazy("진단 도구 버전"), "instrument", _same),
    Dimension("catalogue", gettext_lazy("연계 서비스 목록 버전"), "catalogue", _catalogues),
)
# Versions compared before and after a change (a filter typed as text: no list to query).
VERSION_DIMS = frozenset({"instrument", "catalogue"})
PROGRAMME_DIMS: tuple[Dimension, ...] = (
    Dimension("programme", gettext_lazy("프로그램"), "programme_id", _programmes),
    Dimension("centre", gettext_lazy("센터"), "centre_id", _centres),
    Dimension("region", gettext_lazy("지역"), "region", _terms(vocab.REGIONS, gettext_lazy("온라인 (지역 없음)")), _choices(vocab.REGIONS)),
    Dimension("month", gettext_lazy("교육 시작 달"), "month", _months),
    Dimension("mode", gettext_lazy("운영 방식"), "mode", _modes),
)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "count"  # count (people, suppressed), number (not people), rate, mean, text


@dataclass
class Table:
    dataset: str
    title: str
    by: list[str]
    columns: list[Column]
    rows: list[dict[str, Any]]
    total: dict[str, Any]
    first: dt.date | None
    last: dt.date | None
    filters: dict[str, str] = field(default_factory=dict)
    source: str = ""
    chart_key: str = ""  # the column a chart draws

    def value_columns(self) -> list[Column]:
        return [c for c in self.columns if c.key not in self.by]


@dataclass(frozen=True)
class Params:
    by: list[str]
    filters: dict[str, str]
    first: dt.date | None
    last: dt.date | None


def _month(value: str, name: str) -> dt.date | None:
    if not value:
        return None
    match = MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise DatasetError(name, _("달은 YYYY-MM 형식으로 적어 주세요 (예: 2026-03)."), "invalid_month")
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def parse(dims: tuple[Dimension, ...], raw: Mapping[str, str]) -> Params:
    """Validated parameters: `by` (up to two dimensions, comma-separated), a filter per
    dimension, `from`/`to` months. Raises DatasetError (Korean message) on anything else."""
    known = {d.code: d for d in dims}
    by = [b for b in (raw.get("by") or "").split(",") if b]
    for b in by:
        if b not in known:
            raise DatasetError("by", _("나눌 수 있는 기준은 %(names)s입니다.") % {"names": ", ".join(known)}, "unknown_dimension")
    if len(set(by)) != len(by) or len(by) > MAX_BY:
        raise DatasetError("by", _("기준은 서로 다른 것으로 %(n)d개까지 고를 수 있습니다.") % {"n": MAX_BY}, "too_many_dimensions")
    filters = {}
    for d in dims:
        value = (raw.get(d.code) or "").strip()
        if not value or d.code == "month":
            continue
        if d.values is not None and value not in {code for code, _n in d.values()}:
            raise DatasetError(d.code, _("허용된 값 가운데 하나를 골라 주세요."), "invalid_choice")
        if d.code in INT_DIMS and not value.isdigit():
            raise DatasetError(d.code, _("숫자로 적어 주세요."), "int_parsing")
        filters[d.code] = value
    first, last = _month(raw.get("from", ""), "from"), _month(raw.get("to", ""), "to")
    if first and last and first > last:
        raise DatasetError("to", _("끝 달은 시작 달과 같거나 뒤여야 합니다."), "invalid_range")
    return Params(by=by, filters=filters, first=first, last=last)


def _narrow(qs: QuerySet[Any], dims: tuple[Dimension, ...], params: Params, scope: frozenset[int] | None) -> QuerySet[Any]:
    by_code = {d.code: d for d in dims}
    for code, value in params.filters.items():
        qs = qs.filter(**{by_code[code].field: int(value) if code in INT_DIMS else value})
    if params.first:
        qs = qs.filter(month__gte=params.first)
    if params.last:
        qs = qs.filter(month__lte=params.last)
    if scope is not None:
        qs = qs.filter(centre_id__in=scope)
    return qs


def _grouped(
    qs: QuerySet[Any], dims: tuple[Dimension, ...], params: Params, extra: tuple[str, ...], sums: dict[str, Any]
) -> tuple[dict[tuple[Any, ...], dict[str, Any]], list[Dimension]]:
    chosen = [next(d for d in dims if d.code == b) for b in params.by]
    fields = [d.field for d in chosen]
    groups: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for row in qs.order_by().values(*fields, *extra).annotate(**sums):
        key = tuple(row[f] for f in fields)
        bucket = groups[key]
        bucket.setdefault("_parts", []).append(row)
    return groups, chosen


def _label_rows(chosen: list[Dimension], keys: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    names = [d.names({k[i] for k in keys}) for i, d in enumerate(chosen)]
    rows = []
    for key in keys:
        row: dict[str, Any] = {}
        for i, d in enumerate(chosen):
            value = key[i]
            row[d.code] = f"{value:%Y-%m}" if isinstance(value, dt.date) else ("" if value is None else value)
            row[f"{d.code}_name"] = names[i].get(value, str(value))
        rows.append(row)
    return rows


def _sort_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple((v is None, str(v)) for v in key)


# --- funnel ------------------------------------------------------------------------------


def _funnel_figures(by_stage: dict[int, int]) -> dict[str, Any]:
    reached = [sum(n for s, n in by_stage.items() if s >= k) for k in range(len(STAGES))]
    out: dict[str, Any] = {}
    for k, (code, _label) in enumerate(STAGES):
        out[code] = publish_count(reached[k])
        if k + 1 < len(STAGES):
            out[f"{code}_left"] = publish_count(reached[k] - reached[k + 1])
    out["through_rate"] = publish_rate(reached[-1], reached[0])
    out["plan_rate"] = publish_rate(reached[1], reached[0])
    return out


def funnel(params: Params, scope: frozenset[int] | None) -> Table:
    qs = _narrow(FunnelCell.objects.using(reporting_db()), PEOPLE_DIMS, params, scope)
    groups, chosen = _grouped(qs, PEOPLE_DIMS, params, ("stage",), {"n": Sum("people")})
    total: dict[int, int] = defaultdict(int)
    figures = {}
    for key, bucket in groups.items():
        stages: dict[int, int] = defaultdict(int)
        for part in bucket["_parts"]:
            stages[part["stage"]] += part["n"]
            total[part["stage"]] += part["n"]
        figures[key] = _funnel_figures(stages)
    keys = sorted(figures, key=_sort_key)
    rows = _label_rows(chosen, keys)
    for row, key in zip(rows, keys, strict=True):
        row.update(figures[key])
    columns = [Column(d.code, str(d.label), "text") for d in chosen]
    for k, (code, label) in enumerate(STAGES):
        columns.append(Column(code, str(label)))
        if k + 1 < len(STAGES):
            columns.append(Column(f"{code}_left", _("%(stage)s 뒤 멈춤") % {"stage": label}))
    columns += [Column("plan_rate", _("가이드맵 전환율"), "rate"), Column("through_rate", _("성과 기록까지 간 비율"), "rate")]
    return Table(
        "funnel", _("이용 단계별 인원 (퍼널)"), params.by, columns, rows, _funnel_figures(total), params.first, params.last,
        params.filters, str(SOURCE), chart_key="diagnosed",
    )


# --- outcomes ----------------------------------------------------------------------------


def _outcome_figures(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    sums: dict[str, int] = defaultdict(int)
    for part in parts:
        for months, status_field in ((6, "employed_6m"), (12, "employed_12m")):
            status = part[status_field]
            if status != Employment.NONE:
                sums[f"due_{months}"] += part["n"]
            if status == Employment.EMPLOYED:
                sums[f"employed_{months}"] += part["n"]
            if status == Employment.UNKNOWN:
                sums[f"unknown_{months}"] += part["n"]
    out: dict[str, Any] = {}
    for months in (6, 12):
        due, employed = sums[f"due_{months}"], sums[f"employed_{months}"]
        out[f"due_{months}"] = publish_count(due)
        out[f"employed_{months}"] = publish_count(employed)
        out[f"unknown_{months}"] = publish_count(sums[f"unknown_{months}"])
        out[f"rate_{months}"] = publish_rate(employed, due)
    return out


def outcomes(params: Params, scope: frozenset[int] | None) -> Table:
    qs = _narrow(FunnelCell.objects.using(reporting_db()).filter(latest=True), PEOPLE_DIMS, params, scope)
    qs = qs.filter(~Q(employed_6m="") | ~Q(employed_12m=""))
    groups, chosen = _grouped(qs, PEOPLE_DIMS, params, ("employed_6m", "employed_12m"), {"n": Sum("people")})
    keys = sorted(groups, key=_sort_key)
    rows = _label_rows(chosen, keys)
    every: list[dict[str, Any]] = []
    for row, key in zip(rows, keys, strict=True):
        row.update(_outcome_figures(groups[key]["_parts"]))
        every += groups[key]["_parts"]
    columns = [Column(d.code, str(d.label), "text") for d in chosen]
    for months in (6, 12):
        columns += [
            Column(f"due_{months}", _("%(m)d개월 대상 인원") % {"m": months}),
            Column(f"employed_{months}", _("%(m)d개월 취업·창업") % {"m": months}),
            Column(f"unknown_{months}", _("%(m)d개월 알 수 없음") % {"m": months}),
            Column(f"rate_{months}", _("%(m)d개월 취업·창업률") % {"m": months}, "rate"),
        ]
    return Table(
        "outcomes", _("이용을 마친 뒤 6·12개월 성과"), params.by, columns, rows, _outcome_figures(every), params.first, params.last,
        params.filters, str(SOURCE), chart_key="due_6",
    )


# --- programmes --------------------------------------------------------------------------


PROGRAMME_SUMS = {
    "sessions": Count("pk"),
    "capacity_sum": Sum("capacity"),
    "confirmed_sum": Sum("confirmed"),
    "waitlisted_sum": Sum("waitlisted"),
    "attended_sum": Sum("attended"),
    "marked_sum": Sum("attendance_marked"),
    "at_risk_n": Count("pk", filter=Q(at_risk=True)),
    "cancelled_n": Count("pk", filter=Q(fate="cancelled")),
    "merged_n": Count("pk", filter=Q(fate="merged")),
    "online_n": Count("pk", filter=Q(fate="online")),
    "extended_n": Count("pk", filter=Q(fate="extended")),
    "feedback_n": Sum("feedback_n"),
    "feedback_sum": Sum("feedback_sum"),
}


def _programme_figures(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    s: dict[str, int] = defaultdict(int)
    for part in parts:
        for key in PROGRAMME_SUMS:
            s[key] += part[key] or 0
    confirmed = publish_count(s["confirmed_sum"])
    return {
        "sessions": s["sessions"],
        "capacity": s["capacity_sum"],
        "confirmed": confirmed,
        "fill_rate": round(confirmed / s["capacity_sum"], 3) if confirmed is not None and s["capacity_sum"] and s["confirmed_sum"] >= 20 else None,
        "waitlisted": publish_count(s["waitlisted_sum"]),
        "at_risk": s["at_risk_n"],
        "rescued": s["merged_n"] + s["online_n"] + s["extended_n"],
        "merged": s["merged_n"],
        "online": s["online_n"],
        "extended": s["extended_n"],
        "cancelled": s["cancelled_n"],
        "attended": publish_count(s["attended_sum"]),
        "attendance_rate": publish_rate(s["attended_sum"], s["marked_sum"]),
        "satisfaction": publish_mean(s["feedback_sum"], s["feedback_n"]),
        "feedback": publish_count(s["feedback_n"]),
    }


def programmes(params: Params, scope: frozenset[int] | None) -> Table:
    columns = [
        Column("sessions", _("회차 수"), "number"),
        Column("capacity", _("정원 합계"), "number"),
        Column("confirmed", _("확정 인원")),
        Column("fill_rate", _("충원율"), "rate"),
        Column("waitlisted", _("대기 인원")),
        Column("at_risk", _("폐강 위험 회차"), "number"),
        Column("rescued", _("폐강 막음 (합침·온라인 전환·모집 기간 연장)"), "number"),
        Column("merged", _("다른 회차와 합침"), "number"),
        Column("online", _("온라인으로 전환"), "number"),
        Column("extended", _("모집 기간 연장 (신청 마감 늦춤)"), "number"),
        Column("cancelled", _("취소된 회차"), "number"),
        Column("attended", _("출석 인원")),
        Column("attendance_rate", _("출석률"), "rate"),
        Column("satisfaction", _("만족도 (5점)"), "mean"),
        Column("feedback", _("만족도 응답 수")),
    ]
    return _cell_table(
        "programmes", _("프로그램 운영 현황"), ProgrammeCell, PROGRAMME_DIMS, PROGRAMME_SUMS, _programme_figures, columns,
        params, scope, chart_key="confirmed",
    )


def _cell_table(
    code: str,
    title: str,
    model: Any,
    dims: tuple[Dimension, ...],
    sums: dict[str, Any],
    figures: Callable[[Iterable[dict[str, Any]]], dict[str, Any]],
    columns: list[Column],
    params: Params,
    scope: frozenset[int] | None,
    chart_key: str,
) -> Table:
    """A table of summed roll-up cells: narrowed, grouped by `params.by`, each row's figures
    (and the total's) computed from its cells by `figures`, which publishes through suppression."""
    qs = _narrow(model.objects.using(reporting_db()), dims, params, scope)
    groups, chosen = _grouped(qs, dims, params, (), sums)
    keys = sorted(groups, key=_sort_key)
    rows = _label_rows(chosen, keys)
    every: list[dict[str, Any]] = []
    for row, key in zip(rows, keys, strict=True):
        row.update(figures(groups[key]["_parts"]))
        every += groups[key]["_parts"]
    return Table(
        code, title, params.by, [Column(d.code, str(d.label), "text") for d in chosen] + columns, rows, figures(every),
        params.first, params.last, params.filters, str(SOURCE), chart_key=chart_key,
    )


# --- counselling -------------------------------------------------------------------------


COUNSELLING_DIMS: tuple[Dimension, ...] = (
    Dimension("centre", gettext_lazy("센터"), "centre_id", _centres),
    Dimension("month", gettext_lazy("상담한 달"), "month", _months),
)
COUNSELLING_SUMS = {
    key: Sum(key) for key in ("bookings", "attended", "no_show", "counsellors", "people", "first_n", "first_days")
}


def _counselling_figures(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    s: dict[str, int] = defaultdict(int)
    for part in parts:
        for key in COUNSELLING_SUMS:
            s[key] += part[key] or 0
    people = publish_count(s["people"])
    return {
        "bookings": publish_count(s["bookings"]),
        "attended": publish_count(s["attended"]),
        "no_show": publish_count(s["no_show"]),
        "no_show_rate": publish_rate(s["no_show"], s["attended"] + s["no_show"]),
        "counsellors": s["counsellors"],
        "people": people,
        # People per counsellor: from the published count, over enough people.
        "caseload": round(people / s["counsellors"], 1) if people and s["counsellors"] and s["people"] >= MIN_RATE_BASE else None,
        "first_wait_days": publish_mean(s["first_days"], s["first_n"]),
    }


def counselling(params: Params, scope: frozenset[int] | None) -> Table:
    columns = [
        Column("bookings", _("상담 예약 (취소 제외)")),
        Column("attended", _("상담 완료")),
        Column("no_show", _("불참")),
        Column("no_show_rate", _("불참률"), "rate"),
        Column("counsellors", _("상담한 상담사 (센터·달마다 센 수의 합)"), "number"),
        Column("people", _("상담받은 사람")),
        Column("caseload", _("상담사 1명당 사람 수"), "mean"),
        Column("first_wait_days", _("사례 시작부터 첫 상담까지 (평균 일)"), "mean"),
    ]
    return _cell_table(
        "counselling", _("1:1 상담 현황"), CounsellingCell, COUNSELLING_DIMS, COUNSELLING_SUMS, _counselling_figures, columns, params, scope, chart_key="bookings"
    )


# --- after-care ---------------------------------------------------------------------------


AFTERCARE_DIMS: tuple[Dimension, ...] = (
    Dimension("centre", gettext_lazy("센터"), "centre_id", _centres),
    Dimension("month", gettext_lazy("달"), "month", _months),
)
AFTERCARE_SUMS = {key: Sum(key) for key in ("sent", "answered", "stall_nudges", "stall_tasks", "tasks_opened", "tasks_closed")}


def _aftercare_figures(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    s: dict[str, int] = defaultdict(int)
    for part in parts:
        for key in AFTERCARE_SUMS:
            s[key] += part[key] or 0
    return {
        "sent": publish_count(s["sent"]),
        "answered": publish_count(s["answered"]),
        "response_rate": publish_rate(s["answered"], s["sent"]),
        "stall_nudges": publish_count(s["stall_nudges"]),
        "stall_tasks": publish_count(s["stall_tasks"]),
        "tasks_opened": publish_count(s["tasks_opened"]),
        "tasks_closed": publish_count(s["tasks_closed"]),
    }


def aftercare(params: Params, scope: frozenset[int] | None) -> Table:
    columns = [
        Column("sent", _("보낸 사후관리 설문")),
        Column("answered", _("응답한 설문")),
        Column("response_rate", _("설문 응답률"), "rate"),
        Column("stall_nudges", _("6주 멈춤 안내 메시지")),
        Column("stall_tasks", _("12주 멈춤 할 일")),
        Column("tasks_opened", _("생긴 사후관리 할 일")),
        Column("tasks_closed", _("마친 사후관리 할 일")),
    ]
    return _cell_table(
        "aftercare", _("사후관리 현황"), AftercareCell, AFTERCARE_DIMS, AFTERCARE_SUMS, _aftercare_figures, columns, params, scope, chart_key="sent"
    )


# --- referrals ---------------------------------------------------------------------------


REFERRAL_DIMS: tuple[Dimension, ...] = (
    Dimension("partner", gettext_lazy("연계 기관"), "partner_id", _partners),
    Dimension("status", gettext_lazy("현재 상태"), "status", _referral_statuses, _referral_status_choices),
    Dimension("centre", gettext_lazy("의뢰한 센터"), "centre_id", _centres),
    Dimension("month", gettext_lazy("의뢰한 달"), "month", _months),
)
REFERRAL_SUMS = {key: Sum(key) for key in ("referrals", "responded_n", "response_days")}


def _referral_figures(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    s: dict[str, int] = defaultdict(int)
    for part in parts:
        for key in REFERRAL_SUMS:
            s[key] += part[key] or 0
    return {
        "referrals": publish_count(s["referrals"]),
        "responded": publish_count(s["responded_n"]),
        "response_rate": publish_rate(s["responded_n"], s["referrals"]),
        "response_days": publish_mean(s["response_days"], s["responded_n"]),
    }


def referrals(params: Params, scope: frozenset[int] | None) -> Table:
    columns = [
        Column("referrals", _("연계 의뢰")),
        Column("responded", _("기관이 응답한 의뢰")),
        Column("response_rate", _("기관 응답률"), "rate"),
        Column("response_days", _("의뢰부터 기관의 첫 응답까지 (평균 일)"), "mean"),
    ]
    return _cell_table(
        "referrals", _("연계 기관별 의뢰 현황"), ReferralCell, REFERRAL_DIMS, REFERRAL_SUMS, _referral_figures, columns, params, scope, chart_key="referrals"
    )


@dataclass(frozen=True)
class Dataset:
    code: str
    title: StrOrPromise
    dims: tuple[Dimension, ...]
    build: Callable[[Params, frozenset[int] | None], Table]


DATASETS: dict[str, Dataset] = {
    "funnel": Dataset("funnel", gettext_lazy("이용 단계별 인원 (퍼널)"), PEOPLE_DIMS, funnel),
    "programmes": Dataset("programmes", gettext_lazy("프로그램 운영 현황"), PROGRAMME_DIMS, programmes),
    "outcomes": Dataset("outcomes", gettext_lazy("이용을 마친 뒤 6·12개월 성과"), PEOPLE_DIMS, outcomes),
    "counselling": Dataset("counselling", gettext_lazy("1:1 상담 현황"), COUNSELLING_DIMS, counselling),
    "aftercare": Dataset("aftercare", gettext_lazy("사후관리 현황"), AFTERCARE_DIMS, aftercare),
    "referrals": Dataset("referrals", gettext_lazy("연계 기관별 의뢰 현황"), REFERRAL_DIMS, referrals),
}


def query(dataset: str, raw: Mapping[str, str], scope: frozenset[int] | None = None) -> Table:
    """The published table of `dataset` for the request's parameters. `scope` is the centre
    ids the caller may see (None = all, the public API and national staff)."""
    spec = DATASETS[dataset]
    return spec.build(parse(spec.dims, raw), scope)
