"""The short links' own small pages, /p/III.12/, /n/57/ and /a/<id>/: the passage (a paragraph, a note or an
editors' annotation), its reference and citation, preview and citation tags naming it, and a link to read it
in its chapter (templates/passage.html).

Pure, and light to import: the build hands the pages' :class:`Header` and specifications to a process of its
own (files.start_rendering), which makes and writes the pages while MkDocs renders the chapters, so this
module needs only the essay's record, the metadata and the templates (pages.py, which knows the whole
edition, makes the specifications).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from . import metadata, templates
from .essay import Essay

#: One page: the paths it is written to in the site (a paragraph's page also in lower case), and what
#: passage_html is given for it (ref, kind, text, heading, chapter_title, target, canonical, citation, quote).
Spec = tuple[tuple[str, ...], dict[str, str]]


@dataclass(frozen=True)
class Header:
    """What every short link's page shares: the essay's record, the site's address (ending in a slash) and
    the project's template overrides folder (overrides/edition/, None: the edition's own templates only)."""

    essay: Essay
    base: str
    overrides: str | None = None


def first_sentence(text: str, limit: int = 300) -> str:
    """The first sentence of a paragraph (for page descriptions), cut at a word if very long."""
    m = re.match(r"(.+?[.?!…][”’)]?)(?:\s|$)", text)
    sentence = m.group(1) if m else text
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence


def passage_html(e: Essay, base: str, *, ref: str, kind: str, text: str, heading: str, chapter_title: str,
                 target: str, canonical: str, citation: str, quote: str = "") -> str:
    """A short link's page; a browser with scripts goes on to the chapter at once (``location.replace``: Back
    returns to where the reader was).

    No meta refresh: citation managers follow one to the chapter, where the passage is lost.
    ``kind``: "passage" (/p/), "note" (/n/), "annotation" (/a/, the editors' text: no author tag).
    """
    words = first_sentence(text, limit=200)
    if kind == "passage":
        title, description = e.short_title(ref), words
    elif kind == "note":
        title = f"{e.author.family}, {e.title}, note {ref}"
        description = f"Note {ref} (its source as the editors identified it): {words}"
    else:
        title, description = f"Editors’ annotation on “{quote}”, ¶ {ref}", words
    preview = [("property", "og:type", "article"), ("property", "og:site_name", e.edition_title),
               ("property", "og:title", title), ("property", "og:description", description),
               ("property", "og:url", canonical), ("name", "twitter:card", "summary"),
               ("name", "twitter:title", title), ("name", "twitter:description", description),
               ("name", "description", description)]
    author = metadata.page_author(kind, e)
    if author:
        preview.append(("name", "author", author))
    tags = metadata.page_tags(e, kind, url=canonical, title=title, ref=ref, chapter=chapter_title)
    ld_title = f"{e.title}, {heading}" if kind != "annotation" else title
    data = metadata.page_jsonld(e, kind if kind != "annotation" else "editors", base=base, url=canonical,
                                title=ld_title, description=description)
    return templates.render(
        "passage.html", kind=kind, title=title, canonical=canonical, target=target,
        meta_tags=templates.Markup(metadata.tags_html(preview + tags)),
        jsonld=templates.Markup(metadata.jsonld_html(data)),
        target_json=templates.Markup(json.dumps(target).replace("<", "\\u003c")),  # inside <script>
        author=e.author.name, editors=e.editors, full_title=e.full_title, heading=heading,
        chapter_title=chapter_title, quote=quote, lines=[line for line in text.split("\n") if line.strip()],
        citation=templates.Markup(citation))


def render(header: Header, specs: Iterable[Spec]) -> Iterator[tuple[str, bytes]]:
    """Each page as (path in the site, content), made one at a time: a page written to two paths is made once."""
    templates.use_overrides(Path(header.overrides) if header.overrides else None)
    for paths, spec in specs:
        data = passage_html(header.essay, header.base, **spec).encode("utf-8")
        for path in paths:
            yield path, data
