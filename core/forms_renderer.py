"""Django's default form renderer, with the plain `<input>`, `<select>` and choice-option
widgets built as one string.

Django renders every text, number, e-mail, password, date … input through two templates
(`<type>.html` includes `input.html`, which includes `attrs.html` and loops over the
attributes): ~0.2 ms a field, a seventh of the diagnosis profile page for its two number
fields. A `<select>` is worse: `select.html` includes `select_option.html` and `attrs.html`
once per option, ~1 ms for the session search's eight drop-downs (a search with an error
renders its form live). A radio button or check box of a choice group (`{{ choice.tag }}`
in includes/field.html) goes through three templates. `render` builds exactly what those
templates print — same attribute order, escaping, white space, localisation and
`True`/`False` handling — and leaves every other template to Django. If any installed app
overrides one of those templates, the fast path is off and Django renders them all.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import django
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined] # not in django-stubs

_WIDGETS = "django/forms/widgets/"
# Django's widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}`
# (core/tests/test_forms_renderer.py checks this against the installed Django).
PLAIN_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in ("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel", "text", "time", "url")
)
SELECT = f"{_WIDGETS}select.html"
SELECT_OPTION = f"{_WIDGETS}select_option.html"
# One option of a radio or check-box group, rendered alone (BoundWidget.tag): both are
# `{% include "django/forms/widgets/input_option.html" %}`.
CHOICE_OPTIONS = frozenset({f"{_WIDGETS}radio_option.html", f"{_WIDGETS}checkbox_option.html"})
# Every template whose output `render` builds itself (checked to be Django's own).
_BUILT = frozenset({*PLAIN_INPUTS, SELECT, SELECT_OPTION, *CHOICE_OPTIONS, f"{_WIDGETS}input_option.html", f"{_WIDGETS}input.html", f"{_WIDGETS}attrs.html"})
_DJANGO_FORMS = Path(django.__file__).parent / "forms" / "templates"


def _text(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape: "%s" % value, escaped unless marked safe."""
    try:
        text = "%s" % value  # noqa: UP031 - exactly what the stringformat filter does
    except (TypeError, ValueError):
        return ""
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def _shown(value: Any) -> str:
    """`{{ value }}` under autoescape (django.template.base.render_value_in_context)."""
    value = localize(template_localtime(value))
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


def _attrs(attrs: dict[str, Any]) -> str:
    """What django/forms/widgets/attrs.html prints."""
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_shown(name)}")
            if value is not True:
                parts.append(f'="{_text(value)}"')
    return "".join(parts)


def render_input(widget: dict[str, Any]) -> SafeString:
    """What django/forms/widgets/input.html prints for a widget's context (without its
    file's final newline, which the renderer strips)."""
    value = f' value="{_text(widget["value"])}"' if widget["value"] is not None else ""
    return mark_safe(f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"{value}{_attrs(widget["attrs"])}>')  # noqa: S308 - every value is escaped


def render_choice_option(widget: dict[str, Any]) -> SafeString:
    """What radio_option.html / checkbox_option.html (input_option.html) print, stripped."""
    if not widget.get("wrap_label"):
        return render_input(widget)
    target = f' for="{_shown(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return mark_safe(f"<label{target}>{render_input(widget)}\n {_shown(widget['label'])}</label>")  # noqa: S308 - escaped


def _option(option: dict[str, Any]) -> str:
    """What select_option.html prints (its file ends with a newline, kept when included)."""
    return f'<option value="{_text(option["value"])}"{_attrs(option["attrs"])}>{_shown(option["label"])}</option>\n'


def render_select(widget: dict[str, Any]) -> SafeString | None:
    """What select.html prints, stripped; None when an option has a template of its own."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option.get("template_name") != SELECT_OPTION:
                return None
            parts.append("\n  ")
            parts.append(_option(option))
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped


class FormRenderer(DjangoTemplates):
    @cached_property
    def _inputs_are_djangos(self) -> bool:
        return all(Path(self.get_template(name).origin.name).is_relative_to(_DJANGO_FORMS) for name in sorted(_BUILT))

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in _BUILT and self._inputs_are_djangos:
            widget = context["widget"]
            if template_name in PLAIN_INPUTS:
                return render_input(widget)
            if template_name in CHOICE_OPTIONS:
                return render_choice_option(widget)
            if template_name == SELECT:
                built = render_select(widget)
                if built is not None:
                    return built
        return super().render(template_name, context, request=request)
