from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.cache import caches
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab
from core.fragments import fragment, fragment_key
from core.roles import ALL, Perm, centre_scope
from programmes.models import REGIONS, Mode, Programme, Session, TimeOfDay, Track
from programmes.queries import PUBLIC_MODES, SEARCH_FIELDS, SessionFilters

MONTHS_AHEAD = 6


def month_choices(today: dt.date) -> list[tuple[str, str]]:
    choices = []
    year, month = today.year, today.month
    for _i in range(MONTHS_AHEAD):
        choices.append((f"{year:04d}-{month:02d}", formats.date_format(dt.date(year, month, 1), "YEAR_MONTH_FORMAT")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


def session_programmes() -> Any:
    """Programmes that run as sessions (not the self-paced online courses)."""
    return Programme.objects.exclude(track=Track.ONLINE_COURSE).order_by("track", "order", "slug")


def session_programme_choices() -> list[tuple[str, str]]:
    """(slug, name) of `session_programmes()`, read once per process until programmes change."""
    return fragment("programmes", "programme-choices", build=lambda: [(p.slug, p.name_ko) for p in session_programmes()])


class SessionSearchForm(forms.Form):
    """GET form of the session search; every field is optional and an invalid value is
    reported and ignored rather than failing the page."""

    programme = forms.ChoiceField(
        label=_("프로그램"), required=False, error_messages={"invalid_choice": _("목록에서 프로그램을 골라 주세요.")},
    )
    region = forms.ChoiceField(
        label=_("지역"), required=False, choices=[("", _("전체 지역")), *REGIONS],
        error_messages={"invalid_choice": _("목록에서 시·도를 골라 주세요.")},
    )
    month = forms.ChoiceField(label=_("달"), required=False, error_messages={"invalid_choice": _("목록에서 달을 골라 주세요.")})
    time_of_day = forms.ChoiceField(
        label=_("시간대"), required=False, choices=[("", _("전체 시간대")), *TimeOfDay.choices],
        help_text=_("평일 저녁은 오후 6시 이후에 시작하는 회차입니다."),
        error_messages={"invalid_choice": _("목록에서 시간대를 골라 주세요.")},
    )
    mode = forms.ChoiceField(
        label=_("방식"), required=False,
        choices=[("", _("전체 방식")), *[(m.value, m.label) for m in Mode if m in PUBLIC_MODES]],
        error_messages={"invalid_choice": _("목록에서 방식을 골라 주세요.")},
    )

    for_band = forms.ChoiceField(
        label=_("나에게 맞는 과정만: 연령대"), required=False, choices=[("", _("전체 연령대")), *vocab.choices(vocab.AGE_BANDS)],
        error_messages={"invalid_choice": _("목록에서 연령대를 골라 주세요.")},
    )
    for_status = forms.ChoiceField(
        label=_("나에게 맞는 과정만: 지금 상황"), required=False, choices=[("", _("전체 상황")), *vocab.choices(vocab.EMPLOYMENT_STATUSES)],
        help_text=_("재직자 과정, 구직자 과정처럼 대상이 정해진 과정 가운데 나에게 맞는 것만 보여 줍니다."),
        error_messages={"invalid_choice": _("목록에서 지금 상황을 골라 주세요.")},
    )
    for_firm = forms.ChoiceField(
        label=_("나에게 맞는 과정만: 다니는 회사의 직원 수"), required=False, choices=[("", _("답하지 않음")), *vocab.choices(vocab.FIRM_SIZES)],
        error_messages={"invalid_choice": _("목록에서 직원 수를 골라 주세요.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme_field: Any = self.fields["programme"]
        programme_field.choices = [("", _("전체 프로그램")), *session_programme_choices()]
        month_field: Any = self.fields["month"]
        month_field.choices = [("", _("전체 기간")), *month_choices(timezone.localdate())]

    def filters(self) -> SessionFilters:
        if not self.is_bound:
            return SessionFilters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return SessionFilters.of(data)


def search_filters(params: QueryDict) -> tuple[SessionFilters, SessionSearchForm | None]:
    """The session search's filters from its query string, and the bound form when it has
    errors (the page shows them, and its title says "오류:").

    The filters of a valid query are kept per process (scope "programmes": the programme
    choices; this month in the key: the month choices start with it), so a repeated search
    builds no form — copying nine fields with their choices was a third of a filtered
    search's time (docs/performance.md). A query with errors is never kept."""
    if not params:
        return SessionFilters(), None
    query = urlencode(sorted((name, value) for name in SEARCH_FIELDS for value in params.getlist(name)))
    digest = hashlib.sha256(query.encode()).hexdigest()[:24]
    key = fragment_key("programmes", "search-filters", timezone.localdate().strftime("%Y-%m"), digest)
    store = caches["fragments"]
    kept = store.get(key)
    if isinstance(kept, SessionFilters):
        return kept, None
    form = SessionSearchForm(params)
    filters = form.filters()
    if form.errors:
        return filters, form
    store.set(key, filters)
    return filters, None


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SessionForm(forms.ModelForm):
    """Staff create and edit sessions. Times are entered in Seoul time."""

    open_now = forms.BooleanField(label=_("저장하면서 바로 모집을 시작합니다"), required=False)
    online_url = forms.URLField(
        label=_("온라인 접속 주소"), required=False, assume_scheme="https", max_length=500,
        help_text=_("온라인 실시간이면 접속 주소를 적습니다. 확정된 신청자에게만 보입니다."),
        error_messages={"invalid": _("접속 주소를 https://로 시작하는 인터넷 주소로 입력해 주세요.")},
    )

    class Meta:
        model = Session
        fields = [
            "programme", "mode", "centre", "region", "employer_place", "online_url",
            "starts_at", "ends_at", "enrolment_deadline", "capacity", "min_enrolment",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "enrolment_deadline": LocalDateTimeInput(),
            "mode": forms.RadioSelect,
        }
        help_texts = {
            "centre": _("센터 교육이면 꼭 고릅니다."),
            "region": _("기업출강이면 기업이 있는 지역을 고릅니다. 센터 교육은 센터의 지역이 자동으로 들어갑니다."),
            "employer_place": _("기업출강이면 기업 이름과 교육 장소를 적습니다."),
            "enrolment_deadline": _("이 시각까지 신청을 받습니다. 시작 일시보다 앞서야 합니다."),
            "min_enrolment": _("이 인원보다 적으면 폐강될 수 있습니다."),
        }
        error_messages = {
            "programme": {"required": _("프로그램을 골라 주세요.")},
            "starts_at": {"required": _("시작 일시를 입력해 주세요."), "invalid": _("시작 일시를 2025-03-04 10:00 형식으로 입력해 주세요.")},
            "ends_at": {"required": _("종료 일시를 입력해 주세요."), "invalid": _("종료 일시를 2025-03-04 16:00 형식으로 입력해 주세요.")},
            "enrolment_deadline": {"required": _("신청 마감 일시를 입력해 주세요."), "invalid": _("신청 마감 일시를 2025-03-02 18:00 형식으로 입력해 주세요.")},
            "capacity": {"required": _("정원을 입력해 주세요."), "invalid": _("정원은 숫자로 입력해 주세요.")},
            "min_enrolment": {"required": _("최소 개설 인원을 입력해 주세요."), "invalid": _("최소 개설 인원은 숫자로 입력해 주세요.")},
        }

    def __init__(self, *args: Any, user: Any, confirmed: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.confirmed = confirmed
        programme_field: Any = self.fields["programme"]
        programme_field.queryset = session_programmes()
        centre_field: Any = self.fields["centre"]
        centre_field.queryset = centre_field.queryset.order_by("region", "name")
        narrow_to_scope(self, user)
        self.fields["capacity"].min_value = 1  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["open_now"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends, deadline = data.get("starts_at"), data.get("ends_at"), data.get("enrolment_deadline")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("종료 일시는 시작 일시보다 뒤여야 합니다."))
        if starts and deadline and deadline > starts:
            self.add_error("enrolment_deadline", _("신청 마감 일시는 시작 일시와 같거나 앞서야 합니다."))
        if starts and not self.instance.pk and starts <= timezone.now():
            self.add_error("starts_at", _("시작 일시는 지금보다 뒤여야 합니다."))
        capacity, minimum = data.get("capacity"), data.get("min_enrolment")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", _("정원은 1명 이상이어야 합니다."))
        elif capacity is not None and minimum is not None and capacity < minimum:
            self.add_error("capacity", _("정원은 최소 개설 인원보다 적을 수 없습니다."))
        if capacity is not None and capacity < self.confirmed:
            self.add_error("capacity", _("정원은 이미 확정된 인원(%(n)d명)보다 적을 수 없습니다.") % {"n": self.confirmed})
        mode = data.get("mode")
        if mode == Mode.CENTRE and not data.get("centre"):
            self.add_error("centre", _("센터 교육은 센터를 골라야 합니다."))
        if mode == Mode.EMPLOYER_SITE:
            if not data.get("employer_place"):
                self.add_error("employer_place", _("기업출강은 기업 이름과 장소를 적어야 합니다."))
            if not data.get("region"):
                self.add_error("region", _("기업출강은 지역을 골라야 합니다."))
        if mode != Mode.CENTRE:
            data["centre"] = data.get("centre") if mode == Mode.EMPLOYER_SITE else None
        if mode and not self.national and not data.get("centre") and "centre" not in self.errors:  # type: ignore[attr-defined]
            self.add_error("centre", _("담당하는 센터를 골라 주세요."))
        return data

    def session_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def narrow_to_scope(form: forms.BaseForm, user: Any) -> None:
    """Staff create sessions only where they may see them afterwards: the centre choices
    are the centres in their `Perm.ROSTERS` scope. A session without a centre (online live,
    or 기업출강 with no centre) is reached only by a national scope, so only a national
    person is offered those; anyone else must name one of their centres."""
    scope = centre_scope(user, Perm.ROSTERS)
    form.national = scope is ALL  # type: ignore[attr-defined]
    centre_field: Any = form.fields["centre"]
    centre_field.error_messages["invalid_choice"] = _("담당하는 센터 중에서 골라 주세요.")
    mode_field: Any = form.fields["mode"]
    if scope is not ALL:
        centre_field.queryset = centre_field.queryset.filter(pk__in=scope)
        mode_field.choices = [(value, label) for value, label in mode_field.choices if value != Mode.ONLINE_LIVE]


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        choices=[("1", _("출석")), ("0", _("결석"))], coerce=lambda v: v == "1", empty_value=None
    )

