"""`{% fragment scope part … %}…{% endfragment %}`: a piece of a template rendered once per
worker process, scope stamp, language and parts (core/fragments.py), then reused.

    {% load fragment_tags %}
    {% fragment "site" "footer" %}<footer>…{% translate "…" %}…</footer>{% endfragment %}
    {% fragment "instrument" result.instrument.version "type" result.type_code %}…{% endfragment %}

Only for what every visitor of the page in that language sees alike: nothing personal,
no CSRF token, no request path unless it is one of the parts. The parts are template
expressions (literals or variables); the language is always part of the key.

`{{ request.path|nav_section }}` names the main-menu entry a path belongs to, so the menu
can be kept per entry ("diagnosis", "services", …) rather than per path.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from core.fragments import fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, scope: FilterExpression, parts: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.scope = scope
        self.parts = parts

    def render(self, context: Context) -> SafeString:
        scope = str(self.scope.resolve(context))
        parts = [_part(part.resolve(context)) for part in self.parts]
        return fragment(scope, *parts, build=lambda: mark_safe(self.nodelist.render(context)))  # noqa: S308 - rendered by the template engine, escaped there


def _part(value: Any) -> Any:
    """A list (the chosen hours) as "a,b": no spaces or brackets in a cache key."""
    return ",".join(str(v) for v in value) if isinstance(value, list | tuple) else value


@register.tag("fragment")
def do_fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a scope and at least one part")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]])


# The main menu's entries and the path each one covers (base.html's nav).
NAV_SECTIONS = (
    ("/diagnosis/", "diagnosis"),
    ("/services/", "services"),
    ("/programmes/", "programmes"),
    ("/courses/", "courses"),
    ("/centres/", "centres"),
    ("/me/", "me"),
)


@register.filter
def nav_section(path: Any) -> str:
    """The main-menu entry `path` belongs to ("" for none)."""
    text = str(path)
    for prefix, name in NAV_SECTIONS:
        if text.startswith(prefix):
            return name
    return ""
