"""The author's endnotes: numbering checks across chapters and their formatted texts.

Note numbers are the author's (1–143 across the whole essay) and are the notes' identity:
ids ``fn:57``/``fnref:57`` come from them, and the edition never renumbers.
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from .chapters import LEVELS, Chapter, NoteDef
from .citations import Citation, check_keys, parse_citations
from .problems import Problem

if TYPE_CHECKING:
    from .bib import Work
    from .cite import CitationFormatter

#: How each level is named in a note, and what it means (the About page and the notes' tooltips).
LEVEL_LABEL = {
    "original": "author’s note",
    "named": "named",
    "probable": "probable",
    "conjectural": "conjectural",
    "unknown": "not identified",
}
LEVEL_MEANING = {
    "original": "The author’s own note text, found in a version of the essay he published.",
    "named": "The essay names the work or its author, and the words it quotes were found in that work, or in a "
             "public source that quotes the work (a review giving the page, a copy of the article).",
    "probable": "The essay points to the author or the piece, but the editors could not check the quoted words "
                "in the work cited, or another work by the same author could fit.",
    "conjectural": "The essay does not make clear which work is meant; the one cited is the editors’ best guess.",
    "unknown": "The editors could not identify the source; the note says what is known in plain words.",
}
assert tuple(LEVEL_LABEL) == LEVELS == tuple(LEVEL_MEANING)

#: A note citing a work second-hand: ``[@original, 12] quoted in [@secondary, 47]`` (CMOS 14.260), or,
#: when the original is known only by its author's name, ``John Ashton, quoted in [@secondary]``.
QUOTED_IN = "quoted in"
_WORDS_QUOTED_IN = re.compile(r"^(?P<words>[^\[\]@]+?),?\s+quoted in\s+(?=\[)", re.I)
_GROUP = re.compile(r"\[[^\[\]]*\]")


@dataclass(frozen=True)
class ResolvedNote:
    n: int
    chapter: str
    level: str
    citations: tuple[Citation, ...]  # every work the note cites (the quoted-in source included)
    html: str  # the note's formatted text (citations, or the editors' plain words), escaped
    paragraph: str  # ref of the paragraph that cites it
    why: str = ""  # the editors' reason (plain text)
    other: str = ""  # a source the sentence also names, not identified
    page: str = ""  # the public source of a locator's page number
    evidence: tuple[str, ...] = ()
    quoted_in: tuple[Citation, ...] = ()  # the secondary source of a second-hand quotation

    @property
    def status(self) -> str:  # the former name of the level
        return self.level


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
        defs: dict[int, NoteDef] = {}
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


def parse_note_citations(ch: Chapter, d: NoteDef, works: Mapping[str, Work]) -> tuple[tuple[Citation, ...], tuple[Citation, ...], list[Problem]]:
    """A note's citations: ``[@a; @b, 12]``, or ``[@a, 12] quoted in [@b, 47]`` (a second-hand quotation).

    Returns (cited, quoted_in, problems). A note without ``[@`` is the editors' plain words (level
    'unknown', or the author's own words, level 'original'). Text other than citation groups and the
    one ``quoted in`` between two groups is reported: it would be silently dropped from the note.
    """
    if not d.body:  # reported by parse_chapter as note-empty
        return (), (), []
    if "[@" not in d.body and "@" not in d.body.split(" ")[0]:
        if d.level and d.level not in ("unknown", "original"):
            return (), (), [Problem(ch.path, d.line, "note-no-citation",
                                    f"note {d.n} cites no work but its level is {d.level!r}",
                                    "write [@key], or give the editors' words with <!-- level: unknown -->")]
        return (), (), []
    words = _WORDS_QUOTED_IN.match(d.body)
    if words:  # "John Ashton, quoted in [@mason2015postcapitalism]": the original in the editors' words
        body = d.body[words.end():]
        d = NoteDef(d.n, d.chapter, d.line, body, d.level, d.why, d.other, d.page, d.evidence)
        cited, via, found = parse_note_citations(ch, d, works)
        if via:
            found.append(Problem(ch.path, d.line, "note-syntax", f"note {d.n} has two 'quoted in'",
                                 "write John Ashton, quoted in [@secondary, 47]"))
        return (), cited, found
    citations, syntax = parse_citations(d.body, ch.path, d.line)
    if syntax:  # one defect, one message: a broken group is not also text outside the citations
        return (), (), syntax
    groups = list(_GROUP.finditer(d.body))
    between = [d.body[a.end():b.start()].strip() for a, b in zip([None, *groups], [*groups, None])
               if a is not None and b is not None]
    outside = [d.body[:groups[0].start()].strip() if groups else d.body.strip(),
               d.body[groups[-1].end():].strip().rstrip(".") if groups else ""]
    problems: list[Problem] = []
    split = None
    for i, text in enumerate(between):
        if text.lower() == QUOTED_IN and split is None:
            split = i + 1
        elif text:
            problems.append(Problem(ch.path, d.line, "note-syntax", f"note {d.n} has '{text}' between its citations",
                                    "a note holds citations only: [@a; @b, 12], or [@a, 12] quoted in [@b, 47]"))
    for text in outside:
        if text:
            problems.append(Problem(ch.path, d.line, "note-syntax", f"note {d.n} has '{text}' outside its citations",
                                    "put the editors' words in the comment (why: …, other: …), not in the note"))
    if split is not None and len(groups) != 2:
        problems.append(Problem(ch.path, d.line, "note-syntax", f"note {d.n}: 'quoted in' joins exactly two citation groups",
                                "write [@original, 12] quoted in [@secondary, 47]"))
    problems += check_keys(citations, works, ch.path, d.line)
    if any(c.locator for c in citations) and not d.page:
        problems.append(Problem(ch.path, d.line, "note-page-source",
                                f"note {d.n} gives a page but not where the page number comes from",
                                "add '; page: <the public source of the page number>' to its comment"))
    if split is None:
        return tuple(citations), (), problems
    first = len(parse_citations(groups[0].group(0), ch.path, d.line)[0])
    return tuple(citations[:first]), tuple(citations[first:]), problems


def resolve_notes(chapters: list[Chapter], works: Mapping[str, Work], formatter: CitationFormatter,
                  bib_url: str = "bibliography/") -> tuple[dict[int, ResolvedNote], list[Problem]]:
    """Format every note: a work's first citation in each chapter in full, later ones short (no ibid.)."""
    problems: list[Problem] = []
    resolved: dict[int, ResolvedNote] = {}
    for ch in chapters:
        cited_here: set[str] = set()
        where = {r.n: r.paragraph for r in ch.note_refs}
        for d in ch.note_defs:
            cited, via, found = parse_note_citations(ch, d, works)
            problems += found
            if found:
                continue

            def formatted(group: tuple[Citation, ...], cited_here: set[str] = cited_here) -> str:  # called at once
                parts = []
                for c in group:
                    first = c.key not in cited_here
                    cited_here.add(c.key)
                    parts.append(formatter.note_html(c.key, c.locator, first=first))
                return "; ".join(p.rstrip(".") for p in parts)

            if cited or via:
                words = _WORDS_QUOTED_IN.match(d.body)
                original = formatted(cited) if cited else html.escape(words.group("words") if words else "", quote=False)
                text = original + (", quoted in " + formatted(via) if via else "") + "."  # CMOS 14.260
            else:
                text = html.escape(d.body, quote=False)
            if d.other:
                text += (f' <span class="note-other" data-ed="other">Also named in the sentence, not identified as a '
                         f'source of this note: {html.escape(d.other.rstrip("."), quote=False)}.</span>')
            resolved[d.n] = ResolvedNote(d.n, ch.slug, d.level, cited + via, text, where.get(d.n, ""),
                                         d.why, d.other, d.page, d.evidence, via)
    return resolved, problems


def level_counts(notes: dict[int, ResolvedNote]) -> dict[str, int]:
    """How many notes stand at each level, in the scale's order (computed at build time)."""
    counts = {level: 0 for level in LEVELS}
    for note in notes.values():
        if note.level in counts:
            counts[note.level] += 1
    return counts


def unused_works(works: Mapping[str, Work], resolved: dict[int, ResolvedNote], bib_path: str) -> list[Problem]:
    cited = {c.key for note in resolved.values() for c in note.citations}
    return [Problem(bib_path, w.line, "bib-unused", f"entry '{k}' is cited by no note",
                    "cite it in a note or delete the entry")
            for k, w in works.items() if k not in cited]
