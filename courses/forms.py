"""Forms of the courses app. Every message is Korean and a bound form keeps what was typed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab
from courses import services
from courses.models import EmployerRequest
from programmes.models import Programme

PHONE_RE = re.compile(r"^0\d{1,2}-?\d{3,4}-?\d{4}$")
NAME_MAX = 40


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def _date_field(label: Any, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages={"required": _("희망일을 하나 이상 적어 주세요."), "invalid": _("날짜를 2026-12-15처럼 적어 주세요.")},
    )


class CertificateNameForm(forms.Form):
    """The name to print, asked at download time and never stored."""

    name = forms.CharField(
        label=_("수료증에 넣을 이름"),
        required=False,
        max_length=NAME_MAX,
        help_text=_("비워 두면 계정 이메일이 들어갑니다. 적은 이름은 수료증 파일에만 쓰고 저장하지 않습니다."),
        error_messages={"max_length": _("이름은 %(limit_value)d자까지 적을 수 있습니다.")},
    )

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name") or "").split())
        if any(ch in name for ch in "<>{}"):
            raise forms.ValidationError(_("이름에는 < > { } 기호를 쓸 수 없습니다."))
        return name


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label=_("확인 코드"),
        max_length=20,
        help_text=_("수료증에 적힌 12자리 코드 (예: ABCD-EFGH-JKMN)"),
        error_messages={"required": _("확인 코드를 적어 주세요."), "max_length": _("확인 코드가 너무 깁니다.")},
    )

    def clean_code(self) -> str:
        code = services.normalise_code(self.cleaned_data["code"])
        if len(code) != services.CODE_LENGTH:
            raise forms.ValidationError(_("확인 코드는 12자리입니다. 다시 확인해 주세요."))
        return code


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Programme) -> str:
        return obj.name_ko


class EmployerRequestForm(forms.Form):
    company_name = forms.CharField(
        label=_("회사 이름"), max_length=100, error_messages={"required": _("회사 이름을 적어 주세요.")}
    )
    contact_email = forms.EmailField(
        label=_("담당자 이메일"),
        help_text=_("일정이 확정되면 직원 초대 링크를 이 주소로 보내 드립니다."),
        error_messages={"required": _("담당자 이메일을 적어 주세요."), "invalid": _("이메일 주소를 name@example.com처럼 적어 주세요.")},
    )
    contact_phone = forms.CharField(
        label=_("담당자 전화번호 (선택)"),
        required=False,
        max_length=20,
        help_text=_("일정 조율을 위해 전화가 편하면 적어 주세요. 예: 02-1234-5678"),
    )
    programme = ProgrammeChoiceField(
        label=_("프로그램"),
        queryset=Programme.objects.none(),
        empty_label=_("프로그램을 고르세요"),
        help_text=_("기업 교육장에서 진행하는 재직자 프로그램입니다."),
        error_messages={"required": _("프로그램을 골라 주세요."), "invalid_choice": _("목록에 있는 프로그램을 골라 주세요.")},
    )
    headcount = forms.IntegerField(
        label=_("참여 예정 인원"),
        help_text=_("5명부터 100명까지 신청할 수 있습니다."),
        error_messages={"required": _("참여 예정 인원을 적어 주세요."), "invalid": _("인원은 숫자로 적어 주세요.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    preferred_date_1 = _date_field(_("희망일 1"), required=True)
    preferred_date_2 = _date_field(_("희망일 2 (선택)"), required=False)
    preferred_date_3 = _date_field(_("희망일 3 (선택)"), required=False)
    region = forms.ChoiceField(
        label=_("지역 (시·도)"),
        choices=[("", _("시·도를 고르세요")), *vocab.choices(vocab.REGIONS)],
        error_messages={"required": _("교육 장소의 시·도를 골라 주세요.")},
    )
    place = forms.CharField(
        label=_("교육 장소 (주소)"),
        max_length=150,
        help_text=_("예: 서울 중구 세종대로 00, 5층 대회의실"),
        error_messages={"required": _("교육 장소의 주소를 적어 주세요."), "max_length": _("주소는 %(limit_value)d자까지 적을 수 있습니다.")},
    )
    notes = forms.CharField(
        label=_("요청 사항 (선택)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("참여 직원의 연령대, 원하는 시간대 등을 적어 주세요. 직원 개인의 이름이나 연락처는 적지 마세요."),
    )
    consent = forms.BooleanField(
        label=_("위 안내를 읽었고, 담당자 연락처 수집·이용에 동의합니다."),
        error_messages={"required": _("담당자 연락처 수집·이용에 동의해야 요청할 수 있습니다.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["programme"]
        field.queryset = Programme.objects.filter(pk__in=[p.pk for p in services.employer_programmes()]).order_by(
            "track", "order", "slug"
        )
        help_text = _("희망일은 두세 개를 적어 주시면 일정을 잡기 쉽습니다. 오늘 이후 날짜만 적을 수 있습니다.")
        self.fields["preferred_date_1"].help_text = help_text

    def clean_company_name(self) -> str:
        return " ".join(self.cleaned_data["company_name"].split())

    def clean_contact_phone(self) -> str:
        phone = self.cleaned_data.get("contact_phone", "").strip()
        if phone and not PHONE_RE.match(phone):
            raise forms.ValidationError(_("전화번호를 02-1234-5678처럼 숫자와 - 로 적어 주세요."))
        return phone

    def clean_headcount(self) -> int:
        count = self.cleaned_data["headcount"]
        if not services.HEADCOUNT_MIN <= count <= services.HEADCOUNT_MAX:
            raise forms.ValidationError(_("인원은 5명부터 100명까지 신청할 수 있습니다."))
        return int(count)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        seen: set[dt.date] = set()
        for name in ("preferred_date_1", "preferred_date_2", "preferred_date_3"):
            day = data.get(name)
            if day is None:
                continue
            if day <= today:
                self.add_error(name, _("희망일은 내일 이후 날짜여야 합니다."))
            elif day in seen:
                self.add_error(name, _("같은 날짜를 두 번 적었습니다. 다른 날짜를 적거나 비워 두세요."))
            seen.add(day)
        return data

    def preferred_dates(self) -> list[dt.date]:
        return [
            self.cleaned_data[name]
            for name in ("preferred_date_1", "preferred_date_2", "preferred_date_3")
            if self.cleaned_data.get(name)
        ]


def default_hours(programme: Programme) -> tuple[dt.time, dt.time]:
    """09:00 to 09:00 + the programme's hours (+1 h lunch break when over 4 h); 09–16 if unknown."""
    hours = float(programme.hours) if programme.hours else 6.0
    end_minutes = 9 * 60 + int(hours * 60) + (60 if hours > 4 else 0)
    end_minutes = min(end_minutes, 22 * 60)
    return dt.time(9, 0), dt.time(end_minutes // 60, end_minutes % 60)


class ScheduleForm(forms.Form):
    day = forms.DateField(
        label=_("교육 날짜"),
        widget=DateInput(),
        error_messages={"required": _("교육 날짜를 적어 주세요."), "invalid": _("날짜를 2026-12-15처럼 적어 주세요.")},
    )
    starts = forms.TimeField(
        label=_("시작 시각"),
        widget=TimeInput(),
        error_messages={"required": _("시작 시각을 적어 주세요."), "invalid": _("시각을 09:00처럼 적어 주세요.")},
    )
    ends = forms.TimeField(
        label=_("끝나는 시각"),
        widget=TimeInput(),
        error_messages={"required": _("끝나는 시각을 적어 주세요."), "invalid": _("시각을 16:00처럼 적어 주세요.")},
    )

    def __init__(self, *args: Any, request: EmployerRequest, **kwargs: Any) -> None:
        today = timezone.localdate()
        future = [d for d in request.preferred_dates if d > today]
        starts, ends = default_hours(request.programme)
        kwargs.setdefault("initial", {"day": future[0] if future else None, "starts": starts, "ends": ends})
        super().__init__(*args, **kwargs)
        listed = ", ".join(f"{d:%Y-%m-%d}" for d in request.preferred_dates)
        self.fields["day"].help_text = _("요청한 희망일: %(dates)s") % {"dates": listed}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, starts, ends = data.get("day"), data.get("starts"), data.get("ends")
        if day is not None and day <= timezone.localdate():
            self.add_error("day", _("교육 날짜는 내일 이후여야 합니다."))
        if starts is not None and ends is not None and ends <= starts:
            self.add_error("ends", _("끝나는 시각은 시작 시각보다 늦어야 합니다."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("반려 사유"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("요청한 기업 담당자에게 이메일로 전달됩니다."),
        error_messages={"required": _("반려 사유를 적어 주세요.")},
    )
