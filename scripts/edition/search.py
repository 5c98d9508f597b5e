"""Search that lands on the essay: the records Pagefind indexes, and the index written into the site.

Pagefind (https://pagefind.app) splits its index into small chunks that the reader's browser fetches on the
first search, only the chunks its words need; nothing is loaded before. Its records are made here from the
parsed sources, not by crawling the built pages, so that each record is exactly one thing a reader looks for:

* each paragraph of the essay, addressed in its chapter (``paul-mason/#V.12``), with its reference and its
  chapter's title as metadata: a phrase of the essay finds the paragraph that holds it, and the result opens
  the chapter at that paragraph (the passage pages /p/V.12/ would be the same words at another address);
* each of the author's notes (``paul-mason/#fn:57``), his own words and the works he cites;
* each chapter's title and the author's section headings, weighted as headings;
* each glossary entry: its term and aliases weighted as a title, then its short definition.

Left out: the glossary's concordance (the essay's words again), the editors' annotations, the whole essay on
one page, the bibliography page (the notes cite the same works, in the chapter), About and Study. So for a
phrase of the essay, the first result is the essay's paragraph (tests/test_search_quality.py measures it).

Pure: ``records`` makes the records and ``Record.html`` each one's small page; ``files.index_with_pagefind``
(the edge) runs Pagefind's own indexer on them, through its Python API (the binary ships in the pinned
``pagefind-bin`` wheel: nothing is downloaded).
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .chapters import Chapter
from .glossary import Glossary
from .notes import ResolvedNote

#: The folder of the site where Pagefind writes its bundle (its script, its WebAssembly and the index).
BUNDLE = "pagefind"
#: Files of Pagefind's bundle that the site never fetches: its ready-made search interfaces (the edition has its
#: own, assets/search.js), and the WebAssembly for pages of no known language (every record is English).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "wasm.unknown.pagefind")
LANGUAGE = "en"
#: Pagefind weighs a word by where it is (1 in text; a first-level heading 7). A chapter's or section's heading
#: keeps a heading's weight; a glossary entry's name weighs less and its definition half a word of the essay,
#: so that a phrase of the essay ranks its paragraph above an entry that shares some of its words (measured:
#: 146 of 150 phrases found their paragraph first with these weights, 143 with a heading's). The search box
#: also lists an entry after the essay's best passage unless its name is what was typed (search-results.js).
HEADING_WEIGHT = 7.0
#: Records per Pagefind index. Pagefind holds an index's every record in memory until it has written the index,
#: about 30 kB a record (measured alone, one thread: 766 records 45 MB, 7,660 records 291 MB, 38,300 1.41 GB,
#: against 420 MB for a plain MkDocs build of 50× the essay). Past this many, the records are indexed as further
#: indexes, one Pagefind run after another (files.start_indexing), which the search box merges into the first
#: (Pagefind's mergeIndex; results sorted by score across them). The essay has ~770 records: one index.
#: mkdocs.yml can set another limit (extra: edition_search: records_per_index).
RECORDS_PER_INDEX = 5000
#: Between a term's name and aliases in its "names" metadata (assets/search-results.js reads them).
NAMES_SEPARATOR = " | "
WEIGHTS: dict[str, tuple[float, float]] = {"term": (3.0, 0.5)}


@dataclass(frozen=True)
class Record:
    """One search result: where it leads, what it is called, and the words that find it."""
    url: str  # relative to the site's root: "paul-mason/#V.12"
    kind: str  # "paragraph", "note", "heading", "term"
    title: str  # shown as the result's name: "V.12", "note 57", the heading, the term
    place: str  # where it is: the chapter's title, or "Glossary"
    text: str  # the words searched (plain text)
    heading: tuple[str, ...] = field(default=())  # words weighted as a title (a heading; a term and its aliases)

    def html(self) -> str:
        """The record as the small HTML document Pagefind reads: headings weigh more than text, and the
        reference, place and kind are metadata (shown with the result, not searched)."""
        esc = html.escape
        name_weight, text_weight = WEIGHTS.get(self.kind, (HEADING_WEIGHT, 1.0))
        heads = "".join(f'<p data-pagefind-weight="{name_weight}">{esc(h)}</p>' for h in self.heading)
        # An empty value is no metadata for Pagefind: the home page is "./".
        meta = (f'<span data-pagefind-meta="url">{esc(self.url or "./")}</span>'
                f'<span data-pagefind-meta="title">{esc(self.title)}</span>'
                f'<span data-pagefind-meta="place">{esc(self.place)}</span>'
                f'<span data-pagefind-meta="kind">{esc(self.kind)}</span>'
                + (f'<span data-pagefind-meta="names">{esc(NAMES_SEPARATOR.join(self.heading))}</span>'
                   if self.kind == "term" else ""))
        return (f'<!doctype html><html lang="{LANGUAGE}"><head><title>{esc(self.title)}</title></head>'
                f'<body><main data-pagefind-body><div data-pagefind-ignore>{meta}</div>'
                f'{heads}<p data-pagefind-weight="{text_weight}">{esc(self.text)}</p></main></body></html>')


def _plain(markup: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", markup))).strip()


def records(chapters: Iterable[Chapter], notes: Mapping[int, ResolvedNote], glossary: Glossary | None = None) -> list[Record]:
    """Every record of the index, in reading order, then the glossary in its order."""
    chapters = list(chapters)
    found: list[Record] = []
    by_slug = {c.slug: c for c in chapters}
    for ch in chapters:
        found.append(Record(ch.url, "heading", ch.title, ch.title, "", (ch.title,)))
        for s in ch.sections:
            if s.id and s.level >= 2 and not s.editorial:  # the author's section headings (level 1: the title)
                found.append(Record(f"{ch.url}#{s.id}", "heading", s.title, ch.title, "", (s.title,)))
        for p in ch.paragraphs:
            if any(c.isalnum() for c in p.text):  # not a section break ("* * *"): Pagefind skips a page without words
                found.append(Record(f"{ch.url}#{p.ref}", "paragraph", p.ref, ch.title, p.text))
    for n, note in sorted(notes.items()):
        where = by_slug.get(note.chapter)
        if where is not None:
            found.append(Record(f"{where.url}#fn:{n}", "note", f"note {n}", where.title, _plain(note.html)))
    for entry in glossary.entries if glossary is not None else []:
        found.append(Record(f"glossary/{entry.slug}/", "term", entry.term, "Glossary", entry.short_text,
                            tuple(entry.forms)))
    return found
