from __future__ import annotations

import functools
from functools import cached_property
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.utils import pretty_name
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import availability as hours
from core import vocabulary as vocab
from diagnosis import profile

REQUIRED_CHOICE = _("하나를 골라 주세요.")


class SharedFields(dict[str, forms.Field]):
    """A form's declared fields, handed to every instance as they are instead of a deep copy
    (Django copies them per form so that one form may change its own fields; copying the
    eight profile fields, their widgets and choices was ~8 % of the submit API). Only for a
    form whose code never changes `self.fields` or a field of it after declaring them."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedFields:
        return self


class LazyHelpBoundField(BoundField):
    """A BoundField whose help text is translated when something reads it (a page shows it).

    Django's BoundField translates its field's help text as the field is bound, to keep
    `help_text or ""`; the API validates every submitted profile with ProfileForm and shows
    no help text, and translating its five was a third of that validation."""

    def __init__(self, form: forms.BaseForm, field: forms.Field, name: str) -> None:
        # Django 5.2's BoundField.__init__ but the help text (test_profile_form compares them).
        self.form = form
        self.field = field
        self.name = name
        self.html_name = form.add_prefix(name)
        self.html_initial_name = form.add_initial_prefix(name)
        self.html_initial_id = form.add_initial_prefix(self.auto_id)
        self.label = pretty_name(name) if self.field.label is None else self.field.label
        self.renderer = form.renderer

    @cached_property
    def help_text(self) -> Any:  # type: ignore[override] # an attribute of BoundField, set in its __init__
        return self.field.help_text or ""


class ProfileForm(forms.Form):
    """The profile page of the diagnosis; also validates the API's `profile` object."""

    bound_field_class = LazyHelpBoundField

    birth_year = forms.IntegerField(
        label=_("출생연도"),
        help_text=_("예: 1968. 태어난 해 네 자리만 적어 주세요. 주민등록번호는 묻지 않습니다."),
        error_messages={"required": _("출생연도를 네 자리 숫자로 적어 주세요."), "invalid": _("출생연도는 1968처럼 네 자리 숫자로 적어 주세요.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )
    employment_status = forms.ChoiceField(
        label=_("지금 어떤 상황이신가요?"),
        choices=vocab.choices(vocab.EMPLOYMENT_STATUSES),
        widget=forms.RadioSelect,
        error_messages={"required": REQUIRED_CHOICE, "invalid_choice": REQUIRED_CHOICE},
    )
    career_years = forms.IntegerField(
        label=_("지금까지 일한 기간(년)"),
        help_text=_("모든 직장 경력을 합친 햇수. 1년이 안 되면 0."),
        min_value=0,
        max_value=profile.MAX_CAREER_YEARS,
        error_messages={
            "required": _("일한 기간을 숫자로 적어 주세요. 없으면 0을 적어 주세요."),
            "invalid": _("일한 기간은 숫자로 적어 주세요. 예: 25"),
            "min_value": _("일한 기간은 0년 이상이어야 합니다."),
            "max_value": _("일한 기간은 60년 이하로 적어 주세요."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    occupation = forms.ChoiceField(
        label=_("가장 오래 일한 직업군"),
        choices=[("", _("선택해 주세요")), *vocab.choices(vocab.OCCUPATIONS)],
        error_messages={"required": _("직업군을 골라 주세요."), "invalid_choice": _("목록에서 직업군을 골라 주세요.")},
    )
    region = forms.ChoiceField(
        label=_("사는 지역 (시·도)"),
        choices=[("", _("선택해 주세요")), *vocab.choices(vocab.REGIONS)],
        error_messages={"required": _("사는 시·도를 골라 주세요."), "invalid_choice": _("목록에서 시·도를 골라 주세요.")},
    )
    goal = forms.ChoiceField(
        label=_("앞으로 가장 바라는 것"),
        choices=vocab.choices(vocab.GOALS),
        widget=forms.RadioSelect,
        help_text=_("아직 모르겠다면 '결정하지 못함'을 고르세요. 상담에서 함께 찾습니다."),
        error_messages={"required": REQUIRED_CHOICE, "invalid_choice": REQUIRED_CHOICE},
    )
    availability = forms.MultipleChoiceField(
        label=_("프로그램과 상담에 참여할 수 있는 시간 (여러 개 선택 가능)"),
        help_text=_("오전 9~12시, 점심 12~14시, 오후 14~18시, 저녁 18~22시. 되는 시간을 모두 고르세요. 맞는 일정만 '맞는다'고 안내합니다."),
        # The page shows the day parts; the coarse codes of earlier versions stay accepted
        # (API clients, drafts) and are read as day parts in clean_availability.
        choices=vocab.choices(vocab.DAY_PARTS) + vocab.choices(vocab.TIME_SLOTS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("참여할 수 있는 시간을 하나 이상 골라 주세요."), "invalid_choice": _("목록에 있는 시간만 고를 수 있습니다.")},
    )

    firm_size = forms.ChoiceField(
        label=_("다니는 회사의 직원 수"),
        choices=vocab.choices(vocab.FIRM_SIZES),
        widget=forms.RadioSelect,
        required=False,
        help_text=_("재직 중인 분만 답해 주세요(퇴직 예정 포함). 회사 규모에 따라 받을 수 있는 서비스가 다릅니다. 답하지 않아도 됩니다."),
        error_messages={"invalid_choice": _("보기 중 하나를 고르거나 비워 두세요.")},
    )

    # The statuses for which the page shows the firm-size question (app.js hides it otherwise).
    firm_size_statuses = " ".join(sorted(vocab.EMPLOYEE_STATUSES))

    @staticmethod
    def initial_from_query(query: Any) -> dict[str, str]:
        """The goal and status a guide map to browse passes on (?goal=…&status=…), kept only
        when they are words of the vocabulary; anything else is ignored."""
        initial = {}
        if query.get("goal") in vocab.codes(vocab.GOALS):
            initial["goal"] = query["goal"]
        if query.get("status") in vocab.codes(vocab.EMPLOYMENT_STATUSES):
            initial["employment_status"] = query["status"]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Least data: the firm size is kept only for people who work for an employer.
        if data.get("employment_status") not in vocab.EMPLOYEE_STATUSES:
            data["firm_size"] = ""
        return data

    def clean_birth_year(self) -> int:
        year: int = self.cleaned_data["birth_year"]
        if not 1000 <= year <= 9999:
            # "82" or "982" is a short form of a real year, not an age limit: say what to fix,
            # never tell a 44-year-old the service is for people up to 75.
            raise forms.ValidationError(_("태어난 해를 네 자리로 적어 주세요 (예: 1982)."), code="not_four_digits")
        earliest, latest = profile.birth_year_bounds(timezone.localdate())
        if year > latest:
            raise forms.ValidationError(
                _(
                    "이 진단은 만 40세 이상 중장년을 위한 것입니다. %(latest)s년 이전에 태어나신 분이 이용할 수 있습니다. "
                    "더 젊은 분은 고용24의 청년·일반 진로 서비스를 이용해 주세요."
                ),
                params={"latest": latest},
                code="too_young",
            )
        if year < earliest:
            raise forms.ValidationError(
                _(
                    "이 진단은 75세까지를 위해 만들었습니다. %(earliest)s년 이후 출생이 아니시면 "
                    "가까운 중장년내일센터나 노인일자리 상담에서 더 알맞은 도움을 받으실 수 있습니다."
                ),
                params={"earliest": earliest},
                code="too_old",
            )
        return year


    def clean_availability(self) -> list[str]:
        free = hours.expand(self.cleaned_data["availability"])
        return [code for code in vocab.codes(vocab.DAY_PARTS) if code in free]

    def hours_grid(self) -> list[dict[str, Any]]:
        """The availability checkboxes as rows (평일, 주말) of day parts, checked as entered
        (legacy codes shown as the day parts they mean)."""
        field = self["availability"]
        value = field.value() or []
        free = hours.expand([value] if isinstance(value, str) else value)
        rows = []
        for kind in hours.DAY_KINDS:
            terms = [t for t in vocab.DAY_PARTS if t.code.startswith(f"{kind}_")]
            rows.append(
                {
                    "kind": kind,
                    "name": _("평일") if kind == "weekday" else _("주말"),
                    "parts": [
                        {"code": t.code, "id": f"{field.auto_id}_{t.code}", "label": t.label, "part": PART_NAMES[t.code.split("_")[1]], "checked": t.code in free}
                        for t in terms
                    ],
                }
            )
        return rows


# Nothing in ProfileForm changes its fields after declaring them (validation and rendering
# only read them), so its instances share them (see SharedFields).
ProfileForm.base_fields = SharedFields(ProfileForm.base_fields)


# The part of the day and its hours, as the grid's visible text (the day is its legend).
PART_NAMES = {
    "morning": _("오전 9~12시"),
    "midday": _("점심 12~14시"),
    "afternoon": _("오후 14~18시"),
    "evening": _("저녁 18~22시"),
}


class SectionForm(forms.Form):
    """One page of Likert items; fields are built from the instrument's data."""

    def __init__(self, *args: Any, items: list[dict[str, Any]], choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = _section_fields(tuple((item["id"], item["number"], item["text"]) for item in items), tuple(choices))


@functools.lru_cache(maxsize=64)
def _section_fields(items: tuple[tuple[str, int, str], ...], choices: tuple[tuple[int, str], ...]) -> SharedFields:
    """A section's fields, built once per process for its items and choices as worded (so
    per language) and shared by its forms, which never change them (see SharedFields)."""
    return SharedFields(
        (
            item_id,
            forms.TypedChoiceField(
                # Numbered as on the page, so the error summary's links read "3. <question>".
                label=f"{number}. {text}",
                choices=list(choices),
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("이 문항에 답해 주세요."), "invalid_choice": _("보기 중 하나를 골라 주세요.")},
            ),
        )
        for item_id, number, text in items
    )


class EmailResultForm(forms.Form):
    email = forms.EmailField(
        label=_("결과를 받을 이메일 주소"),
        help_text=_("이 주소는 보내는 데만 쓰고 저장하지 않습니다."),
        error_messages={"required": _("이메일 주소를 적어 주세요."), "invalid": _("이메일 주소 형식이 올바르지 않습니다. 예: name@example.com")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
