"""The questions of the diagnosis step pages: `{% profile_fields form %}` (the profile
page) and `{% likert_rows rows choices version %}` (a section's items).

profile_fields: what profile.html's loop over the form printed — each question through includes/field.html
(the hours through diagnosis/_hours_field.html), kept rendered per question and answer in
the "site" scope when it has no error ({% fragment %}, core/fragments.py) — decided in
Python: the loop's `{% if %}` chain of nine conditions per question was a tenth of the page.

A typed number (birth year, career years) is kept too when it is the number as the form
reads it ("1968", not " 1968" or "1968.0"): a valid one is then one of a few dozen years,
the same HTML for everyone who typed it. Any other typed text, and every question with an
error, is rendered live.

likert_rows: what section.html's loop over its rows printed — each item through
includes/likert.html, kept per instrument version, item and chosen answer when it has no
error — in Python likewise.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms import BoundField, Form
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from core.fragments import fragment
from lifecareer.templatetags.fragment_tags import _part

register = template.Library()

NUMBERS = frozenset({"birth_year", "career_years"})


def _include(context: Context, name: str, **values: Any) -> str:
    """`{% include name with …=… %}` in `context`, as IncludeNode renders it."""
    included = context.template.engine.get_template(name)  # type: ignore[union-attr] # rendered within a template
    with context.push(**values):
        return str(included.render(context))


def _as_read(form: Form, field: BoundField) -> bool:
    """The field shows exactly what the form read from it (or nothing was typed)."""
    value = field.value()
    if not form.is_bound:
        return value in (None, "")
    return field.name in form.cleaned_data and str(value) == str(form.cleaned_data[field.name])


@register.simple_tag(takes_context=True)
def profile_fields(context: Context, form: Form) -> SafeString:
    parts = []
    for field in form:
        name = field.name
        html: str
        if name == "availability":
            def hours(field: BoundField = field) -> SafeString:
                return mark_safe(_include(context, "diagnosis/_hours_field.html", field=field, rows=form.hours_grid()))  # type: ignore[attr-defined] # noqa: S308 - rendered by the template engine

            html = hours() if field.errors else fragment("site", "profile-hours", _part(field.value()), build=hours)
        else:
            def question(field: BoundField = field) -> SafeString:
                return mark_safe(_include(context, "includes/field.html", field=field))  # noqa: S308 - rendered by the template engine

            live = bool(field.errors) or (name in NUMBERS and not _as_read(form, field))
            html = question() if live else fragment("site", "profile-field", name, _part(field.value()), build=question)
            if name == "firm_size":
                statuses = conditional_escape(form.firm_size_statuses)  # type: ignore[attr-defined]
                html = f'<div data-lc-show-if="employment_status" data-lc-show-values="{statuses}">{html}</div>'
        parts.append(f"\n    {html}\n  ")
    return mark_safe("".join(parts))  # noqa: S308 - escaped above and by the template engine


@register.simple_tag(takes_context=True)
def likert_rows(context: Context, rows: list[dict[str, Any]], choices: list[dict[str, Any]], version: str) -> SafeString:
    parts = []
    for row in rows:
        def item(row: dict[str, Any] = row) -> SafeString:
            return mark_safe(  # noqa: S308 - rendered by the template engine
                _include(
                    context, "includes/likert.html",
                    item_id=row["id"], number=row["number"], text=row["text"], choices=choices, selected=row["selected"], error=row["error"],
                )
            )

        html = item() if row["error"] else fragment("instrument", version, "likert", row["id"], row["selected"], build=item)
        parts.append(f"\n    {html}\n  ")
    return mark_safe("".join(parts))  # noqa: S308 - rendered by the template engine
