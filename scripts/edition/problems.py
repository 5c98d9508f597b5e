"""Located problems: every bad input is reported as ``path:line: kind: message (hint)``."""
from __future__ import annotations

import difflib
import warnings
from dataclasses import dataclass, field
from typing import Iterable


#: Every kind of problem the build reports: what it means, and how to fix it. The README's "When the build
#: fails" lists the same; a test keeps the two in step, and a problem of a kind not listed here warns
#: (an error in the tests), so the catalogue cannot fall behind the code.
CATALOGUE: dict[str, tuple[str, str]] = {
    # the configuration (mkdocs.yml)
    "config": ("a setting or Markdown extension the edition relies on is missing", "set it as the hint says"),
    "site-write": ("the built site could not be written (the short-reference pages)", "check disk space and permissions"),
    # the chapters (docs/*.md)
    "encoding": ("a source file is not UTF-8", "save it as UTF-8"),
    "front-matter": ("the YAML between the '---' lines is not valid", "quote values with ':' or '['"),
    "chapter-missing": ("nav lists a chapter whose file does not exist", "create the file or remove it from nav"),
    "nav-missing": ("a chapter file is not in the navigation", "add it to nav in reading order, or delete it"),
    "empty-chapter": ("a chapter has no paragraph of the essay", "write its paragraphs with their references"),
    "paragraph-ref": ("a reference is malformed, follows no paragraph, or is in another part", "write { #III.12 } after it"),
    "paragraph-ref-missing": ("a paragraph has no permanent reference", "run make refs"),
    "paragraph-ref-duplicate": ("two paragraphs have the same reference", "keep the published one; make refs for the other"),
    # the notes
    "note-label": ("a note label is not the author's number", "use [^57], as in the original"),
    "note-duplicate": ("a note marker or definition appears twice", "keep one; the hint names the free number"),
    "note-undefined": ("a marker has no note definition", "write [^n]: … at the chapter's end"),
    "note-unreferenced": ("a note definition has no marker", "put [^n] in the text or remove the note"),
    "note-skipped": ("the notes skip a number", "the author's notes run 1 to 143 without a gap"),
    "note-order": ("the notes are out of the author's order", "restore the author's numbering"),
    "note-empty": ("a note definition is empty", "cite [@key] or give the editors' words"),
    "note-level": ("a note has no confidence level, or an unknown one", "end it with <!-- level: named; why: … -->"),
    "note-why": ("an identified note gives no reason for its level", "add why: … to its comment"),
    "note-field": ("a note's comment has an unknown field", "the fields are level, why, other, page, evidence"),
    "note-no-citation": ("a note cites no work but its level says it is identified", "cite [@key], or level: unknown"),
    "note-syntax": ("a note holds words outside its citations, or a malformed 'quoted in'", "see the hint's example"),
    "note-page-source": ("a note gives a page but not where the page number comes from", "add page: <source>"),
    "citation-syntax": ("a citation is malformed ([@ without a key, an unclosed bracket)", "write [@key] or [@key, 27]"),
    "unknown-key": ("a citation names a key not in bibliography.bib", "fix the key (the hint suggests one) or add the work"),
    # the bibliography (bibliography.bib)
    "bib-file": ("bibliography.bib is missing or unreadable", "restore the file"),
    "bib-syntax": ("a BibTeX entry is malformed (a missing comma or brace, a duplicate field)", "see the line named"),
    "bib-duplicate-key": ("two entries have the same key (keys ignore case)", "rename one and its citations"),
    "bib-unknown-type": ("an entry type the edition does not format", "use book, article, incollection or online"),
    "bib-missing-field": ("an entry lacks a field its type needs", "add it, or declare it unknown in note"),
    "bib-unknown-field": ("an entry has a field the edition does not know", "use the biblatex field names in the header"),
    "bib-field": ("a field's value is malformed (a date, a range, a name)", "see the hint"),
    "bib-unused": ("a work no note cites", "cite it or remove it"),
    # the glossary (glossary.yml)
    "yaml-syntax": ("a YAML file cannot be read", "check indentation and quoting around the line"),
    "glossary-missing": ("glossary.yml is missing", "restore the file"),
    "glossary-structure": ("glossary.yml is not a list of entries", "see the schema at the top of the file"),
    "glossary-field": ("an entry has a missing, unknown or malformed field", "see the schema at the top of the file"),
    "glossary-kind": ("an entry's kind is not one of the kinds", "concept, school, person, work or movement"),
    "glossary-slug": ("a slug is malformed or changed", "lower-case letters, digits, hyphens; never change a published one"),
    "glossary-duplicate": ("a term, alias or slug belongs to two entries", "keep it in one entry"),
    "glossary-unused": ("a term (or alias) does not occur in the essay", "fix the form, or mark never_occurs"),
    "glossary-see-also": ("see_also names no entry", "use an existing slug"),
    "glossary-section": ("section names no page or anchor", "use chapter.md#anchor"),
    "glossary-explained-at": ("explained_at names no paragraph", "use a paragraph reference such as III.12"),
    "glossary-bib": ("an entry's bib key is not in bibliography.bib", "fix the key"),
    "glossary-source": ("an entry's source is malformed or names an unknown key", "give bib: key, or title: and url:"),
    "glossary-exclude": ("an exclusion names no paragraph, words not there, or no reason", "give ref:, words: and why:"),
    # the editorial record (edition.yml) and the annotations (annotations.yml)
    # the study page's claims (study.yml)
    "study-structure": ("study.yml is not a list of claims under 'claims:'", "see the schema at the top of the file"),
    "study-field": ("a claim has a missing, unknown or malformed field", "see the schema at the top of the file"),
    "study-duplicate": ("two claims have the same id", "give each claim its own id (never change a published one)"),
    "study-ref": ("a claim names no paragraph", "use a paragraph reference (the hint suggests one)"),
    "edition-record": ("an entry of edition.yml is malformed (field, value, closed list)", "see the hint"),
    "annotation-structure": ("annotations.yml is not a list of annotations", "see the schema at the top of the file"),
    "annotation-field": ("an annotation has a missing, unknown or malformed field", "see the schema"),
    "annotation-id": ("an annotation's id is malformed or looks like a paragraph reference", "lower-case words and hyphens"),
    "annotation-duplicate": ("two annotations have the same id", "rename one (ids are addresses: never a published one)"),
    "annotation-kind": ("an annotation's kind is not one of the kinds", "see the schema"),
    "annotation-confidence": ("an annotation's confidence is not one of the values", "certain, probable or unidentified"),
    "annotation-ref": ("an annotation names no paragraph", "use a paragraph reference (the hint suggests one)"),
    "annotation-quote": ("an annotation's words are not (once) in its paragraph", "quote them exactly; the hint says where they are"),
    "annotation-overlap": ("two annotations mark overlapping words", "narrow one of the quotations"),
    "annotation-source": ("an annotation's source is malformed", "give a bib key, or a title and an address"),
    "annotation-bib": ("an annotation cites a key not in bibliography.bib", "fix the key"),
    "annotation-glossary": ("an annotation links a glossary entry that does not exist", "use an existing slug"),
    "annotation-mark": ("an annotation's words could not be marked in the page", "quote words within one paragraph"),
}


class UncataloguedProblem(UserWarning):
    """A problem of a kind the catalogue does not list (add it to CATALOGUE and the README)."""


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    kind: str  # a stable code from CATALOGUE, such as "bib-syntax", "unknown-key", "note-level"
    message: str
    hint: str = ""

    def __post_init__(self) -> None:
        if self.kind not in CATALOGUE:
            warnings.warn(f"problem kind {self.kind!r} is not in the catalogue", UncataloguedProblem, stacklevel=2)

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.kind}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class EditionError(Exception):
    """Raised with every problem found, so that the editor sees them all at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Problems:
    """Collects problems from every stage before the build fails."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, kind: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(str(path), line, kind, message, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise EditionError(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def suggest(word: str, candidates: Iterable[str], what: str = "") -> str:
    """A close-match hint such as ``did you mean 'mason2015postcapitalism'?``, or ''."""
    close = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    listed = ", ".join(f"'{c}'" for c in close)
    return f"did you mean {listed}?" if not what else f"did you mean {what} {listed}?"
