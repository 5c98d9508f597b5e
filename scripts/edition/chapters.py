"""Chapter sources: paragraphs with their permanent references, note markers and note definitions.

The chapters are hand-edited Markdown. Each paragraph (block-quote paragraphs and list items
included) ends with an attribute line holding its permanent reference, e.g. ``{ #III.12 }``;
references are assigned once (``make refs`` numbers new paragraphs) and never recomputed.
Notes are written once, at the chapter's end, each with the editors' confidence in it::

    [^57]: [@roos2013holloway] <!-- level: probable; why: the sentence quotes Holloway's 2013 remark … -->

The comment holds ``key: value`` fields separated by ``;`` (a ``;`` inside a value is kept unless a
known key and a colon follow it). See :data:`LEVELS` and :data:`NOTE_FIELDS`.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Mapping

import yaml

from . import urls
from .problems import Problem, suggest

PARTS = ("O", "I", "II", "III", "IV", "V", "VI", "C")
#: The parts as a regular-expression alternative, and one paragraph reference ("III.12", "II.4a"): every
#: other pattern of a reference (render.PARA_ID, annotations.REF_IN_TEXT, scripts/bench.py, the tests) is
#: built from these, and the scripts get PARTS from the page (<meta name="edition:parts">).
PART = "(?:" + "|".join(re.escape(p) for p in PARTS) + ")"
REF = rf"{PART}\.\d+[a-z]?"
REF_RE = re.compile(rf"^({PART})\.(\d+)([a-z]?)$")
ATTR_LINE = re.compile(r"^(?:>\s?)?\s*\{\s*#(?P<ref>[A-Z]+\.\d+[a-z]?)(?P<rest>[^}]*)\}\s*$")
NOTE_DEF = re.compile(r"^\[\^(?P<n>[^\]]*)\]:\s?(?P<body>.*)$")
NOTE_REF = re.compile(r"\[\^(?P<n>[^\]\s]*)\](?!:)")
#: The editors' comment at the end of a note definition (the last one, if several).
NOTE_COMMENT = re.compile(r"<!--(?P<body>(?:(?!-->).)*)-->\s*$", re.S)
#: The confidence scale, from most to least sure (About this edition explains it to readers).
LEVELS = ("original", "named", "probable", "conjectural", "unknown")
#: Fields of the note comment: level and why (required, why except for 'unknown'); others optional.
NOTE_FIELDS = {
    "level": "the confidence level",
    "why": "the editors' reason, in a sentence of their own",
    "other": "a source the sentence also names that is not identified",
    "page": "where the page number of the note's locator comes from (a public source)",
    "evidence": "address(es) where the identification was checked",
    "status": "the former label (original, inferred, unknown): replaced by level",
}
_FIELD_SPLIT = re.compile(r"(?:^|;)\s*(?P<key>[A-Za-z][\w-]*)\s*:\s*")


@dataclass(frozen=True)
class HeadingMatch:
    hashes: str
    title: str
    attrs: str | None  # the text inside a final { ... }, or None

    def group(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value


class _Heading:
    """``## Title { #id .class }`` -> hashes, title, attrs; ``HEADING.match(line)`` like a compiled pattern.

    Not one regular expression: ``(?P<title>.*?)\\s*(?:\\{[^}]*\\})?\\s*$`` backtracks cubically on a long
    run of spaces inside a heading (4000 spaces took minutes); this is linear.
    """

    _START = re.compile(r"(#{1,6})\s+")

    def match(self, line: str) -> HeadingMatch | None:
        m = self._START.match(line)
        if not m:
            return None
        rest = line[m.end():].rstrip()
        attrs = None
        if rest.endswith("}"):
            body = rest[:-1]
            opening = body.find("{", body.rfind("}") + 1)  # the first '{' after the last inner '}'
            if opening != -1:
                attrs = body[opening + 1:]
                rest = body[:opening].rstrip()
        return HeadingMatch(m.group(1), rest, attrs)


HEADING = _Heading()


@dataclass(frozen=True)
class Paragraph:
    ref: str
    chapter: str  # chapter slug, e.g. "paul-mason"
    line: int  # 1-based line of the paragraph's first line in its source
    text: str  # plain text: no note markers, emphasis marks or escapes
    quote: bool
    kind: str  # "p" (paragraph), "li" (list item), "quoted-heading", "quoted-break"
    section: str  # id of the enclosing second-level heading, or "" before the first one
    markdown: str = ""  # the paragraph's own Markdown, one line (for renderings outside MkDocs: the EPUB)


@dataclass(frozen=True)
class NoteRef:
    n: int
    chapter: str
    line: int
    paragraph: str  # ref of the paragraph holding the marker


@dataclass(frozen=True)
class NoteDef:
    n: int
    chapter: str
    line: int
    body: str  # the definition without its comment
    level: str  # one of LEVELS ("" only when the comment was faulty: reported)
    why: str = ""
    other: str = ""  # a source the sentence names besides the cited one, not identified
    page: str = ""  # the public source of the locator's page number
    evidence: tuple[str, ...] = ()  # addresses

    @property
    def status(self) -> str:  # the former name, kept for callers that only ask "identified?"
        return self.level


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    level: int
    editorial: bool
    line: int


@dataclass
class Chapter:
    slug: str
    path: str  # as shown in messages, e.g. docs/paul-mason.md
    title: str
    part: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    note_refs: list[NoteRef] = field(default_factory=list)
    note_defs: list[NoteDef] = field(default_factory=list)

    @property
    def url(self) -> str:
        return urls.page_url(f"{self.slug}.md")


def plain_text(markdown: str) -> str:
    """The words a reader sees: note markers, emphasis marks, escapes and character references removed."""
    text = NOTE_REF.sub("", markdown)
    text = re.sub(r"(?<!\\)\*", "", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return html.unescape(text)  # &lt;script&gt; is the text <script> (escaped again wherever it is output)


def parse_chapter(source: str, slug: str, path: str) -> tuple[Chapter, list[Problem]]:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    """Parse one chapter's Markdown into paragraphs, sections and notes (pure; no MkDocs)."""
    problems: list[Problem] = []
    lines = source.split("\n")
    chapter = Chapter(slug=slug, path=path, title="", part="")
    start = 0
    if lines and lines[0].strip() == "---":  # YAML front matter
        for i in range(1, len(lines)):
            if lines[i].strip() == "---":
                start = i + 1
                break
            if lines[i].startswith("title:"):
                chapter.title = lines[i][6:].strip().strip('"')
        if start:
            problems += _check_front_matter("\n".join(lines[1 : start - 1]), path)
    block: list[tuple[int, str]] = []
    section = ""
    in_edition_div = 0
    in_comment = False

    def flush_unreferenced() -> None:
        if block and any(t.strip() for _, t in block):
            first = block[0]
            problems.append(Problem(path, first[0], "paragraph-ref-missing",
                                    f"paragraph has no permanent reference: {first[1].strip()[:50]!r}",
                                    "run 'make refs' to number new paragraphs"))
        block.clear()

    for i in range(start, len(lines)):
        lineno = i + 1
        line = lines[i]
        stripped = line.strip()
        if in_comment:
            in_comment = "-->" not in stripped
            continue
        if stripped.startswith("<!--"):
            in_comment = "-->" not in stripped
            continue
        if re.match(r"<div\b[^>]*\bdata-ed\b", stripped):
            in_edition_div += 1
            continue
        if in_edition_div:
            if stripped.startswith("</div>"):
                in_edition_div -= 1
            continue
        m = NOTE_DEF.match(line)
        if m:
            flush_unreferenced()
            n = _note_number(m.group("n"), path, lineno, problems)
            if n is None:
                continue
            note, found = parse_note_definition(n, m.group("body"), slug, path, lineno)
            problems += found
            chapter.note_defs.append(note)
            continue
        h = HEADING.match(line)
        if h and not line.startswith(">"):
            flush_unreferenced()
            attrs = h.group("attrs") or ""
            id_m = re.search(r"#([\w-]+)", attrs)
            level = len(h.hashes)
            sec = Section(id_m.group(1) if id_m else "", h.title, level, "ed-heading" in attrs, lineno)
            chapter.sections.append(sec)
            if level == 1:
                chapter.title = plain_text(h.title)
            if level == 2:
                section = sec.id
            continue
        a = ATTR_LINE.match(line)
        if a:
            ref = a.group("ref")
            if not block:
                problems.append(Problem(path, lineno, "paragraph-ref", f"reference {ref} follows no paragraph"))
                continue
            para_lines = [_strip_markers(t) for _, t in block]
            markdown = " ".join(t.strip() for t in para_lines if t.strip())
            first_raw = block[0][1]
            quote = first_raw.lstrip().startswith(">")
            is_li = bool(re.match(r"^(?:>\s?)?\s*[-*+]\s", first_raw))
            rest = a.group("rest")
            kind = "li" if is_li else ("quoted-heading" if "quoted-heading" in rest else
                                       "quoted-break" if "quoted-break" in rest else "p")
            para = Paragraph(ref, slug, block[0][0], plain_text(markdown), quote, kind, section, markdown)
            if not REF_RE.match(ref):
                problems.append(Problem(path, lineno, "paragraph-ref", f"malformed reference {ref!r}",
                                        "references look like III.12 or III.12a"))
            chapter.paragraphs.append(para)
            for nm in NOTE_REF.finditer(markdown):
                n = _note_number(nm.group("n"), path, block[0][0], problems)
                if n is not None:
                    chapter.note_refs.append(NoteRef(n, slug, _line_of(block, nm.group(0)), ref))
            block.clear()
            continue
        if not stripped or stripped == ">":
            if block and not re.match(r"^(?:>\s?)?\s*[-*+]\s", block[0][1]):
                flush_unreferenced()
            elif block and not stripped:
                flush_unreferenced()
            continue
        if stripped.startswith("<") and not block:
            continue  # raw HTML added by the editors
        block.append((lineno, line))
    flush_unreferenced()
    if chapter.paragraphs:
        chapter.part = chapter.paragraphs[0].ref.split(".")[0]
    for p in chapter.paragraphs:
        if p.ref.split(".")[0] != chapter.part:
            problems.append(Problem(path, p.line, "paragraph-ref",
                                    f"reference {p.ref} is not in part {chapter.part} like the chapter's first paragraph"))
    if not chapter.paragraphs:
        problems.append(Problem(path, 1, "empty-chapter", "chapter has no paragraphs of the essay",
                                "write its paragraphs, each followed by its reference such as { #I.1 }, "
                                "or remove the chapter from nav: in mkdocs.yml"))
    return chapter, problems


