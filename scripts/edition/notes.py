"""The author's endnotes: numbering checks across chapters and their formatted texts.

Note numbers are the author's (1–143 across the whole essay) and are the notes' identity:
ids ``fn:57``/``fnref:57`` come from them, and the edition never renumbers.
"""
from __future__ import annotations

import html
from dataclasses import dataclass

from .chapters import Chapter, NoteDef
from .citations import Citation, check_keys, parse_citations
from .problems import Problem, suggest

STATUS_LABEL = {
    "inferred": "Source identified by the editors from the essay’s context; the author’s own note text does not survive.",
    "unknown": "Source not identified by the editors; the author’s own note text does not survive.",
    "original": "The author’s own note.",
}


@dataclass(frozen=True)
class ResolvedNote:
    n: int
    chapter: str
    status: str
    citations: tuple[Citation, ...]
    html: str  # the note's formatted text (citations, or the editors' plain words), escaped
    paragraph: str  # ref of the paragraph that cites it


def check_numbering(chapters: list[Chapter]) -> list[Problem]:
    """Refs and definitions pair up within each chapter; numbers run 1, 2, 3… in reading order."""
    problems: list[Problem] = []
    seen_ref: dict[int, tuple[str, int]] = {}
    seen_def: dict[int, tuple[str, int]] = {}
    expected = 1
    for ch in chapters:
        defs = {}
        for d in ch.note_defs:
            if d.n in seen_def:
                path, line = seen_def[d.n]
                problems.append(Problem(ch.path, d.line, "note-duplicate", f"note {d.n} is defined twice",
                                        f"first defined at {path}:{line}"))
            seen_def.setdefault(d.n, (ch.path, d.line))
            defs[d.n] = d
        refs = {r.n for r in ch.note_refs}
        for r in ch.note_refs:
            if r.n in seen_ref:
                path, line = seen_ref[r.n]
                problems.append(Problem(ch.path, r.line, "note-duplicate", f"note marker [^{r.n}] appears twice",
                                        f"first at {path}:{line}"))
                continue
            seen_ref[r.n] = (ch.path, r.line)
            if r.n not in defs:
                problems.append(Problem(ch.path, r.line, "note-undefined",
                                        f"note marker [^{r.n}] has no note at the end of this chapter",
                                        suggest(str(r.n), [str(n) for n in defs if n not in refs], "note") or
                                        f"add '[^{r.n}]: [@key]' at the end of the chapter"))
            if r.n > expected:
                problems.append(Problem(ch.path, r.line, "note-skipped",
                                        f"note {r.n} follows note {expected - 1}: "
                                        f"{'note ' + str(expected) if r.n == expected + 1 else f'notes {expected}–{r.n - 1}'} missing",
                                        "the author's numbers run without gaps"))
            elif r.n < expected:
                problems.append(Problem(ch.path, r.line, "note-order",
                                        f"note {r.n} comes after note {expected - 1}",
                                        "note numbers must rise in reading order"))
            expected = max(expected, r.n + 1)
        for d in ch.note_defs:
            if d.n not in refs:
                problems.append(Problem(ch.path, d.line, "note-unreferenced",
                                        f"note {d.n} is never referenced in this chapter's text",
                                        suggest(str(d.n), [str(n) for n in refs if n not in defs], "marker") or
                                        f"add [^{d.n}] where the author placed it, or delete the note"))
    return problems


def parse_note_citations(ch: Chapter, d: NoteDef, works: dict) -> tuple[tuple[Citation, ...], list[Problem]]:
    """A note citing works holds only pandoc citations; a note without ``[@`` is the editors' plain words."""
    if "[@" not in d.body and "@" not in d.body.split(" ")[0]:
        if d.status != "unknown":
            return (), [Problem(ch.path, d.line, "note-no-citation",
                                f"note {d.n} cites no work but its status is {d.status!r}",
                                "write [@key] or mark it <!-- status: unknown -->")]
        return (), []
    citations, problems = parse_citations(d.body, ch.path, d.line)
    problems += check_keys(citations, works, ch.path, d.line)
    return tuple(citations), problems


def resolve_notes(chapters: list[Chapter], works: dict, formatter, bib_url: str = "bibliography/") -> tuple[dict[int, ResolvedNote], list[Problem]]:
    """Format every note: a work's first citation in each chapter in full, later ones short (no ibid.)."""
    problems: list[Problem] = []
    resolved: dict[int, ResolvedNote] = {}
    for ch in chapters:
        cited_here: set[str] = set()
        where = {r.n: r.paragraph for r in ch.note_refs}
        for d in ch.note_defs:
            citations, found = parse_note_citations(ch, d, works)
            problems += found
            if found:
                continue
            if citations:
                parts = []
                for c in citations:
                    first = c.key not in cited_here
                    cited_here.add(c.key)
                    parts.append(formatter.note_html(c.key, c.locator, first=first))
                text = "; ".join(p.rstrip(".") for p in parts) + "."
            else:
                text = html.escape(d.body, quote=False)
            resolved[d.n] = ResolvedNote(d.n, ch.slug, d.status, citations, text, where.get(d.n, ""))
    return resolved, problems


def unused_works(works: dict, resolved: dict[int, ResolvedNote], bib_path: str) -> list[Problem]:
    cited = {c.key for note in resolved.values() for c in note.citations}
    return [Problem(bib_path, w.line, "bib-unused", f"entry '{k}' is cited by no note",
                    "cite it in a note or delete the entry")
            for k, w in works.items() if k not in cited]
