"""One build's edition as data: the parsed sources, checked, that the page makers read.

Pure core: no MkDocs, no files (the glue, glue.py, fills it from what files.py read). The page
makers (pages, glossary_pages, epub) take an :class:`Edition` and return text or bytes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import annotations as annotation_layer  # not 'annotations': that name is the __future__ import's
from .bib import Work
from .chapters import Chapter
from .cite import CitationFormatter
from .glossary import Glossary
from .notes import ResolvedNote


@dataclass
class Edition:
    site_url: str
    extra: dict[str, Any]
    chapter_slugs: list[str]
    works: dict[str, Work]
    formatter: CitationFormatter
    chapters: list[Chapter] = field(default_factory=list)
    notes: dict[int, ResolvedNote] = field(default_factory=dict)
    glossary: Glossary | None = None
    record: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # edition.yml: words mended, titles italicised
    annotations: annotation_layer.Layer = field(default_factory=lambda: annotation_layer.Layer())  # annotations.yml
    timings: dict[str, float] = field(default_factory=dict)
    epub: tuple[str, bytes] | None = None  # the book: (file name, bytes)
    bib_text: str = ""  # bibliography.bib as the editors wrote it (the public copy is made from it)
    chapter_sources: dict[str, str] = field(default_factory=dict)  # each chapter's Markdown, by slug

    def chapter(self, slug: str) -> Chapter | None:
        return next((c for c in self.chapters if c.slug == slug), None)

    def annotation_links(self, root: str) -> annotation_layer.Links:
        """How annotations on a page `root` below the site's root link to paragraphs, works and terms."""
        terms = {e.slug: e.term for e in self.glossary.entries} if self.glossary is not None else {}
        return annotation_layer.Links(root, {c.slug: c.url for c in self.chapters},
                                      {p.ref: c.slug for c in self.chapters for p in c.paragraphs},
                                      lambda key: self.formatter.note_html(key, None, False), terms)

    def known_chapter(self, slug: str) -> Chapter:
        """A chapter whose slug comes from the parsed text itself (so it exists)."""
        chapter = self.chapter(slug)
        if chapter is None:
            raise KeyError(slug)
        return chapter
