"""HTML post-processing of chapter pages (pure string functions over Python-Markdown's output).

Everything the edition adds to a chapter page carries a ``data-ed`` attribute, so that the
author's words can always be told apart from the apparatus (tests/test_fidelity.py relies on it).
Regular expressions suffice here because the HTML comes from our own Markdown configuration,
whose output shapes are fixed and tested.
"""
from __future__ import annotations

import html
import re
from typing import Iterator

#: The editors' heading over a page's notes, written into the Markdown so that the table of contents
#: lists it (a heading added to the HTML afterwards would be missing there).
NOTES_HEADING_MD = '## Notes { #notes .ed-notes-heading data-ed="notes-heading" }'

FOOTNOTE_REF = re.compile(r'<sup id="fnref:(\d+)"><a class="footnote-ref" href="#fn:\1">\d+</a></sup>')
FOOTNOTE_ITEM = re.compile(r'<li id="fn:(\d+)">')
PARA_OPEN = re.compile(r'<(p|li)(?: class="([^"]*)")? id="((?:O|I|II|III|IV|V|VI|C)\.\d+[a-z]?)"(?: class="([^"]*)")?>')
HEADING = re.compile(r'<(h[1-6])((?:\s[^>]*)?)>(.*?)</\1>', re.S)


def label_footnotes(page_html: str) -> str:
    """Show the author's note numbers (Python-Markdown shows positions) and mark the note list (its
    heading, NOTES_HEADING_MD, comes before it in the Markdown, in place of Python-Markdown's rule)."""
    page_html = FOOTNOTE_REF.sub(
        lambda m: f'<sup id="fnref:{m.group(1)}" class="note-ref"><a class="footnote-ref" href="#fn:{m.group(1)}" '
                  f'aria-label="Note {m.group(1)}">{m.group(1)}</a></sup>', page_html)
    page_html = FOOTNOTE_ITEM.sub(lambda m: f'<li id="fn:{m.group(1)}" value="{m.group(1)}">', page_html)
    page_html = page_html.replace(
        '<div class="footnote">\n<hr />',
        '<div class="footnote" data-ed="notes">', 1)
    # Python-Markdown's back-link title speaks of positions; make it name the author's number.
    page_html = re.sub(r'title="Jump back to footnote \d+ in the text"', "", page_html)
    page_html = re.sub(r'<a class="footnote-backref" href="#fnref:(\d+)"\s*>',
                       r'<a class="footnote-backref" data-ed="backref" data-search-exclude href="#fnref:\1" '
                       r'aria-label="Back to note \1 in the text">',
                       page_html)
    return page_html


def mark_paragraphs(page_html: str) -> str:
    """Give every referenced paragraph its visible margin reference.

    Only the link is in the page: the copy-link and cite buttons beside it are added by
    assets/edition.js, since they do nothing without JavaScript, and 430 pairs of them were a tenth of
    a chapter's gzipped weight (scripts/bench.py). ``data-search-exclude`` keeps the reference out of
    the search index, so that a search result starts with the author's words, not "III.12".
    """
    def add(m: re.Match[str]) -> str:
        tag, ref = m.group(1), m.group(3)
        cls_names = " ".join(c for c in (m.group(2), m.group(4), "para") if c)
        return (f'<{tag} id="{ref}" class="{cls_names}">'
                f'<span class="pmark" data-ed="ref" data-search-exclude><a class="pref" href="#{ref}">{ref}</a></span>')
    return PARA_OPEN.sub(add, page_html)


def mark_headings(page_html: str) -> str:
    """Add a copy-link button to each section heading and label the editors' headings."""
    def add(m: re.Match[str]) -> str:
        tag, attrs, inner = m.groups()
        id_m = re.search(r'\bid="([^"]+)"', attrs)
        if tag == "h1" or not id_m or id_m.group(1) in ("notes", "cite", "key-terms"):
            return m.group(0)
        hid = id_m.group(1)
        label = ""
        if "ed-heading" in attrs:
            label = '<span class="ed-badge" data-ed="badge" title="A heading added by the editors"></span>'
        title = html.escape(re.sub(r"<[^>]+>", "", inner).replace("¶", "").strip())
        button = (f'<button type="button" class="copy-link" data-ed="copy" data-copy="#{hid}" '
                  f'aria-label="Copy link to section {title}"><span aria-hidden="true"></span></button>')
        return f'<{tag}{attrs}>{inner}{label}{button}</{tag}>'
    return HEADING.sub(add, page_html)


#: Characters per piece in chapter_html: small enough for each piece to stay in the processor's caches
#: through all the passes, so that a page fifty times as long costs fifty times as much, not more.
PIECE = 1 << 15


def chapter_html(page_html: str) -> str:
    """All the passes above, piece by piece. Pieces are cut before a line that opens a paragraph (<p),
    which no match spans (footnote markers, paragraph and list-item tags, headings, the footnote list)."""
    return "".join(mark_headings(mark_paragraphs(label_footnotes(piece))) for piece in _pieces(page_html, PIECE))


def _pieces(text: str, size: int) -> Iterator[str]:
    start, n = 0, len(text)
    while start < n:
        cut = text.find("\n<p", start + size) if start + size < n else -1
        if cut < 0:
            yield text[start:]
            return
        yield text[start:cut]
        start = cut
