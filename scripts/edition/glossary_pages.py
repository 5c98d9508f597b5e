"""Glossary pages, generated as Markdown for MkDocs to render (never written into docs/).

glossary/<slug>.md   one page per entry (URL /glossary/<slug>/): definition, where the essay
                     explains it, related entries both ways, bibliography entry, sources, concordance.
                     Only the term and its definition go into the search index (the rest is marked
                     data-search-exclude: the essay's own paragraphs are what a phrase should find).
glossary/index.md    A–Z index with a kind filter (all entries show without JavaScript).
glossary/print.md    every entry in full on one page, for printing (kept out of search).
(The study page, whose cards include the glossary's terms, is study_page.py's.)

Every text from glossary.yml reaches the page through html.escape (or the glossary's Markdown
renderer, which escapes raw HTML), so HTML or script in any field shows as text. Page content is
raw HTML blocks; only fixed headings are Markdown, so that the table of contents lists them.
"""
from __future__ import annotations

import html
import json
from urllib.parse import quote as url_quote
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import urls
from .glossary import KIND_LABEL, KINDS, Entry, Glossary, Occurrence, Source, snippet_html, sort_key

if TYPE_CHECKING:
    from .chapters import Paragraph
    from .model import Edition

KIND_PLURAL = {"concept": "Concepts", "school": "Schools of thought", "person": "People", "work": "Works",
               "movement": "Movements and organisations"}


INDEX, PRINT = "glossary/index.md", "glossary/print.md"  # the glossary's own pages (source files)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def front_matter(title: str, description: str, *extra: str) -> list[str]:
    """YAML front matter. The theme prints these values unescaped (Jinja without autoescape, and
    <title> through striptags, which decodes entities), so they are escaped here and stripped of
    angle brackets."""
    def value(text: str) -> str:
        text = " ".join(text.replace("<", "").replace(">", "").split())
        return json.dumps(html.escape(text, quote=True), ensure_ascii=False)
    return ["---", f"title: {value(title)}", f"description: {value(description)}", *extra, "---", ""]


def generate(ed: "Edition") -> dict[str, str]:
    g: Glossary | None = ed.glossary
    if g is None or not g.entries:
        return {"glossary/index.md": "---\ntitle: Glossary\n---\n\n# Glossary\n\nNo entries.\n"}
    # the matcher's single pass over the whole essay, for EDITION_TIMINGS / scripts/bench.py
    ed.timings["glossary_match"] = g.timings.get("match", 0.0)
    out = {f"glossary/{e.slug}.md": term_page(ed, g, e) for e in g.entries}
    out[INDEX] = index_page(ed, g)
    out[PRINT] = print_page(ed, g)
    return out


# -- shared pieces -----------------------------------------------------------------------------------

def chapter_href(ed: "Edition", slug: str, depth: int) -> str:
    """Relative URL of a chapter from a page `depth` folders below the site root."""
    ch = ed.chapter(slug)
    return urls.up(depth) + (ch.url if ch else urls.page_url(f"{slug}.md"))


def term_href(here: str, slug: str) -> str:
    """The link from a page (its source file) to a glossary entry's page."""
    return urls.href(here, f"glossary/{slug}.md")


def page_href(target: str, depth: int) -> str:
    """'paul-mason.md#x' -> relative URL from a page `depth` folders below the root."""
    page, _, anchor = target.partition("#")
    return urls.up(depth) + urls.page_url(page if page.endswith(".md") else f"{page}.md") + (f"#{anchor}" if anchor else "")


def section_title(ed: "Edition", target: str) -> str:
    page, _, anchor = target.partition("#")
    ch = ed.chapter(page[:-3])
    if ch is None:
        return page[:-3].replace("-", " ").capitalize()
    if anchor:
        for s in ch.sections:
            if s.id == anchor:
                return f"{ch.title}: {s.title.replace('*', '')}"
    return ch.title


def life(e: Entry) -> str:
    if e.born and e.died:
        return f"{e.born}–{e.died}"
    if e.born:
        return f"born {e.born}"
    if e.died:
        return f"died {e.died}"
    return ""


def uses_label(n: int) -> str:
    return f"{n} use" + ("" if n == 1 else "s")


def letter_of(term: str) -> str:
    first = sort_key(term)[:1].upper()
    return first if "A" <= first <= "Z" else "#"


# -- term pages -------------------------------------------------------------------------------------

