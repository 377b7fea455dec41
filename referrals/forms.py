from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from referrals.models import REFERRAL_ITEMS, Partner, ReferralStatus
from referrals.services import NOTE_MAX, REASON_MAX

ITEM_CHOICES = [(code, label) for code, label in REFERRAL_ITEMS]


class ReferForm(forms.Form):
    """A counsellor's referral: the service and partner as one choice (a partner may
    deliver several services), the items the person agreed to, and that agreement."""

    target = forms.ChoiceField(label=_("연계 서비스와 기관"), error_messages={"required": _("연계할 서비스와 기관을 고르세요."), "invalid_choice": _("연계할 서비스와 기관을 다시 고르세요.")})
    items = forms.MultipleChoiceField(
        label=_("본인이 기관에 보여 주기로 한 항목"), choices=ITEM_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("고르지 않은 항목은 기관이 볼 수 없습니다. 이 연계에만 적용됩니다."),
    )
    note = forms.CharField(label=_("기관에 전하는 말"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    consent = forms.BooleanField(label=_("본인이 동의했습니다"), error_messages={"required": _("본인의 동의를 받은 뒤에 표시해 주세요.")})

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("고르세요")), *targets]  # type: ignore[attr-defined]

    def target_ids(self) -> tuple[int, int]:
        service_id, partner_id = self.cleaned_data["target"].split(":")
        return int(service_id), int(partner_id)


class SelfReferForm(forms.Form):
    partner = forms.ModelChoiceField(
        label=_("연계 기관"), queryset=Partner.objects.none(), empty_label=None,
        error_messages={"required": _("기관을 고르세요."), "invalid_choice": _("기관을 다시 고르세요.")},
    )
    items = forms.MultipleChoiceField(
        label=_("기관에 보여 줄 항목 (하나씩 골라 주세요)"), choices=ITEM_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("고른 항목만 이 기관이 볼 수 있습니다. 연락처를 고르지 않으면 기관이 먼저 연락할 수 없습니다."),
    )
    note = forms.CharField(label=_("기관에 전하는 말"), max_length=NOTE_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, partners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners  # type: ignore[attr-defined]


MOVES = [(s, label) for s, label in ReferralStatus.choices if s != ReferralStatus.RECEIVED]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("바꿀 상태"), choices=MOVES, error_messages={"required": _("바꿀 상태를 고르세요."), "invalid_choice": _("바꿀 상태를 다시 고르세요.")})
    reason = forms.CharField(
        label=_("사유"), max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("거절할 때는 꼭 적어 주세요. 본인에게 그대로 전달됩니다."),
    )
    # The status the page showed: a form sent again after the status moved on is refused.
    expected = forms.CharField(widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ReferralStatus.DECLINED and not (data.get("reason") or "").strip():
            self.add_error("reason", _("거절 사유를 입력하세요."))
        return data
