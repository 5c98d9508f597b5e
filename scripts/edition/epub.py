"""The edition as an EPUB 3 book: pure functions from the parsed edition to the book's files and bytes.

Input is the data the site is built from (chapters and their paragraphs with references, the resolved
notes with their formatted HTML and levels, the bibliography, the glossary, the editors' annotations),
gathered into a :class:`Book` by :func:`book_from_edition`; :func:`book_files` turns it into (name, bytes)
pairs and :func:`epub_bytes` zips them.

Why the standard library's ``zipfile`` and not ``ebooklib``: ebooklib is AGPL-licensed (the edition's
code is MIT), and it stamps every zip entry with the current time, so two builds of the same sources would
differ. Here the entries are sorted (``mimetype`` first and stored, as OCF requires), every entry has the
same fixed timestamp and permissions, and nothing reads the clock: two builds give byte-identical books.

Conventions inside the book (the read-back test relies on them): everything the editors added inside or
around the author's text carries ``data-ed`` (as on the site), the author's note markers are
``a.noteref`` with ``epub:type="noteref"``, the notes are ``epub:type="endnote"`` list items with a
``epub:type="backlink"``, and each paragraph's id is its permanent reference (``III.12``).
"""
from __future__ import annotations

import html
import io
import re
import uuid
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree
from lxml import html as lxml_html

from . import templates

if TYPE_CHECKING:
    from .chapters import Chapter
    from .model import Edition

#: Where to insert markup into a paragraph's text: paragraph ref -> [(start, end, slug or id)].
Inserts = dict[str, list[tuple[int, int, str]]]

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
#: Every entry's timestamp (the earliest a zip can hold): reproducible, and no clock is read.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
LEVEL_LABEL_FALLBACK = {"original": "author’s note", "named": "named", "probable": "probable",
                        "conjectural": "conjectural", "unknown": "not identified"}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# -- the book's data ---------------------------------------------------------------------------------
@dataclass
class Record:
    """The facts about the essay and this edition that the book's metadata and title page state."""
    title: str
    subtitle: str  # without the parentheses the original sets it in
    author: str
    author_file_as: str
    publisher: str  # the original publisher (the edition's source)
    series: str
    date: str  # the original's date, as printed ("Spring 2016")
    year: str
    edition_title: str
    version: str
    modified: str  # the edition's date, YYYY-MM-DD (mkdocs.yml extra.edition.date)
    editors: str = "The editors of the reading edition"
    rights: str = ("The essay’s text is Kevin Carson’s, first published by the Center for a Stateless Society. "
                   "The editors’ apparatus (notes, glossary, annotations) is released under CC BY 4.0.")


@dataclass
class Note:
    n: int
    html: str  # the formatted note (escaped HTML)
    level: str
    level_label: str
    level_meaning: str
    why: str = ""
    page: str = ""
    keys: tuple[str, ...] = ()  # the works it cites (bibliography entries)


@dataclass
class Term:
    slug: str
    term: str
    kind: str
    short_html: str
    long_html: str
    #: (paragraph ref, start, end): the first use of the term in each section, offsets in Paragraph.text
    first_uses: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class Annotation:
    id: str
    ref: str
    quote: str
    label: str  # kind, and how sure the editors are
    html: str
    sources: list[tuple[str, str]] = field(default_factory=list)  # (title, address or "")


@dataclass
class Book:
    record: Record
    chapters: list[Chapter]  # in reading order
    notes: dict[int, Note]
    bibliography: list[tuple[str, str]]  # (key, formatted entry HTML), in the bibliography's order
    glossary: list[Term]
    annotations: list[Annotation]
    level_meanings: list[tuple[str, str]] = field(default_factory=list)  # (label, meaning)


#: The book's description in its metadata.
DESCRIPTION = ("A reading edition of {author}’s essay, with the author’s 143 notes resolved against a bibliography, "
               "the editors’ annotations, a glossary and permanent paragraph references.")

