"""core/forms_renderer.py prints exactly what Django's input templates print."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe

from core.forms_renderer import _DJANGO_FORMS, PLAIN_INPUTS, FormRenderer


def test_the_fast_templates_are_only_djangos_input() -> None:
    for name in PLAIN_INPUTS:
        assert (_DJANGO_FORMS / name).read_text().strip() == '{% include "django/forms/widgets/input.html" %}', name


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
