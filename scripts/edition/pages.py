"""Generated pages (bibliography, glossary, study, whole essay) and short-reference redirects.

Pages are returned as Markdown for MkDocs to render like any other page; they are never written
into docs/ nor committed.
"""
from __future__ import annotations

import atexit
import html
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import glossary, render
from .notes import STATUS_LABEL

if TYPE_CHECKING:
    from .build import Edition

# Pages of the apparatus (not the author's chapters); generated ones are marked True.
APPARATUS = {"bibliography": True, "study": True, "whole": True, "annotations": True, "about": False, "404": False}


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def generate(ed: "Edition") -> dict[str, str]:
    from . import glossary_pages  # the glossary may be absent in small test sites

    out = {"bibliography.md": bibliography_page(ed), "whole.md": whole_page(ed),
           "bibliography.bib": (ed.root / "bibliography.bib").read_text(encoding="utf-8")}
    out.update(glossary_pages.generate(ed))
    out["passages.json"] = passages_json(ed)
    if ed.glossary is not None:
        out[glossary.TERMS_SCRIPT] = glossary.terms_script(ed.glossary)
    return out


# -- notes -------------------------------------------------------------------------------------
def note_definition(ed: "Edition", n: int, bib_url: str) -> str:
    """The Markdown of note n's definition: formatted text, bibliography links, honest status.

    Written as HTML, not Markdown links: Markdown's link processing of 143 notes was a measurable part
    of the build's overhead (scripts/bench.py); the link check in tests/test_html.py covers them.
    """
    note = ed.notes[n]
    # The apparatus around the note's text stays out of the search index (data-search-exclude).
    links = "".join(f' <a class="note-bib" data-ed="bib" data-search-exclude href="{bib_url}#{esc(c.key)}">→ bibliography</a>'
                    for c in note.citations)
    status = (f' <span class="note-status note-status--{note.status}" data-ed="status" data-search-exclude '
              f'title="{esc(STATUS_LABEL[note.status])}">'
              f'{"editors’ identification" if note.status == "inferred" else "not identified" if note.status == "unknown" else "author’s note"}'
              f'</span>')
    return f'[^{n}]: <span class="note-text">{note.html}</span>{links}{status}'


# -- bibliography --------------------------------------------------------------------------------
def bibliography_page(ed: "Edition") -> str:
    cited_in: dict[str, list[int]] = {}
    for note in ed.notes.values():
        for c in note.citations:
            cited_in.setdefault(c.key, []).append(note.n)
    titles = {c.slug: c.title for c in ed.chapters}
    lines = ["---", "title: Bibliography", "description: Every work the essay’s notes cite, in Chicago style, "
             "with links to each citing note.", "---", "", "# Bibliography", "",
             '<div class="ed-intro" markdown>', "",
             "Every work cited in the essay’s notes, in the Chicago notes-bibliography style (17th edition), "
             "sorted by author. Under each entry, **cited in** links to every note that cites it. The works were "
             "identified by the editors from the essay’s context: the author’s own note texts do not survive "
             "(see [About this edition](about.md#sources)). "
             "[Download bibliography.bib](bibliography.bib){ download } (BibTeX).", "", "</div>", ""]
    for key, work in sorted(ed.works.items(), key=lambda kv: (kv[1].author_sort, kv[0])):
        by_chapter: dict[str, list[int]] = {}
        for n in sorted(cited_in.get(key, [])):
            by_chapter.setdefault(ed.notes[n].chapter, []).append(n)
        refs = "; ".join(
            f"*{esc(titles[slug])}*: {'notes' if len(ns) > 1 else 'note'} "
            + ", ".join(f"[{n}]({slug}.md#fn:{n} \"Note {n}\")" for n in ns)
            for slug, ns in by_chapter.items())
        lines += [f'<div class="bib-entry" id="{esc(key)}" markdown>', "",
                  f'<p class="bib-text">{ed.formatter.bibliography_html(key)}</p>', "",
                  f'<p class="cited-in" markdown>Cited in {refs}.</p>', "",
                  f'<details class="bib-source"><summary>BibTeX for {esc(key)}</summary>',
                  f'<pre><code>{esc(work.source)}</code></pre>',
                  f'<button type="button" class="copy-bibtex" aria-label="Copy the BibTeX of {esc(key)}">Copy BibTeX</button>',
                  "</details>", "", "</div>", ""]
    return "\n".join(lines)