def term_page(ed: "Edition", g: Glossary, e: Entry) -> str:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    occs = g.occurrences.get(e.slug, [])
    here = f"glossary/{e.slug}.md"
    lines = front_matter(e.term, e.short_text)
    lines += [f'<h1 id="{esc(e.slug)}" class="gl-term">{esc(e.term)}</h1>', "",
              f'<p class="gl-meta"><span class="gl-kind gl-kind--{e.kind}">{esc(KIND_LABEL[e.kind])}</span>'
              + (f' · {esc(e.who)}' if e.who else "")
              + (f' · <span class="gl-life">{esc(life(e))}</span>' if life(e) else "")
              + f' · <a href="#concordance">{uses_label(len(occs))} in the essay</a></p>', ""]
    forms = [a for a in e.aliases]
    distinct = [g.by_slug[s] for s in e.distinct_from if s in g.by_slug]
    if forms:  # under the title: the page's own search document, so the term page is found by its aliases too
        lines += [f'<p class="gl-forms">Also in the essay as: {", ".join(f"<em>{esc(a)}</em>" for a in forms)}.</p>', ""]
    lines += ["## Definition { #definition }", "",
              f'<div class="gl-definition"><p class="gl-short">{e.short_html}</p>{e.long_html}'
              + ('<p class="gl-distinct">Not to be confused with: '
                 + ", ".join(f'<a href="{esc(term_href(here, d.slug))}">{esc(d.term)}</a>' for d in distinct) + ".</p>"
                 if distinct else "") + "</div>", ""]
    if e.explained_at:
        p = g.paragraphs[e.explained_at]
        ch = ed.known_chapter(p.chapter)
        lines += ["## Where the essay explains it { #explained data-search-exclude }", "",
                  f'<p class="gl-explained"><a href="{esc(chapter_href(ed, p.chapter, 2))}#{esc(p.ref)}">'
                  f'¶ {esc(p.ref)}</a> in <em>{esc(ch.title)}</em>: '
                  f'<span class="gl-quote kwic">{_explained_snippet(g, e, p)}</span></p>', ""]
    if e.section:
        lines += [f'<p class="gl-section">Discussed in: <a href="{esc(page_href(e.section, 2))}">'
                  f'{esc(section_title(ed, e.section))}</a></p>', ""]
    if e.bib and e.bib in ed.works:
        lines += ["## In the bibliography { #bibliography data-search-exclude }", "",
                  f'<div class="gl-bib"><p class="bib-text">{ed.formatter.bibliography_html(e.bib)}</p>'
                  f'<p><a href="{esc(urls.href(here, "bibliography.md", e.bib))}">See it in the bibliography</a></p></div>', ""]
    if e.sources:
        lines += ["## Sources { #sources data-search-exclude }", "",
                  '<p class="gl-sources-intro">Where the editors checked this entry’s facts (who coined or '
                  'popularised the term, dates, attributions):</p>',
                  '<ul class="gl-sources">' + "".join(source_item(ed, src, here) for src in e.sources) + "</ul>", ""]
    if e.related:
        items = []
        for slug in e.related:
            other = g.by_slug[slug]
            items.append(f'<li><a href="{esc(term_href(here, slug))}">{esc(other.term)}</a> '
                         f'<span class="gl-kind">{esc(KIND_LABEL[other.kind])}</span> — '
                         f'<span class="gl-short-line">{other.short_html}</span></li>')
        lines += ["## Related entries { #related data-search-exclude }", "", '<ul class="gl-related">' + "".join(items) + "</ul>", ""]
    lines += ["## Concordance { #concordance data-search-exclude }", ""]
    # Not counted as uses, but shown where they stand: occurrences the entry excludes (a title, an ordinary
    # sense), and the uses of the entries it is distinct from (the same words in another sense).
    aside: dict[str, list[str]] = {}
    for o, x in e.excluded:
        aside.setdefault(o.chapter, []).append(
            f'<li><a class="gl-ref" href="{esc(chapter_href(ed, o.chapter, 2))}#{esc(o.ref)}">{esc(o.ref)}</a> '
            f'<span class="kwic">{snippet_html(g.paragraphs[o.ref].text, o.start, o.end, 40)}</span> '
            f'<span class="gl-why">{esc(x.why)}</span></li>')
    for d in distinct:
        for o in g.occurrences.get(d.slug, []):
            aside.setdefault(o.chapter, []).append(
                f'<li><a class="gl-ref" href="{esc(chapter_href(ed, o.chapter, 2))}#{esc(o.ref)}">{esc(o.ref)}</a> '
                f'<span class="kwic">{snippet_html(g.paragraphs[o.ref].text, o.start, o.end, 40)}</span> '
                f'<span class="gl-why">a use of <a href="{esc(term_href(here, d.slug))}">{esc(d.term)}</a></span></li>')
    if not occs:
        lines += ['<p class="gl-none">The term does not occur in the essay’s text'
                  + (f": {esc(e.never_occurs)}" if e.never_occurs else ".") + "</p>", ""]
    by_chapter: dict[str, list[Occurrence]] = {}
    for o in occs:
        by_chapter.setdefault(o.chapter, []).append(o)
    if occs:
        summary = ", ".join(f'<a href="#in-{esc(c)}">{esc(ed.known_chapter(c).title)}</a> ({len(v)})'
                            for c, v in by_chapter.items())
        lines += [f'<p class="gl-summary">{uses_label(len(occs))} in {len(by_chapter)} '
                  f'chapter{"" if len(by_chapter) == 1 else "s"}: {summary}.</p>', ""]
    for ch in ed.chapters:
        c = ch.slug
        group = by_chapter.get(c, [])
        if not group and c not in aside:
            continue
        items = []
        for o in group:
            p = g.paragraphs[o.ref]
            quote = ' <span class="gl-in-quote">in a quotation</span>' if o.quote else ""
            # ?hl= names the words, so that the paragraph lands with them highlighted (edition.js)
            items.append(f'<li><a class="gl-ref" href="{esc(chapter_href(ed, c, 2))}?hl={esc(url_quote(o.form))}#{esc(o.ref)}">'
                         f'{esc(o.ref)}</a> <span class="kwic">{snippet_html(p.text, o.start, o.end)}</span>'
                         f'{quote}</li>')
        lines += [f'<h3 id="in-{esc(c)}" class="gl-chapter" data-search-exclude>{esc(ch.title)} '
                  f'<span class="gl-count">{uses_label(len(group)) if group else "no uses"}</span></h3>', ""]
        if items:
            lines += ['<ol class="concordance">' + "".join(items) + "</ol>", ""]
        if c in aside:
            lines += ['<div class="gl-aside"><p class="gl-aside-head">Not counted as uses of this term:</p>'
                      '<ul class="concordance gl-not-counted">' + "".join(aside[c]) + "</ul></div>", ""]
    lines += [f'<p class="gl-back"><a href="{esc(urls.href(here, "glossary/index.md", e.slug))}">← All glossary entries</a> · '
              f'<a href="{urls.href(here, "study.md")}">Study the terms with flashcards</a></p>', ""]
    return "\n".join(lines)


