"""The search index lands on the essay: one search document per paragraph, no apparatus.

MkDocs' search plugin (Material's) cuts each page at its headings: a chapter section came out as one long
document, and the term pages' concordance lines (the essay's words again, in keyword-in-context snippets)
were more than half of the index, so a phrase of the essay found the glossary before the essay. Two
remedies:

* the apparatus is marked ``data-search-exclude`` where it is generated (a term page's concordance,
  "where the essay explains it", sources and related entries; the glossary index's letter lists), so the
  plugin leaves it out; a term page keeps its title (the term) and its definition, which names its aliases;
* ``paragraph_documents`` rewrites the written index after the build: each chapter section's text is
  replaced by one document per paragraph (``paul-mason/#V.12``), so a phrase's best match is the
  paragraph itself and following the result lands on it; the chapter's editorial sections ("Key terms",
  "Cite this chapter") are dropped; its notes stay (the author's notes).

Pure: no MkDocs import. ``rewrite(path, chapters)`` is called from the build's last step.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

#: How much a word of a title outweighs a word of the text (Material's default is 1000; see below).
TITLE_BOOST = 10.0
#: A paragraph is a section of its chapter's page, and Material multiplies a page's own score by up to 5 and a
#: section's by up to 2 (more for the share of the query's words found): a long page of apparatus (the
#: bibliography) or a term's page would outrank the paragraph that holds the whole phrase. The paragraph's
#: document weighs this much more (lunr's document boost, which Material reads from "boost").
PARAGRAPH_BOOST = 6.0
#: The apparatus that stays in the index weighs less than the essay for a phrase: the bibliography (one long page
#: of titles) and the term pages (a term's title and definition), both still found by their own words.
PAGE_BOOST = {"bibliography/": 0.3, "glossary/": 0.5}
#: Sections of a chapter page that are the editors' apparatus, not the essay.
APPARATUS_SECTIONS = {"key-terms", "cite"}


def paragraph_documents(index: dict, chapters) -> dict:
    """The search index with each chapter's text split into one document per paragraph."""
    by_page = {ch.url: ch for ch in chapters}
    docs: list[dict] = []
    placed: set[str] = set()
    first: dict[str, int] = {}  # chapter page -> position of its first document

    def paragraph(page: str, p) -> dict:
        placed.add(p.ref)
        return {"location": f"{page}#{p.ref}", "title": f"¶ {p.ref}",
                "text": f"<p>{html.escape(p.text, quote=False)}</p>", "boost": PARAGRAPH_BOOST}

    for doc in index.get("docs", []):
        page, _, anchor = doc["location"].partition("#")
        ch = by_page.get(page)
        if ch is None or anchor == "notes":
            boost = next((b for prefix, b in PAGE_BOOST.items() if page.startswith(prefix) and page != "glossary/"),
                         None)
            docs.append({**doc, "boost": boost} if boost is not None else doc)
            continue
        if anchor in APPARATUS_SECTIONS:
            continue
        # The page (or section) document keeps its title, so a search for a chapter's or a section's title
        # still lands on it; its words move to its paragraphs, which follow it (the page's first document
        # is the parent of the others in Material's search).
        first.setdefault(page, len(docs))
        docs.append({**doc, "text": ""})
        docs += [paragraph(page, p) for p in ch.paragraphs if p.section == anchor and p.ref not in placed]
    for page in first:  # paragraphs of a section the index lacks: after the paragraph before them
        paras = by_page[page].paragraphs
        for i, p in enumerate(paras):
            if p.ref in placed:
                continue
            prev = f"{page}#{paras[i - 1].ref}" if i else None
            at = next((n for n, d in enumerate(docs) if d["location"] == prev), None)
            if at is None:
                at = next(n for n, d in enumerate(docs) if d["location"].partition("#")[0] == page)
            docs.insert(at + 1, paragraph(page, p))
    config = dict(index.get("config", {}))
    if isinstance(config.get("fields", {}).get("title"), dict):
        # Material weighs a title 1000 times the text, and makes every word of a query a prefix ("a*", "of*"):
        # then any page whose title has a word starting with "a" outranks the paragraph holding the whole
        # phrase. A title still counts TITLE_BOOST times a word of the text.
        config["fields"] = {**config["fields"], "title": {**config["fields"]["title"], "boost": TITLE_BOOST}}
    return {**index, "config": config, "docs": docs}


def rewrite(path: Path, chapters) -> tuple[int, int]:
    """Rewrite the search index at path in place; (bytes before, bytes after). Nothing if there is none."""
    path = Path(path)
    if not path.is_file():
        return 0, 0
    before = path.read_bytes()
    index = paragraph_documents(json.loads(before), chapters)
    after = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(after)
    tmp.replace(path)
    return len(before), len(after)
