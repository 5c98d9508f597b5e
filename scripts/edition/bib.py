"""The bibliography: ``bibliography.bib`` -> :class:`Work` records, and Work -> CSL-JSON.

Pure module (no MkDocs, no file access: files.py reads the .bib). :func:`read_bibliography` never raises on a bad file: every defect comes back
as a located :class:`~edition.problems.Problem` (``path:line: kind: message (hint)``), so that the
editor sees all of them at once.

How the file is read (bibtexparser 2.1):

1. The bytes must be UTF-8 (kind ``encoding``, with the line of the first bad byte).
2. A first pass with an empty parse stack (``parse_stack=[]``: the splitter only) keeps the raw field
   values. Syntax checks run on it, because bibtexparser itself accepts some broken input silently:
   a missing comma between two fields does not fail, it swallows the next field into the value
   (``author = {Mason, Paul}\\n title = {X}``); stray text between entries becomes an
   ``ImplicitComment``; an unclosed brace fails the whole entry (``ParsingFailedBlock``), at the line
   of its ``@`` only.
3. The second pass is ``bibtexparser.parse_string`` with the default stack plus LatexDecoding FIRST,
   then SeparateCoAuthors and SplitNameParts (after SplitNameParts, accents in names would stay LaTeX).

bibtexparser counts lines from 0; every line reported here is 1-based.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable

from .citations import KEY_RE
from .problems import Problem, suggest

if TYPE_CHECKING:
    from bibtexparser.middlewares.names import NameParts
    from bibtexparser.model import Block, Entry, ImplicitComment, ParsingFailedBlock
    from pylatexenc.latex2text import LatexNodes2Text

# --------------------------------------------------------------------------------------------------
# The one table of what each entry type needs. Each requirement is a group of alternative fields: any
# one of them satisfies it. A requirement can also be met by saying, in `note`, that the fact is not
# known: "No URL known", "No publisher known" (see UNKNOWN_NOTE): such a fact is never invented.
# --------------------------------------------------------------------------------------------------
REQUIRED_FIELDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "book": (("author", "editor"), ("title",), ("publisher",), ("date", "year")),
    "article": (("author",), ("title",), ("journaltitle", "journal"), ("date", "year")),
    "incollection": (("author",), ("title",), ("booktitle",), ("publisher",), ("year", "date")),
    "online": (("title",), ("url",), ("date", "year")),
}
#: Requirements that a note may declare unknown (the first field of the group names it).
WAIVABLE = {"url": "URL", "publisher": "publisher"}
UNKNOWN_NOTE = r"\bno {what} (?:is )?known\b"

#: Fields this edition understands (biblatex names, plus the BibTeX synonyms journal/address/year).
KNOWN_FIELDS = frozenset(
    """author editor translator interviewer title shorttitle subtitle journaltitle journal booktitle maintitle
    series volume number eid issue pages publisher location address date year month url urldate doi
    note entrysubtype organization edition origdate origtitle""".split()
)
#: Name fields. ``interviewer``: for an interview, ``author`` is the person interviewed (CMOS 14.213).
NAME_FIELDS = ("author", "editor", "translator", "interviewer")
#: Emphasis inside a value (a book's title inside an article's title), kept as italics (CMOS 8.171).
EMPHASIS_MACRO = re.compile(r"\\(?:emph|mkbibemph|textit)\s*\{")
#: Verbatim fields: taken raw (LaTeX decoding would turn `~` into a space or `%` into a comment).
VERBATIM_FIELDS = frozenset({"url", "doi"})

DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_KEY_LINE_RE = re.compile(r"[ \t]*[A-Za-z][\w.:+-]*[ \t]*=")


@dataclass(frozen=True)
class Name:
    family: str  # with any "von" part: "van Dijk"
    given: str = ""
    suffix: str = ""

    def __str__(self) -> str:
        """BibTeX order, as in works.json: ``Mason, Paul``."""
        parts = [self.family] + ([self.suffix] if self.suffix else []) + ([self.given] if self.given else [])
        return ", ".join(parts)


@dataclass(frozen=True)
class Work:
    key: str
    entry_type: str
    #: LaTeX-decoded values, braces removed; names as ``Family, Given and Family, Given``.
    fields: dict[str, str]
    #: 1-based line of the ``@type{`` in the .bib.
    line: int
    #: The raw BibTeX text of the entry, for "view/copy BibTeX".
    source: str
    #: Parsed names per name field (author, editor, translator).
    names: dict[str, tuple[Name, ...]] = field(default_factory=dict)
    #: Spans (start, end) of each decoded field value that the .bib protected with braces: words a
    #: style must not re-case (``{PostCapitalism}``, ``{{CTheory}}``).
    protected: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    #: Spans of each decoded value that the .bib set in italics (``\\mkbibemph{Postcapitalism}``).
    emphasis: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    def __hash__(self) -> int:  # the dict fields are not hashable; a work is its key and its text
        return hash((self.key, self.source))

    @property
    def author_sort(self) -> str:
        """Family name of the first author (else editor, else the title), lower-cased, accents folded."""
        for role in ("author", "editor"):
            if self.names.get(role):
                return _fold(self.names[role][0].family)
        return _fold(self.fields.get("title", self.key))

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# --------------------------------------------------------------------------------------------------
# LaTeX decoder: the same configuration as bibtexparser's default LatexDecodingMiddleware, built here
# so that the protected spans can be decoded with exactly the same decoder as the whole value.
# --------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _decoder() -> LatexNodes2Text:
    # Imported here, like bibtexparser: a build whose bibliography is cached needs neither.
    import pylatexenc.latex2text
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec

    db = pylatexenc.latex2text.get_default_latex_context_db()
    db.add_context_category(
        "edition-bib", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")]
    )
    return LatexNodes2Text(latex_context=db, keep_braced_groups=False, math_mode="verbatim")


def _decode(latex: str) -> str:
    try:
        text: str = _decoder().latex_to_text(latex)  # pylatexenc has no type information
        return text
    except Exception:  # pylatexenc is lenient; never let a strange value stop the load
        return latex


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------
def unreadable(where: str, reason: str) -> Problem:
    """The bibliography file could not be read at all."""
    return Problem(where, 1, "bib-file", f"cannot read the bibliography: {reason}")


def read_bibliography(data: bytes, where: str = "bibliography.bib") -> tuple[dict[str, Work], list[Problem]]:
    """Check and parse a .bib file's bytes. Returns (works by key, problems); never raises on bad content."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return {}, [
            Problem(
                where,
                line,
                "encoding",
                f"the file is not UTF-8: byte 0x{data[exc.start]:02x} at column {column}",
                "save bibliography.bib as UTF-8 (or write accents as LaTeX, e.g. {\\'e})",
            )
        ]
    return parse_bibliography(text, where)