# -- whole essay ---------------------------------------------------------------------------------
def whole_page(ed: "Edition") -> str:
    """All chapters on one page, for printing and offline reading (kept out of search)."""
    parts = ["---", "title: The whole essay", "search:", "  exclude: true", "---", "",
             "# Techno-Utopianism, Counterfeit and Real", "",
             '<p class="ed-byline" data-ed="byline">Kevin Carson · Center for a Stateless Society, Paper No. 20, Spring 2016 '
             '· the complete text on one page, with the notes at the end.</p>', ""]
    for ch in ed.chapters:
        source = (ed.docs_dir / f"{ch.slug}.md").read_text(encoding="utf-8")
        source = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
        source = re.sub(r'<div class="ed-front".*?\n</div>\n', "", source, flags=re.S)
        source = re.sub(r"^(#{1,5}) ", r"#\1 ", source, flags=re.M)
        if ch.slug == "index":
            source = '## Opening { #opening .ed-heading data-ed="heading" }\n\n' + source
        parts.append(source)
    parts += ["", render.NOTES_HEADING_MD, "", "///Footnotes Go Here///", ""]  # every chapter's notes, at the end
    return "\n".join(parts)


# -- short references ----------------------------------------------------------------------------
def redirect_html(title: str, target: str, canonical: str, text: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{esc(canonical)}">
<meta http-equiv="refresh" content="0; url={esc(target)}">
</head>
<body>
<p>{esc(text)}: <a href="{esc(target)}">{esc(target)}</a></p>
</body>
</html>
"""


def short_ref_files(ed: "Edition") -> list[tuple[str, bytes]]:
    """Every short-reference page, /p/III.12/, /n/57/ and /a/<id>/: (path in the site, content)."""
    base = ed.site_url if ed.site_url.endswith("/") else ed.site_url + "/"
    files = []
    for ch in ed.chapters:
        for p in ch.paragraphs:
            target = f"../../{ch.url}#{p.ref}"
            page = redirect_html(f"{p.ref} — {ch.title}", target, f"{base}{ch.url}#{p.ref}",
                                 f"Paragraph {p.ref} of “{ch.title}”")
            files.append((f"p/{p.ref}/index.html", page.encode("utf-8")))
    chapters = {c.slug: c for c in ed.chapters}
    for n, note in ed.notes.items():
        ch = chapters[note.chapter]
        target = f"../../{ch.url}#fnref:{n}"
        page = redirect_html(f"Note {n} — {ch.title}", target, f"{base}{ch.url}#fnref:{n}", f"Note {n}, in “{ch.title}”")
        files.append((f"n/{n}/index.html", page.encode("utf-8")))
    from .annotations import short_ref_files as annotation_refs  # /a/<id>/, the editors' annotations

    return files + annotation_refs(ed.annotations, {c.slug: c.url for c in ed.chapters},
                                   {c.slug: c.title for c in ed.chapters}, base, redirect_html)


def write_short_refs(ed: "Edition", site_dir: Path) -> None:
    """/p/III.12/ and /n/57/ as plain redirect files (not pages: no search, no sitemap)."""
    write_files(site_dir, short_ref_files(ed))


def write_files(site_dir: Path | str, files: list[tuple[str, bytes]]) -> None:
    """Write (path in the site, content) files, one folder each, with as few system calls as possible."""
    root = os.fspath(site_dir)
    for rel, data in files:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)


# The short-reference pages are ~1,100 new files and folders. Creating them costs little CPU but, on a
# busy disk, up to a millisecond each; so they are written by a forked child while MkDocs renders the
# pages, and the build waits for it at the end (Edition.write_short_refs).
_WRITERS: set[int] = set()


def start_writing(site_dir: Path | str, files: list[tuple[str, bytes]]) -> int | None:
    """Write the files in a child process; its pid, or None where fork is unavailable (write them yourself)."""
    if not hasattr(os, "fork"):
        return None
    _wait_for_writers()  # one left by an earlier build of this process that failed (mkdocs serve)
    pid = os.fork()
    if pid == 0:  # the child: only system calls, then leave at once (no atexit, no buffered output)
        code = 1
        try:
            write_files(site_dir, files)
            code = 0
        finally:
            os._exit(code)
    _WRITERS.add(pid)
    return pid


def finish_writing(pid: int) -> bool:
    """Wait for a writer; True if it wrote every file."""
    _WRITERS.discard(pid)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped elsewhere: its outcome is unknown
        return False
    return os.waitstatus_to_exitcode(status) == 0


@atexit.register
def _wait_for_writers() -> None:  # a failed build must not leave a child writing into its site folder
    for pid in list(_WRITERS):
        finish_writing(pid)


# -- descriptions and citations of passages ---------------------------------------------------------
def first_sentence(text: str, limit: int = 300) -> str:
    """The first sentence of a paragraph (for page descriptions), cut at a word if very long."""
    import re as _re

    m = _re.match(r"(.+?[.?!…][”’)]?)(?:\s|$)", text)
    sentence = m.group(1) if m else text
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + " …"
    return sentence


ESSAY = {
    "author": "Kevin Carson",
    "author_bib": "Carson, Kevin",
    "title": "Techno-Utopianism, Counterfeit and Real (With Special Regard to Paul Mason’s Post-Capitalism)",
    "title_bib": "Techno-Utopianism, Counterfeit and Real (With Special Regard to {Paul Mason's} {Post-Capitalism})",
    "publisher": "Center for a Stateless Society",
    "series": "Center for a Stateless Society Paper No. 20",
    "date": "Spring 2016",
    "year": "2016",
    "edition_title": "Techno-Utopianism, Counterfeit and Real: A Reading Edition",
}


def passage_citation(ed: "Edition", chapter_url: str, ref: str | None) -> dict[str, str]:
    """Chicago and BibTeX citations of a chapter or one paragraph of this edition."""
    edition = ed.extra.get("edition", {})
    version, date = edition.get("version", ""), edition.get("date", "")
    base = ed.site_url if ed.site_url.endswith("/") else ed.site_url + "/"
    url = f"{base}{chapter_url}" + (f"#{ref}" if ref else "")
    where = f", ¶ {ref}" if ref else ""
    chicago = (f"{ESSAY['author']}, “{ESSAY['title']},” {ESSAY['series']} ({ESSAY['date']}){where}, "
               f"in <i>{ESSAY['edition_title']}</i>, version {version} ({date}), {url}.")
    key = "carson2016technoutopianism" + (f"-{ref.replace('.', '-')}" if ref else "")
    note = f"Reading edition, version {version} ({date})" + (f", paragraph {ref}" if ref else "")
    bibtex = (f"@misc{{{key},\n  author = {{{ESSAY['author_bib']}}},\n  title = {{{ESSAY['title_bib']}}},\n"
              f"  howpublished = {{{ESSAY['series']}}},\n  publisher = {{{ESSAY['publisher']}}},\n"
              f"  year = {{{ESSAY['year']}}},\n  note = {{{note}}},\n  url = {{{url}}}\n}}")
    return {"chicago": chicago, "bibtex": bibtex, "url": url}


def cite_chapter_markdown(ed: "Edition", chapter) -> str:
    """'Cite this chapter', appended to each chapter (the editors'; marked data-ed)."""
    c = passage_citation(ed, chapter.url, None)
    p = passage_citation(ed, chapter.url, "§REF§")
    return ("\n\n<div class=\"cite-this\" data-ed=\"cite\" "
            f"data-chicago=\"{esc(p['chicago'])}\" data-bibtex=\"{esc(p['bibtex'])}\" markdown>\n\n"
            "## Cite this chapter { #cite }\n\n"
            f"<p class=\"cite-chicago\">{c['chicago']}</p>\n\n"
            f"<details><summary>BibTeX</summary><pre><code>{esc(c['bibtex'])}</code></pre>"
            "<button type=\"button\" class=\"copy-bibtex\">Copy BibTeX</button></details>\n\n"
            "<p class=\"cite-hint\">To cite one paragraph, use the ❝ button beside it, or add its reference "
            "(e.g. ¶ " + (chapter.paragraphs[0].ref if chapter.paragraphs else "I.1") + ") to the citation above.</p>\n\n</div>\n")


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
