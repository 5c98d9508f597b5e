"""The source's layout, read as evidence for paragraph boundaries, and an audit of the edition's paragraphs.

Pure core (no files, no MkDocs). The source (``tests/fixtures/source-extraction.txt``) is a text
extraction of the PDF: it lost blank lines between paragraphs but kept other traces of the page:

- the *first-line blank*: the extraction put one empty line after the first line of most paragraphs;
- *indents*: a paragraph after a quotation or a heading starts with three spaces, a quotation's first
  line with six; after a quotation or a list item comes a line of three spaces (the *quote-end marker*);
- *bullets* (``•``) start list items;
- *page breaks*: three empty lines (a first-line blank that falls there is absorbed);
- *short lines*: the last line of a paragraph ends a sentence well short of the measure, where the next
  word would have fitted.

:func:`read_layout` turns these into one :class:`Gap` per pair of consecutive text lines, each with the
evidence found there; :func:`audit` compares the gaps with the edition's blocks (headings and
paragraphs) and reports a strong break the edition joins, and an edition break the source does not
support, unless the editorial record decides it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from .chapters import Chapter, plain_text

#: One entry of edition.yml's record (a YAML mapping, checked by record.py).
RecordEntry = dict[str, Any]

# Widths of characters in thousandths of an em, after Adobe's Times-Roman metrics (the standard 14
# fonts' AFM file). The PDF's own font is not known from the text; a proportional estimate is still far
# better than counting characters (a line of "m" and "w" is twice as wide as one of "i" and "l").
_WIDTHS = dict(zip("abcdefghijklmnopqrstuvwxyz",
                   (444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778,
                    500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444)))
_WIDTHS.update(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                   (722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,
                    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611)))
_WIDTHS.update({d: 500 for d in "0123456789"})
_WIDTHS.update({" ": 250, ".": 250, ",": 250, ":": 278, ";": 278, "“": 444, "”": 444, "‘": 333, "’": 333,
                "'": 180, '"': 408, "-": 333, "—": 1000, "–": 500, "(": 333, ")": 333, "[": 333, "]": 333,
                "?": 444, "!": 333, "…": 1000, "/": 278, "&": 778, "%": 833, "•": 350, "$": 500})
_DEFAULT_WIDTH = 500

#: The measure (widest line) of body text, of quotations and of a list item's first line, in ems of the
#: widths above. Derived from the source by :func:`derive_measures`: the widest line of each kind that is
#: followed by another line of the same paragraph; tests/unit/test_layout.py checks that these constants still equal what it derives.
BODY_MEASURE = 38.41
QUOTE_MEASURE = 32.05
BULLET_MEASURE = 34.88
INDENT_MEASURE = 36.99  # a paragraph's first line set in by three spaces (after a quotation or a heading)
MEASURES = (BODY_MEASURE, QUOTE_MEASURE, BULLET_MEASURE, INDENT_MEASURE)
#: A line this much wider than the quotation measure cannot be part of a quotation.
QUOTE_TOLERANCE = 0.5
#: A heading is a line of its own no wider than this share of the body measure.
HEADING_WIDTH = 0.65
#: How much room must be left at a line's end, beyond the next word, for the line to count as short.
#: Word spacing and the font's real widths differ from the estimate: within a paragraph, full lines vary
#: by about 1.5 em around the measure, so a break is read as certain only with a margin well beyond that.
FIT_MARGIN = 2.5
#: Between the two margins a short line is doubtful ("short-line-marginal"): the audit asks for a decision.
MARGINAL_MARGIN = 1.5

PAGE_BREAK_BLANKS = 3  # a page break leaves three empty lines
QUOTE_INDENT = 6  # a quotation's first line starts with six spaces
PARAGRAPH_INDENT = 3  # a paragraph after a quotation or a heading starts with three spaces
MARKER = re.compile(r"\s*\[(\d+)\]")  # the author's note markers, [1]..[143]
#: A sentence ends at the line's end: a full stop, question or exclamation mark, colon or ellipsis, then
#: closing quotation marks or brackets (not a possessive "Progressives’", not "(state)").
SENTENCE_END = re.compile(r"[.?!:…][”’)\]]*$")
NUMBERED = re.compile(r"^\d{1,2}\.\s")  # the numbered theses of a quoted manifesto
SECTION_BREAK = "* * *"
#: Superscript note numbers are set smaller than the text: about 0.6 of a digit's width each.
MARKER_DIGIT_WIDTH = 0.3

STRONG = ("first-line-blank", "indent", "quote-start", "quote-end", "bullet", "short-line", "numbered",
          "section-break", "heading")


def width(text: str) -> float:
    """The estimated width of a line, in ems; a note marker [12] counts as two small superscript digits."""
    plain = MARKER.sub(lambda m: "\0" * len(m.group(1)), text)
    return sum(MARKER_DIGIT_WIDTH * 1000 if c == "\0" else _WIDTHS.get(c, _DEFAULT_WIDTH) for c in plain) / 1000


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the source
    text: str  # without the leading and trailing spaces (a note marker alone on the next line joined to it)
    indent: int  # leading spaces
    quote: bool  # inside a quotation (from its six-space first line to its quote-end marker)
    blanks_after: int  # empty lines after it (before the next text line)
    marker_after: bool  # a quote-end marker (a line of three spaces) before the next text line

    @property
    def bullet(self) -> bool:
        return self.text.startswith("•")

    @property
    def words(self) -> str:
        """The line's text without note markers and bullet."""
        return _without_markers(self.text).lstrip("• ").strip()


