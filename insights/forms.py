"""The dashboard's filter form: the same fields as the statistics API's query parameters.

Validation of what the figures may be cut by stays in one place, `datasets.query` (the API
uses it too); this form only renders the controls with the shared includes and carries the
error `query` raised back to the field it belongs to, with what the person typed kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from insights.datasets import Dataset, DatasetError


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
        else:
            continue
        fields[d.code] = forms.ChoiceField(label=d.label, required=False, choices=[("", _("전체")), *options])
    month = {"inputmode": "numeric", "autocomplete": "off", "placeholder": "2026-03"}
    fields["from"] = forms.CharField(label=_("시작 달 (YYYY-MM)"), required=False, max_length=7, widget=forms.TextInput(attrs=month))
    fields["to"] = forms.CharField(label=_("끝 달 (YYYY-MM)"), required=False, max_length=7, widget=forms.TextInput(attrs=month))
    form = type("FilterForm", (forms.Form,), fields)(data, auto_id="f-%s")
    form.is_valid()  # choices outside the lists are refused here, in Korean, with the field kept
    return form


def attach(form: forms.Form, error: DatasetError) -> None:
    """Show `error` (raised by datasets.query) at its field, or above the form."""
    field = error.field if error.field in form.fields else None
    if field is not None and form.has_error(field):
        del form.errors[field]  # the dataset's message says which values are allowed; Django's does not
    form.add_error(field, error.message)
