"""The author's endnotes: numbering checks across chapters and their formatted texts.

Note numbers are the author's (1–143 across the whole essay) and are the notes' identity:
ids ``fn:57``/``fnref:57`` come from them, and the edition never renumbers.
"""
from __future__ import annotations

import bisect
import html
from dataclasses import dataclass

from .chapters import Chapter, NoteDef
from .citations import Citation, check_keys, parse_citations
from .problems import Problem

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
    """Refs and definitions pair up within each chapter; numbers run 1, 2, 3… in reading order.

    One defect gives one message: a number that is only out of order is not also reported as
    skipped, nor is a number whose note exists but whose marker is missing (that is 'note-unreferenced').
    """
    problems: list[Problem] = []
    seen_ref: dict[int, tuple[str, int]] = {}
    seen_def: dict[int, tuple[str, int]] = {}
    all_refs = {r.n for ch in chapters for r in ch.note_refs}
    in_order = [r.n for ch in chapters for r in ch.note_refs]  # every marker's number, in reading order
    position = 0
    accounted = sorted(all_refs | {d.n for ch in chapters for d in ch.note_defs})
    expected = 1
    for ch in chapters:
        defs = {}
        for d in ch.note_defs:
            if d.n in seen_def:
                path, line = seen_def[d.n]
                problems.append(Problem(ch.path, d.line, "note-duplicate", f"note {d.n} is defined twice",
                                        f"first defined at {path}:{line}"))
            seen_def.setdefault(d.n, (ch.path, d.line))
            defs.setdefault(d.n, d)
        refs = {r.n for r in ch.note_refs}
        orphans = sorted(n for n in defs if n not in refs)  # notes here without a marker
        markerless = sorted(n for n in refs if n not in defs)  # markers here without a note
        mistyped: set[int] = set()  # notes here whose marker was evidently mistyped (reported at the marker)
        for r in ch.note_refs:
            if r.n in seen_ref:
                position += 1
                path, line = seen_ref[r.n]
                hint = f"first at {path}:{line}"
                if expected not in all_refs:
                    hint += f"; did you mean [^{expected}]?"
                    following = in_order[position] if position < len(in_order) else expected + 1
                    if expected in orphans and expected not in mistyped and following == expected + 1:
                        # note `expected` is here, unmarked, and the next marker continues from it
                        mistyped.add(expected)
                        hint += f" note {expected} has no marker"
                        expected += 1
                problems.append(Problem(ch.path, r.line, "note-duplicate", f"note marker [^{r.n}] appears twice", hint))
                continue
            seen_ref[r.n] = (ch.path, r.line)
            n = r.n  # the number this marker stands for in the sequence
            position += 1
            if r.n not in defs:
                later = in_order[position:]
                if (expected in orphans and expected not in mistyped and expected not in all_refs
                        and any(expected < m < r.n for m in later)):
                    # The sequence wants note `expected` here, which is defined in this chapter but has no
                    # marker, and the markers that follow continue from it: this marker is mistyped.
                    mistyped.add(expected)
                    n = expected
                    hint = f"did you mean [^{expected}]? note {expected} has no marker"
                else:
                    near = _nearest(r.n, orphans)
                    hint = (f"note {near} here has no marker: is one of the two numbers mistyped?" if near is not None
                            else f"add '[^{r.n}]: [@key]' at the end of the chapter")
                problems.append(Problem(ch.path, r.line, "note-undefined",
                                        f"note marker [^{r.n}] has no note at the end of this chapter", hint))
            if n > expected:
                gaps = _gaps(expected, n, accounted)
                if gaps:
                    after = f"follows note {expected - 1}" if expected > 1 else "is the first note"
                    problems.append(Problem(ch.path, r.line, "note-skipped",
                                            f"note {n} {after}: {_describe(gaps)} missing",
                                            "the author's numbers run without gaps"))
            elif n < expected:
                problems.append(Problem(ch.path, r.line, "note-order",
                                        f"note {n} comes after note {expected - 1}",
                                        "note numbers must rise in reading order"))
            expected = max(expected, n + 1)
        for d in ch.note_defs:
            if d.n not in refs and d.n not in mistyped and defs.get(d.n) is d:
                near = _nearest(d.n, markerless)
                problems.append(Problem(ch.path, d.line, "note-unreferenced",
                                        f"note {d.n} is never referenced in this chapter's text",
                                        f"marker [^{near}] here has no note: is one of the two numbers mistyped?" if near is not None
                                        else f"add [^{d.n}] where the author placed it, or delete the note"))
    return problems


def _nearest(n: int, candidates: list[int]) -> int | None:
    """The candidate closest to n (a mistyped note number), if any is within 10."""
    best = min(candidates, key=lambda c: (abs(c - n), c), default=None)
    return best if best is not None and abs(best - n) <= 10 else None


def _gaps(low: int, high: int, present: list[int]) -> list[tuple[int, int]]:
    """The runs of numbers in [low, high) that are not in the sorted list ``present`` (no loop over the range)."""
    gaps: list[tuple[int, int]] = []
    i = bisect.bisect_left(present, low)
    cursor = low
    while cursor < high:
        nxt = present[i] if i < len(present) and present[i] < high else high
        if nxt > cursor:
            gaps.append((cursor, nxt - 1))
        cursor = nxt + 1
        i += 1
    return gaps


def _describe(gaps: list[tuple[int, int]], limit: int = 3) -> str:
    """'note 3', 'notes 3–5', 'notes 3, 7–9 and more'."""
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in gaps[:limit]]
    single = len(gaps) == 1 and gaps[0][0] == gaps[0][1]
    return ("note " if single else "notes ") + ", ".join(parts) + (" and more" if len(gaps) > limit else "")


def parse_note_citations(ch: Chapter, d: NoteDef, works: dict) -> tuple[tuple[Citation, ...], list[Problem]]:
    """A note citing works holds only pandoc citations; a note without ``[@`` is the editors' plain words."""
    if not d.body:  # reported by parse_chapter as note-empty
        return (), []
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