def essay_record(ed: Edition) -> Record:
    """The essay's facts for the book, from the one record of the essay (essay.py) and extra.edition."""
    from .essay import essay_record as shared_record

    essay = shared_record(ed.extra)
    return Record(title=essay.title, subtitle=essay.subtitle, author=essay.author.name,
                  author_file_as=essay.author.inverted, publisher=essay.publisher, series=essay.series_long,
                  date=essay.date_text, year=essay.year, edition_title=essay.edition_title,
                  version=essay.version, modified=essay.edition_date)


def book_from_edition(ed: Edition) -> Book:
    """Gather the parsed edition (model.Edition, as the glue prepared it) into a Book."""
    from .notes import LEVEL_LABEL, LEVEL_MEANING

    notes = {n: Note(n, r.html, r.level, LEVEL_LABEL[r.level], LEVEL_MEANING[r.level], r.why, r.page,
                     tuple(dict.fromkeys(c.key for c in r.citations)))
             for n, r in sorted(ed.notes.items())}
    bibliography = [(k, ed.formatter.bibliography_html(k)) for k in ed.formatter.sorted_keys()]
    terms = []
    if ed.glossary is not None:
        for entry in ed.glossary.entries:
            seen, first = set(), []
            for occ in ed.glossary.occurrences.get(entry.slug, []):
                where = (occ.chapter, occ.section)
                if where not in seen:
                    seen.add(where)
                    first.append((occ.ref, occ.start, occ.end))
            terms.append(Term(entry.slug, entry.term, entry.kind, entry.short_html, entry.long_html, first))
    works = {k: ed.formatter.note_html(k, None, False) for k in ed.works}
    annots = []
    for a in ed.annotations.annotations:
        label = a.kind_label + (f" · {a.confidence_label}" if a.confidence_label else "")
        sources = [(s.title, s.url) if not s.bib else (works.get(s.bib, s.bib), "") for s in a.sources]
        annots.append(Annotation(a.id, a.ref, a.quote, label, a.text_html, sources))
    return Book(essay_record(ed), list(ed.chapters), notes, bibliography, terms, annots,
                [(LEVEL_LABEL[k], LEVEL_MEANING[k]) for k in LEVEL_LABEL])


def book_identifier(record: Record) -> str:
    """A UUID derived from the title and version: the same for every build of one version."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"{record.edition_title} | version {record.version}"))


def file_name(record: Record) -> str:
    return f"techno-utopianism-carson-{record.version or 'edition'}.epub"


# -- HTML fragments to XHTML -----------------------------------------------------------------------
_KEEP_ATTRS = {"href", "class", "lang", "title"}


def xhtml_fragment(fragment: str, external_links: bool = True) -> str:
    """Site HTML (formatted notes, entries, glossary text) as well-formed XHTML: named entities become
    characters, attributes other than href/class/lang/title are dropped, and links that point into
    the site (relative addresses) are unwrapped (their words kept)."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name in list(el.attrib):
            if name not in _KEEP_ATTRS:
                del el.attrib[name]
    for a in list(root.iter("a")):
        href = a.get("href", "")
        if not (external_links and re.match(r"https?://", href)):
            a.drop_tag()
    out = (root.text and esc_text(root.text) or "") + "".join(
        etree.tostring(child, method="xml", encoding="unicode") for child in root)
    return out


def esc_text(text: str) -> str:
    return html.escape(text, quote=False)


# -- a paragraph's Markdown to XHTML --------------------------------------------------------------
_TOKEN = re.compile(r"\\(?P<esc>.)|\[\^(?P<note>[^\]\s]*)\](?!:)|(?P<stars>\*+)|(?P<ent>&(?:#\d+|#[xX][0-9a-fA-F]+|\w+);)")


def inline_tokens(markdown: str) -> list[tuple[str, str]]:
    """A paragraph's Markdown as tokens: ("text", words) whose concatenation is Paragraph.text, and
    ("em"|"strong", "") toggles and ("note", n) markers."""
    out: list[tuple[str, str]] = []
    pos = 0
    for m in _TOKEN.finditer(markdown):
        if m.start() > pos:
            out.append(("text", markdown[pos:m.start()]))
        if m.group("esc") is not None:
            out.append(("text", m.group("esc")))
        elif m.group("note") is not None:
            out.append(("note", m.group("note")))
        elif m.group("stars"):
            count = len(m.group("stars"))
            if count >= 2:
                out.append(("strong", ""))
            if count % 2:
                out.append(("em", ""))
        else:
            out.append(("text", html.unescape(m.group("ent"))))
        pos = m.end()
    if pos < len(markdown):
        out.append(("text", markdown[pos:]))
    return out


