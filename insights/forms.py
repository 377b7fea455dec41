"""The dashboard's filter form: the same fields as the statistics API's query parameters.

Validation of what the figures may be cut by stays in one place, `datasets.query` (the API
uses it too); this form only renders the controls with the shared includes and carries the
error `query` raised back to the field it belongs to, with what the person typed kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insights.datasets import VERSION_DIMS, Dataset, DatasetError, parse

# The capacity page's longest period: two years of centre × month rows on one page.
MAX_CAPACITY_MONTHS = 24


def _centre_options(scope: frozenset[int] | None) -> list[tuple[str, str]]:
    from programmes.models import Centre

    centres = Centre.objects.order_by("name")
    if scope is not None:
        centres = centres.filter(pk__in=scope)
    return [(str(pk), name) for pk, name in centres.values_list("pk", "name")]


def _programme_options() -> list[tuple[str, str]]:
    from core.localize import localized
    from programmes.models import Programme

    return [(str(p.pk), localized(p, "name")) for p in Programme.objects.only("pk", "name_ko", "name_en")]


def _partner_options() -> list[tuple[str, str]]:
    from referrals.models import Partner

    return [(str(pk), name) for pk, name in Partner.objects.order_by("name").values_list("pk", "name")]


def _month_fields() -> dict[str, forms.Field]:
    """`from` and `to` as typed text (YYYY-MM), the same on every statistics page: a browser's
    month picker is not in every browser, and its value could not carry our Korean errors."""
    month = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "2026-03"}
    return {
        "from": forms.CharField(label=_("시작 달 (YYYY-MM)"), required=False, max_length=7, widget=forms.TextInput(attrs=month)),
        "to": forms.CharField(label=_("끝 달 (YYYY-MM)"), required=False, max_length=7, widget=forms.TextInput(attrs=month)),
    }


def filter_form(spec: Dataset, data: Any, scope: frozenset[int] | None) -> forms.Form:
    """A bound form for `spec`'s dashboard page: by, one choice per filterable dimension, from, to."""
    fields: dict[str, forms.Field] = {
        "by": forms.ChoiceField(
            label=_("나누어 볼 기준"), required=False,
            choices=[("", _("나누지 않음 (전체)")), *((d.code, d.label) for d in spec.dims)],
        )
    }
    for d in spec.dims:
        if d.code == "month":
            continue
        if d.values is not None:
            options = d.values()
        elif d.code == "centre":
            options = _centre_options(scope)
        elif d.code == "programme":
            options = _programme_options()
        elif d.code == "partner":
            options = _partner_options()
        elif d.code in VERSION_DIMS:
            # Typed, not chosen: the versions are in the `by` breakdown, and a list would cost a query per page.
            fields[d.code] = forms.CharField(
                label=d.label, required=False, max_length=40,
                help_text=_("비워 두면 모든 버전입니다. 버전별로 나누어 보면 있는 버전이 나옵니다."),
            )
            continue
        else:
            continue
        fields[d.code] = forms.ChoiceField(label=d.label, required=False, choices=[("", _("전체")), *options])
    fields.update(_month_fields())
    form = type("FilterForm", (forms.Form,), fields)(data, auto_id="f-%s")
    form.is_valid()  # choices outside the lists are refused here, in Korean, with the field kept
    return form


def attach(form: forms.Form, error: DatasetError) -> None:
    """Show `error` (raised by datasets.query) at its field, or above the form."""
    field = error.field if error.field in form.fields else None
    if field is not None and form.has_error(field):
        del form.errors[field]  # the dataset's message says which values are allowed; Django's does not
    form.add_error(field, error.message)


@dataclass(frozen=True)
class CapacityPeriod:
    form: forms.Form
    first: dt.date
    last: dt.date
    valid: bool


def _add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def capacity_period(data: Any, this_month: dt.date) -> CapacityPeriod:
    """The capacity page's months, validated like the datasets' (`datasets.parse`): a month
    left empty is this month (from) or two months on (to); a wrong month, `to` before `from`
    or more than two years is an error at its field, and the page shows the default period."""
    form = type("CapacityForm", (forms.Form,), _month_fields())(data, auto_id="f-%s")
    default_first, default_last = this_month, _add_months(this_month, 2)
    if not form.is_valid():  # longer than YYYY-MM: Django's own (Korean) message
        return CapacityPeriod(form, default_first, default_last, valid=False)
    try:
        params = parse((), {"from": form.cleaned_data["from"].strip(), "to": form.cleaned_data["to"].strip()})
        first = params.first or default_first
        last = params.last or (_add_months(first, 2) if params.first else default_last)
        if last < first:
            raise DatasetError("to", str(_("끝 달은 시작 달과 같거나 뒤여야 합니다.")), "invalid_range")
        if (last.year - first.year) * 12 + last.month - first.month >= MAX_CAPACITY_MONTHS:
            raise DatasetError("to", str(_("한 번에 %(n)d개월까지 볼 수 있습니다. 기간을 줄여 주세요.") % {"n": MAX_CAPACITY_MONTHS}), "range_too_long")
    except DatasetError as error:
        attach(form, error)
        return CapacityPeriod(form, default_first, default_last, valid=False)
    return CapacityPeriod(form, first, last, valid=True)
