"""The edition's build state: loads the sources once per build and answers the MkDocs glue.

No MkDocs import here: ``config`` is only read like a mapping (nav, site_url, extra).
"""
from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import glossary, pages, render
from .bib import load_bibliography
from .chapters import Chapter, load_chapters
from .cite import CitationFormatter
from .notes import ResolvedNote, check_numbering, resolve_notes, unused_works
from .problems import EditionError, Problem

NOTE_DEF_LINE = re.compile(r"^\[\^(\d+)\]:.*$", re.M)


def nav_chapter_slugs(nav) -> list[str]:
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


@dataclass
class Edition:
    root: Path
    docs_dir: Path
    site_url: str
    extra: dict
    chapter_slugs: list[str]
    works: dict
    formatter: CitationFormatter
    problems: list[Problem] = field(default_factory=list)
    chapters: list[Chapter] = field(default_factory=list)
    notes: dict[int, ResolvedNote] = field(default_factory=dict)
    glossary: "glossary.Glossary | None" = None
    timings: dict[str, float] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, docs_dir: Path, config) -> "Edition":
        t0 = time.perf_counter()
        works, problems = load_bibliography(root / "bibliography.bib")
        # Formatted citations are cached on disk across builds (citeproc-py needs ~15 ms each).
        formatter = CitationFormatter(works, cache_file=root / ".cache" / "citations.json")
        slugs = nav_chapter_slugs(config["nav"])
        edition = cls(root, docs_dir, config["site_url"] or "", dict(config["extra"] or {}), slugs, works, formatter,
                      list(problems))
        edition.timings["bibliography"] = time.perf_counter() - t0
        return edition

    # -- on_files ---------------------------------------------------------------------------
    def prepare(self) -> dict[str, str]:
        """Parse and check everything; return the generated pages (src_uri -> Markdown)."""
        t0 = time.perf_counter()
        self.chapters, found = load_chapters(self.docs_dir, self.chapter_slugs)
        self.problems += found
        self.problems += self._files_outside_nav()
        self.problems += check_numbering(self.chapters)
        self.timings["parse"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        self.notes, found = resolve_notes(self.chapters, self.works, self.formatter)
        self.problems += found
        if not found:
            self.problems += unused_works(self.works, self.notes, "bibliography.bib")
        self.timings["notes"] = time.perf_counter() - t0
        if self.problems:
            raise EditionError(self.problems)
        t0 = time.perf_counter()
        self.glossary, found = glossary.load(self.root / "glossary.yml", self.chapters, self.docs_dir, self.works)
        self.problems += found
        self.timings["glossary"] = time.perf_counter() - t0
        if self.problems:
            raise EditionError(self.problems)
        t0 = time.perf_counter()
        generated = pages.generate(self)
        self.timings["pages"] = time.perf_counter() - t0
        return generated

    def _files_outside_nav(self) -> list[Problem]:
        listed = set(self.chapter_slugs) | set(pages.APPARATUS)
        found = []
        for path in sorted(self.docs_dir.glob("*.md")):
            if path.stem not in listed:
                found.append(Problem(f"{self.docs_dir.name}/{path.name}", 1, "nav-missing",
                                     "chapter file is not in the navigation of mkdocs.yml",
                                     "add it to nav: in reading order, or delete it"))
        return found

    def chapter(self, slug: str) -> Chapter | None:
        return next((c for c in self.chapters if c.slug == slug), None)

    # -- on_page_markdown / on_page_content --------------------------------------------------
    def _timed(self, stage: str, t0: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0

    def page_markdown(self, src_uri: str, markdown: str) -> str:
        t0 = time.perf_counter()
        try:
            return self._page_markdown(src_uri, markdown)
        finally:
            self._timed("page_markdown", t0)

    def _page_markdown(self, src_uri: str, markdown: str) -> str:
        if src_uri == "404.md":  # short references without a file of their own (ranges) resolve there
            return markdown.replace("<!-- passage-lookup -->", '<div data-passage-lookup data-ed="lookup"></div>')
        chapter = self.chapter(src_uri[:-3]) if src_uri.endswith(".md") else None
        if chapter is None:
            return markdown
        markdown = NOTE_DEF_LINE.sub(lambda m: pages.note_definition(self, int(m.group(1)), "bibliography.md"), markdown)
        # Notes go right after the text, before the editors' closing sections (Python-Markdown's marker).
        if chapter.note_defs:
            markdown += "\n\n///Footnotes Go Here///\n\n"
        return markdown + glossary.key_terms_markdown(self.glossary, chapter) + pages.cite_chapter_markdown(self, chapter)

    def description(self, src_uri: str) -> str:
        """A chapter's description for previews: its first sentence."""
        chapter = self.chapter(src_uri[:-3]) if src_uri.endswith(".md") else None
        if chapter is None or not chapter.paragraphs:
            return ""
        return pages.first_sentence(chapter.paragraphs[0].text)

    def page_html(self, src_uri: str, html: str) -> str:
        if src_uri[:-3] in self.chapter_slugs:
            t0 = time.perf_counter()
            html = render.chapter_html(html)
            self._timed("render", t0)
            t0 = time.perf_counter()
            html = glossary.link_terms(self.glossary, self.chapter(src_uri[:-3]), html)
            self._timed("term_links", t0)
            return html
        if src_uri == "whole.md":
            return render.chapter_html(html)
        return html

    # -- on_post_build ------------------------------------------------------------------------
    def write_short_refs(self, site_dir: Path) -> None:
        t0 = time.perf_counter()
        pages.write_short_refs(self, site_dir)
        self._timed("short_refs", t0)
        self.formatter.save()
        report = os.environ.get("EDITION_TIMINGS")
        if report:  # for scripts/bench.py: the time of each stage of this build, in seconds
            Path(report).write_text(json.dumps(self.timings, indent=1), encoding="utf-8")