@dataclass(frozen=True)
class Gap:
    """The space between two consecutive text lines of the source, with the evidence of a break there."""

    before: int  # number of the line that ends before the gap
    after: int  # number of the line that starts after it
    evidence: tuple[str, ...]
    page_break: bool

    @property
    def strong(self) -> bool:
        return any(e in STRONG for e in self.evidence)


def read_lines(source: str) -> list[Line]:
    """The source's text lines with their layout: indents, quotations, blanks and markers after them."""
    raw = source.replace("\r\n", "\n").split("\n")
    lines: list[Line] = []
    quote = False
    i = 0
    while i < len(raw):
        text = raw[i]
        if not text.strip():
            i += 1
            continue
        indent = len(text) - len(text.lstrip(" "))
        if indent >= QUOTE_INDENT:
            quote = True
        j, blanks, marker = i + 1, 0, False
        while j < len(raw) and not raw[j].strip():
            if raw[j] == " " * PARAGRAPH_INDENT:
                marker = True
            else:
                blanks += 1
            j += 1
        line = Line(i + 1, text.strip(), indent, quote, blanks, marker)
        if lines and not _without_markers(line.text):  # a note marker pushed onto a line of its own
            prev = lines.pop()
            line = Line(prev.number, f"{prev.text} {line.text}", prev.indent, prev.quote, blanks, marker)
        lines.append(line)
        if marker and _wider_than_quotation(raw, j):
            quote = False  # the marker ends a quotation only where body text follows (not a quoted list's next item)
        i = j
    return lines


def _wider_than_quotation(raw: Sequence[str], start: int, lookahead: int = 3) -> bool:
    """Whether any of the next few text lines from ``start`` is wider than a quotation's measure.

    After a quote-end marker, body text may follow, or the next item or paragraph of a quoted list: the
    extraction sets both alike, and only the width of the lines tells them apart.
    """
    seen = 0
    for text in raw[start:]:
        if not text.strip():
            continue
        if len(text) - len(text.lstrip(" ")) >= QUOTE_INDENT:
            return True  # a new quotation starts: whatever the state, it begins afresh
        if width(_without_markers(text.strip())) > QUOTE_MEASURE + QUOTE_TOLERANCE:
            return True
        seen += 1
        if seen == lookahead:
            break
    return seen < lookahead  # the end of the text


def _ends_paragraph(line: Line) -> bool:
    return line.marker_after or line.blanks_after == 1


def _starts_paragraph(line: Line) -> bool:
    return bool(line.indent) or line.bullet


def derive_measures(lines: Sequence[Line]) -> tuple[float, float, float, float]:
    """(body, quote, bullet, indented) measures: the widest line of each kind with a next line in the same
    paragraph. A list item's first line and an indented first line are measured apart: their text starts
    further in.
    """
    body = quote = bullet = indented = 0.0
    for line, nxt in zip(lines, lines[1:]):
        if _ends_paragraph(line) or _starts_paragraph(nxt) or NUMBERED.match(nxt.text):
            continue  # the line may end a paragraph: its width says nothing about the measure
        w = width(line.words)
        if line.bullet:
            bullet = max(bullet, w)
        elif line.indent == PARAGRAPH_INDENT and not line.quote:
            indented = max(indented, w)
        elif line.quote:
            quote = max(quote, w)
        else:
            body = max(body, w)
    return round(body, 2), round(quote, 2), round(bullet, 2), round(indented, 2)


