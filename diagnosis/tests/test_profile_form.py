"""ProfileForm's instances share its declared fields (forms.SharedFields): one form's data,
errors or rendering must never show in another."""

from __future__ import annotations

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
