"""Helpers for the tests of the edition's Markdown extension (scripts/edition/mdext.py)."""
from __future__ import annotations

from xml.etree import ElementTree

import markdown
from markdown import serializers

from edition import mdext

EXTENSIONS = ["attr_list", "md_in_html", "footnotes", "sane_lists", "toc"]


def convert(source: str, layers: mdext.PageLayers | None = None) -> str:
    """Markdown to HTML as the build converts a chapter: with the edition's extension (by default, the
    apparatus without term links or annotations)."""
    layers = layers if layers is not None else mdext.PageLayers(apparatus=True)
    return markdown.markdown(source, extensions=[*EXTENSIONS, mdext.EditionExtension(lambda: layers)])


def on_tree(fragment: str, step) -> str:
    """Run ``step(root)`` on an HTML fragment's tree and write the tree back as Python-Markdown does
    (attributes in lexical order). The fragment must be well-formed XML."""
    root = ElementTree.fromstring(f"<div>{fragment}</div>")
    step(root)
    return serializers.to_html_string(root)[len("<div>"):-len("</div>")]
