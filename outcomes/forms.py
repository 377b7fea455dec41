from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from outcomes.models import Contract, Kind
from outcomes.services import NOTE_MAX, OutcomeIn


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("지금 상황"), choices=Kind.choices, widget=forms.RadioSelect, error_messages={"required": _("지금 상황을 골라 주세요.")})
    contract = forms.ChoiceField(
        label=_("고용 형태 (취업한 경우)"), choices=[("", _("해당 없음")), *Contract.choices], required=False
    )
    on_date = forms.DateField(
        label=_("날짜"), widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("날짜를 적어 주세요."), "invalid": _("날짜를 2026-11-25처럼 적어 주세요.")},
    )
    note = forms.CharField(label=_("메모 (적지 않아도 됩니다)"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def data_in(self) -> OutcomeIn:
        c = self.cleaned_data
        return OutcomeIn(kind=c["kind"], on_date=c["on_date"], contract=c.get("contract") or "", note=c.get("note") or "")
