"""Forms of the 폐강 prevention pages: the operator's one-step options, opening a session
for a pool of interest, and registering interest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import vocabulary
from core.roles import ALL, Perm, centre_scope
from programmes.forms import LocalDateTimeInput, session_programmes
from programmes.models import Centre, Mode, Session, TimeOfDay
from rescue.pooling import INTEREST_NOTICE_VERSION, NewSession


def _session_label(session: Session) -> str:
    local = session.local_starts_at
    place = session.get_mode_display() if session.mode == Mode.ONLINE_LIVE else session.place
    return f"{local:%Y-%m-%d %H:%M} · {place}"


class MergeForm(forms.Form):
    target = forms.TypedChoiceField(
        label=_("합칠 회차"), coerce=int,
        help_text=_("신청한 사람이 모두 이 회차로 옮겨집니다. 정원을 넘는 사람은 대기자가 됩니다."),
        error_messages={"required": _("합칠 회차를 골라 주세요."), "invalid_choice": _("목록에 있는 회차를 골라 주세요.")},
    )

    def __init__(self, *args: Any, targets: list[Session], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["target"]
        choices: list[tuple[Any, Any]] = [("", _("회차를 고르세요"))]
        for s in targets:
            free = max(s.capacity - s.confirmed_total - s.held_total, 0)  # type: ignore[attr-defined]
            choices.append((s.pk, _("%(session)s (남은 자리 %(free)s)") % {"session": _session_label(s), "free": free}))
        field.choices = choices


class MoveOnlineForm(forms.Form):
    online_url = forms.URLField(
        label=_("온라인 접속 주소"), max_length=500, assume_scheme="https",
        help_text=_("확정된 분들께 보내는 화상 교육 접속 주소입니다."),
        error_messages={"required": _("접속 주소를 입력해 주세요."), "invalid": _("https://로 시작하는 주소를 입력해 주세요.")},
    )


class ExtendForm(forms.Form):
    enrolment_deadline = forms.DateTimeField(
        label=_("새 신청 마감 일시"), widget=LocalDateTimeInput(),
        help_text=_("교육 시작 전이어야 합니다. 모집 마감된 회차는 다시 모집을 시작합니다."),
        error_messages={
            "required": _("새 신청 마감 일시를 입력해 주세요."),
            "invalid": _("신청 마감 일시를 2025-03-02 18:00 형식으로 입력해 주세요."),
        },
    )


class InterestForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("프로그램"), queryset=session_programmes(), empty_label=_("프로그램을 고르세요"),
        error_messages={"required": _("프로그램을 골라 주세요."), "invalid_choice": _("목록에 있는 프로그램을 골라 주세요.")},
    )
    region = forms.ChoiceField(
        label=_("지역"), required=False, choices=[("", _("온라인이면 충분합니다")), *vocabulary.choices(vocabulary.REGIONS)],
        help_text=_("교육장에 직접 갈 수 있는 시·도를 고릅니다."),
    )
    time_of_day = forms.ChoiceField(
        label=_("참여할 수 있는 시간"), choices=TimeOfDay.choices, widget=forms.RadioSelect,
        help_text=_("평일 저녁은 오후 6시 이후입니다."),
        error_messages={"required": _("참여할 수 있는 시간을 골라 주세요.")},
    )
    agree = forms.BooleanField(
        label=_("위 안내를 읽었고, 개설 희망 정보를 저장하는 데 동의합니다"),
        error_messages={"required": _("동의해야 개설 희망을 등록할 수 있습니다.")},
    )
    notice_version = forms.CharField(widget=forms.HiddenInput, initial=INTEREST_NOTICE_VERSION)


class PoolSessionForm(forms.Form):
    """An operator opens a session for a pool; the pool fixes programme, region and time of day."""

    mode = forms.ChoiceField(label=_("운영 방식"), choices=Mode.choices, widget=forms.RadioSelect)
    centre = forms.ModelChoiceField(label=_("센터"), queryset=Centre.objects.none(), required=False)
    employer_place = forms.CharField(label=_("기업출강 장소"), max_length=200, required=False)
    online_url = forms.URLField(label=_("온라인 접속 주소"), max_length=500, required=False, assume_scheme="https")
    starts_at = forms.DateTimeField(label=_("시작 일시"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("종료 일시"), widget=LocalDateTimeInput())
    enrolment_deadline = forms.DateTimeField(label=_("신청 마감 일시"), widget=LocalDateTimeInput())
    capacity = forms.IntegerField(label=_("정원"), min_value=1, max_value=500)
    min_enrolment = forms.IntegerField(label=_("최소 개설 인원"), min_value=1, max_value=500)

    def __init__(self, *args: Any, region: str, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        centre_field: Any = self.fields["centre"]
        centre_field.queryset = Centre.objects.filter(region=region).order_by("name") if region else Centre.objects.none()
        mode_field: Any = self.fields["mode"]
        if not region:
            mode_field.choices = [(Mode.ONLINE_LIVE.value, Mode.ONLINE_LIVE.label)]
        scope = centre_scope(user, Perm.ROSTERS)
        if scope is not ALL:
            # A session without a centre is reached only by a national scope (core/roles.py):
            # someone else opens the pool at one of their own centres.
            centre_field.queryset = centre_field.queryset.filter(pk__in=scope)
            centre_field.error_messages["invalid_choice"] = _("담당하는 센터 중에서 골라 주세요.")
            mode_field.choices = [(Mode.CENTRE.value, Mode.CENTRE.label)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("enrolment_deadline")
        if starts and starts <= timezone.now():
            self.add_error("starts_at", _("시작 일시는 지금보다 뒤여야 합니다."))
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("종료 일시는 시작 일시보다 뒤여야 합니다."))
        if starts and deadline and deadline > starts:
            self.add_error("enrolment_deadline", _("신청 마감 일시는 시작 일시와 같거나 앞서야 합니다."))
        if deadline and deadline <= timezone.now():
            self.add_error("enrolment_deadline", _("신청 마감 일시는 지금보다 뒤여야 합니다."))
        capacity, minimum = data.get("capacity"), data.get("min_enrolment")
        if capacity and minimum and capacity < minimum:
            self.add_error("capacity", _("정원은 최소 개설 인원보다 적을 수 없습니다."))
        mode = data.get("mode")
        if mode == Mode.CENTRE and not data.get("centre"):
            self.add_error("centre", _("센터 교육은 센터를 골라야 합니다."))
        if mode == Mode.EMPLOYER_SITE and not data.get("employer_place"):
            self.add_error("employer_place", _("기업출강은 기업 이름과 장소를 적어야 합니다."))
        return data

    def new_session(self) -> NewSession:
        data = self.cleaned_data
        return NewSession(
            mode=data["mode"], starts_at=data["starts_at"], ends_at=data["ends_at"],
            enrolment_deadline=data["enrolment_deadline"], capacity=data["capacity"],
            min_enrolment=data["min_enrolment"], centre=data.get("centre"),
            employer_place=data.get("employer_place") or "", online_url=data.get("online_url") or "",
            region=self.region if data["mode"] == Mode.EMPLOYER_SITE else "",
        )