def paragraph_xhtml(markdown: str, inserts: list[tuple[int, int, str]]) -> str:
    """Inline XHTML of a paragraph. ``inserts`` are (offset in the plain text, order, markup) to place
    between characters (term links open and close, annotation markers)."""
    tokens = inline_tokens(markdown)
    inserts = sorted(inserts)
    out: list[str] = []
    stack: list[str] = []
    at = 0
    i = 0
    for kind, value in tokens:
        if kind == "text":
            start = 0
            # A link opening at a boundary goes after any emphasis starting there; closes and markers before.
            while i < len(inserts) and (inserts[i][0] < at + len(value) if inserts[i][1] == 2
                                        else inserts[i][0] <= at + len(value)):
                cut = inserts[i][0] - at
                out.append(esc_text(value[start:cut]))
                out.append(inserts[i][2])
                start = cut
                i += 1
            out.append(esc_text(value[start:]))
            at += len(value)
        elif kind == "note":
            n = value
            out.append(f'<sup class="nr"><a class="noteref" id="noteref-{esc(n)}" href="notes.xhtml#note-{esc(n)}" '
                       f'epub:type="noteref" role="doc-noteref">{esc(n)}</a></sup>')
        else:
            tag = kind
            if stack and stack[-1] == tag:
                out.append(f"</{stack.pop()}>")
            else:
                stack.append(tag)
                out.append(f"<{tag}>")
    while i < len(inserts):
        out.append(inserts[i][2])
        i += 1
    while stack:
        out.append(f"</{stack.pop()}>")
    return "".join(out)


def term_spans_ok(markdown: str, start: int, end: int) -> bool:
    """True when no emphasis toggle or note marker falls inside [start, end) of the plain text."""
    at = 0
    for kind, value in inline_tokens(markdown):
        if kind == "text":
            at += len(value)
        elif start < at < end:
            return False
    return True


# -- documents ---------------------------------------------------------------------------------------
CSS = """\
body { margin: 0 1em; line-height: 1.5; }
h1, h2, h3 { line-height: 1.25; hyphens: none; -epub-hyphens: none; }
h1 { margin: 2em 0 1em; font-size: 1.5em; }
h2 { margin: 1.5em 0 0.75em; font-size: 1.2em; }
p { margin: 0 0 0.75em; }
blockquote { margin: 0 0 0.75em 1.5em; }
blockquote p { font-size: 0.95em; }
sup.nr { line-height: 0; font-size: 0.75em; }
a.noteref { text-decoration: none; }
a.term { color: inherit; text-decoration: underline dotted; }
.pref { font-size: 0.7em; color: #595959; font-variant-numeric: tabular-nums; white-space: nowrap; }
.pref a { color: inherit; text-decoration: none; }
.ed-label { font-size: 0.8em; font-style: italic; color: #555; }
.quoted-heading { font-weight: bold; }
.quoted-break { text-align: center; }
.level { font-size: 0.85em; font-style: italic; }
.subtitle { font-size: 1.2em; font-style: italic; }
.byline { margin-top: 1.5em; }
ol.notes > li, ol.annotations > li { margin-bottom: 0.75em; }
.bib p { padding-left: 1.5em; text-indent: -1.5em; }
dl.glossary dt { font-weight: bold; margin-top: 1em; }
dl.glossary dd { margin: 0 0 0 1em; }
.uses { font-size: 0.9em; }
nav ol { list-style: none; }
"""


