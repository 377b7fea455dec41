"""lifecareer/templatetags/kept_extends.py: `{% extends %}` prints what Django's prints."""

from __future__ import annotations

from django.template import Context, Engine, engines
from django.template.loader_tags import ExtendsNode

from lifecareer.templatetags.kept_extends import KeptBlocksExtendsNode, root_blocks

TEMPLATES = {
    "root.html": "<title>{% block title %}root{% endblock %}</title>{% block body %}<p>{% block inner %}in{% endblock %}</p>{% endblock %}{% if x %}{% block tail %}t{% endblock %}{% endif %}",
    "middle.html": "{% extends 'root.html' %}{% block title %}middle {{ block.super }}{% endblock %}{% block inner %}[{{ block.super }}]{% endblock %}",
    "leaf.html": "{% extends 'middle.html' %}{% block inner %}leaf {{ block.super }} {{ x }}{% endblock %}{% block tail %}T{% endblock %}",
    "direct.html": "{% extends 'root.html' %}{% block body %}body{% endblock %}",
}


def _engine(*builtins: str) -> Engine:
    return Engine(loaders=[("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", TEMPLATES)])], builtins=list(builtins))


def test_each_page_prints_what_djangos_extends_prints_and_again() -> None:
    django, kept = _engine(), _engine("lifecareer.templatetags.kept_extends")
    for name in ("middle.html", "leaf.html", "direct.html"):
        for x in ("", "x"):
            expected = django.get_template(name).render(Context({"x": x}))
            for _ in range(2):  # the second time with the root's blocks kept
                assert kept.get_template(name).render(Context({"x": x})) == expected


def test_only_a_root_template_has_blocks_kept() -> None:
    kept = _engine("lifecareer.templatetags.kept_extends")
    assert root_blocks(kept.get_template("middle.html")) is None
    blocks = root_blocks(kept.get_template("root.html"))
    assert blocks is not None and sorted(blocks) == ["body", "inner", "tail", "title"]


def test_the_sites_templates_use_it() -> None:
    node = engines["django"].engine.from_string("{% extends 'base.html' %}").nodelist[0]  # type: ignore[attr-defined]
    assert isinstance(node, KeptBlocksExtendsNode) and isinstance(node, ExtendsNode)
