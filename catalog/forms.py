"""Forms of the catalogue: the public filter form (GET) and the operators' service form."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog import vocab
from catalog.models import Service
from catalog.queries import Filters

ANY: vocab.Choices = [("", _("전체"))]
AGE_MIN, AGE_MAX = 0, 120


class FilterForm(forms.Form):
    """The catalogue's GET filters. Invalid values are reported and ignored, never a 500."""

    q = forms.CharField(
        label=_("검색어"),
        required=False,
        max_length=100,
        help_text=_("서비스 이름, 운영 기관, 소개에서 찾습니다. 단어 일부만 적어도 됩니다. 예: 창업, 폴리텍"),
        error_messages={"max_length": _("검색어는 %(limit_value)d자 이내로 적어 주세요.")},
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    goal = forms.ChoiceField(label=_("목표 유형"), required=False, choices=ANY + vocab.GOALS,
                             error_messages={"invalid_choice": _("목록에서 목표 유형을 골라 주세요.")})
    stage = forms.ChoiceField(label=_("단계"), required=False, choices=ANY + vocab.STAGE_CHOICES,
                              error_messages={"invalid_choice": _("목록에서 단계를 골라 주세요.")})
    age = forms.IntegerField(
        label=_("나이 (만)"),
        required=False,
        min_value=AGE_MIN,
        max_value=AGE_MAX,
        help_text=_("적으면 그 나이에 이용할 수 있는 서비스만 보여 줍니다. 예: 52"),
        error_messages={
            "invalid": _("나이는 52처럼 숫자로 적어 주세요."),
            "min_value": _("나이는 0 이상으로 적어 주세요."),
            "max_value": _("나이는 120 이하로 적어 주세요."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    region = forms.ChoiceField(label=_("지역 (시·도)"), required=False, choices=ANY + vocab.REGIONS,
                               help_text=_("전국 어디서나 이용할 수 있는 서비스도 함께 보여 줍니다."),
                               error_messages={"invalid_choice": _("목록에서 시·도를 골라 주세요.")})
    delivery = forms.ChoiceField(
        label=_("이용 방법"),
        required=False,
        choices=ANY + [("online", _("온라인")), ("offline", _("오프라인 (방문)"))],
        help_text=_("온라인·오프라인을 모두 제공하는 서비스는 어느 쪽을 골라도 나옵니다."),
        error_messages={"invalid_choice": _("목록에서 이용 방법을 골라 주세요.")},
    )
    owner = forms.ChoiceField(
        label=_("운영 주체"),
        required=False,
        choices=ANY + vocab.OWNER_CHOICES,
        help_text=_("운영기관(노사발전재단·중장년내일센터)의 서비스, 고용노동부 서비스, 다른 기관의 서비스 중에서 고릅니다."),
        error_messages={"invalid_choice": _("목록에서 운영 주체를 골라 주세요.")},
    )

    def filters(self) -> Filters:
        """The valid part of the input (fields with errors are ignored)."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return Filters(
            q=data.get("q") or "",
            goal=data.get("goal") or "",
            stage=data.get("stage") or "",
            age=data.get("age"),
            region=data.get("region") or "",
            delivery=data.get("delivery") or "",
            owner=data.get("owner") or "",
        )


def _multi(label: Any, choices: vocab.Choices, help_text: Any = "", required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("하나 이상 골라 주세요."), "invalid_choice": _("목록에 있는 값만 고를 수 있습니다.")},
    )


class SourcesField(forms.CharField):
    """A list of sources, one per line: an address (https://...) or a short citation."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(source_line(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value)
        return [line.strip() for line in str(text).splitlines() if line.strip()]


def source_line(item: Any) -> str:
    if isinstance(item, dict):
        return " ".join(str(item.get(k)) for k in ("title", "url") if item.get(k))
    return str(item)


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class ServiceForm(forms.ModelForm):
    """The operators' edit form. Validation only; saving goes through catalog.services.

    Cross-field rules (age_min <= age_max) live in Service.clean, which the ModelForm
    runs, so the form, the loader and the actions share one set of rules.
    """

    stages = _multi(_("단계"), vocab.STAGE_CHOICES, required=True)
    goals = _multi(_("목표 유형"), vocab.GOALS, required=True)
    statuses = _multi(_("대상 고용 상태"), vocab.STATUSES, _("아무것도 고르지 않으면 모든 상태가 이용할 수 있습니다."))
    regions = _multi(_("지역 (시·도)"), vocab.REGIONS, _("아무것도 고르지 않으면 전국입니다."))
    time_slots = _multi(_("이용 가능 시간"), vocab.TIME_SLOT_CHOICES)
    audiences = _multi(_("대상 집단"), vocab.AUDIENCE_CHOICES, _("특정 집단만을 위한 서비스일 때 고릅니다. 아무것도 고르지 않으면 제한 없음입니다."))
    url = forms.URLField(
        label=_("공식 사이트"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("운영 기관의 공식 누리집 주소. 확인하지 못했으면 비워 두세요."),
        error_messages={"invalid": _("https://로 시작하는 올바른 주소를 적어 주세요.")},
    )
    sources = SourcesField(
        label=_("출처"),
        required=False,
        help_text=_("한 줄에 하나씩. 기사·공식 누리집 주소(https://...) 또는 짧은 출처 설명."),
    )

    class Meta:
        model = Service
        formfield_callback = _formfield
        fields = [
            "slug", "name_ko", "name_en", "operator_ko", "kind", "stages", "goals", "age_min", "age_max",
            "statuses", "regions", "audiences", "firm_size_min", "firm_size_max", "delivery", "time_slots", "cost_ko",
            "duration_ko", "duration_weeks", "summary_ko", "summary_en", "how_to_apply_ko", "url", "sources", "checked_on",
            "research_note", "is_active",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "checked_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "age_min": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "age_max": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "duration_weeks": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "summary_ko": forms.Textarea(attrs={"rows": 4}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "how_to_apply_ko": forms.Textarea(attrs={"rows": 3}),
            "research_note": forms.Textarea(attrs={"rows": 4}),
            "firm_size_min": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "firm_size_max": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }
        help_texts = {
            "slug": _("주소에 쓰는 영문 식별자. 영문 소문자, 숫자, 하이픈(-)만. 예: polytech-new-middle-age. 만든 뒤에는 바꿀 수 없습니다."),
            "age_min": _("비워 두면 제한 없음"),
            "age_max": _("비워 두면 제한 없음"),
            "duration_weeks": _("대략의 기간(주). 모르면 비워 두세요."),
            "checked_on": _("공식 출처에서 내용을 마지막으로 확인한 날. 예: 2025-03-31"),
            "is_active": _("끄면 공개 목록과 API에서 보이지 않습니다."),
            "how_to_apply_ko": _("시민이 실제로 신청하는 방법. 모르면 문의할 곳을 적으세요(예: 가까운 중장년내일센터, 고용노동부 고객상담센터 1350)."),
            "research_note": _("운영자만 보는 메모: 출처의 한계, 찾아보았지만 확인하지 못한 것. 공개 화면과 API에는 나오지 않습니다."),
        }
        error_messages = {
            "slug": {
                "required": _("식별자를 적어 주세요."),
                "invalid": _("식별자는 영문 소문자, 숫자, 하이픈(-)만 쓸 수 있습니다."),
                "unique": _("이 식별자는 이미 다른 서비스가 쓰고 있습니다. 다른 식별자를 적어 주세요."),
            },
            "name_ko": {"required": _("서비스 이름을 적어 주세요.")},
            "kind": {"required": _("구분을 골라 주세요."), "invalid_choice": _("목록에서 구분을 골라 주세요.")},
            "delivery": {"required": _("제공 방식을 골라 주세요."), "invalid_choice": _("목록에서 제공 방식을 골라 주세요.")},
            "summary_ko": {"required": _("소개를 적어 주세요.")},
            "age_min": {"invalid": _("나이는 숫자로 적어 주세요. 예: 40"), "min_value": _("나이는 0 이상이어야 합니다.")},
            "age_max": {"invalid": _("나이는 숫자로 적어 주세요. 예: 65"), "min_value": _("나이는 0 이상이어야 합니다.")},
            "duration_weeks": {"invalid": _("기간은 주 단위 숫자로 적어 주세요. 예: 6"), "min_value": _("기간은 0 이상이어야 합니다.")},
            "checked_on": {"invalid": _("날짜는 2025-03-31처럼 적어 주세요.")},
            "firm_size_min": {"invalid": _("기업 규모는 숫자로 적어 주세요. 예: 1000")},
            "firm_size_max": {"invalid": _("기업 규모는 숫자로 적어 주세요. 예: 999")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["slug"]  # other apps and links refer to services by slug
        for name, choices in (("kind", vocab.KINDS), ("delivery", vocab.DELIVERIES)):
            cast(forms.ChoiceField, self.fields[name]).choices = choices  # no empty "---------" radio

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}