def _without_markers(text: str) -> str:
    return MARKER.sub("", text).rstrip()


def ends_sentence(line: Line) -> bool:
    return bool(SENTENCE_END.search(_without_markers(line.text)))


def short_line(line: Line, next_word: str, measures: Sequence[float] = MEASURES, margin: float = FIT_MARGIN) -> bool:
    """A line that ends a sentence where the next word would have fitted, with room to spare."""
    if not ends_sentence(line):
        return False
    body, quote, bullet, indented = measures
    measure = (bullet if line.bullet else quote if line.quote
               else indented if line.indent == PARAGRAPH_INDENT else body)
    return width(line.words) + width(" " + next_word) + margin <= measure


def very_short_line(line: Line, nxt: Line, measures: Sequence[float] = MEASURES) -> bool:
    """A line less than half the measure wide, before a capitalised line: a paragraph or list item that ends
    without a full stop ("…(Time Dollars and the like)"), not a heading set on two lines."""
    text = line.words
    return (bool(text) and bool(nxt.words) and nxt.words[0].isupper() and width(text) <= measures[0] / 2
            and not re.search(r"[,;:—–-]$", text) and not (heading_like(line, measures) and heading_like(nxt, measures)))


def heading_like(line: Line, measures: Sequence[float] = MEASURES) -> bool:
    """A line of its own that is a heading: short, capitalised, and not ending a sentence or a phrase."""
    text = line.words
    return (bool(text) and (text[0].isupper() or text[0].isdigit()) and not line.bullet
            and not re.search(r"[.,;:?!…”’)\]—-]$", text) and width(text) <= HEADING_WIDTH * measures[0])


def read_layout(source: str, measures: Sequence[float] = MEASURES, margin: float = FIT_MARGIN) -> list[Gap]:
    """One gap per pair of consecutive text lines, with the evidence of a paragraph break there."""
    lines = read_lines(source)
    gaps = []
    for k, (line, nxt) in enumerate(zip(lines, lines[1:])):
        evidence = []
        following = lines[k + 2] if k + 2 < len(lines) else None
        # A heading of its own line (not one line of a heading set on two): after a sentence's end, before a
        # new paragraph.
        heading_before = (heading_like(line, measures) and not heading_like(nxt, measures)
                          and (_starts_paragraph(nxt) or nxt.words[:1].isupper()))
        heading_after = (heading_like(nxt, measures) and following is not None
                         and (ends_sentence(line) or line.marker_after)
                         and (_starts_paragraph(following) or nxt.blanks_after >= 1 or heading_like(following)
                              or following.words[:1].isupper()))
        # The first-line blank: one empty line after the next line, then text, where the line before the
        # gap could end a paragraph (inside some quotations the extraction puts the blank after a last line).
        if (nxt.blanks_after == 1 and not nxt.marker_after and following is not None
                and (ends_sentence(line) or heading_before or line.text == SECTION_BREAK)):
            evidence.append("first-line-blank")
        if nxt.indent >= QUOTE_INDENT:
            evidence.append("quote-start")
        elif nxt.indent >= PARAGRAPH_INDENT and not nxt.bullet:
            evidence.append("indent")
        if line.marker_after:
            evidence.append("quote-end")
        if nxt.bullet:
            evidence.append("bullet")
        if NUMBERED.match(nxt.text) and ends_sentence(line):
            evidence.append("numbered")
        if SECTION_BREAK in (line.text, nxt.text):
            evidence.append("section-break")
        if heading_before or heading_after:
            evidence.append("heading")
        next_word = nxt.words.split()[0] if nxt.words else ""
        if short_line(line, next_word, measures, margin) or very_short_line(line, nxt, measures):
            evidence.append("short-line")
        elif short_line(line, next_word, measures, MARGINAL_MARGIN):
            evidence.append("short-line-marginal")
        gaps.append(Gap(line.number, nxt.number, tuple(evidence), line.blanks_after >= PAGE_BREAK_BLANKS))
    return gaps


# --- The words of the source, each with its line -------------------------------------------------------

@dataclass(frozen=True)
class Word:
    text: str
    first_line: int
    last_line: int