def source_item(ed: "Edition", src: Source, here: str) -> str:
    """One source: a work of the bibliography (formatted, with its pages) or a public reference with its host."""
    if src.bib:
        pages = f", {esc(src.pages)}" if src.pages else ""
        return (f'<li class="gl-source gl-source--bib">{ed.formatter.bibliography_html(src.bib)}{pages} '
                f'<a href="{esc(urls.href(here, "bibliography.md", src.bib))}">In the bibliography</a></li>')
    host = urlsplit(src.url).hostname or ""
    host = host[4:] if host.startswith("www.") else host
    return (f'<li class="gl-source"><a href="{esc(src.url)}">{esc(src.title)}</a> '
            f'<span class="gl-host">({esc(host)})</span></li>')


def _explained_snippet(g: Glossary, e: Entry, p: Paragraph) -> str:
    """The explaining paragraph in brief: around the term's first use there, else its opening words."""
    use = next((o for o in g.by_paragraph.get(p.ref, []) if o.slug == e.slug), None)
    if use is not None:
        return snippet_html(p.text, use.start, use.end, 90)
    text = p.text if len(p.text) <= 160 else p.text[:160].rsplit(" ", 1)[0] + "…"
    return esc(text)


# -- index ------------------------------------------------------------------------------------------

def index_page(ed: "Edition", g: Glossary) -> str:
    counts = {k: sum(1 for e in g.entries if e.kind == k) for k in KINDS}
    lines = front_matter("Glossary", f"The {len(g.entries)} terms, people, works and movements of Carson’s essay, "
                         "each with a definition and a concordance of every use.")
    lines += ["# Glossary", "",
              '<div class="ed-intro gl-intro">'
              f"<p>{len(g.entries)} entries: the concepts, schools of thought, people, works and movements the essay "
              "discusses, defined in the editors’ words. Each entry’s page lists every use in the essay, with its "
              "context and a link to the paragraph. In the chapters, the first use of a term in each section links "
              "to its entry.</p>"
              f'<p class="gl-print-link"><a href="{urls.href(INDEX, PRINT)}">All entries in full, for printing</a> · '
              f'<a href="{urls.href(INDEX, "study.md")}">Flashcards</a></p></div>', ""]
    buttons = [f'<button type="button" class="gl-filter-btn" data-kind="" aria-pressed="true">All '
               f'<span class="gl-n">{len(g.entries)}</span></button>']
    buttons += [f'<button type="button" class="gl-filter-btn" data-kind="{k}" aria-pressed="false">'
                f'{esc(KIND_PLURAL[k])} <span class="gl-n">{counts[k]}</span></button>' for k in KINDS if counts[k]]
    lines += ['<div class="gl-filter" role="group" aria-label="Show entries of one kind" hidden>'
              '<span class="gl-filter-label" aria-hidden="true">Show:</span>' + "".join(buttons)
              + '<p class="gl-filter-status" role="status" aria-live="polite"></p></div>', ""]
    letters: dict[str, list[Entry]] = {}
    for e in g.entries:
        letters.setdefault(letter_of(e.term), []).append(e)
    jump = " ".join(f'<a href="#letter-{esc(L.lower() if L != "#" else "other")}">{esc(L)}</a>' for L in letters)
    lines += [f'<nav class="gl-az" aria-label="Letters">{jump}</nav>', ""]
    for L, entries in letters.items():
        anchor = L.lower() if L != "#" else "other"
        items = []
        for e in entries:
            n = g.uses(e.slug)
            items.append(f'<li class="gl-item" id="{esc(e.slug)}" data-kind="{e.kind}">'
                         f'<a class="gl-item-term" href="{esc(e.slug)}/">{esc(e.term)}</a> '
                         f'<span class="gl-kind gl-kind--{e.kind}">{esc(KIND_LABEL[e.kind])}</span> '
                         f'<span class="gl-count">{uses_label(n)}</span>'
                         f'<div class="gl-short-line">{e.short_html}</div></li>')
        lines += [f'<section class="gl-letter" data-letter="{esc(anchor)}" markdown>', "",
                  f"## {L if L != '#' else 'Other'} {{ #letter-{anchor} data-search-exclude }}", "",
                  '<ul class="gl-list">' + "".join(items) + "</ul>", "", "</section>", ""]
    return "\n".join(lines)