def works_from_cache(data: dict[str, Any] | None, key: str) -> dict[str, Work] | None:
    """The works of an earlier load of the same bytes, or None (missing, stale or unreadable cache)."""
    if data is None or data.get("key") != key:
        return None
    try:
        return {w["key"]: Work(
            key=w["key"], entry_type=w["entry_type"], fields=w["fields"], line=w["line"], source=w["source"],
            names={role: tuple(Name(**n) for n in names) for role, names in w["names"].items()},
            protected={name: tuple(tuple(span) for span in spans) for name, spans in w["protected"].items()},
            emphasis={name: tuple(tuple(span) for span in spans) for name, spans in w["emphasis"].items()},
        ) for w in data["works"]}
    except (KeyError, TypeError, AttributeError):  # written by another version of this module
        return None


def works_to_cache(key: str, works: dict[str, Work]) -> dict[str, Any]:
    return {"key": key, "works": [asdict(w) for w in works.values()]}


def parse_bibliography(text: str, path: str = "bibliography.bib") -> tuple[dict[str, Work], list[Problem]]:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    """Like :func:`read_bibliography`, for BibTeX text already decoded."""
    from bibtexparser import middlewares as mw
    from bibtexparser.entrypoint import parse_string
    from bibtexparser.model import (
        DuplicateBlockKeyBlock,
        DuplicateFieldKeyBlock,
        Entry,
        ImplicitComment,
        MiddlewareErrorBlock,
        ParsingFailedBlock,
    )

    text = text.removeprefix("\ufeff")
    problems: list[Problem] = []
    logger = logging.getLogger("bibtexparser")
    previous_level = logger.level
    logger.setLevel(logging.CRITICAL)  # its warnings duplicate the located problems below
    try:
        raw_lib = parse_string(text, parse_stack=[])
        lib = parse_string(
            text,
            append_middleware=[
                mw.LatexDecodingMiddleware(decoder=_decoder()),
                mw.SeparateCoAuthors(name_fields=NAME_FIELDS),
                mw.SplitNameParts(name_fields=NAME_FIELDS),
            ],
        )
    except Exception as exc:  # a bug in bibtexparser itself: still report, located at the top
        return {}, [Problem(path, 1, "bib-syntax", f"bibtexparser failed: {exc}")]
    finally:
        logger.setLevel(previous_level)

    broken_lines: set[int] = set()  # 0-based start lines of entries with syntax problems
    raw_entries: dict[int, Entry] = {}
    first_seen: dict[str, int] = {}
    previous_failed = False
    for block in raw_lib.blocks:
        start = (block.start_line or 0) + 1
        if isinstance(block, DuplicateBlockKeyBlock):
            first = (block.previous_block.start_line or 0) + 1
            problems.append(
                Problem(
                    path,
                    start,
                    "bib-duplicate-key",
                    f"the key '{block.key}' is used twice",
                    f"the first entry with this key is on line {first}; rename or remove one",
                )
            )
            previous_failed = False
            continue
        if isinstance(block, DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            names = sorted(getattr(block, "duplicate_keys", None) or [])
            what = ", ".join(f"'{n}'" for n in names) or "a field"
            problems.append(
                Problem(path, start, "bib-syntax", f"entry '{getattr(entry, 'key', '?')}' sets {what} twice", "keep one of them")
            )
            broken_lines.add(_start(block))
            previous_failed = False
            continue
        if isinstance(block, ParsingFailedBlock):
            problems.append(_failed_block_problem(block, path))
            previous_failed = True
            continue
        if isinstance(block, ImplicitComment):
            if not previous_failed:  # text left over by a failed entry is part of that failure
                junk = _junk_problem(block, path)
                if junk:
                    problems.append(junk)
            previous_failed = False
            continue
        previous_failed = False
        if isinstance(block, Entry):
            folded = (block.key or "").lower()
            if folded in first_seen:  # BibTeX (and citeproc) compare keys without case
                problems.append(
                    Problem(
                        path,
                        start,
                        "bib-duplicate-key",
                        f"the key '{block.key}' differs from an earlier key only in case",
                        f"the first entry with this key is on line {first_seen[folded] + 1}; keys ignore case",
                    )
                )
                continue
            raw_entries[_start(block)] = block
            first_seen[folded] = _start(block)
            entry_problems = _check_raw_entry(block, path)
            if entry_problems:
                broken_lines.add(_start(block))
                problems.extend(entry_problems)
            else:
                problems.extend(_check_special_characters(block, path))

    works: dict[str, Work] = {}
    for block in lib.blocks:
        if isinstance(block, MiddlewareErrorBlock):
            entry = block.ignore_error_block
            problems.append(
                Problem(
                    path,
                    (block.start_line or 0) + 1,
                    "bib-field",
                    f"entry '{getattr(entry, 'key', '?')}' has a value that cannot be read: {block.error}",
                    "check the LaTeX and the names (Family, Given and Family, Given)",
                )
            )
            continue
        if not isinstance(block, Entry) or block.start_line not in raw_entries:
            continue
        if block.key in works or not KEY_RE.fullmatch(block.key or ""):  # reported above
            continue
        raw = raw_entries[block.start_line]
        work, entry_problems = _make_work(block, raw, path, check=block.start_line not in broken_lines)
        problems.extend(entry_problems)
        works[work.key] = work
    return works, sorted(set(problems), key=lambda p: (p.line, p.kind, p.message))


# --------------------------------------------------------------------------------------------------
# Syntax checks on the raw pass
# --------------------------------------------------------------------------------------------------
def _failed_block_problem(block: ParsingFailedBlock, path: str) -> Problem:
    start = (block.start_line or 0) + 1
    raw = block.raw or ""
    reason = getattr(block.error, "abort_reason", None) or str(block.error)
    unclosed = _unclosed_brace_line(raw, start)
    if unclosed is not None and ("closing" in reason or "end of file" in reason):
        return Problem(
            path,
            unclosed,
            "bib-syntax",
            f"unclosed brace: the '{{' on line {unclosed} is never closed",
            f"close it with '}}'; the entry starting on line {start} could not be read",
        )
    end_line = start + raw.count("\n")
    if "comma after entry key" in reason:
        return Problem(
            path,
            start,
            "bib-syntax",
            "missing comma after the entry key",
            "write @type{key, field = {...}, ...}; note that '@word{' or '@word (' starts an entry "
            "even inside a % comment line",
        )
    return Problem(
        path,
        end_line,
        "bib-syntax",
        f"cannot read the entry starting on line {start}: {_plain(reason)}",
        "each field is  name = {value},  and the entry ends with '}'",
    )


def _plain(reason: str) -> str:
    return " ".join(reason.replace("`", "'").split())


def _unclosed_brace_line(raw: str, first_line: int) -> int | None:
    """Line of the '{' that is never closed in a failed entry, or None when braces are balanced.

    When a field value's brace is left open, the following lines that look like ``name = ...`` are
    read as part of that value; the opening brace of that value (depth 2) is the culprit.
    """
    stack: list[int] = []
    line = first_line
    i = 0
    n = len(raw)
    while i < n:
        ch = raw[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "\n":
            line += 1
            if len(stack) >= 2 and _KEY_LINE_RE.match(raw, i + 1):
                return stack[1]
        elif ch == "{":
            stack.append(line)
        elif ch == "}" and stack:
            stack.pop()
        i += 1
    if len(stack) >= 2:
        return stack[1]
    return stack[-1] if stack else None


def _junk_problem(block: ImplicitComment, path: str) -> Problem | None:
    start = (block.start_line or 0) + 1
    for offset, text in enumerate((block.comment or "").splitlines()):
        stripped = text.strip()
        if stripped and not stripped.startswith("%"):
            shown = stripped if len(stripped) <= 40 else stripped[:37] + "..."
            hint = "start comment lines with %"
            if stripped.startswith(("}", ",")) or "=" in stripped:
                hint = "an extra '}' may have closed the entry above too early; " + hint
            return Problem(path, start + offset, "bib-syntax", f"text outside any entry: '{shown}'", hint)
    return None


def _check_raw_entry(entry: Entry, path: str) -> list[Problem]:
    problems = []
    if not KEY_RE.fullmatch(entry.key or ""):
        shown = " ".join((entry.key or "").split())[:40]
        problems.append(
            Problem(
                path,
                _start(entry) + 1,
                "bib-syntax",
                f"'{shown}' is not a valid entry key" if shown else "entry without a key",
                "a key is letters, digits, '_' and inner - : . /; note that '@word{' or '@word (' "
                "starts an entry even inside a % comment line",
            )
        )
        return problems  # not an entry the edition can use
    for f in entry.fields:
        if not isinstance(f.value, str):
            continue
        bad = _value_tail(f.value)
        if bad is not None:
            after_line = f.start_line + 1 + f.value[:bad].rstrip().count("\n")
            swallowed = f.value[bad:].split("=")[0].strip()
            problems.append(
                Problem(
                    path,
                    after_line,
                    "bib-syntax",
                    f"missing comma after the value of '{f.key}'",
                    f"add ',' at the end of line {after_line}; '{swallowed[:30]}' was read as part of '{f.key}'",
                )
            )
    return problems


_SPECIAL = re.compile(r"(?<!\\)[&%]")


def _check_special_characters(entry: Entry, path: str) -> list[Problem]:
    """A bare & or % is LaTeX syntax (table column, comment): decoding would silently drop text."""
    problems = []
    for f in entry.fields:
        if not isinstance(f.value, str) or f.key.lower() in VERBATIM_FIELDS:
            continue
        m = _SPECIAL.search(f.value)
        if m:
            char = m.group(0)
            problems.append(
                Problem(
                    path,
                    f.start_line + 1 + f.value.count("\n", 0, m.start()),
                    "bib-field",
                    f"unescaped '{char}' in '{f.key}' of entry '{entry.key}': LaTeX would drop text there",
                    f"write \\{char}",
                )
            )
    return problems


def _value_tail(value: str) -> int | None:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    """Index of the first character that cannot belong to a BibTeX value, or None if it is well formed.

    A value is parts joined by '#': {balanced}, "quoted" (balanced braces inside), a number or an
    @string name. Anything after the last part means a comma is missing before the next field.
    """
    i, n = 0, len(value)
    end_of_part = 0
    expect_part = True
    while True:
        while i < n and value[i].isspace():
            i += 1
        if i >= n:
            return None if not expect_part or i == 0 else end_of_part
        if not expect_part:
            if value[i] == "#":
                expect_part = True
                i += 1
                continue
            return end_of_part
        ch = value[i]
        if ch == "{":
            depth = 0
            j = i
            while j < n:
                if value[j] == "\\":
                    j += 2
                    continue
                if value[j] == "{":
                    depth += 1
                elif value[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= n:
                return i
            i = j + 1
        elif ch == '"':
            j = i + 1
            depth = 0
            while j < n and not (value[j] == '"' and depth == 0):
                if value[j] == "\\":
                    j += 1
                elif value[j] == "{":
                    depth += 1
                elif value[j] == "}":
                    depth -= 1
                j += 1
            if j >= n:
                return i
            i = j + 1
        else:
            m = re.compile(r"[\w.:+/-]+").match(value, i)
            if not m:
                return i
            i = m.end()
        end_of_part = i
        expect_part = False


# --------------------------------------------------------------------------------------------------
# Entry -> Work
# --------------------------------------------------------------------------------------------------
def _make_work(entry: Entry, raw: Entry, path: str, check: bool) -> tuple[Work, list[Problem]]:
    problems: list[Problem] = []
    line = _start(entry) + 1
    entry_type = entry.entry_type.lower()
    raw_values = {f.key.lower(): f.value for f in raw.fields if isinstance(f.value, str)}
    field_lines = {f.key.lower(): f.start_line + 1 for f in raw.fields}

    fields: dict[str, str] = {}
    names: dict[str, tuple[Name, ...]] = {}
    protected: dict[str, tuple[tuple[int, int], ...]] = {}
    emphasis: dict[str, tuple[tuple[int, int], ...]] = {}
    for f in entry.fields:
        name = f.key.lower()
        value = f.value
        if isinstance(value, list):  # SplitNameParts -> list[NameParts]
            people = tuple(_to_name(p) for p in value)
            names[name] = people
            fields[name] = " and ".join(str(p) for p in people)
            continue
        if name in VERBATIM_FIELDS:
            value = _strip_enclosing(raw_values.get(name, str(value)))
        value = " ".join(str(value).split())  # one line, single spaces
        fields[name] = value
        if name not in VERBATIM_FIELDS and name in raw_values:
            spans = _protected_spans(raw_values[name], value)
            if spans:
                protected[name] = spans
            spans = _emphasis_spans(raw_values[name], value)
            if spans:
                emphasis[name] = spans

    if check:
        problems.extend(_check_fields(entry.key, entry_type, fields, line, field_lines, path))
    work = Work(
        key=entry.key,
        entry_type=entry_type,
        fields=fields,
        line=line,
        source=raw.raw or "",
        names=names,
        protected=protected,
        emphasis=emphasis,
    )
    return work, problems


def _emphasis_spans(raw_value: str, decoded: str) -> tuple[tuple[int, int], ...]:
    """Where the decoded value holds the text of each ``\\emph{…}`` of the raw value (found in order)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in EMPHASIS_MACRO.finditer(raw_value):
        depth, j = 1, m.end()
        while j < len(raw_value) and depth:
            depth += {"{": 1, "}": -1}.get(raw_value[j], 0)
            j += 1
        inner = " ".join(_decode(raw_value[m.end(): j - 1]).split())
        at = decoded.find(inner, start) if inner else -1
        if at >= 0:
            spans.append((at, at + len(inner)))
            start = at + len(inner)
    return tuple(spans)


def _start(block: Block) -> int:
    """A block's first line (0-based), which the parser always records."""
    return block.start_line or 0


def _to_name(parts: NameParts) -> Name:
    family = " ".join([*parts.von, *parts.last])
    return Name(family=family, given=" ".join(parts.first), suffix=" ".join(parts.jr))


def _strip_enclosing(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and ((value[0] == "{" and value[-1] == "}") or (value[0] == '"' and value[-1] == '"')):
        return value[1:-1].strip()
    return value


def _check_fields(
    key: str, entry_type: str, fields: dict[str, str], line: int, field_lines: dict[str, int], path: str
) -> list[Problem]:
    problems: list[Problem] = []
    if entry_type not in REQUIRED_FIELDS:
        hint = suggest(entry_type, REQUIRED_FIELDS, "@") or "use one of: " + ", ".join(
            f"@{t}" for t in REQUIRED_FIELDS
        )
        problems.append(Problem(path, line, "bib-unknown-type", f"entry '{key}' has the unknown type @{entry_type}", hint))
        return problems
    for name in fields:
        if name not in KNOWN_FIELDS:
            problems.append(
                Problem(
                    path,
                    field_lines.get(name, line),
                    "bib-unknown-field",
                    f"entry '{key}' has the unknown field '{name}'",
                    suggest(name, KNOWN_FIELDS) or "see KNOWN_FIELDS in scripts/edition/bib.py",
                )
            )
    note = fields.get("note", "")
    for group in REQUIRED_FIELDS[entry_type]:
        if any(fields.get(g, "").strip() for g in group):
            continue
        what = WAIVABLE.get(group[0])
        if what and re.search(UNKNOWN_NOTE.format(what=re.escape(what)), note, re.IGNORECASE):
            continue
        wanted = " or ".join(f"'{g}'" for g in group)
        hint = f"add {wanted}"
        if what:
            hint += f", or note = {{No {what} known}} if no source gives it"
        problems.append(
            Problem(path, line, "bib-missing-field", f"@{entry_type} '{key}' needs {wanted}", hint)
        )
    for name in ("date", "year"):
        if name in fields and not _valid_date(fields[name], year_only=name == "year"):
            problems.append(
                Problem(
                    path,
                    field_lines.get(name, line),
                    "bib-field",
                    f"entry '{key}' has the {name} '{fields[name]}', which is not a date",
                    "write YYYY, YYYY-MM or YYYY-MM-DD" if name == "date" else "write four digits",
                )
            )
    return problems


def _valid_date(value: str, year_only: bool = False) -> bool:
    m = DATE_RE.match(value.strip())
    if not m or (year_only and m.group(2)):
        return False
    month, day = m.group(2), m.group(3)
    if month and not 1 <= int(month) <= 12:
        return False
    if day and not 1 <= int(day) <= 31:
        return False
    return True


# --------------------------------------------------------------------------------------------------
# Brace protection: which parts of a decoded value were inside {...} in the .bib
# --------------------------------------------------------------------------------------------------
def _protected_spans(raw_value: str, decoded: str) -> tuple[tuple[int, int], ...]:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    """Spans of ``decoded`` that were protected by an inner brace group in ``raw_value``.

    A group is protective when it is not a macro argument (``\\emph{x}``) and not a special character
    (``{\\'e}``). Each segment is decoded on its own with the same decoder; if the pieces do not add
    up to the decoded value (an exotic construct), no protection is reported rather than a wrong one.
    """
    inner = _strip_enclosing(raw_value)
    if inner == raw_value.strip():  # not a single enclosed value (a number, an @string, a # join)
        return ()
    segments: list[tuple[str, bool]] = []
    buf: list[str] = []
    i, n = 0, len(inner)
    while i < n:
        ch = inner[i]
        if ch == "\\":
            m = re.compile(r"\\(?:[A-Za-z]+|.)").match(inner, i)
            buf.append(m.group(0) if m else ch)
            i = m.end() if m else i + 1
            continue
        if ch == "{":
            j, depth = i, 0
            while j < n:
                if inner[j] == "\\":
                    j += 2
                    continue
                depth += {"{": 1, "}": -1}.get(inner[j], 0)
                if depth == 0:
                    break
                j += 1
            group = inner[i : j + 1]
            before = "".join(buf)
            is_argument = re.search(r"\\(?:[A-Za-z]+|.)\s*$", before) is not None
            is_special = group[1:2] == "\\"
            if is_argument or is_special or j >= n:
                buf.append(group)
            else:
                if buf:
                    segments.append(("".join(buf), False))
                    buf = []
                segments.append((group[1:-1], True))
            i = j + 1
            continue
        buf.append(ch)
        i += 1
    if buf:
        segments.append(("".join(buf), False))
    if not any(p for _, p in segments):
        return ()
    pieces = [(_decode(s), p) for s, p in segments]
    joined = "".join(t for t, _ in pieces)
    if " ".join(joined.split()) != decoded:
        return ()
    # map positions in `joined` to positions in the whitespace-normalised `decoded`
    spans: list[tuple[int, int]] = []
    pos = 0
    norm_index = _normalised_index(joined)
    for text, prot in pieces:
        start, end = pos, pos + len(text)
        pos = end
        if prot and text.strip():
            a, b = norm_index[start], norm_index[end]
            while a < b and decoded[a] == " ":
                a += 1
            while b > a and decoded[b - 1] == " ":
                b -= 1
            if a < b:
                spans.append((a, b))
    return tuple(spans)


def _normalised_index(text: str) -> list[int]:
    """For each index of ``text`` (and len), the index in ``" ".join(text.split())``."""
    out: list[int] = []
    j = 0
    prev_space = True  # leading whitespace disappears
    started = False
    for ch in text:
        out.append(j)
        if ch.isspace():
            if not prev_space and started:
                j += 1
            prev_space = True
        else:
            j += 1
            prev_space = False
            started = True
    out.append(j)
    # a trailing space was counted but is stripped by split/join
    total = len(" ".join(text.split()))
    return [min(x, total) for x in out]


# --------------------------------------------------------------------------------------------------
# Work -> CSL-JSON
# --------------------------------------------------------------------------------------------------
ARTICLE_TYPES = {"newspaper": "article-newspaper", "magazine": "article-magazine"}
#: Parts of ``note`` that are the edition's bookkeeping, not facts CMOS prints: "No URL known", and
#: "Interview"/"Interview with X" (an interview is shown by its interviewer field, CMOS 14.213).
_NOTE_UNKNOWN = re.compile(r"(?:^|[;.]\s*)(?:no (?:url|publisher) (?:is )?known|interview(?: with [^;.]*)?)\.?(?=$|[;.])",
                           re.IGNORECASE)
#: Prepositions CMOS 8.159 lowercases in titles whatever their length; citeproc-py's title case
#: capitalises some of them ("About", "Around"). Where the .bib writes one in lower case, it stays so.
PREPOSITIONS = frozenset("""about above across after against along alongside amid among around as at before behind
below beneath beside besides between beyond by despite down during except for from in inside into like near
of off on onto opposite out outside over past per since than through throughout till to toward towards under
underneath unlike until unto up upon versus via with within without""".split())
TITLE_FIELDS = ("title", "shorttitle", "booktitle", "maintitle", "journaltitle", "organization")


def csl_type(work: Work) -> str:
    t = work.entry_type
    if t == "book":
        return "book"
    if t == "incollection":
        return "chapter"
    if t == "online":
        return "post-weblog" if work.get("entrysubtype").lower() == "blog" else "webpage"
    if t == "article":
        return ARTICLE_TYPES.get(work.get("entrysubtype").lower(), "article-journal")
    return "document"


#: An initial article (after an opening nocase span, in the HTML form): dropped from short titles.
_INITIAL_ARTICLE = re.compile(r'^((?:<span class="nocase">)?)(?:The|An|A) (?=\S)')
_TAG = re.compile(r"<[^>]+>")


def short_title(title: str) -> str | None:
    """The obvious short title: the part before the first ': ' when that part stands on its own."""
    head, sep, _ = title.partition(": ")
    if not sep or not head or head[0] in "[(“\"'":
        return None
    if head.count("(") != head.count(")") or head.count("“") != head.count("”"):
        return None
    return head


def to_csl_json(work: Work, *, html: bool = False) -> dict[str, Any]:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    """Map a Work to a CSL-JSON item.

    With ``html=True`` every string value is ready for citeproc-py's HTML formatter: HTML-escaped
    (the formatter does not escape), with straight quotes made typographic and brace-protected words
    wrapped in ``<span class="nocase">`` (citeproc then leaves their case alone).
    """
    f = work.fields

    def text(name: str, value: str | None = None) -> str:
        value = f.get(name, "") if value is None else value
        if not html:
            return value
        own = value == f.get(name)
        spans = work.protected.get(name, ()) if own else ()
        if name in TITLE_FIELDS:
            spans = tuple(spans) + _lowercase_prepositions(value)
        return _markup(value, spans, work.emphasis.get(name, ()) if own else ())

    item: dict[str, Any] = {"id": work.key, "type": csl_type(work)}
    for role in NAME_FIELDS:
        if work.names.get(role):
            people = []
            for p in work.names[role]:
                person = {"family": _esc(p.family, html), "given": _esc(p.given, html)}
                if p.suffix:
                    person["suffix"] = _esc(p.suffix, html)
                people.append({k: v for k, v in person.items() if v})
            item[role] = people

    if f.get("title"):
        item["title"] = text("title")
        if f.get("shorttitle"):
            item["title-short"] = text("shorttitle")
        else:
            short = short_title(f["title"])
            if short:
                spans = tuple((a, b) for a, b in work.protected.get("title", ()) if b <= len(short))
                emph = tuple((a, b) for a, b in work.emphasis.get("title", ()) if b <= len(short))
                item["title-short"] = (_markup(short, spans + _lowercase_prepositions(short), emph)
                                       if html else short)
        if "title-short" not in item and _INITIAL_ARTICLE.match(f["title"]):
            item["title-short"] = item["title"]
        if "title-short" in item:  # CMOS 14.33: the short title drops an initial A, An or The
            shortened = _INITIAL_ARTICLE.sub(r"\1", item["title-short"], count=1)
            if _TAG.sub("", shortened).strip():
                item["title-short"] = shortened

    container = {"article": ("journaltitle", "journal"), "incollection": ("booktitle",), "online": ("organization",),
                 "book": ("maintitle",)}  # a volume of a multivolume work: see cite.py, CMOS 14.118-14.119
    for name in container.get(work.entry_type, ()):
        if f.get(name):
            item["container-title"] = text(name)
            if work.get("entrysubtype").lower() == "newspaper":  # CMOS 14.191: "the" dropped
                item["container-title"] = re.sub(r"^(?:<span class=\"nocase\">)?The ", lambda m: m.group(0)[:-4],
                                                 item["container-title"])
            break

    if f.get("series") and work.entry_type != "article":
        item["collection-title"] = text("series")
    if f.get("volume"):
        item["volume"] = text("volume")
    if f.get("number"):
        if work.entry_type == "article":
            item["issue"] = re.sub(r"\bpart\b", "pt.", text("number"))  # CMOS 14.180: "no. 5, pt. 2"
        elif f.get("series"):
            item["collection-number"] = text("number")
        else:
            item["number"] = text("number")
    if f.get("issue") and "issue" not in item:
        item["issue"] = text("issue")
    if f.get("eid"):
        item["number"] = text("eid")
    if f.get("pages"):
        item["page"] = text("pages")
    if f.get("edition"):
        item["edition"] = text("edition")

    publisher, place = f.get("publisher", ""), f.get("location") or f.get("address", "")
    pubs, places = [p.strip() for p in publisher.split(";")], [p.strip() for p in place.split(";")]
    if publisher and place and len(pubs) > 1 and len(pubs) == len(places):
        # "Brooklyn: Autonomedia; London: Pluto": the style writes place + ": " + publisher
        item["publisher-place"] = _esc(places[0], html)
        rest = "; ".join(f"{pl}: {pu}" for pl, pu in zip(places[1:], pubs[1:]))
        item["publisher"] = _esc(f"{pubs[0]}; {rest}", html)
    else:
        if publisher:
            item["publisher"] = text("publisher")
        if place:
            # one publisher with several places: CMOS 14.135 gives the first only
            item["publisher-place"] = _esc(places[0], html) if len(places) > 1 else text("location" if f.get("location") else "address")

    issued = _date_parts(f.get("date") or f.get("year", ""))
    if issued:
        item["issued"] = {"date-parts": [issued]}
    original = _date_parts(f.get("origdate", ""))
    if original:  # a translation or reprint: the original's year (CMOS 14.114)
        item["original-date"] = {"date-parts": [original]}
    # origtitle is kept in the .bib but not given to the style: citeproc-py would print "(…, 1991;
    # originally published as *Marx Oltre Marx* (1979))", nested parentheses and a re-cased Italian title.
    if f.get("url"):
        item["URL"] = f["url"] if not html else _esc(f["url"], True)
    if f.get("doi"):
        item["DOI"] = _esc(f["doi"], html)
    note = _NOTE_UNKNOWN.sub("", f.get("note", "")).strip(" ;.")
    if note:
        item["note"] = (_markup(note, (), work.emphasis.get("note", ())) if html and note == f.get("note")
                        else _esc(note, html))
    return item


def _date_parts(value: str) -> list[int] | None:
    m = DATE_RE.match(value.strip())
    if not m:
        return None
    return [int(x) for x in m.groups() if x]


# --------------------------------------------------------------------------------------------------
# Markup for citeproc-py's HTML formatter
# --------------------------------------------------------------------------------------------------
def _esc(value: str, html: bool = True) -> str:
    if not html:
        return value
    return _typographic(_escape(value))


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _typographic(value: str) -> str:
    """Straight quotes to curly ones: apostrophes to ’, pairs of " to “ ”."""
    value = re.sub(r"(?<=\w)'|'(?=\w)|(?<=[.,!?])'", "’", value)
    out, opening = [], True
    for ch in value:
        if ch == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)


def _lowercase_prepositions(value: str) -> tuple[tuple[int, int], ...]:
    """Spans of lower-case prepositions in a title (not its first word, nor a subtitle's): kept lower case."""
    spans = []
    for m in re.finditer(r"[A-Za-z]+", value):
        word = m.group(0)
        if (word in PREPOSITIONS and m.start() > 0 and not re.search(r"(?:[:?!.]\s*|[“\"(\[])$", value[:m.start()])
                and re.match(r"\s+[\w“\"‘'(]", value[m.end():])):  # at a title's end it is an adverb: "Exist Before"
            spans.append((m.start(), m.end()))
    return tuple(spans)


def _markup(value: str, spans: Iterable[tuple[int, int]], emphasis: Iterable[tuple[int, int]] = ()) -> str:
    """Escape ``value`` and wrap the protected spans (widened to whole words) in nocase spans.

    citeproc-py re-cases word by word and re-joins words with single spaces, so a protected part must
    cover whole words, or a space would be inserted at its edge. Emphasised spans are also protected,
    and their words are wrapped in ``<i>`` inside the nocase span.
    """
    emphasis = sorted(emphasis)
    spans = sorted([*spans, *emphasis])
    value = _typographic(value)  # same length: the spans stay valid
    if not spans:
        return _escape(value)
    merged: list[list[int]] = []
    for a, b in spans:
        while a > 0 and not value[a - 1].isspace():
            a -= 1
        while b < len(value) and not value[b].isspace():
            b += 1
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out, pos = [], 0
    for a, b in merged:
        out.append(_escape(value[pos:a]))
        inner, cursor = [], a
        for ea, eb in emphasis:
            if a <= ea < b:
                inner.append(_escape(value[cursor:ea]) + "<i>" + _escape(value[ea:eb]) + "</i>")
                cursor = eb
        inner.append(_escape(value[cursor:b]))
        out.append('<span class="nocase">' + "".join(inner) + "</span>")
        pos = b
    out.append(_escape(value[pos:]))
    return "".join(out)