def page(title: str, body: str, kind: str = "bodymatter", lang: str = "en") -> bytes:
    """An XHTML content document."""
    doc = (f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
           f'<html xmlns="{XHTML_NS}" xmlns:epub="{EPUB_NS}" lang="{lang}" xml:lang="{lang}">\n'
           f'<head>\n<meta charset="utf-8"/>\n<title>{esc(title)}</title>\n'
           f'<link rel="stylesheet" type="text/css" href="css/book.css"/>\n</head>\n'
           f'<body epub:type="{kind}">\n{body}\n</body>\n</html>\n')
    return doc.encode("utf-8")


def chapter_file(index: int) -> str:
    return f"part-{index:02d}.xhtml"


def chapter_title(ch: Chapter) -> str:
    return "Opening" if ch.slug == "index" else ch.title


def chapter_body(ch: Chapter, book: Book, index: int, term_inserts: Inserts, annot_inserts: Inserts) -> str:
    sections = {s.id: s for s in ch.sections if s.level == 2}
    heading = ('<h1 data-ed="heading">Opening</h1>' if ch.slug == "index" else
               f"<h1>{paragraph_xhtml(next((s.title for s in ch.sections if s.level == 1), ch.title), [])}</h1>")
    out = [f'<section id="{esc(ch.slug)}" epub:type="chapter" role="doc-chapter" aria-labelledby="h-{esc(ch.slug)}">',
           heading.replace("<h1", f'<h1 id="h-{esc(ch.slug)}"', 1)]
    section = ""
    in_quote = False
    in_list = False
    for p in ch.paragraphs:
        if p.section != section:
            if in_list:
                out.append("</ul>")
                in_list = False
            if in_quote:
                out.append("</blockquote>")
                in_quote = False
            section = p.section
            s = sections.get(section)
            if s is not None:
                mark = ' data-ed="heading"' if s.editorial else ""
                label = ' <span class="ed-label" data-ed="label">(editors’ heading)</span>' if s.editorial else ""
                out.append(f'<h2 id="{esc(s.id)}"{mark}>{paragraph_xhtml(s.title, [])}{label}</h2>')
        if p.quote and not in_quote:
            out.append("<blockquote>")
            in_quote = True
        elif not p.quote and in_quote:
            if in_list:
                out.append("</ul>")
                in_list = False
            out.append("</blockquote>")
            in_quote = False
        if p.kind == "li" and not in_list:
            out.append("<ul>")
            in_list = True
        elif p.kind != "li" and in_list:
            out.append("</ul>")
            in_list = False
        inserts = term_inserts.get(p.ref, []) + annot_inserts.get(p.ref, [])
        text = paragraph_xhtml(p.markdown, inserts)
        ref = (f' <span class="pref" data-ed="ref">'
               f'<a href="#{esc(p.ref)}" aria-label="Paragraph {esc(p.ref)}">{esc(p.ref)}</a></span>')
        css = {"quoted-heading": ' class="quoted-heading"', "quoted-break": ' class="quoted-break"'}.get(p.kind, "")
        tag = "li" if p.kind == "li" else "p"
        out.append(f'<{tag} id="{esc(p.ref)}"{css}>{text}{ref}</{tag}>')
    if in_list:
        out.append("</ul>")
    if in_quote:
        out.append("</blockquote>")
    out.append("</section>")
    return "\n".join(out)


def notes_body(book: Book, note_file: dict[int, str]) -> str:
    keys = {k for k, _ in book.bibliography}
    out = ['<section id="notes" epub:type="endnotes" role="doc-endnotes">', "<h1>Notes</h1>",
           '<p class="ed-label">The author’s notes, under his numbers; their texts are the editors’ identification of '
           'each source, with how sure the editors are (see “How sure the editors are” at the end of this book).</p>',
           '<ol class="notes">']
    for n, note in book.notes.items():
        why = esc_text(note.why.rstrip(".")) + "." if note.why else ""
        page_src = f" Page number: {esc_text(note.page.rstrip('.'))}." if note.page else ""
        bib = "".join(f' <a href="bibliography.xhtml#bib-{esc(k)}">→ bibliography</a>' for k in note.keys if k in keys)
        out.append(f'<li id="note-{n}" value="{n}" epub:type="endnote">'
                   f"<p>{xhtml_fragment(note.html)} "
                   f'<span class="level">({esc_text(note.level_label)}{": " + why + page_src if why or page_src else ""})</span>'
                   f'{bib} '
                   f'<a href="{note_file[n]}#noteref-{n}" epub:type="backlink" role="doc-backlink" '
                   f'aria-label="Back to note {n} in the text">↩</a></p></li>')
    out += ["</ol>", "</section>"]
    return "\n".join(out)


