"""The edition's Python-Markdown extension: what it adds to a chapter, done on the element tree.

Registered by the glue (scripts/hooks.py, on_config) like mkdocs-autorefs registers its own: one
extension object for the build, whose tree processors ask the glue what to do on the page being
converted (:class:`PageLayers`; nothing outside the essay's pages). They run after Python-Markdown's
and MkDocs' own tree processors (priority below 0: footnotes, attr_list, toc, MkDocs' link
rewriting), so the term links they add are not taken for the author's links, and in this order:

1. ``render.label_footnotes``   the author's note numbers, the note list marked as the editors'
2. ``render.mark_headings``     copy-link buttons, the editors' headings labelled
3. ``glossary.link_terms``      each term's first use per section linked to its page (chapters)
4. ``annotations.mark``         the editors' annotations: their words and sigils
5. ``render.mark_paragraphs``   the margin references, last so that no pass above must skip them

Before them, a preprocessor puts the HTML the edition made itself (each note's formatted text and apparatus)
where the glue left a marker (:func:`raw_marker`), through Python-Markdown's own store of raw HTML
(``md.htmlStash``, as its extensions keep HTML away from Markdown's parsing): the notes' HTML is finished,
and parsing it again as Markdown was half the cost of converting a chapter (measured: 0.066 of 0.121 s for
part V).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
import re
from typing import Any
from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import annotations as annotation_layer  # not 'annotations': that name is the __future__ import's
from . import glossary, render


@dataclass
class PageLayers:
    """What the edition adds to one page, and what it could not."""

    apparatus: bool = False  # note numbers, headings' buttons, margin references (chapters, the whole essay)
    glossary: Any = None  # with chapter: the term links (chapter pages only)
    chapter: Any = None
    annotations: list[annotation_layer.Annotation] = field(default_factory=list)  # the editors' annotations to mark on this page
    raw: dict[str, str] = field(default_factory=dict)  # marker (raw_marker) -> finished HTML to put in its place
    missed: list[str] = field(default_factory=list)  # out: ids of annotations whose words were not found
    timings: dict[str, float] = field(default_factory=dict)  # out: seconds per stage (with a clock)


#: A marker of finished HTML in a page's Markdown: an HTML comment, so that without the extension it shows nothing.
RAW_MARKER = re.compile(r"<!--ed-raw:\d+-->")


def raw_marker(layers: PageLayers, html: str) -> str:
    """Keep ``html`` for the page and return the marker to put in its Markdown where it goes."""
    marker = f"<!--ed-raw:{len(layers.raw)}-->"
    layers.raw[marker] = html
    return marker


class _RawHtml(Preprocessor):
    """Each marker replaced by Python-Markdown's placeholder of its HTML (put back, unparsed, at the end)."""

    def __init__(self, md: Markdown, ext: "EditionExtension"):
        super().__init__(md)
        self.ext = ext

    def run(self, lines: list[str]) -> list[str]:
        layers = self.ext.layers()
        if layers is None or not layers.raw:
            return lines
        raw = layers.raw
        return [RAW_MARKER.sub(lambda m: self.md.htmlStash.store(raw[m.group(0)]), line) if "<!--ed-raw:" in line
                else line for line in lines]


class _Pass(Treeprocessor):
    def __init__(self, md: Markdown, ext: "EditionExtension", stage: str, step: Callable[[Element, PageLayers], None]):
        super().__init__(md)
        self.ext, self.stage, self.step = ext, stage, step

    def run(self, root: Element) -> None:
        layers = self.ext.layers()
        if layers is None or not layers.apparatus:
            return
        clock = self.ext.clock
        t0 = clock() if clock else 0.0
        self.step(root, layers)
        if clock:
            layers.timings[self.stage] = layers.timings.get(self.stage, 0.0) + clock() - t0


def _terms(root: Element, layers: PageLayers) -> None:
    if layers.chapter is not None:
        glossary.link_terms(layers.glossary, layers.chapter, root)


def _annotations(root: Element, layers: PageLayers) -> None:
    if layers.annotations:
        layers.missed += annotation_layer.mark(root, layers.annotations)


#: (name, stage for the build's timings, step, priority): MkDocs' link rewriting and Python-Markdown's
#: unescaping run at 0.
STEPS: tuple[tuple[str, str, Callable[[Element, PageLayers], None], float], ...] = (
    ("edition-notes", "render", lambda root, _: render.label_footnotes(root), -1),
    ("edition-headings", "render", lambda root, _: render.mark_headings(root), -2),
    ("edition-terms", "term_links", _terms, -3),
    ("edition-annotations", "annotations", _annotations, -4),
    ("edition-paragraphs", "render", lambda root, _: render.mark_paragraphs(root), -5),
)


class EditionExtension(Extension):
    """``layers``: called for each page converted, what to add to it (None: nothing); ``clock``: to time
    the stages (the glue passes one; the core reads no clock of its own)."""

    def __init__(self, layers: Callable[[], PageLayers | None], clock: Callable[[], float] | None = None,
                 **kwargs: Any):
        self.layers, self.clock = layers, clock
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # after NormalizeWhitespace (30), which removes the placeholders' control characters; before raw HTML blocks (20)
        md.preprocessors.register(_RawHtml(md, self), "edition-raw-html", 25)
        for name, stage, step, priority in STEPS:
            md.treeprocessors.register(_Pass(md, self, stage, step), name, priority)
