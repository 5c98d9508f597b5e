"""The glue's side of the core: one build's state, which routes MkDocs' pages to the pure core.

This is glue, not core: it knows MkDocs' build order (on_config, on_files, each page, on_post_build)
and routes pages by file name; it reads the sources once through files.py, hands their bytes to the
pure parsers, keeps the timings (the clock is read here) and writes the outputs through files.py.
It lives in the package (not beside scripts/hooks.py) so that hooks.py's reload under
``mkdocs serve`` takes its code afresh with the rest. No MkDocs import: ``config`` is only read like
a mapping (nav, site_url, extra).
"""
from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from . import annotations as annotation_layer  # not 'annotations': that name is the __future__ import's
from . import bib, chapters, cite, epub, files, glossary, glossary_pages, mdext, pages, record, render, search
from . import passages, study, study_deck, study_page, templates, urls
from .chapters import Chapter, encoding_problem
from .files import Sources
from .model import Edition
from .notes import check_numbering, resolve_notes, unused_works
from .problems import EditionError, Problem, suggest

NOTE_DEF_LINE = re.compile(r"^\[\^(\d+)\]:.*$", re.M)
#: The key of every entry in a .bib text, read or not (``@book{key,``).
BIB_ENTRY_KEY = re.compile(r"^[ \t]*@[ \t]*(?!(?:comment|string|preamble)\b)\w+[ \t]*[{(][ \t]*([^,\s{}()]+)",
                           re.M | re.I)


def shown_path(path: str, root: Path) -> str:
    """A path as the editor knows it: relative to the project folder when it lies inside."""
    try:
        return Path(path).relative_to(root).as_posix() if Path(path).is_absolute() else path
    except ValueError:
        return path


#: What the edition relies on in mkdocs.yml: generated pages link as folders (chapter/), and the chapters'
#: Markdown needs these extensions (attributes for references, Markdown inside the editors' HTML, notes).
REQUIRED_EXTENSIONS = ("attr_list", "md_in_html", "footnotes", "toc")


def check_config(config: Mapping[str, Any], shown: str = "mkdocs.yml") -> None:
    """Raise every setting the edition relies on that the configuration lacks, with how to set it."""
    problems = []
    for setting, needed in urls.REQUIRED_SETTINGS.items():  # the addresses urls.py makes rely on these
        if config.get(setting, needed) != needed:
            value = str(config.get(setting)).lower()
            problems.append(Problem(shown, 1, "config", f"{setting} is {value}: the edition's links are folder-style "
                                    "(chapter/), and its short addresses need them", f"remove {setting}: {value}"))
    names = {e if isinstance(e, str) else next(iter(e)) for e in (config.get("markdown_extensions") or [])}
    for ext in REQUIRED_EXTENSIONS:
        if ext not in names:
            problems.append(Problem(shown, 1, "config", f"the Markdown extension '{ext}' is not enabled",
                                    f"add '- {ext}' under markdown_extensions:"))
    limit = ((config.get("extra") or {}).get("edition_search") or {}).get("records_per_index")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        problems.append(Problem(shown, 1, "config", f"extra: edition_search: records_per_index is {limit!r}: "
                                "it must be a whole number of records, 1 or more",
                                f"set it to a number such as {search.RECORDS_PER_INDEX}, or remove it"))
    if problems:
        raise EditionError(problems)


def unreadable_keys(data: bytes | None, works: Mapping[str, object]) -> set[str] | None:
    """Keys of .bib entries that exist but could not be read (None: the whole file could not be read).

    A note citing such a key is not reported as 'unknown-key': the entry's own problem says what to fix.
    """
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return {m.group(1) for m in BIB_ENTRY_KEY.finditer(text)} - set(works)


#: Glossary checks that read the whole text (uses of terms, paragraph references, chapter anchors).
GLOSSARY_NEEDS_WHOLE_TEXT = {"glossary-unused", "glossary-explained-at", "glossary-section", "glossary-exclude"}


def _cited_key(problem: Problem) -> str:
    m = re.search(r"\bkey '([^']*)'", problem.message)
    return m.group(1) if m else ""


