"""`{% extends %}` as Django's, with the root template's blocks found once per process.

On every rendering of a page, Django's ExtendsNode walks the whole node tree of the root
template (base.html: header, menu, fragments, footer) to collect its `{% block %}`s
(`get_nodes_by_type(BlockNode)`), ~4 % of a diagnosis step page. A compiled template never
changes (the cached loader hands out the same object), so its blocks are collected once
and kept beside it (a weak reference: a template the loader drops takes them along).
Loaded as a template builtin (settings.TEMPLATES), after Django's own, so this `extends`
is the one every template uses. Everything else — finding the parent, the block context,
rendering — is Django's ExtendsNode.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from django import template
from django.template.base import Parser, Template, TextNode, Token
from django.template.context import Context
from django.template.loader_tags import BLOCK_CONTEXT_KEY, BlockContext, BlockNode, ExtendsNode
from django.template.loader_tags import do_extends as django_do_extends
from django.utils.safestring import SafeString

register = template.Library()

# A root template's blocks by name; None for a template that itself extends another.
_ROOT_BLOCKS: WeakKeyDictionary[Template, dict[str, BlockNode] | None] = WeakKeyDictionary()


def root_blocks(parent: Template) -> dict[str, BlockNode] | None:
    """The blocks of `parent` if it is a root template (its first non-text node is not an
    `{% extends %}`), as ExtendsNode.render collects them; None otherwise."""
    try:
        return _ROOT_BLOCKS[parent]
    except KeyError:
        pass
    blocks: dict[str, BlockNode] | None = None
    for node in parent.nodelist:
        if not isinstance(node, TextNode):
            if not isinstance(node, ExtendsNode):
                blocks = {n.name: n for n in parent.nodelist.get_nodes_by_type(BlockNode) if isinstance(n, BlockNode)}
            break
    _ROOT_BLOCKS[parent] = blocks
    return blocks


class KeptBlocksExtendsNode(ExtendsNode):
    def render(self, context: Context) -> SafeString:
        # ExtendsNode.render (Django 5.2), with the root's blocks from root_blocks().
        compiled_parent = self.get_parent(context)
        if BLOCK_CONTEXT_KEY not in context.render_context:
            context.render_context[BLOCK_CONTEXT_KEY] = BlockContext()
        block_context = context.render_context[BLOCK_CONTEXT_KEY]
        block_context.add_blocks(self.blocks)
        blocks = root_blocks(compiled_parent)
        if blocks is not None:
            block_context.add_blocks(blocks)
        with context.render_context.push_state(compiled_parent, isolated_context=False):
            rendered: SafeString = compiled_parent._render(context)  # type: ignore[attr-defined] # not in django-stubs
            return rendered


@register.tag("extends")
def do_extends(parser: Parser, token: Token) -> KeptBlocksExtendsNode:
    node = django_do_extends(parser, token)  # Django's parsing and checks
    return KeptBlocksExtendsNode(node.nodelist, node.parent_name)
