"""Forms of the counsellor's pages: hours, exceptions, case work, walk-ins. Each keeps
what was typed when it is refused (bound forms re-render their input)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab
from counselling.models import Mode, ShareItem
from programmes.models import Centre

WEEKDAYS = [(int(term.code), term.label) for term in vocab.WEEKDAYS]
TIME = forms.TimeInput(attrs={"type": "time", "step": 1800}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CentreChoiceForm(forms.Form):
    """A form with a `centre` choice narrowed to the centres in the person's scope."""

    centre = forms.ModelChoiceField(label=_("센터"), queryset=Centre.objects.none(), empty_label=None)

    def __init__(self, *args: Any, centres: list[Centre], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["centre"]
        field.queryset = Centre.objects.filter(pk__in=[c.pk for c in centres]).order_by("region", "name")
        if len(centres) == 1:
            field.initial = centres[0].pk


class WeeklyHoursForm(CentreChoiceForm):
    weekday = forms.TypedChoiceField(label=_("요일"), choices=WEEKDAYS, coerce=int)
    starts = forms.TimeField(label=_("시작 시각"), widget=TIME, help_text=_("예: 09:00. 평일 저녁과 주말도 열 수 있습니다."))
    ends = forms.TimeField(label=_("종료 시각"), widget=TIME, help_text=_("예: 18:00. 마지막 상담이 끝나는 시각입니다."))
    slot_minutes = forms.TypedChoiceField(
        label=_("상담 1회 길이"), choices=[(30, _("30분")), (60, _("60분"))], coerce=int, initial=60, widget=forms.RadioSelect
    )
    modes = forms.MultipleChoiceField(
        label=_("상담 방식"), choices=Mode.choices, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("상담 방식을 하나 이상 고르세요.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if isinstance(starts, dt.time) and isinstance(ends, dt.time) and ends <= starts:
            self.add_error("ends", _("종료 시각은 시작 시각보다 늦어야 합니다."))
        return data


class ExceptionForm(forms.Form):
    date = forms.DateField(label=_("날짜"), widget=DATE)
    starts = forms.TimeField(label=_("시작 시각 (선택)"), widget=TIME, required=False, help_text=_("하루 종일 쉬면 시각을 비워 두세요."))
    ends = forms.TimeField(label=_("종료 시각 (선택)"), widget=TIME, required=False)
    reason = forms.CharField(label=_("사유 (선택)"), max_length=100, required=False, help_text=_("예: 공휴일, 연차, 교육"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts"), data.get("ends")
        if (starts is None) != (ends is None) and not self.has_error("starts") and not self.has_error("ends"):
            self.add_error("ends" if ends is None else "starts", _("시간을 정하려면 시작과 종료를 모두 입력하세요. 하루 종일이면 둘 다 비워 두세요."))
        elif isinstance(starts, dt.time) and isinstance(ends, dt.time) and ends <= starts:
            self.add_error("ends", _("종료 시각은 시작 시각보다 늦어야 합니다."))
        return data


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("상담 메모"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("이 사례를 맡은 상담사만 봅니다. 본인이 요청하면 내려받기에 포함되고, 탈퇴하면 함께 지워집니다."),
    )


class StepForm(forms.Form):
    title = forms.CharField(label=_("합의한 할 일"), max_length=200, help_text=_("내담자의 계획에 '상담사와 합의한 단계'로 보입니다."))
    due_on = forms.DateField(label=_("목표 날짜 (선택)"), widget=DATE, required=False)


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("참석 여부"), choices=[("1", _("참석")), ("0", _("불참"))], coerce=lambda v: v == "1", widget=forms.RadioSelect
    )
    outcome = forms.CharField(
        label=_("상담 결과 (합의한 내용)"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("취소 사유"), max_length=200,
        help_text=_("내담자에게 이메일로 그대로 전달됩니다. 가장 가까운 다른 시간 3개도 함께 안내합니다."),
        error_messages={"required": _("취소 사유를 입력하세요.")},
    )


class WalkInForm(CentreChoiceForm):
    email = forms.EmailField(label=_("내담자 이메일 주소"), help_text=_("가입한 주소와 정확히 같아야 찾을 수 있습니다."))
    share = forms.MultipleChoiceField(
        label=_("본인이 상담사에게 보여 주기로 한 항목"), choices=ShareItem.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("고르지 않은 항목은 상담사가 볼 수 없습니다."),
    )
    consent = forms.BooleanField(
        label=_("본인이 이 자리에서 동의했습니다"),
        error_messages={"required": _("본인의 동의를 받은 뒤에 표시해 주세요.")},
    )