def nav_chapter_slugs(nav: list[dict[str, Any]] | None) -> list[str]:
    """The essay's chapters are the nav entries up to the first non-chapter page, in order."""
    slugs = []
    for item in nav or []:
        (title, target), = item.items()
        if not isinstance(target, str) or not target.endswith(".md") or "/" in target:
            continue
        slug = target[:-3]
        if slug in pages.APPARATUS:
            continue
        slugs.append(slug)
    return slugs


CACHE_DIR = ".cache"  # in the project folder: the build's caches (files.py reads and writes them)
BIB_CACHE = "bibliography.json"
CITATIONS_CACHE = "citations.json"
TEMPLATES_CACHE = "templates"  # the edition's compiled Jinja templates (files.template_cache)
THEME_TEMPLATES_CACHE = "theme-templates"  # the theme's (Material's), for MkDocs' own Jinja environment


def load_bibliography(path: str | Path, cache_file: str | Path | None = None,
                      data: bytes | None = None) -> tuple[dict[str, bib.Work], list[Problem]]:
    """Read (files.py) and check (bib.read_bibliography) a .bib file -> (works by key, problems).

    cache_file: the works of a clean load are kept there, keyed by the file's bytes and everything
    that shapes the parse: an unchanged bibliography is then read back without parsing it (0.07 s) or
    importing the parsers (0.03 s). ``data``: the file's bytes, if already read.
    """
    where = str(path)
    if data is None:
        try:
            data = files.read_bytes(Path(path))
        except OSError as exc:
            return {}, [bib.unreadable(where, str(exc.strerror or exc))]
    key = files.bib_cache_key(data) if cache_file else ""
    if cache_file:
        cached = bib.works_from_cache(files.read_cache(Path(cache_file)), key)
        if cached is not None:
            return cached, []
    works, problems = bib.read_bibliography(data, where)
    if cache_file and not problems:
        files.write_cache(Path(cache_file), bib.works_to_cache(key, works))
    return works, problems


def load_chapters(docs_dir: Path, slugs: list[str]) -> tuple[list[Chapter], list[Problem]]:
    """Read a folder's chapters (files.py) and parse them (chapters.load_chapters)."""
    return chapters.load_chapters(files.read_docs(docs_dir), slugs, Path(docs_dir).name)


def citation_formatter(works: dict[str, bib.Work], cache_file: Path | None = None) -> cite.CitationFormatter:
    """A formatter with the results of earlier builds; :meth:`Build.save_caches` keeps the new ones."""
    return cite.CitationFormatter(works, cache=files.read_cache(cache_file) if cache_file else None)


def save_citations(formatter: cite.CitationFormatter, cache_file: Path) -> None:
    """Write the formatter's results for the next build (atomically), if something is new."""
    data = formatter.cache_to_save()
    if data is not None:
        files.write_cache(cache_file, data)