def source_words(source: str, mends: Iterable[tuple[str, str]] = ()) -> list[Word]:
    """The source's words in order (note markers and bullets dropped), with the editors' mends applied.

    A mend replaces a piece of the whitespace-normalised text (``source``, possibly inside words, like
    the fidelity test's) by the edition's text; the new words keep the lines of the characters they replace.
    """
    chars: list[str] = []
    lines: list[int] = []  # the source line of each character of the normalised text
    for number, raw in enumerate(source.replace("\r\n", "\n").split("\n"), start=1):
        for w in MARKER.sub(" ", raw).split():
            if w == "•":
                continue
            if chars:
                chars.append(" ")
                lines.append(number)
            chars.extend(w)
            lines.extend([number] * len(w))
    text = "".join(chars)
    for old, new in mends:
        at = text.find(old)
        if at < 0:
            continue  # the fidelity test reports a mend that is not in the source
        text = text[:at] + new + text[at + len(old):]
        lines[at:at + len(old)] = [lines[at]] * len(new)
    words = []
    for m in re.finditer(r"\S+", text):
        words.append(Word(m.group(), lines[m.start()], lines[m.end() - 1]))
    return words


# --- The audit ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """A heading or paragraph of the edition, in reading order."""

    label: str  # a paragraph reference (III.12) or "heading"
    path: str  # the chapter file, for messages
    line: int  # its line in the chapter file
    words: tuple[str, ...]
    quote: bool | None = None  # a paragraph inside a block quotation; None for a heading


@dataclass(frozen=True)
class Finding:
    kind: str  # "joined": a strong source break inside an edition block; "doubtful": a marginal one;
    #            "unsupported": an edition break the source does not show; "quote": the edition sets a
    #            paragraph inside (or outside) a quotation where the source's layout has it outside (inside)
    gap: Gap
    block: Block  # the edition block that holds the joined gap, or that starts at the unsupported break
    words: str  # the first words after the gap, to find it
    evidence: tuple[str, ...]


class WordsDiffer(ValueError):
    """The edition's words are not the source's (the fidelity test says where)."""


def audit(gaps: Sequence[Gap], words: Sequence[Word], blocks: Sequence[Block],
          quoted_lines: Iterable[int] = ()) -> list[Finding]:
    """Compare the source's breaks with the edition's, in both directions, and (given the numbers of the
    source's quoted lines) which paragraphs are quotations."""
    edition = [w for b in blocks for w in b.words]
    if [w.text for w in words] != edition:
        part = next((k for k, (a, e) in enumerate(zip(words, edition)) if a.text != e), min(len(words), len(edition)))
        raise WordsDiffer(f"the edition's words part from the source's at word {part}")
    starts: dict[int, Block] = {}  # index of a block's first word -> the block
    holder: list[Block] = []  # the block holding each word
    for b in blocks:
        if b.words:
            starts[len(holder)] = b
        holder.extend([b] * len(b.words))
    first_word_on: dict[int, int] = {}  # source line -> index of the first word that starts there
    for i, w in enumerate(words):
        first_word_on.setdefault(w.first_line, i)
    findings: list[Finding] = []
    broken: set[int] = set()
    for gap in gaps:
        found = first_word_on.get(gap.after)
        if found is None or found == 0 or words[found - 1].last_line > gap.before:
            continue  # a line with no words of its own (a marker or a bullet alone)
        i = found
        at = " ".join(w.text for w in words[i:i + 8])
        if i in starts:
            broken.add(i)
            if not gap.strong and "short-line-marginal" not in gap.evidence:  # a marginal short line supports it
                findings.append(Finding("unsupported", gap, starts[i], at, gap.evidence))
        elif gap.strong:
            findings.append(Finding("joined", gap, holder[i], at, gap.evidence))
        elif "short-line-marginal" in gap.evidence:
            findings.append(Finding("doubtful", gap, holder[i], at, gap.evidence))
    findings += _quote_findings(words, starts, set(quoted_lines))
    for i, b in starts.items():
        if i and i not in broken:  # an edition break in the middle of a source line
            line = words[i].first_line
            findings.append(Finding("unsupported", Gap(line, line, ("mid-line",), False), b,
                                    " ".join(w.text for w in words[i:i + 8]), ("mid-line",)))
    return findings


