"""ProfileForm's and SectionForm's instances share their fields (forms.SharedFields): one form's data,
errors or rendering must never show in another."""

from __future__ import annotations

import pytest

from diagnosis.forms import ProfileForm
from diagnosis.tests.helpers import VALID_PROFILE


def _html(form: ProfileForm) -> str:
    return "".join(str(form[name]) for name in form.fields)


def test_a_form_with_errors_leaves_the_next_form_as_it_was() -> None:
    before = _html(ProfileForm())
    bad = ProfileForm({**VALID_PROFILE, "birth_year": "82", "region": "nowhere"})
    assert not bad.is_valid()
    _html(bad)
    assert _html(ProfileForm()) == before
    assert ProfileForm(VALID_PROFILE).is_valid()


def test_a_section_form_with_errors_leaves_the_next_form_of_the_section_as_it_was() -> None:
    from diagnosis.forms import SectionForm

    items = [{"id": "q1", "number": 1, "text": "첫 문항"}, {"id": "q2", "number": 2, "text": "둘째 문항"}]
    choices = [(1, "전혀 아니다"), (2, "아니다"), (3, "그렇다")]
    before = _html(SectionForm(items=items, choices=choices))  # type: ignore[arg-type]
    bad = SectionForm({"q1": "9"}, items=items, choices=choices)
    assert set(bad.errors) == {"q1", "q2"}
    _html(bad)  # type: ignore[arg-type]
    assert _html(SectionForm(items=items, choices=choices)) == before  # type: ignore[arg-type]
    good = SectionForm({"q1": "1", "q2": "3"}, items=items, choices=choices)
    assert good.is_valid()
    assert good.cleaned_data == {"q1": 1, "q2": 3}


@pytest.mark.parametrize("language", ["ko", "en"])
def test_profile_bound_fields_are_django_s_with_the_help_text_read_when_asked(language: str) -> None:
    from django.forms.boundfield import BoundField
    from django.utils import translation

    with translation.override(language):
        form = ProfileForm({"birth_year": "1968"}, prefix="p")
        for name, field in form.fields.items():
            ours = form[name]
            assert "help_text" not in vars(ours)  # not translated until read
            assert ours.help_text == (field.help_text or "")
            assert vars(ours) == vars(BoundField(form, field, name))