def parse_note_fields(comment: str) -> tuple[dict[str, str], list[str]]:
    """``level: named; why: a; b; page: x`` -> ({level, why, page}, unknown keys).

    A ``;`` starts a new field only when a known key and a colon follow it, so a why may hold ``;``.
    An unknown key right after a ``;`` is reported (a mistyped key must not vanish into the why).
    """
    fields: dict[str, str] = {}
    unknown: list[str] = []
    text = comment.strip()
    marks = [m for m in _FIELD_SPLIT.finditer(text)
             if m.start() == 0 or m.group("key").lower() in NOTE_FIELDS or _looks_like_key(m.group("key"))]
    if not marks or marks[0].start() != 0:
        return fields, ([text.split(":")[0].strip()] if text else [])
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        key = m.group("key").lower()
        value = " ".join(text[m.end():end].split()).rstrip(" ;")
        if key not in NOTE_FIELDS:
            unknown.append(m.group("key"))
            continue
        fields[key] = value
    return fields, unknown


def _looks_like_key(word: str) -> bool:
    """A word just after ';' that is a near miss of a field name ('wy:', 'levle:') is a mistyped key."""
    import difflib

    return bool(difflib.get_close_matches(word.lower(), list(NOTE_FIELDS), n=1, cutoff=0.75))