def _quote_findings(words: Sequence[Word], starts: dict[int, Block], quoted: set[int]) -> list[Finding]:
    """Paragraphs the edition sets inside a quotation where the source's layout has them outside, or the reverse."""
    found = []
    for i, b in starts.items():
        if quoted and b.quote is not None and b.quote != (words[i].first_line in quoted):
            line = words[i].first_line
            found.append(Finding("quote", Gap(line, line, ("quote" if b.quote else "body",), False), b,
                                 " ".join(w.text for w in words[i:i + 8]), ()))
    return found


# --- Decisions ---------------------------------------------------------------------------------------

#: Why the editors may decide a boundary differently from the layout's evidence (edition.yml, closed list).
REASONS = (
    "corroborated by a public copy",
    "break at an elision inside a quotation",
    "a note marker ends one quoted passage and the next begins",
    "marginal short line, within the width estimate's error",
    "the note marker closes the quotation",
)
REASONS_NEEDING_URL = ("corroborated by a public copy",)


def unresolved(findings: Sequence[Finding], paragraphs: Sequence[RecordEntry], quotes: Sequence[RecordEntry]
               ) -> tuple[list[Finding], list[RecordEntry]]:
    """The findings no decision covers, and the decisions that cover no finding (stale: the text moved on).

    A paragraph decision names the source line where the later paragraph starts and its first words; it
    covers a finding at that line whose words begin so, when its decision agrees with the edition (a
    *split* covers an unsupported break, a *joined* covers a joined or doubtful one). A quotation
    decision names the paragraph.
    """
    open_findings, used = [], set()
    for f in findings:
        match = None
        if f.kind == "quote":
            want = "inside" if "quote" in f.gap.evidence else "outside"
            match = next((k for k, q in enumerate(quotes) if q["ref"] == f.block.label and q["decision"] == want), None)
            key = ("q", match)
        else:
            want = "split" if f.kind == "unsupported" else "joined"
            match = next((k for k, d in enumerate(paragraphs) if d["line"] == f.gap.after
                          and d["decision"] == want and f.words.startswith(d["words"])), None)
            key = ("p", match)
        if match is None:
            open_findings.append(f)
        else:
            used.add(key)
    stale = [d for k, d in enumerate(paragraphs) if ("p", k) not in used]
    stale += [q for k, q in enumerate(quotes) if ("q", k) not in used]
    return open_findings, stale


def edition_blocks(chapters: Sequence[Chapter]) -> list[Block]:
    """The author's headings and paragraphs of the chapters, in reading order (the editors' headings left out).

    A list item's quotation is not compared (None): the source sets quoted and unquoted lists alike.
    """
    blocks = []
    for ch in chapters:
        items = [(s.line, Block("heading", ch.path, s.line, tuple(plain_text(s.title).split())))
                 for s in ch.sections if not s.editorial]
        items += [(p.line, Block(p.ref, ch.path, p.line, tuple(p.text.split()), None if p.kind == "li" else p.quote))
                  for p in ch.paragraphs]
        blocks += [b for _, b in sorted(items, key=lambda item: item[0])]
    return blocks


def audit_edition(source: str, chapters: Sequence[Chapter], record: dict[str, list[RecordEntry]]
                  ) -> tuple[list[Finding], list[RecordEntry]]:
    """The whole audit: the source's layout against the chapters, less what the record decides."""
    lines = read_lines(source)
    words = source_words(source, [(m["source"], m["edition"]) for m in record.get("mended", [])])
    findings = audit(read_layout(source), words, edition_blocks(chapters), [ln.number for ln in lines if ln.quote])
    return unresolved(findings, record.get("paragraphs", []), record.get("quotes", []))


def describe(finding: Finding) -> str:
    """One line for an editor: where, what, and the evidence."""
    what = {"joined": "the source breaks here, the edition joins",
            "doubtful": "the source may break here (a marginal short line), the edition joins",
            "unsupported": "the edition breaks here, the source's layout does not show it",
            "quote": "the edition sets this paragraph " + ("inside" if "quote" in finding.gap.evidence else "outside")
                     + " a quotation, the source's layout the other way"}[finding.kind]
    evidence = ", ".join(finding.evidence) or "no evidence"
    return (f"{finding.block.path}:{finding.block.line}: paragraph-{finding.kind}: {what} at source line "
            f"{finding.gap.after}, {finding.words!r} ({finding.block.label}; {evidence})")