def annotations_body(book: Book, where: dict[str, str]) -> str:
    out = ['<section id="annotations" epub:type="endnotes" role="doc-endnotes">', "<h1>Editors’ annotations</h1>",
           '<p class="ed-label">Short explanations by the editors, not the author, marked ✦ in the text.</p>',
           '<ol class="annotations">']
    for a in book.annotations:
        sources = []
        for title, url in a.sources:
            title_x = xhtml_fragment(title) if "<" in title else esc_text(title)
            sources.append(f'<a href="{esc(url)}">{title_x}</a>' if re.match(r"https?://", url or "") else title_x)
        src = f'<p class="uses">Sources: {"; ".join(sources)}</p>' if sources else ""
        out.append(f'<li id="annotation-{esc(a.id)}" epub:type="endnote">'
                   f'<p><span class="ed-label">Editors’ annotation · {esc_text(a.label)}</span> on {esc(a.ref)}, '
                   f'“{esc_text(a.quote)}”</p>{xhtml_fragment(a.html)}{src}'
                   f'<p><a href="{where[a.ref]}#annotref-{esc(a.id)}" epub:type="backlink" role="doc-backlink" '
                   f'aria-label="Back to the text">↩ {esc(a.ref)}</a></p></li>')
    out += ["</ol>", "</section>"]
    return "\n".join(out)


def bibliography_body(book: Book) -> str:
    out = ['<section id="bibliography" epub:type="bibliography" role="doc-bibliography">', "<h1>Bibliography</h1>",
           '<p class="ed-label">Every work the notes cite, in the Chicago notes-bibliography style (17th edition).</p>',
           '<div class="bib">']
    for key, entry in book.bibliography:
        out.append(f'<p id="bib-{esc(key)}" epub:type="biblioentry">{xhtml_fragment(entry)}</p>')
    out += ["</div>", "</section>"]
    return "\n".join(out)


def glossary_body(book: Book, where: dict[str, str]) -> str:
    out = ['<section id="glossary" epub:type="glossary" role="doc-glossary">', "<h1>Glossary</h1>",
           '<p class="ed-label">The editors’ glossary. In the text, the first use of each term in each section links '
           'here; “first uses” links back to each of them.</p>', '<dl class="glossary">']
    for t in book.glossary:
        uses = ", ".join(f'<a href="{where[ref]}#{use_id(t.slug, ref, start)}">{esc(ref)}</a>'
                         for ref, start, _ in t.first_uses)
        out.append(f'<dt id="g-{esc(t.slug)}" epub:type="glossterm">{esc_text(t.term)}</dt>')
        out.append(f'<dd epub:type="glossdef"><p>{xhtml_fragment(t.short_html)}</p>{xhtml_fragment(t.long_html)}'
                   + (f'<p class="uses">First uses: {uses}</p>' if uses else "") + "</dd>")
    out += ["</dl>", "</section>"]
    return "\n".join(out)


def use_id(slug: str, ref: str, start: int) -> str:
    return f"u-{slug}-{ref.replace('.', '-')}-{start}"


def levels_body(book: Book) -> str:
    rows = "".join(f"<dt>{esc_text(label)}</dt><dd>{esc_text(meaning)}</dd>" for label, meaning in book.level_meanings)
    r = book.record
    return ('<section id="about" epub:type="appendix" role="doc-appendix"><h1>About this edition</h1>'
            f"<p>{esc_text(r.edition_title)}, version {esc_text(r.version)} ({esc_text(r.modified)}). "
            f"The text is {esc_text(r.author)}’s, first published by the {esc_text(r.publisher)} as "
            f"{esc_text(r.series)} ({esc_text(r.date)}), complete and in order. Headings, paragraph references, "
            "note texts, annotations, the bibliography and the glossary are the editors’ work.</p>"
            "<p>Each paragraph ends with its permanent reference (such as III.12: part III, paragraph 12; "
            "O is the opening and C the conclusion), the same as in the web edition.</p>"
            f"<h2 id=\"levels\">How sure the editors are</h2><dl>{rows}</dl>"
            f"<h2 id=\"rights\">Rights</h2><p>{esc_text(r.rights)}</p></section>")