def parse_note_definition(n: int, body: str, slug: str, path: str, line: int) -> tuple[NoteDef, list[Problem]]:
    """One note definition's text and its editors' comment (level, why…), with located problems."""
    problems: list[Problem] = []
    cm = NOTE_COMMENT.search(body)
    comment = cm.group("body") if cm else ""
    text = (body[:cm.start()] if cm else body).strip()
    fields, unknown = parse_note_fields(comment) if cm else ({}, [])
    example = "<!-- level: probable; why: the sentence names… -->"
    for key in unknown:
        problems.append(Problem(path, line, "note-field", f"note {n} has the unknown field '{key}' in its comment",
                                suggest(key.lower(), NOTE_FIELDS) or "the fields are " + ", ".join(
                                    k for k in NOTE_FIELDS if k != "status")))
    level = fields.get("level", "").lower()
    if not text:
        problems.append(Problem(path, line, "note-empty", f"note {n} is empty",
                                f"write [^{n}]: [@key] {example}, or the editors' words with <!-- level: unknown -->"))
    elif "status" in fields and not level:
        old = fields["status"].lower()
        new = {"inferred": "probable"}.get(old, old if old in LEVELS else "")
        problems.append(Problem(path, line, "note-level",
                                f"note {n} has the former status comment '{fields['status']}', not a level",
                                (f"write <!-- level: {new}; why: … -->" if new else f"write {example}")
                                + "; the levels are " + _levels_listed()))
    elif not level:
        problems.append(Problem(path, line, "note-level",
                                f"note {n} has no level comment" if not cm else f"note {n}'s comment gives no level",
                                f"end the note with {example}; the levels are {_levels_listed()}"))
    elif level not in LEVELS:
        close = suggest(level, LEVELS)
        problems.append(Problem(path, line, "note-level", f"note {n} has the unknown level '{level}'",
                                f"{close} The levels are {_levels_listed()}" if close else
                                f"the levels are {_levels_listed()}"))
        level = ""
    if text and level and level != "unknown" and not fields.get("why"):
        problems.append(Problem(path, line, "note-why", f"note {n} (level {level}) gives no reason for its identification",
                                "add '; why: …' to its comment: what in the essay or the source supports it"))
    evidence = tuple(fields.get("evidence", "").split())
    note = NoteDef(n, slug, line, text, level if level in LEVELS else "", fields.get("why", ""),
                   fields.get("other", ""), fields.get("page", ""), evidence)
    return note, problems


