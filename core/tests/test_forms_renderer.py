"""core/forms_renderer.py prints exactly what Django's input templates print."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from core.forms_renderer import _DJANGO_FORMS, CHOICE_OPTIONS, PLAIN_INPUTS, FormRenderer


def test_the_fast_templates_are_only_djangos_input() -> None:
    for name in PLAIN_INPUTS:
        assert (_DJANGO_FORMS / name).read_text().strip() == '{% include "django/forms/widgets/input.html" %}', name
    for name in CHOICE_OPTIONS:
        assert (_DJANGO_FORMS / name).read_text().strip() == '{% include "django/forms/widgets/input_option.html" %}', name


class Every(forms.Form):
    year = forms.IntegerField(min_value=0, max_value=60, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    name = forms.CharField(required=False, max_length=20, widget=forms.TextInput(attrs={"data-x": mark_safe("<b>"), "disabled": False}))
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


def _rendered(form: forms.Form, renderer: object) -> list[str]:
    form.renderer = renderer  # type: ignore[assignment]
    return [form[name].as_widget(attrs={"aria-describedby": 'a "b"'}) for name in form.fields]


def test_every_plain_input_is_rendered_as_django_renders_it() -> None:
    assert FormRenderer()._inputs_are_djangos  # so the fast path is what is compared
    for data in ({}, {"year": "19<6>8", "name": 'a"b&c', "email": "x@example.com", "secret": "pw", "hidden": "h", "agree": "on", "when": "2026-01-02"}):
        django_html = _rendered(Every(data or None), DjangoTemplates())
        ours = _rendered(Every(data or None), FormRenderer())
        assert ours == django_html
    assert 'value="19&lt;6&gt;8"' in "".join(ours)


def test_the_site_uses_it() -> None:
    assert isinstance(get_default_renderer(), FormRenderer)


class Choosing(forms.Form):
    region = forms.ChoiceField(required=False, choices=[("", gettext_lazy("전체 지역")), ("11", "서울"), ("26", 'A & "B" <c>')])
    grouped = forms.ChoiceField(choices=[("Group <1>", [(1, "one"), (2, mark_safe("<b>two</b>"))]), (3, 3), (4.5, "four")])
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")], widget=forms.SelectMultiple(attrs={"size": 3}))
    yes = forms.NullBooleanField()
    answer = forms.TypedChoiceField(choices=[(1, "전혀"), (2, "조금"), (3, "매우")], coerce=int, widget=forms.RadioSelect)
    hours = forms.MultipleChoiceField(choices=[("am", "오전"), ("pm", 'P"M')], widget=forms.CheckboxSelectMultiple(attrs={"class": "x"}))


def _choices_rendered(form: forms.Form, renderer: object) -> list[str]:
    form.renderer = renderer  # type: ignore[assignment]
    out = _rendered(form, renderer)
    for name in ("answer", "hours"):
        for choice in form[name]:
            out += [choice.tag(), choice.tag(wrap_label=True), str(choice)]
    return out


def test_selects_and_choice_options_are_rendered_as_django_renders_them() -> None:
    for data in ({}, {"region": "26", "grouped": "2", "many": ["a", "c"], "yes": "true", "answer": "2", "hours": ["pm"]}, {"region": "zz<", "grouped": "9"}):
        django_html = _choices_rendered(Choosing(data or None), DjangoTemplates())
        ours = _choices_rendered(Choosing(data or None), FormRenderer())
        assert ours == django_html
    assert "<optgroup" in "".join(ours)


class OwnOption(forms.Select):
    option_template_name = "django/forms/widgets/input_option.html"


def test_a_select_whose_options_have_their_own_template_is_left_to_django() -> None:
    class Own(forms.Form):
        pick = forms.ChoiceField(choices=[("a", "A")], widget=OwnOption)

    assert _rendered(Own(), FormRenderer()) == _rendered(Own(), DjangoTemplates())
