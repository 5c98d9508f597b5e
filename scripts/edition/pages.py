"""Generated pages (bibliography, glossary, study, whole essay) and short-reference redirects.

Pages are returned as Markdown for MkDocs to render like any other page; they are never written
into docs/ nor committed.
"""
from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, Iterator

from . import exports, glossary, passages, render, templates, urls
from .bib import to_csl_json
from .notes import LEVEL_LABEL, LEVEL_MEANING, level_counts

if TYPE_CHECKING:
    from .bib import Work
    from .chapters import Chapter
    from .essay import Essay
    from .model import Edition
    from .notes import ResolvedNote

# Pages of the apparatus (not the author's chapters); generated ones are marked True.
APPARATUS = {"bibliography": True, "study": True, "whole": True, "annotations": True, "about": False, "404": False}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def generate(ed: "Edition") -> dict[str, str]:
    from . import glossary_pages  # the glossary may be absent in small test sites

    out = {"bibliography.md": bibliography_page(ed), "whole.md": whole_page(ed),
           "bibliography.bib": public_bibtex(ed.bib_text)}
    out.update(bibliography_exports(ed))
    out.update(essay_exports(ed))
    out.update(glossary_pages.generate(ed))
    out["passages.json"] = passages_json(ed)
    if ed.glossary is not None:
        out[glossary.TERMS_SCRIPT] = glossary.terms_script(ed.glossary)
    return out


# -- notes -------------------------------------------------------------------------------------
def note_html(ed: "Edition", n: int, bib_url: str) -> str:
    """Note n's formatted text, bibliography links, level and why, as finished HTML.

    Written as HTML, not Markdown links: Markdown's link processing of 143 notes was a measurable part
    of the build's overhead (scripts/bench.py); the link check in tests/test_html.py covers them. The glue
    passes it to the Markdown extension as finished HTML (mdext.raw_marker), which Markdown does not parse.
    The level and its why are part of the note's own HTML, so every rendering of the note shows them:
    the notes list, Material's popup and the sidenote (both copy the list item), the whole essay, print.
    """
    note = ed.notes[n]
    # The apparatus around the note's text stays out of the search index (data-search-exclude).
    keys = list(dict.fromkeys(c.key for c in note.citations))
    links = "".join(f' <a class="note-bib" data-ed="bib" data-search-exclude href="{bib_url}#{esc(k)}">→ bibliography</a>'
                    for k in keys)
    return f'<span class="note-text">{note.html}</span>{links}{note_apparatus(note)}'


def note_apparatus(note: ResolvedNote) -> str:
    """The level and the editors' why, e.g. "probable: the sentence names Shenhav…"; the page's source."""
    why = _md_safe(note.why.rstrip(".")) + "." if note.why else ""
    page = f" Page number: {_md_safe(note.page.rstrip('.'))}." if note.page else ""
    evidence = "".join(f' <a class="note-evidence" href="{esc(url)}">[source]</a>'
                       for url in note.evidence if re.match(r"https?://", url))
    about = esc(LEVEL_MEANING[note.level])
    label = LEVEL_LABEL[note.level]
    return (f' <span class="note-apparatus" data-ed="level" data-search-exclude>'
            f'<span class="note-level note-level--{note.level}" title="{about}">{label}</span>'
            + (f'<span class="note-why">: {why}{page}{evidence}</span>' if why or page or evidence else "")
            + "</span>")


def _md_safe(text: str) -> str:
    """The editors' plain words, escaped for HTML and with Markdown's link and note syntax defused."""
    from .bib import _typographic

    return esc(_typographic(text), ).replace("&#x27;", "’").replace("[", "&#91;").replace("]", "&#93;")


# -- bibliography --------------------------------------------------------------------------------
def bibliography_page(ed: "Edition") -> str:
    cited_in: dict[str, list[int]] = {}
    for note in ed.notes.values():
        for key in dict.fromkeys(c.key for c in note.citations):
            cited_in.setdefault(key, []).append(note.n)
    titles = {c.slug: c.title for c in ed.chapters}
    entries = []
    previous = None
    for key in ed.formatter.sorted_keys():
        work = ed.works[key]
        entry = ed.formatter.bibliography_html(key)
        names = _author_names(work)
        if names and previous == names:  # CMOS 14.67: the same author(s) again: a 3-em dash
            entry = re.sub(r"^" + re.escape(_inverted(names)) + r"(?=[.,])", "———", entry)
        previous = names
        entries.append({"key": key, "html": templates.Markup(entry), "coins": exports.coins(to_csl_json(work)),
                        "cited_in": templates.Markup(cited_in_markdown(ed, cited_in.get(key, []), titles)),
                        "bibtex": public_bibtex(work.source)})
    return templates.render("bibliography.md", entries=entries)


