from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.services import SMS_NOTICE_VERSION

MOBILE = re.compile(r"^01[016789]\d{7,8}$")


class SmsOptInForm(forms.Form):
    phone = forms.CharField(
        label=_("휴대전화 번호"), max_length=20,
        help_text=_("예: 010-1234-5678. 교육 일정 안내 문자만 보냅니다."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": _("휴대전화 번호를 입력해 주세요.")},
    )
    agree = forms.BooleanField(
        label=_("위 안내를 읽었고, 문자 알림을 위해 휴대전화 번호를 저장하는 데 동의합니다"),
        error_messages={"required": _("동의해야 문자 알림을 받을 수 있습니다.")},
    )
    notice_version = forms.CharField(widget=forms.HiddenInput, initial=SMS_NOTICE_VERSION)

    def clean_phone(self) -> str:
        digits = re.sub(r"[\s\-()]", "", self.cleaned_data["phone"])
        if not MOBILE.match(digits):
            raise forms.ValidationError(_("010으로 시작하는 휴대전화 번호를 숫자로 입력해 주세요. 예: 010-1234-5678"))
        return digits
