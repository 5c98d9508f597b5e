"""Glossary pages, generated as Markdown for MkDocs to render (never written into docs/).

glossary/<slug>.md   one page per entry (URL /glossary/<slug>/): definition, where the essay
                     explains it, related entries both ways, bibliography entry, sources, concordance.
                     Only the term and its definition go into the search index (the rest is marked
                     data-search-exclude: the essay's own paragraphs are what a phrase should find).
glossary/index.md    A–Z index with a kind filter (all entries show without JavaScript).
glossary/print.md    every entry in full on one page, for printing (kept out of search).
(The study page, whose cards include the glossary's terms, is study_page.py's.)

The pages are rendered from templates (templates/glossary.md, glossary-term.md, glossary-print.md and
glossary-source.html; templates.render, autoescaped): every text from glossary.yml reaches the page
escaped (or through the glossary's Markdown renderer, which escapes raw HTML, as Markup), so HTML or
script in any field shows as text. Page content is raw HTML blocks; only fixed headings are Markdown,
so that the table of contents lists them. The links are made here and passed to the templates.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote as url_quote
from urllib.parse import urlsplit

from . import templates, urls
from .glossary import KIND_LABEL, KINDS, Entry, Glossary, Occurrence, Source, snippet_html, sort_key
from .templates import Markup

if TYPE_CHECKING:
    from .chapters import Paragraph
    from .model import Edition

KIND_PLURAL = {"concept": "Concepts", "school": "Schools of thought", "person": "People", "work": "Works",
               "movement": "Movements and organisations"}


INDEX, PRINT = "glossary/index.md", "glossary/print.md"  # the glossary's own pages (source files)


def front_matter(title: str, description: str, *extra: str) -> list[str]:
    """YAML front matter (the study page's: glue.Build); values as templates.front_matter_value."""
    return ["---", f"title: {templates.front_matter_value(title)}",
            f"description: {templates.front_matter_value(description)}", *extra, "---", ""]


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

def term_page(ed: "Edition", g: Glossary, e: Entry) -> str:
    """An entry's page (templates/glossary-term.md): the values here, the markup in the template."""
    occs = g.occurrences.get(e.slug, [])
    here = f"glossary/{e.slug}.md"
    distinct = [g.by_slug[s] for s in e.distinct_from if s in g.by_slug]
    by_chapter: dict[str, list[Occurrence]] = {}
    for o in occs:
        by_chapter.setdefault(o.chapter, []).append(o)
    aside = not_counted(ed, g, e, distinct, here)
    explained: dict[str, object] | None = None
    section: dict[str, object] | None = None
    bib: dict[str, object] | None = None
    if e.explained_at:
        p = g.paragraphs[e.explained_at]
        explained = {"href": f"{chapter_href(ed, p.chapter, 2)}#{p.ref}", "ref": p.ref,
                     "chapter": ed.known_chapter(p.chapter).title, "snippet": _explained_snippet(g, e, p)}
    if e.section:
        section = {"href": page_href(e.section, 2), "title": section_title(ed, e.section)}
    if e.bib and e.bib in ed.works:
        bib = {"html": Markup(ed.formatter.bibliography_html(e.bib)), "href": urls.href(here, "bibliography.md", e.bib)}
    chapters: list[dict[str, object]] = []
    for ch in ed.chapters:
        group = by_chapter.get(ch.slug, [])
        if group or ch.slug in aside:
            chapters.append({"slug": ch.slug, "title": ch.title, "uses": uses_label(len(group)) if group else "no uses",
                             "uses_here": [concordance_line(ed, g, o) for o in group], "aside": aside.get(ch.slug, [])})
    return templates.render(
        "glossary-term.md", term=e.term, description=e.short_text, slug=e.slug, kind=e.kind,
        kind_label=KIND_LABEL[e.kind], who=e.who, life=life(e), uses=uses_label(len(occs)), forms=list(e.aliases),
        short_html=Markup(e.short_html), long_html=Markup(e.long_html),
        distinct=[{"href": term_href(here, d.slug), "term": d.term} for d in distinct],
        explained=explained, section=section, bib=bib,
        sources=[Markup(source_item(ed, src, here)) for src in e.sources],
        related=[{"href": term_href(here, slug), "term": g.by_slug[slug].term, "kind_label": KIND_LABEL[g.by_slug[slug].kind],
                  "short_html": Markup(g.by_slug[slug].short_html)} for slug in e.related],
        never_occurs=None if occs else (e.never_occurs or ""),
        summary=[{"slug": c, "title": ed.known_chapter(c).title, "count": len(v)} for c, v in by_chapter.items()],
        chapters=chapters, back_href=urls.href(here, INDEX, e.slug), study_href=urls.href(here, "study.md"))


def concordance_line(ed: "Edition", g: Glossary, o: Occurrence) -> dict[str, object]:
    """One use of the term, with its words in context."""
    p = g.paragraphs[o.ref]
    # ?hl= names the words, so that the paragraph lands with them highlighted (edition.js)
    return {"href": f"{chapter_href(ed, o.chapter, 2)}?hl={url_quote(o.form)}#{o.ref}", "ref": o.ref,
            "snippet": Markup(snippet_html(p.text, o.start, o.end)), "quote": o.quote}


def not_counted(ed: "Edition", g: Glossary, e: Entry, distinct: list[Entry], here: str) -> dict[str, list[dict[str, object]]]:
    """Not counted as uses, but shown where they stand, by chapter: occurrences the entry excludes (a
    title, an ordinary sense), and the uses of the entries it is distinct from (the same words in another sense)."""
    aside: dict[str, list[dict[str, object]]] = {}
    for o, x in e.excluded:
        aside.setdefault(o.chapter, []).append(
            {"href": f"{chapter_href(ed, o.chapter, 2)}#{o.ref}", "ref": o.ref, "why": x.why, "use_of": None,
             "snippet": Markup(snippet_html(g.paragraphs[o.ref].text, o.start, o.end, 40))})
    for d in distinct:
        for o in g.occurrences.get(d.slug, []):
            aside.setdefault(o.chapter, []).append(
                {"href": f"{chapter_href(ed, o.chapter, 2)}#{o.ref}", "ref": o.ref, "why": "",
                 "use_of": {"href": term_href(here, d.slug), "term": d.term},
                 "snippet": Markup(snippet_html(g.paragraphs[o.ref].text, o.start, o.end, 40))})
    return aside


def source_item(ed: "Edition", src: Source, here: str) -> str:
    """One source: a work of the bibliography (formatted, with its pages) or a public reference with its host."""
    host = ""
    if not src.bib:
        host = urlsplit(src.url).hostname or ""
        host = host[4:] if host.startswith("www.") else host
    return templates.render("glossary-source.html", src=src, host=host, bib_href=urls.href(here, "bibliography.md", src.bib),
                            work=Markup(ed.formatter.bibliography_html(src.bib)) if src.bib else "")


def _explained_snippet(g: Glossary, e: Entry, p: Paragraph) -> str:
    """The explaining paragraph in brief: around the term's first use there (HTML, as Markup), else its
    opening words (text, escaped by the template)."""
    use = next((o for o in g.by_paragraph.get(p.ref, []) if o.slug == e.slug), None)
    if use is not None:
        return Markup(snippet_html(p.text, use.start, use.end, 90))
    return p.text if len(p.text) <= 160 else p.text[:160].rsplit(" ", 1)[0] + "…"


# -- index ------------------------------------------------------------------------------------------

def index_page(ed: "Edition", g: Glossary) -> str:
    counts = {k: sum(1 for e in g.entries if e.kind == k) for k in KINDS}
    letters: dict[str, list[Entry]] = {}
    for e in g.entries:
        letters.setdefault(letter_of(e.term), []).append(e)
    return templates.render(
        "glossary.md", total=len(g.entries), print_href=urls.href(INDEX, PRINT), study_href=urls.href(INDEX, "study.md"),
        kinds=[{"kind": k, "label": KIND_PLURAL[k], "count": counts[k]} for k in KINDS if counts[k]],
        letters=[{"letter": L, "anchor": L.lower() if L != "#" else "other", "heading": L if L != "#" else "Other",
                  "entries": [{"slug": e.slug, "kind": e.kind, "href": f"{e.slug}/", "term": e.term,
                               "kind_label": KIND_LABEL[e.kind], "uses": uses_label(g.uses(e.slug)),
                               "short_html": Markup(e.short_html)} for e in entries]}
                 for L, entries in letters.items()])


def print_page(ed: "Edition", g: Glossary) -> str:
    entries: list[dict[str, object]] = []
    for e in g.entries:
        explained: dict[str, object] | None = None
        if e.explained_at:
            p = g.paragraphs[e.explained_at]
            explained = {"href": f"{chapter_href(ed, p.chapter, 2)}#{p.ref}", "ref": p.ref,
                         "chapter": ed.known_chapter(p.chapter).title}
        entries.append({"slug": e.slug, "href": term_href(PRINT, e.slug), "term": e.term, "kind_label": KIND_LABEL[e.kind],
                        "who": e.who, "life": life(e), "uses": uses_label(g.uses(e.slug)),
                        "short_html": Markup(e.short_html), "long_html": Markup(e.long_html), "explained": explained,
                        "related": [{"href": term_href(PRINT, s), "term": g.by_slug[s].term} for s in e.related]})
    return templates.render("glossary-print.md", index_href=urls.href(PRINT, INDEX), entries=entries)