def bibliography_exports(ed: "Edition") -> dict[str, str]:
    """The bibliography as RIS and CSL-JSON, whole and one file per work (bib/<key>.ris, bib/<key>.json)."""
    items = [to_csl_json(ed.works[k]) for k in ed.formatter.sorted_keys()]
    out = {"bibliography.ris": exports.ris_all(items), "bibliography.json": exports.csl_json(items)}
    for item in items:
        out[f"bib/{item['id']}.ris"] = exports.ris(item)
        out[f"bib/{item['id']}.json"] = exports.csl_json(item)
    return out


def essay_exports(ed: "Edition") -> dict[str, str]:
    """The essay itself for citation managers: essay.ris and essay.json (CSL-JSON), from its record."""
    from .essay import csl_item

    item = csl_item(essay(ed), site_base(ed))
    return {"essay.ris": exports.ris(item), "essay.json": exports.csl_json(item)}


def _author_names(work: Work) -> tuple[tuple[str, str], ...]:
    return tuple((p.family, p.given) for p in work.names.get("author") or work.names.get("editor") or ())


def _inverted(names: tuple[tuple[str, str], ...]) -> str:
    """The names as a bibliography entry begins: "Hardt, Michael, and Antonio Negri"."""
    first = ", ".join(x for x in names[0] if x)
    rest = [" ".join(x for x in (given, family) if x) for family, given in names[1:]]
    if not rest:
        return first
    if len(rest) == 1:
        return f"{first}, and {rest[0]}"
    return f"{first}, " + ", ".join(rest[:-1]) + f", and {rest[-1]}"


def cited_in_markdown(ed: "Edition", numbers: list[int], titles: dict[str, str]) -> str:
    """'*I. One*: notes 1, 2 (probable), 16 (named)': each chapter's notes, each run of notes with its level."""
    by_chapter: dict[str, list[int]] = {}
    for n in sorted(numbers):
        by_chapter.setdefault(ed.notes[n].chapter, []).append(n)
    out = []
    for slug, ns in by_chapter.items():
        runs: list[tuple[str, list[int]]] = []
        for n in ns:
            level = ed.notes[n].level
            if runs and runs[-1][0] == level:
                runs[-1][1].append(n)
            else:
                runs.append((level, [n]))
        listed = ", ".join(", ".join(f"[{n}]({slug}.md#fn:{n} \"Note {n}\")" for n in group)
                           + f' <span class="cited-level cited-level--{level}">({LEVEL_LABEL[level]})</span>'
                           for level, group in runs)
        out.append(f"*{esc(titles[slug])}*: {'notes' if len(ns) > 1 else 'note'} {listed}")
    return "; ".join(out)


#: A comment line of the .bib (the editors' evidence and doubts): kept in the source, never published.
_BIB_COMMENT = re.compile(r"^[ \t]*%.*(?:\n|$)", re.M)