@dataclass
class Build(Edition):
    """The edition (model.Edition, what the page makers read) and what only the glue needs."""
    sources: Sources | None = None  # every hand-edited source, read once (files.read_sources)
    problems: list[Problem] = field(default_factory=list)
    site_dir: Path | None = None  # where MkDocs writes the site (the short-reference pages go there too)
    _short_refs: tuple[Path, files.Writing] | None = field(default=None, repr=False)  # (site_dir, its writer)
    _search: files.Indexing | files.SearchIndexError | None = field(default=None, repr=False)  # Pagefind's run, or why it did not start
    search_index: dict[str, int] = field(default_factory=dict)  # what write_search wrote (files, bytes, records)
    cache_dir: Path | None = None  # where this build's caches are kept (None: none)
    pycache: Path | None = None  # where the edition's compiled modules are (scripts/hooks.py sets it): the page writer reads them
    claims: list[study.Claim] = field(default_factory=list)  # study.yml's claims
    study_files: dict[str, bytes] = field(default_factory=dict)  # the study page's downloads: name -> bytes
    layers: mdext.PageLayers | None = None  # what the Markdown extension adds to the page being converted

    @property
    def root(self) -> Path:
        assert self.sources is not None
        return self.sources.root

    @property
    def docs_dir(self) -> Path:
        assert self.sources is not None
        return self.sources.docs_dir

    @classmethod
    def load(cls, root: Path, docs_dir: Path, config: Any) -> "Build":
        """This build's edition: every source read once (files.py), the caches in root/.cache/."""
        config_file = Path(getattr(config, "config_file_path", None) or root / "mkdocs.yml")
        templates.use_overrides(root / templates.OVERRIDES)  # a template there wins over the edition's own
        templates.use_bytecode_cache(files.template_cache(root / CACHE_DIR / TEMPLATES_CACHE))
        return cls.from_sources(files.read_sources(root, docs_dir, config_file), config, root / CACHE_DIR)

    @classmethod
    def from_sources(cls, sources: Sources, config: Any, cache_dir: Path | None = None) -> "Build":
        """The edition of sources already read (the tests give them in memory); no caches without cache_dir."""
        t0 = time.perf_counter()
        bib_path = sources.root / files.BIB
        if sources.bib is None:
            works: dict[str, bib.Work] = {}
            problems = [bib.unreadable(str(bib_path), sources.bib_error)]
        else:
            works, problems = load_bibliography(bib_path, cache_dir / BIB_CACHE if cache_dir else None, data=sources.bib)
        # Formatted citations are cached on disk across builds (citeproc-py needs ~15 ms each).
        formatter = citation_formatter(works, cache_dir / CITATIONS_CACHE if cache_dir else None)
        slugs = nav_chapter_slugs(config["nav"])
        edition = cls(config["site_url"] or "", dict(config["extra"] or {}), slugs, works, formatter,
                      sources=sources, problems=list(problems), cache_dir=cache_dir)
        site_dir = config.get("site_dir") if hasattr(config, "get") else None
        edition.site_dir = Path(site_dir) if site_dir else None
        edition.timings["bibliography"] = time.perf_counter() - t0
        return edition

    def theme_template_cache(self) -> Any:
        """A cache of the theme's compiled templates for MkDocs' Jinja environment (on_env), or None without caches."""
        return files.template_cache(self.cache_dir / THEME_TEMPLATES_CACHE) if self.cache_dir is not None else None

    def _raise_problems(self) -> None:
        """Fail with every problem found so far, paths shown relative to the project folder."""
        if self.problems:
            raise EditionError(replace(p, path=shown_path(p.path, self.root)) for p in self.problems)

    # -- on_files ---------------------------------------------------------------------------
    def prepare(self) -> dict[str, str]:
        """Parse and check everything; return the generated pages (src_uri -> Markdown)."""
        t0 = time.perf_counter()
        before_chapters = len(self.problems)  # the bibliography's problems come first
        src = self.sources
        assert src is not None
        self.problems += nav_files_missing(src, self.chapter_slugs)
        present = [s for s in self.chapter_slugs if f"{s}.md" in src.docs]
        self.chapters, found = chapters.load_chapters(src.docs, present, src.docs_name)
        self.problems += found
        # Some text is missing (a chapter unread, a paragraph without its reference): the glossary's
        # checks against the whole text would then report terms or paragraphs as absent, untruly.
        text_complete = len(self.problems) == before_chapters
        self.problems += files_outside_nav(src, self.chapter_slugs)
        self.record, found = record.load(src.record)
        self.problems += found
        self.problems += unreadable_pages(src, self.chapter_slugs)
        self.problems += check_numbering(self.chapters)
        self.timings["parse"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        clean_so_far = not self.problems
        self.notes, found = resolve_notes(self.chapters, self.works, self.formatter)
        broken = unreadable_keys(src.bib, self.works)
        # A citation of an entry that exists but could not be read is not also an unknown key.
        found = [p for p in found if p.kind != "unknown-key" or
                 (broken is not None and _cited_key(p) not in broken)]
        self.problems += found
        if clean_so_far and not found:  # with broken notes, "cited by no note" may be untrue
            self.problems += unused_works(self.works, self.notes, "bibliography.bib")
        self.timings["notes"] = time.perf_counter() - t0
        if any(p.kind == "encoding" for p in self.problems):
            self._raise_problems()  # the glossary reads every page: first make them all readable
        t0 = time.perf_counter()  # checked even when the rest has problems: every problem is shown at once
        self.glossary, found = glossary.load(src.glossary, self.chapters, src.docs, self.works, time.perf_counter)
        if not text_complete:
            found = [p for p in found if p.kind not in GLOSSARY_NEEDS_WHOLE_TEXT]
        found = [p for p in found if p.kind != "glossary-bib" or  # its entry's own problem is reported
                 (broken is not None and _cited_key(p) not in broken)]
        self.problems += found
        self.timings["glossary"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        self.problems += self._load_annotations(text_complete, broken)
        self.timings["annotations"] = time.perf_counter() - t0
        self.problems += self._load_claims(text_complete)
        self._raise_problems()
        self.bib_text = (src.bib or b"").decode("utf-8")
        self.chapter_sources = {c.slug: chapters.decode_source(src.docs[f"{c.slug}.md"]) for c in self.chapters}
        t0 = time.perf_counter()
        generated = pages.generate(self)
        generated["annotations.md"] = annotation_layer.list_page(self.annotations, self.chapters, self.annotation_links(urls.root("annotations.md")))
        self.timings["pages"] = time.perf_counter() - t0
        generated["study.md"] = self._study_page()
        # The chapters' text as read is no longer needed (MkDocs reads each page itself, the EPUB is made below
        # from the parsed chapters): dropped, not held to the end of the build (at 50× the essay, ~50 MB).
        self.chapter_sources = {}
        src.docs = {}
        t0 = time.perf_counter()
        self.epub = epub.build_epub(self)  # made now: the pages that link to it show its size
        self.timings["epub"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        self._start_short_refs()
        self._timed("short_refs", t0)
        if self.site_dir is not None:  # a real build (not the in-process checks): index beside it
            t0 = time.perf_counter()
            self._start_search()
            self._timed("search", t0)
        return generated

    # -- the editors' annotations (annotations.yml; the pure core is annotations.py) -------------
    def _load_annotations(self, text_complete: bool, broken: set[str] | None) -> list[Problem]:
        paragraphs = {p.ref: p for c in self.chapters for p in c.paragraphs}
        terms = {e.slug: e.term for e in self.glossary.entries} if self.glossary is not None else None
        assert self.sources is not None
        self.annotations, found = annotation_layer.load(self.sources.annotations, paragraphs,
                                                   set(self.works) | (broken or set()), terms)
        if not text_complete:  # a chapter unread: its paragraphs would look missing, untruly
            found = [p for p in found if p.kind not in ("annotation-ref", "annotation-quote")]
        return found

    # -- the study page (the pure core is study.py; the deck study_deck.py; the page study_page.py) --------
    def _load_claims(self, text_complete: bool) -> list[Problem]:
        assert self.sources is not None
        if self.sources.study is None:  # no claims: the study page has the other kinds of card
            self.claims = []
            return []
        paragraphs = {p.ref: p for c in self.chapters for p in c.paragraphs}
        self.claims, found = study.parse_claims(self.sources.study.decode("utf-8"), paragraphs)
        return found if text_complete else [p for p in found if p.kind != "study-ref"]

    def _study_page(self) -> str:
        """The cards, their two downloads (timed separately: study_csv, study_apkg) and the page."""
        t0 = time.perf_counter()
        g = self.glossary
        entries = g.entries if g is not None else []
        first_use = {slug: occs[0].ref for slug, occs in (g.occurrences.items() if g else []) if occs}
        uses_in = {slug: tuple(dict.fromkeys(o.chapter for o in occs)) for slug, occs in (g.occurrences.items() if g else [])}
        cards, left = study.all_cards(entries, self.chapters, self.notes, self.works, self.claims, first_use, uses_in)
        self._timed("study_cards", t0)
        urls = {c.slug: c.url for c in self.chapters}
        t0 = time.perf_counter()
        self.study_files = {study_page.CSV_NAME: study.csv_text(cards, urls, self.site_url).encode("utf-8")}
        self._timed("study_csv", t0)
        t0 = time.perf_counter()
        date = str((self.extra.get("edition") or {}).get("date") or "2016-01-01")
        self.study_files[study_page.APKG_NAME] = study_deck.apkg_bytes(cards, urls, self.site_url, date)
        self._timed("study_apkg", t0)
        t0 = time.perf_counter()
        sizes = {name: len(data) for name, data in self.study_files.items()}
        chapters = [(c.slug, c.title) for c in self.chapters]
        kinds = {e.kind for e in entries}
        body = study_page.page_body(cards, left, chapters, urls, kinds, sizes)
        self._timed("study_page", t0)
        return "\n".join(glossary_pages.front_matter(
            "Study", "Flashcards for the essay’s terms, quotations and arguments, scheduled for review; "
            "an Anki deck and a CSV file of every card.", "search:", "  exclude: true")) + "# Study the essay\n\n" + body

    def write_study_downloads(self, site_dir: Path) -> None:
        files.write_files(site_dir, [(f"downloads/{name}", data) for name, data in self.study_files.items()])

    def _start_short_refs(self) -> None:
        """Start the short-reference pages (MkDocs has emptied the site folder by now): described here, made and
        written by a child process while MkDocs renders (files.start_rendering says why)."""
        if self._short_refs is not None:  # a build that stopped before on_post_build (mkdocs serve)
            files.discard_writing(self._short_refs[1])
        self._short_refs = None
        if self.site_dir is not None:
            self._short_refs = (self.site_dir, files.start_rendering(
                self.site_dir, pages.short_ref_header(self), pages.short_ref_specs(self), function="edition.passages:render",
                pycache=self.pycache))

    # -- on_page_markdown / on_page_content --------------------------------------------------
    def _timed(self, stage: str, t0: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0

    def markdown_extension(self) -> mdext.EditionExtension:
        """The extension that adds the edition's apparatus to the chapters' element tree (mdext.py)."""
        return mdext.EditionExtension(lambda: self.layers, time.perf_counter)

    def page_layers(self, src_uri: str) -> mdext.PageLayers | None:
        """What the Markdown extension adds to a page: on chapters, note numbers, margin references,
        headings' buttons, term links and their annotations; on the whole essay, all but the term links."""
        slug = src_uri[:-3]
        if slug in self.chapter_slugs:
            return mdext.PageLayers(True, self.glossary, self.chapter(slug), self.annotations.in_chapter(slug))
        if src_uri == "whole.md":
            return mdext.PageLayers(True, annotations=self.annotations.annotations)
        return None

    def page_markdown(self, src_uri: str, markdown: str) -> str:
        self.layers = self.page_layers(src_uri)  # MkDocs converts this page's Markdown next
        t0 = time.perf_counter()
        try:
            return self._page_markdown(src_uri, markdown)
        finally:
            self._timed("page_markdown", t0)

    def _page_markdown(self, src_uri: str, markdown: str) -> str:
        if src_uri == "about.md":  # the editorial record, the notes' confidence scale, the annotations
            markdown = (markdown.replace("<!-- edition:record -->", record.markdown(self.record))
                        .replace("<!-- edition:annotations -->", annotation_layer.about_markdown(self.annotations)))
            return pages.about_levels(markdown, pages.levels_markdown(self)) + "\n\n" + self.download_html(urls.root(src_uri))
        if src_uri == "404.md":  # short references without a file of their own (ranges) resolve there
            return markdown.replace("<!-- passage-lookup -->", '<div data-passage-lookup data-ed="lookup"></div>')
        chapter = self.chapter(src_uri[:-3]) if src_uri.endswith(".md") else None
        if src_uri == "whole.md":  # every chapter's notes, formatted and escaped as on the chapter pages
            markdown = re.sub(r"^(<p class=\"ed-byline\".*)$", lambda m: m.group(1) + "\n\n" + self.download_html(urls.root(src_uri)),
                              markdown, count=1, flags=re.M)
            markdown = self._note_definitions(markdown, urls.href(src_uri, "bibliography.md"))
            return markdown + annotation_layer.section_markdown(self.annotations.annotations,
                                                                self.annotation_links(urls.root(src_uri)), self._finished)
        if chapter is None:
            return markdown
        bib_url = urls.href(src_uri, "bibliography.md")
        markdown = self._note_definitions(markdown, bib_url)
        if chapter.slug == "index":  # the home page: the contents, with where to start or go on reading
            markdown = markdown.replace("<!-- edition:contents -->",
                                        pages.contents_markdown(self) + "\n" + self.download_html(urls.root(src_uri)))
        nav = pages.chapter_nav_html(self, chapter)
        markdown += f"\n\n{self._finished(nav)}\n" if nav else ""
        # Notes go right after the text, before the editors' closing sections (Python-Markdown's marker).
        if chapter.note_defs:
            markdown += f"\n\n{render.NOTES_HEADING_MD}\n\n///Footnotes Go Here///\n\n"
        return (markdown + annotation_layer.section_markdown(self.annotations.in_chapter(chapter.slug),
                                                             self.annotation_links(urls.root(src_uri)), self._finished)
                + glossary.key_terms_markdown(self.glossary, chapter, urls.root(src_uri), self._finished)
                + pages.cite_chapter_markdown(self, chapter))

    def _finished(self, html: str) -> str:
        """HTML the edition made itself, for the page being converted: a marker the Markdown extension replaces by
        the HTML, unparsed (mdext.raw_marker: parsing it again was half of a chapter's conversion); the HTML itself
        on a page without the extension's layers."""
        return mdext.raw_marker(self.layers, html) if self.layers is not None else html

    def _note_definitions(self, markdown: str, bib_url: str) -> str:
        """Each note's definition with its formatted text and apparatus, as finished HTML (_finished)."""
        return NOTE_DEF_LINE.sub(lambda m: f"[^{m.group(1)}]: " + self._finished(pages.note_html(self, int(m.group(1)), bib_url)),
                                 markdown)

    def word_count(self, src_uri: str) -> int:
        """Words of the author's paragraphs on a page (a chapter, or the whole essay); 0 for the home page,
        whose contents give the length of every part instead of its own two paragraphs'."""
        if src_uri == "index.md":
            return 0
        chapters = self.chapters if src_uri == "whole.md" else [c for c in self.chapters if f"{c.slug}.md" == src_uri]
        return sum(len(p.text.split()) for c in chapters for p in c.paragraphs)

    def description(self, src_uri: str) -> str:
        """A chapter's description for previews: its first sentence."""
        chapter = self.chapter(src_uri[:-3]) if src_uri.endswith(".md") else None
        if chapter is None or not chapter.paragraphs:
            return ""
        # Escaped: themes put it into attributes (content="...") without escaping it.
        return html.escape(passages.first_sentence(chapter.paragraphs[0].text), quote=True)

    def page_metadata(self, src_uri: str, url: str, title: str, description: str) -> dict[str, Any]:
        """Citation tags, author and JSON-LD of a page (pages.page_metadata; overrides/main.html renders them)."""
        return pages.page_metadata(self, src_uri, url, title, description)

    def page_html(self, src_uri: str, html: str) -> str:
        """Check what the Markdown extension did to the page (the HTML is already complete)."""
        layers, self.layers = self.layers, None
        for stage, seconds in (layers.timings.items() if layers is not None else ()):
            self.timings[stage] = self.timings.get(stage, 0.0) + seconds
        if layers is not None and layers.missed:
            # checked against the paragraphs' text already: the page disagrees with it
            raise EditionError([Problem(annotation_layer.PATH, self.annotations.by_id[i].line, "annotation-mark",
                                        f"the words of {i!r} could not be marked in the page",
                                        "quote words within one paragraph, outside note markers") for i in layers.missed])
        return html

    # -- the EPUB (the pure core is epub.py) ----------------------------------------------------
    def download_html(self, prefix: str) -> str:
        """The EPUB's download link on a page ``prefix`` below the site's root (nothing without a book)."""
        if self.epub is None:
            return ""
        name, data = self.epub
        return epub.download_html(name, len(data), prefix)

    def write_epub(self, site_dir: Path) -> None:
        if self.epub is not None:
            name, data = self.epub
            files.write_files(site_dir, [(f"downloads/{name}", data)])

    # -- on_post_build ------------------------------------------------------------------------
    def _start_search(self) -> None:
        """Start indexing the search records (they come from the sources) beside MkDocs' rendering."""
        if isinstance(self._search, files.Indexing):  # a build that stopped before on_post_build (mkdocs serve)
            files.discard_indexing(self._search)
            self._search = None
        # a generator: each record's small page is made as it is written (files.start_indexing), never all held at once
        documents = (r.html() for r in search.records(self.chapters, self.notes, self.glossary))
        try:
            self._search = files.start_indexing(documents, bundle=search.BUNDLE, language=search.LANGUAGE,
                                                unused=search.UNUSED, site_dir=self.site_dir,
                                                per_index=self.records_per_index())
        except files.SearchIndexError as err:  # reported where the index is written (write_search)
            self._search = err

    def records_per_index(self) -> int:
        """How many records one Pagefind index holds (search.RECORDS_PER_INDEX, or mkdocs.yml's setting)."""
        return int((self.extra.get("edition_search") or {}).get("records_per_index") or search.RECORDS_PER_INDEX)

    def search_parts(self) -> tuple[str, ...]:
        """The search index's further parts (folders inside its bundle: "part-2/"…), for the pages' search box;
        none when the records fit in one index (the essay's do) or the index was not started."""
        return self._search.parts if isinstance(self._search, files.Indexing) else ()

    def write_search(self, site_dir: Path) -> None:
        """The search index (Pagefind's bundle in site/pagefind/): the essay's paragraphs, the author's notes
        and headings, the glossary's terms; the apparatus left out (search.py). Indexed since on_files."""
        t0 = time.perf_counter()
        if self._search is None:  # not started by prepare (a page-only rebuild)
            self._start_search()
        started, self._search = self._search, None
        try:
            if isinstance(started, files.SearchIndexError):
                raise started
            assert started is not None
            self.search_index = files.finish_indexing(started, site_dir)
        except files.SearchIndexError as err:
            raise EditionError([Problem(str(site_dir), 0, "search-index", f"the search index could not be written: {err}",
                                        "install the pinned requirements (make deps: pagefind and pagefind-bin) "
                                        "and build again")]) from None
        self._timed("search", t0)

    def write_short_refs(self, site_dir: Path) -> None:
        """Wait for the short-reference pages' writer (started at on_files), or write them now if none was started
        for this folder; a failure is a located problem."""
        t0 = time.perf_counter()
        started, self._short_refs = self._short_refs, None
        try:
            if started is not None:
                files.finish_writing(started[1])
            if started is None or Path(started[0]).resolve() != Path(site_dir).resolve():
                files.write_files(site_dir, pages.short_ref_files(self))  # not started, or another site folder
        except (OSError, TimeoutError) as err:
            raise EditionError([Problem(str(site_dir), 0, "site-write",
                                        f"the short-reference pages could not be written: {err}",
                                        "check the disk (space, permissions) and build again")]) from None
        self._timed("short_refs", t0)
        self.save_caches()
        report = files.timings_report()
        if report:  # for scripts/bench.py: the time of each stage of this build, in seconds
            files.write_json(report, self.timings)

    def save_caches(self) -> None:
        """Keep this build's new formatted citations for the next one."""
        if self.cache_dir is not None:
            save_citations(self.formatter, self.cache_dir / CITATIONS_CACHE)


# -- checks of the docs folder against the navigation (pure: on the sources as read) -------------------
def nav_files_missing(src: Sources, chapter_slugs: list[str]) -> list[Problem]:
    """Chapters listed in nav: without a file, located at their line of mkdocs.yml."""
    config_lines = src.config_text.splitlines()
    found = []
    for slug in chapter_slugs:
        name = f"{slug}.md"
        if name in src.docs:
            continue
        line = next((i for i, text in enumerate(config_lines, 1)
                     if re.search(rf"[:\s\"']{re.escape(name)}[\"']?\s*$", text)), 1)
        found.append(Problem(src.config_file.name, line, "chapter-missing",
                             f"the navigation lists {name}, but {src.docs_name}/{name} does not exist",
                             suggest(name, list(src.docs)) or "create the file or remove it from nav:"))
    return found


def unreadable_pages(src: Sources, chapter_slugs: list[str]) -> list[Problem]:
    """The other pages in docs/ (the chapters are checked as they are read) must be UTF-8 too."""
    found = []
    for name, data in sorted(src.docs.items()):
        if name[:-3] in chapter_slugs:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as err:
            found.append(encoding_problem(f"{src.docs_name}/{name}", data, err))
    return found


def files_outside_nav(src: Sources, chapter_slugs: list[str]) -> list[Problem]:
    listed = set(chapter_slugs) | set(pages.APPARATUS)
    return [Problem(f"{src.docs_name}/{name}", 1, "nav-missing", "chapter file is not in the navigation of mkdocs.yml",
                    "add it to nav: in reading order, or delete it")
            for name in sorted(src.docs) if name[:-3] not in listed]
