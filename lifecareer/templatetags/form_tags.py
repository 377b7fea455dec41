"""Template helpers for the accessible form-field include (includes/field.html).

    {% load form_tags %}
    {% field_kind field as kind %}           "choices" | "checkbox" | "hidden" | "control"
    {% field_widget field %}                 the widget with KRDS class + ARIA attributes
    {{ field|hint_id }} / {{ field|error_id }}
    {% error_anchor field as anchor %}       the id the error summary links to (or "")
    {% field_describedby field as ids %}     "id_x_helptext id_x_error" (or "")
    {% page_links page as links %}           page numbers with … for includes/pagination.html
    {{ score|percent }}                      an int clamped to 0..100 (for the score chart)
    {% score_chart scales %}                 the result page's score chart (includes/score_chart.html)

ids follow Django's own convention (``<auto_id>_helptext``) so that links and tests can
rely on them.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()

# KRDS class per kind of widget
_INPUT_CLASS = "krds-input"
_SELECT_CLASS = "krds-form-select"


def _widget(field: BoundField) -> forms.Widget:
    return field.field.widget


@register.simple_tag
def field_kind(field: BoundField) -> str:
    """How includes/field.html lays the field out.

    "choices"  RadioSelect / CheckboxSelectMultiple: a fieldset with one option per choice
    "checkbox" a single CheckboxInput (BooleanField): the box, then its label
    "hidden"   HiddenInput (and MultipleHiddenInput)
    "control"  everything else (text, number, email, password, date, select, textarea...)
    """
    widget = _widget(field)
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "control"


@register.filter
def is_choice_group(field: BoundField) -> bool:
    return field_kind(field) == "choices"


@register.simple_tag
def error_anchor(field: BoundField) -> str:
    """The element id includes/error_summary.html links a field's error to.

    A link must land on something focusable: for a radio/checkbox group that is its first
    option (Django numbers them <auto_id>_0, _1, ...; a fieldset cannot take focus), for a
    multi-input widget its first input (id_for_label). Hidden fields have nothing to land on.
    """
    kind = field_kind(field)
    if kind == "hidden" or not field.auto_id:
        return ""
    if kind == "choices":
        first = next(iter(field.subwidgets), None)
        return first.id_for_label if first is not None else ""
    return field.id_for_label


@register.filter
def hint_id(field: BoundField) -> str:
    return f"{field.auto_id}_helptext" if field.auto_id else ""


@register.filter
def error_id(field: BoundField) -> str:
    return f"{field.auto_id}_error" if field.auto_id else ""


@register.simple_tag
def field_describedby(field: BoundField) -> str:
    """Space-separated ids of the hint and the error list, for aria-describedby."""
    ids = []
    if field.help_text and field.auto_id:
        ids.append(hint_id(field))
    if field.errors and field.auto_id:
        ids.append(error_id(field))
    return " ".join(ids)


@register.simple_tag
def field_widget(field: BoundField, **extra: Any) -> SafeString:
    """Render the bound widget (keeps what the user typed) with KRDS classes,
    aria-describedby (hint + errors) and aria-invalid when the field has errors.

    Extra keyword arguments become attributes: {% field_widget field autocomplete="email" %}
    """
    widget = _widget(field)
    attrs: dict[str, Any] = {}
    existing = str(widget.attrs.get("class", ""))
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        kind_class = _SELECT_CLASS
    elif isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        kind_class = ""
    else:
        kind_class = _INPUT_CLASS
    classes = " ".join(c for c in (kind_class, existing) if c)
    if classes:
        attrs["class"] = classes
    describedby = field_describedby(field)
    if describedby:
        attrs["aria-describedby"] = describedby
    if field.errors:
        attrs["aria-invalid"] = "true"
    attrs.update({k.replace("_", "-"): v for k, v in extra.items()})
    return field.as_widget(attrs=attrs)


@register.simple_tag
def page_links(page: Page[Any]) -> list[int | str]:
    """Page numbers for includes/pagination.html: the ends and one either side of the
    current page, with Paginator.ELLIPSIS between (1 … 4 5 6 … 12)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))


@register.filter
def percent(value: Any) -> int:
    """Clamp a score to an int 0..100 (None or junk -> 0)."""
    try:
        number = round(float(value))
    except (TypeError, ValueError):
        return 0
    return max(0, min(100, number))


SCORE_ROW_HEIGHT = 64


def _item(obj: Any, name: str) -> Any:
    """obj.name as a template reads it: a key of a dict, else an attribute."""
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


@register.simple_tag
def score_chart(scales: list[Any]) -> SafeString:
    """The score chart of includes/score_chart.html (its comment says what it shows), built
    as one string: as template loops (two blocktranslates and three filters per scale) it
    was an eighth of the result page. Every text is escaped."""
    if not scales:
        return SafeString("")
    names = [escape(_item(s, "name")) for s in scales]
    bars = [percent(_item(s, "score")) for s in scales]
    points = [escape(gettext("%(score)s점") % {"score": bar}) for bar in bars]
    label = ", ".join(f"{name} {point}" for name, point in zip(names, points, strict=True))
    # Outside the f-string: xgettext (makemessages) does not see a gettext() inside one.
    title = escape(gettext("영역별 점수 그래프"))
    parts = [
        f'\n<svg class="lc-chart" width="100%" height="{len(scales) * SCORE_ROW_HEIGHT}" role="img" focusable="false" xmlns="http://www.w3.org/2000/svg"\n'
        f'     aria-label="{title}: {label}">\n  '
    ]
    for i, (name, point, bar) in enumerate(zip(names, points, bars, strict=True)):
        parts.append(
            f'\n  <g transform="translate(0 {i * SCORE_ROW_HEIGHT})">\n'
            f'    <text class="lc-chart-text" x="0" y="20" fill="#1e2124"><tspan class="lc-chart-label">{name}</tspan> <tspan class="lc-chart-value" fill="#0b50d0">{point}</tspan></text>\n'
            '    <rect class="lc-chart-track" x="0" y="30" width="100%" height="22" rx="4" fill="#e6e8ea"></rect>\n'
            f'    <rect class="lc-chart-bar" x="0" y="30" width="{bar}%" height="22" rx="4" fill="#256ef4"></rect>\n'
            "  </g>\n  "
        )
    parts.append("\n</svg>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