def print_page(ed: "Edition", g: Glossary) -> str:
    lines = front_matter("Glossary (all entries in full)", "Every glossary entry with its full definition, "
                         "for printing.", "search:", "  exclude: true")
    lines += ["# Glossary: all entries in full", "",
              '<p class="ed-intro gl-intro">Every entry with its full definition, where the essay explains it and '
              f'its related entries; the uses are listed on each entry’s page. <a href="{urls.href(PRINT, INDEX)}">'
              'Back to the glossary</a>.</p>', ""]
    for e in g.entries:
        parts = [f'<article class="gl-print-entry" id="{esc(e.slug)}">',
                 f'<h2 class="gl-print-term"><a href="{esc(term_href(PRINT, e.slug))}">{esc(e.term)}</a></h2>',
                 f'<p class="gl-meta">{esc(KIND_LABEL[e.kind])}' + (f" · {esc(e.who)}" if e.who else "")
                 + (f" · {esc(life(e))}" if life(e) else "") + f" · {uses_label(g.uses(e.slug))}</p>",
                 f'<p class="gl-short">{e.short_html}</p>', e.long_html]
        if e.explained_at:
            p = g.paragraphs[e.explained_at]
            parts.append(f'<p class="gl-explained">Explained at <a href="{esc(chapter_href(ed, p.chapter, 2))}'
                         f'#{esc(p.ref)}">¶ {esc(p.ref)}</a> ({esc(ed.known_chapter(p.chapter).title)}).</p>')
        if e.related:
            parts.append('<p class="gl-see">See also: ' + ", ".join(
                f'<a href="{esc(term_href(PRINT, s))}">{esc(g.by_slug[s].term)}</a>' for s in e.related) + ".</p>")
        parts.append("</article>")
        lines += ["".join(parts), ""]
    return "\n".join(lines)