def cover_svg(record: Record) -> bytes:
    """The cover: title, subtitle, author and edition in generic font families (no fonts fetched)."""
    def lines(text: str, width: int) -> list[str]:
        words, out, line = text.split(), [], ""
        for w in words:
            if line and len(line) + 1 + len(w) > width:
                out.append(line)
                line = w
            else:
                line = f"{line} {w}".strip()
        return out + ([line] if line else [])

    y = 330
    parts = []
    for line in lines(record.title, 20):
        parts.append(f'<text x="800" y="{y}" font-size="104" font-weight="bold">{esc(line)}</text>')
        y += 125
    y += 40
    for line in lines(f"({record.subtitle})", 38):
        parts.append(f'<text x="800" y="{y}" font-size="58" font-style="italic">{esc(line)}</text>')
        y += 75
    svg = f"""<?xml version="1.0" encoding="utf-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 1600 2400" width="1600" height="2400" role="img" aria-labelledby="cover-title">
<title id="cover-title">{esc(record.title)} ({esc(record.subtitle)}), by {esc(record.author)}</title>
<rect width="1600" height="2400" fill="#1f3a4d"/>
<rect x="80" y="80" width="1440" height="2240" fill="none" stroke="#e8d9b5" stroke-width="6"/>
<g fill="#f5efe0" font-family="serif" text-anchor="middle">
{chr(10).join(parts)}
<text x="800" y="1750" font-size="84">{esc(record.author)}</text>
<text x="800" y="2060" font-size="44" fill="#e8d9b5">{esc(record.series)}, {esc(record.date)}</text>
<text x="800" y="2140" font-size="44" fill="#e8d9b5">A reading edition · version {esc(record.version)}</text>
</g>
</svg>
"""
    return svg.encode("utf-8")