def public_bibtex(text: str) -> str:
    """The .bib as readers download it: without the editors' ``%`` comment lines (the evidence record).

    Only whole comment lines are removed: a ``%`` inside a value (escaped as ``\\%`` in BibTeX) stays.
    Runs of blank lines left behind become one.
    """
    text = _BIB_COMMENT.sub("", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


LEVELS_MARKER = "<!-- edition:levels -->"


def about_levels(markdown: str, levels: str) -> str:
    """Put the confidence scale into the About page where it says ``<!-- edition:levels -->``."""
    return markdown.replace(LEVELS_MARKER, levels)


def levels_markdown(ed: "Edition") -> str:
    """The About page's account of the confidence scale, with the number of notes at each level."""
    counts = level_counts(ed.notes)
    return templates.render("levels.md", total=sum(counts.values()), levels=[
        {"level": level, "label": LEVEL_LABEL[level], "meaning": LEVEL_MEANING[level], "count": count}
        for level, count in counts.items()])


# -- whole essay ---------------------------------------------------------------------------------
def whole_page(ed: "Edition") -> str:
    """All chapters on one page, for printing and offline reading (kept out of search)."""
    sources = []
    for ch in ed.chapters:
        source = ed.chapter_sources[ch.slug]
        source = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
        source = re.sub(r'<div class="ed-front".*?\n</div>\n', "", source, flags=re.S)
        source = re.sub(r"^(#{1,5}) ", r"#\1 ", source, flags=re.M)
        if ch.slug == "index":
            source = '## Opening { #opening .ed-heading data-ed="heading" }\n\n' + source
        sources.append(templates.Markup(source))  # the author's Markdown, as written
    return templates.render("whole.md", chapters=sources, notes_heading=templates.Markup(render.NOTES_HEADING_MD),
                            footnotes_here=templates.Markup("///Footnotes Go Here///"))


# -- short references ----------------------------------------------------------------------------
def annotation_specs(ed: "Edition", base: str) -> Iterator[passages.Spec]:
    """/a/<id>/: the editors' annotation, with the annotated words' paragraph, leading to its chapter."""
    e = essay(ed)
    chapters = {c.slug: c for c in ed.chapters}
    for a in ed.annotations.annotations:
        ch = chapters[a.chapter]
        canonical = f"{base}a/{a.id}/"
        text = html.unescape(re.sub(r"<[^>]+>", "", a.text_html)).strip()
        cite = (f"{esc(e.editors)}, annotation on “{esc(a.quote)}” (¶ {esc(a.ref)}), in <i>{esc(e.edition_title)}</i>, "
                f"version {esc(e.version)} ({esc(e.edition_date)}), {esc(canonical)}.")
        yield (f"a/{a.id}/index.html",), dict(
            ref=a.ref, kind="annotation", text=text, heading=f"¶ {a.ref}", chapter_title=ch.title,
            target=urls.relative(f"a/{a.id}/", ch.url, f"anref:{a.id}"), canonical=canonical, citation=cite, quote=a.quote)


def short_ref_header(ed: "Edition") -> passages.Header:
    """What the short-reference pages share (passages.Header)."""
    overrides = templates.overrides_folder()
    return passages.Header(essay(ed), site_base(ed), str(overrides) if overrides is not None else None)


def short_ref_specs(ed: "Edition") -> Iterator[passages.Spec]:
    """Every short-reference page, /p/III.12/, /n/57/ and /a/<id>/, as (paths in the site, what its page shows),
    one at a time: passages.render makes the pages (in the writer's process: files.start_rendering), and at 50×
    the essay there are tens of thousands, never all held at once."""
    base = site_base(ed)
    for ch in ed.chapters:
        for p in ch.paragraphs:
            cite = passage_citation(ed, ch.url, p.ref)["chicago"]
            # /p/iii.12/ as typed on a phone: a file of its own, for any static host
            paths = (f"p/{p.ref}/index.html",) + ((f"p/{p.ref.lower()}/index.html",) if p.ref.lower() != p.ref else ())
            yield paths, dict(ref=p.ref, kind="passage", text=p.text, heading=f"¶ {p.ref}", chapter_title=ch.title,
                              target=urls.relative(f"p/{p.ref}/", ch.url, p.ref), canonical=f"{base}p/{p.ref}/",
                              citation=cite)
    chapters = {c.slug: c for c in ed.chapters}
    for n, note in ed.notes.items():
        ch = chapters[note.chapter]
        text = html.unescape(re.sub(r"<[^>]+>", "", note.html))
        cite = passage_citation(ed, ch.url, None)["chicago"].replace(f"{ch.url}.", f"{ch.url}#fn:{n}.")
        cite = re.sub(r"\((Spring 2016)\),", rf"(\1), n. {n},", cite, count=1)
        yield (f"n/{n}/index.html",), dict(ref=str(n), kind="note", text=text, heading=f"note {n}", chapter_title=ch.title,
                                           target=urls.relative(f"n/{n}/", ch.url, f"fnref:{n}"),
                                           canonical=f"{base}n/{n}/", citation=cite)
    yield from annotation_specs(ed, base)  # /a/<id>/, the editors' annotations


def short_ref_files(ed: "Edition") -> Iterator[tuple[str, bytes]]:
    """Every short-reference page as (path in the site, content), made here, one at a time."""
    return passages.render(short_ref_header(ed), short_ref_specs(ed))


# -- descriptions and citations of passages ---------------------------------------------------------
def essay(ed: "Edition") -> Essay:
    """The essay's one record (scripts/edition/essay.py), with this build's edition version and date."""
    from .essay import essay_record

    return essay_record(ed.extra)


def site_base(ed: "Edition") -> str:
    """The build's site address (SITE_URL), ending in a slash."""
    return ed.site_url if ed.site_url.endswith("/") else ed.site_url + "/"


def passage_citation(ed: "Edition", chapter_url: str, ref: str | None) -> dict[str, str]:
    """Chicago and BibTeX citations of a chapter or one paragraph of this edition."""
    e = essay(ed)
    url = f"{site_base(ed)}{chapter_url}" + (f"#{ref}" if ref else "")
    where = f", ¶ {ref}" if ref else ""
    chicago = (f"{e.author.name}, “{e.full_title},” {e.series_long} ({e.date_text}){where}, "
               f"in <i>{e.edition_title}</i>, version {e.version} ({e.edition_date}), {url}.")
    key = "carson2016technoutopianism" + (f"-{ref.replace('.', '-')}" if ref else "")
    note = f"Reading edition, version {e.version} ({e.edition_date})" + (f", paragraph {ref}" if ref else "")
    bibtex = (f"@misc{{{key},\n  author = {{{e.author.inverted}}},\n  title = {{{e.title_bib}}},\n"
              f"  howpublished = {{{e.series_long}}},\n  publisher = {{{e.publisher}}},\n"
              f"  year = {{{e.year}}},\n  note = {{{note}}},\n  url = {{{url}}}\n}}")
    return {"chicago": chicago, "bibtex": bibtex, "url": url}


def cite_chapter_markdown(ed: "Edition", chapter: Chapter) -> str:
    """'Cite this chapter', appended to each chapter (the editors'; marked data-ed)."""
    c = passage_citation(ed, chapter.url, None)
    return "\n\n" + templates.render(
        "cite-chapter.md", one_paragraph=passage_citation(ed, chapter.url, "§REF§"), site=site_base(ed),
        chicago=templates.Markup(c["chicago"]), bibtex=c["bibtex"],
        example=chapter.paragraphs[0].ref if chapter.paragraphs else "I.1")


def chapter_nav_html(ed: "Edition", chapter: Chapter) -> str:
    """Previous and next chapter, right after the author's last paragraph (templates/chapter-nav.html); "" for a
    lone chapter. Links from the chapter's own address (urls.href), so the HTML is finished."""
    slugs = [c.slug for c in ed.chapters]
    at = slugs.index(chapter.slug)
    here = f"{chapter.slug}.md"
    links = []
    if at > 0:
        prev = ed.chapters[at - 1]
        links.append({"rel": "prev", "href": urls.href(here, f"{prev.slug}.md"), "text": f"← {prev.title}"})
    if at + 1 < len(slugs):
        nxt = ed.chapters[at + 1]
        links.append({"rel": "next", "href": urls.href(here, f"{nxt.slug}.md"), "text": f"{nxt.title} →"})
    return templates.render("chapter-nav.html", links=links).rstrip("\n") if links else ""


def contents_markdown(ed: "Edition") -> str:
    """The home page's contents: the author's parts with their length, and where to start or go on."""
    parts = []
    total = 0
    for c in ed.chapters:
        words = sum(len(p.text.split()) for p in c.paragraphs)
        total += words
        parts.append({"href": "#O.1" if c.slug == "index" else c.url,  # the home page is the site's root
                      "title": c.title if c.slug != "index" else "Opening", "words": words,
                      "minutes": reading_minutes(words)})
    return templates.render("contents.html", parts=parts, total=total, span=reading_span(total), start="#O.1")


WORDS_PER_MINUTE = 230  # as overrides/main.html


def reading_minutes(words: int) -> int:
    return max(1, -(-words // WORDS_PER_MINUTE))


def reading_span(words: int) -> str:
    minutes = reading_minutes(words)
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours, rest = divmod(minutes, 60)
    return f"{hours} hour{'s' if hours != 1 else ''}" + (f" {rest} minutes" if rest else "")


def passages_json(ed: "Edition") -> str:
    """Data for the go-to box and the 404 lookup: paragraph refs, notes and terms -> URLs."""
    import json

    edition = ed.extra.get("edition", {})
    data = {
        "version": edition.get("version", ""), "date": edition.get("date", ""),
        "site": ed.site_url,
        "chapters": {c.slug: {"url": c.url, "title": c.title} for c in ed.chapters},
        "paragraphs": {p.ref: c.slug for c in ed.chapters for p in c.paragraphs},
        "notes": {str(n): note.chapter for n, note in ed.notes.items()},
        "terms": {},
    }
    if ed.glossary is not None:
        for term in getattr(ed.glossary, "terms", []):
            slug = getattr(term, "slug", None)
            if slug:
                for name in [getattr(term, "term", "")] + list(getattr(term, "aliases", []) or []):
                    data["terms"][name.lower()] = slug
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# -- citation metadata per page (scripts/edition/metadata.py; rendered by overrides/main.html) --------
def page_kind(ed: "Edition", src_uri: str) -> str:
    slug = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if slug == "index":
        return "opening"
    if slug in ed.chapter_slugs:
        return "chapter"
    if slug == "whole":
        return "whole"
    if slug == "glossary/index":
        return "glossary"
    if slug.startswith("glossary/") and ed.glossary is not None and slug[9:] in ed.glossary.by_slug:
        return "term"
    return "editors"


def chapter_parts(ed: "Edition") -> list[tuple[str, str]]:
    base = site_base(ed)
    return [("Opening" if c.slug == "index" else c.title, f"{base}{c.url}") for c in ed.chapters]


def page_metadata(ed: "Edition", src_uri: str, url: str, title: str, description: str) -> dict[str, Any]:
    """What overrides/main.html puts in a page's head: {"author", "tags": [(attr, name, content)], "jsonld"}."""
    import html as _html

    from . import metadata
    from .bib import to_csl_json

    e = essay(ed)
    base = site_base(ed)
    kind = page_kind(ed, src_uri)
    description = _html.unescape(description or "")
    slug = src_uri[:-3]
    chapter = ed.chapter(slug) if kind == "chapter" else None
    extra: dict[str, Any] = {}
    if chapter is not None:
        extra["position"] = [c.slug for c in ed.chapters].index(chapter.slug) + 1
    if kind in ("opening", "whole"):
        extra["parts"] = chapter_parts(ed)
    if kind == "glossary" and ed.glossary is not None:
        extra["terms"] = [{"name": t.term, "url": base + urls.page_url(f"glossary/{t.slug}.md"), "description": t.short}
                          for t in ed.glossary.entries]
    if kind == "term" and ed.glossary is not None:
        t = ed.glossary.by_slug[slug[9:]]
        extra["term"] = {"name": t.term, "description": t.short, "set": base + urls.page_url("glossary/index.md")}
    if slug == "bibliography":
        extra["works"] = [work_jsonld(to_csl_json(ed.works[k])) for k in ed.formatter.sorted_keys()]
    return {"author": metadata.page_author(kind, e),
            "tags": metadata.page_tags(e, kind, url=url, title=title, description=description,
                                       chapter=chapter.title if chapter is not None else None),
            "jsonld": metadata.page_jsonld(e, kind, base=base, url=url, title=title, description=description,
                                           **extra)}


#: CSL types -> schema.org types of the bibliography's works.
SCHEMA_TYPES = {"book": "Book", "chapter": "Chapter", "article-journal": "ScholarlyArticle",
                "article-newspaper": "NewsArticle", "article-magazine": "Article", "post-weblog": "BlogPosting",
                "webpage": "WebPage"}


def work_jsonld(item: dict[str, Any]) -> dict[str, Any]:
    """One work of the bibliography (its plain CSL-JSON) as schema.org."""
    def people(role: str) -> list[dict[str, str]]:
        return [{"@type": "Person", "name": " ".join(x for x in (p.get("given"), p.get("family")) if x),
                 **({"givenName": p["given"]} if p.get("given") else {}),
                 **({"familyName": p["family"]} if p.get("family") else {})}
                if "family" in p else {"@type": "Organization", "name": p.get("literal", "")}
                for p in item.get(role, [])]

    out: dict[str, Any] = {"@type": SCHEMA_TYPES.get(item.get("type", ""), "CreativeWork"), "@id": f"#{item['id']}",
           "name": item.get("title", "")}
    for role in ("author", "editor", "translator"):
        if item.get(role):
            out[role] = people(role)
    issued = item.get("issued", {}).get("date-parts", [[]])[0]
    if issued:
        out["datePublished"] = "-".join(f"{x:02d}" if i else str(x) for i, x in enumerate(issued))
    if item.get("publisher"):
        out["publisher"] = {"@type": "Organization", "name": item["publisher"]}
    if item.get("container-title"):
        out["isPartOf"] = {"@type": "Book" if item.get("type") == "chapter" else "Periodical",
                           "name": item["container-title"]}
    if item.get("URL"):
        out["url"] = item["URL"]
    if item.get("DOI"):
        out["sameAs"] = f"https://doi.org/{item['DOI']}"
    if item.get("ISBN"):
        out["isbn"] = item["ISBN"]
    return out