def _levels_listed() -> str:
    return ", ".join(LEVELS[:-1]) + " and " + LEVELS[-1]


def _check_front_matter(text: str, path: str) -> list[Problem]:
    """The front matter between the '---' lines must be a YAML mapping (MkDocs would print it as text)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        if mark is not None:
            line = 2 + mark.line
        else:  # a ReaderError (a control character) has a position, not a mark
            line = 2 + text.count("\n", 0, getattr(err, "position", 0) or 0)
        what = getattr(err, "problem", None) or str(err).splitlines()[0]
        return [Problem(path, line, "front-matter", f"the front matter is not valid YAML: {what}",
                        "quote values that contain ':', '[' or '{', e.g. title: \"I. One: Two\"")]
    except (ValueError, RecursionError) as err:  # a date like 2016-02-30, brackets nested thousands deep
        reason = "it is nested too deeply" if isinstance(err, RecursionError) else str(err)
        return [Problem(path, 2, "front-matter", f"the front matter cannot be read: {reason}",
                        "quote the value, e.g. date: \"2016-02-30\"")]
    if data is not None and not isinstance(data, dict):
        return [Problem(path, 2, "front-matter", "the front matter is not a list of 'name: value' lines",
                        "write e.g. title: \"I. One\" between the two '---' lines")]
    return []


def _strip_markers(line: str) -> str:
    line = re.sub(r"^>\s?", "", line)
    return re.sub(r"^\s*[-*+]\s+", "", line)


def _line_of(block: list[tuple[int, str]], needle: str) -> int:
    for lineno, text in block:
        if needle in text:
            return lineno
    return block[0][0]


NOTE_NUMBER = re.compile(r"[1-9][0-9]{0,5}")  # ASCII digits only: int() rejects '²', and a million notes is absurd


def _note_number(label: str, path: str, line: int, problems: list[Problem]) -> int | None:
    if NOTE_NUMBER.fullmatch(label):
        return int(label)
    problems.append(Problem(path, line, "note-label", f"note label [^{label}] is not the author's note number",
                            "notes are numbered 1, 2, 3… as in the original"))
    return None


def encoding_problem(shown: str, data: bytes, err: UnicodeDecodeError) -> Problem:
    """A file that is not UTF-8, located at its first bad byte."""
    line = data[: err.start].count(b"\n") + 1
    column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
    return Problem(shown, line, "encoding", f"file is not UTF-8: byte {data[err.start]:#04x} at column {column}",
                   "save the file as UTF-8; such bytes come from Latin-1 or Windows-1252 text")


def decode_source(data: bytes) -> str:
    """A source file's text as the parsers expect it, whatever the editor saved: UTF-8 without a byte-order
    mark, lines ending in \\n (Windows' \\r\\n and old Macs' \\r converted). Raises UnicodeDecodeError."""
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_chapters(docs: Mapping[str, bytes], slugs: list[str], folder: str = "docs") -> tuple[list[Chapter], list[Problem]]:
    """Parse the chapters in reading order from the docs folder's files (name -> bytes, read by files.py);
    undecodable or missing files are reported, not raised. ``folder``: the docs folder's name, for locations."""
    chapters, problems = [], []
    for slug in slugs:
        shown = f"{folder}/{slug}.md"
        data = docs.get(f"{slug}.md")
        if data is None:
            problems.append(Problem(shown, 0, "chapter-missing", "chapter file listed in the navigation is missing"))
            continue
        try:
            source = decode_source(data)
        except UnicodeDecodeError as err:
            problems.append(encoding_problem(shown, data, err))
            continue
        chapter, found = parse_chapter(source, slug, shown)
        chapters.append(chapter)
        problems.extend(found)
    problems.extend(check_references(chapters))
    return chapters, problems


def check_references(chapters: list[Chapter]) -> list[Problem]:
    """Every paragraph reference is unique across the edition."""
    seen: dict[str, Paragraph] = {}
    by_slug = {ch.slug: ch.path for ch in chapters}
    problems = []
    for ch in chapters:
        for p in ch.paragraphs:
            if p.ref in seen:
                first = seen[p.ref]
                problems.append(Problem(ch.path, p.line, "paragraph-ref-duplicate",
                                        f"reference {p.ref} is already used",
                                        f"first used in {by_slug.get(first.chapter, first.chapter)}:{first.line}; "
                                        "keep the published one; delete the other and run 'make refs'"))
            else:
                seen[p.ref] = p
    return problems
