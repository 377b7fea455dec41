"""Django's default form renderer, with the plain `<input>` widgets built as one string.

Django renders every text, number, e-mail, password, date … input through two templates
(`<type>.html` includes `input.html`, which includes `attrs.html` and loops over the
attributes): ~0.2 ms a field, a seventh of the diagnosis profile page for its two number
fields. `render` builds exactly what those templates print — same attribute order,
escaping and `True`/`False` handling — and leaves every other template to Django. If any
installed app overrides one of those templates, the fast path is off and Django renders
them all.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import django
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

# Django's widget templates that are nothing but `{% include "django/forms/widgets/input.html" %}`
# (core/tests/test_forms_renderer.py checks this against the installed Django).
PLAIN_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("checkbox", "color", "date", "datetime", "email", "file", "hidden", "number", "password", "search", "tel", "text", "time", "url")
)
_DJANGO_FORMS = Path(django.__file__).parent / "forms" / "templates"


def _text(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape: str(), escaped unless marked safe."""
    text = str(value)
    return text if isinstance(value, SafeData) else str(conditional_escape(text))


def render_input(widget: dict[str, Any]) -> SafeString:
    """What django/forms/widgets/input.html prints for a widget's context."""
    parts = [f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"']
    if widget["value"] is not None:
        parts.append(f' value="{_text(widget["value"])}"')
    for name, value in widget["attrs"].items():
        if value is not False:
            parts.append(f" {conditional_escape(name)}")
            if value is not True:
                parts.append(f'="{_text(value)}"')
    parts.append(">")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class FormRenderer(DjangoTemplates):
    @cached_property
    def _inputs_are_djangos(self) -> bool:
        names = [*PLAIN_INPUTS, "django/forms/widgets/input.html", "django/forms/widgets/attrs.html"]
        return all(Path(self.get_template(name).origin.name).is_relative_to(_DJANGO_FORMS) for name in names)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name in PLAIN_INPUTS and self._inputs_are_djangos:
            return render_input(context["widget"])
        return super().render(template_name, context, request=request)