def book_files(book: Book) -> list[tuple[str, bytes]]:
    """Every file of the EPUB: (name inside the zip, content), mimetype first, the rest sorted."""
    r = book.record
    where: dict[str, str] = {}  # paragraph ref -> file
    note_file: dict[int, str] = {}
    for i, ch in enumerate(book.chapters):
        for p in ch.paragraphs:
            where[p.ref] = chapter_file(i)
        for nr in ch.note_refs:
            note_file[nr.n] = chapter_file(i)
    paragraphs = {p.ref: p for ch in book.chapters for p in ch.paragraphs}
    # The glossary's first use per section: a link to the entry, with an id the entry links back to.
    term_inserts: dict[str, list[tuple[int, int, str]]] = {}
    usable = []
    for t in book.glossary:
        kept = []
        for ref, start, end in t.first_uses:
            para = paragraphs.get(ref)
            if para is None or not term_spans_ok(para.markdown, start, end) or any(
                    s < end and start < e for s, e in _spans(term_inserts.get(ref, []))):
                continue
            term_inserts.setdefault(ref, []).extend([
                (start, 2, f'<a class="term" id="{use_id(t.slug, ref, start)}" href="glossary.xhtml#g-{esc(t.slug)}" '
                           f'epub:type="glossref" role="doc-glossref">'),
                (end, 0, "</a>")])
            kept.append((ref, start, end))
        usable.append(Term(t.slug, t.term, t.kind, t.short_html, t.long_html, kept))
    book = Book(book.record, book.chapters, book.notes, book.bibliography, usable, book.annotations, book.level_meanings)
    annot_inserts: dict[str, list[tuple[int, int, str]]] = {}
    for a in book.annotations:
        para = paragraphs.get(a.ref)
        at = para.text.find(a.quote) if para is not None else -1
        end = at + len(a.quote) if at >= 0 else len(para.text) if para is not None else 0
        annot_inserts.setdefault(a.ref, []).append(
            (end, 1, f'<a class="annotref" id="annotref-{esc(a.id)}" href="annotations.xhtml#annotation-{esc(a.id)}" '
                     f'epub:type="noteref" role="doc-noteref" data-ed="annotation" '
                     f'aria-label="Editors’ annotation">✦</a>'))

    docs: list[tuple[str, str, str, bytes, str]] = []  # (file, id, title, bytes, properties)
    title_page = (f'<section id="titlepage" epub:type="titlepage" class="titlepage"><h1>{esc_text(r.title)}</h1>'
                  f'<p class="subtitle">({esc_text(r.subtitle)})</p><p class="byline">{esc_text(r.author)}</p>'
                  f"<p>{esc_text(r.series)}, {esc_text(r.date)}</p>"
                  f"<p>{esc_text(r.edition_title)}, version {esc_text(r.version)} ({esc_text(r.modified)})</p></section>")
    docs.append(("cover.xhtml", "cover", "Cover",
                 page("Cover", f'<section epub:type="cover" id="cover"><img src="images/cover.svg" alt="Cover: '
                               f'{esc(r.title)}, by {esc(r.author)}" style="max-width:100%;max-height:100%"/></section>',
                      "frontmatter"), ""))
    docs.append(("titlepage.xhtml", "titlepage", "Title page", page(r.title, title_page, "frontmatter"), ""))
    for i, ch in enumerate(book.chapters):
        docs.append((chapter_file(i), f"part-{i:02d}", chapter_title(ch),
                     page(chapter_title(ch), chapter_body(ch, book, i, term_inserts, annot_inserts)), ""))
    docs.append(("notes.xhtml", "notes", "Notes", page("Notes", notes_body(book, note_file), "backmatter"), ""))
    if book.annotations:
        docs.append(("annotations.xhtml", "annotations", "Editors’ annotations",
                     page("Editors’ annotations", annotations_body(book, where), "backmatter"), ""))
    docs.append(("bibliography.xhtml", "bibliography", "Bibliography",
                 page("Bibliography", bibliography_body(book), "backmatter"), ""))
    docs.append(("glossary.xhtml", "glossary", "Glossary", page("Glossary", glossary_body(book, where), "backmatter"), ""))
    docs.append(("about.xhtml", "about", "About this edition", page("About this edition", levels_body(book), "backmatter"), ""))

    toc = "\n".join(f'<li><a href="{f}">{esc_text(t)}</a></li>' for f, _, t, _, _ in docs if f != "cover.xhtml")
    first_text = chapter_file(0)
    nav = (f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>Contents</h1><ol>\n{toc}\n</ol></nav>\n'
           '<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2><ol>'
           '<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>'
           f'<li><a epub:type="bodymatter" href="{first_text}">Start of the text</a></li>'
           '<li><a epub:type="endnotes" href="notes.xhtml">Notes</a></li>'
           '<li><a epub:type="bibliography" href="bibliography.xhtml">Bibliography</a></li>'
           '<li><a epub:type="glossary" href="glossary.xhtml">Glossary</a></li></ol></nav>')
    nav_doc = page("Contents", nav, "frontmatter")

    ident = book_identifier(r)
    modified = f"{r.modified}T00:00:00Z" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r.modified) else "2000-01-01T00:00:00Z"
    summary = ("The essay’s text in reading order with headings, a table of contents and landmarks; each note and "
               "annotation is a linked endnote with a link back; the glossary’s terms are linked from their first "
               "use in each section. No images other than the cover, which has a text alternative; no audio or video.")
    items = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
             '<item id="css" href="css/book.css" media-type="text/css"/>',
             '<item id="cover-image" href="images/cover.svg" media-type="image/svg+xml" properties="cover-image"/>']
    items += [f'<item id="{i}" href="{f}" media-type="application/xhtml+xml"{f" properties={chr(34)}{p}{chr(34)}" if p else ""}/>'
              for f, i, _, _, p in docs]
    spine = "\n".join(f'<itemref idref="{i}"/>' for _, i, _, _, _ in docs)
    opf = f"""<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="en">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="pub-id">{ident}</dc:identifier>
<dc:title id="title">{esc(r.title)}</dc:title>
<meta refines="#title" property="title-type">main</meta>
<meta refines="#title" property="display-seq">1</meta>
<dc:title id="subtitle">{esc(r.subtitle)}</dc:title>
<meta refines="#subtitle" property="title-type">subtitle</meta>
<meta refines="#subtitle" property="display-seq">2</meta>
<dc:title id="edition-title">{esc(r.edition_title)}</dc:title>
<meta refines="#edition-title" property="title-type">edition</meta>
<dc:creator id="author">{esc(r.author)}</dc:creator>
<meta refines="#author" property="role" scheme="marc:relators">aut</meta>
<meta refines="#author" property="file-as">{esc(r.author_file_as)}</meta>
<dc:contributor id="editors">{esc(r.editors)}</dc:contributor>
<meta refines="#editors" property="role" scheme="marc:relators">edt</meta>
<dc:source>{esc(r.author)}, “{esc(r.title)} ({esc(r.subtitle)})”, {esc(r.series)}, {esc(r.publisher)}, {esc(r.date)}</dc:source>
<dc:date>{esc(r.modified)}</dc:date>
<meta property="dcterms:modified">{modified}</meta>
<meta property="schema:version">{esc(r.version)}</meta>
<dc:language>en</dc:language>
<dc:rights>{esc(r.rights)}</dc:rights>
<dc:subject>Technology — Social aspects</dc:subject>
<dc:description>{esc(DESCRIPTION.format(author=r.author))}</dc:description>
<meta property="schema:accessMode">textual</meta>
<meta property="schema:accessMode">visual</meta>
<meta property="schema:accessModeSufficient">textual</meta>
<meta property="schema:accessibilityFeature">structuralNavigation</meta>
<meta property="schema:accessibilityFeature">tableOfContents</meta>
<meta property="schema:accessibilityFeature">readingOrder</meta>
<meta property="schema:accessibilityFeature">alternativeText</meta>
<meta property="schema:accessibilityFeature">displayTransformability</meta>
<meta property="schema:accessibilityHazard">none</meta>
<meta property="schema:accessibilitySummary">{esc(summary)}</meta>
<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>
<meta property="a11y:certifiedBy">{esc(r.editors)}</meta>
</metadata>
<manifest>
{chr(10).join(items)}
</manifest>
<spine>
{spine}
</spine>
</package>
"""
    container = ('<?xml version="1.0" encoding="utf-8"?>\n'
                 '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
                 '<rootfiles><rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>'
                 '</rootfiles>\n</container>\n')
    files = [("META-INF/container.xml", container.encode("utf-8")), ("EPUB/content.opf", opf.encode("utf-8")),
             ("EPUB/nav.xhtml", nav_doc), ("EPUB/css/book.css", CSS.encode("utf-8")),
             ("EPUB/images/cover.svg", cover_svg(r))]
    files += [(f"EPUB/{f}", data) for f, _, _, data, _ in docs]
    return [("mimetype", b"application/epub+zip")] + sorted(files)


def _spans(inserts: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    opens = [i[0] for i in inserts if i[1] == 2]
    closes = [i[0] for i in inserts if i[1] == 0]
    return list(zip(opens, closes))


def epub_bytes(files: list[tuple[str, bytes]]) -> bytes:
    """Zip the files: mimetype first and stored, the rest deflated; fixed timestamps and permissions."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.create_system = 3  # Unix, whatever machine builds it
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=None if name == "mimetype" else 9)
    return buffer.getvalue()


def download_html(name: str, size: int, prefix: str) -> str:
    """The download link the home, whole-essay and About pages show (templates/download.html)."""
    return templates.render("download.html", prefix=prefix, name=name, kilobytes=f"{size / 1024:,.0f}").rstrip("\n")


def build_epub(ed: Edition) -> tuple[str, bytes]:
    """The book of a prepared edition: (file name, bytes)."""
    book = book_from_edition(ed)
    return file_name(book.record), epub_bytes(book_files(book))
