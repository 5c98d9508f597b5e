"""The glossary: terms from glossary.yml, their uses in the essay (concordance), links in the text.

Pure core (no MkDocs import). Three entry points are used by the build:

``load(data, chapters, docs, works)``
    Read glossary.yml's bytes with line numbers, check every entry against the chapters, the docs pages
    and the bibliography (all problems are collected, never only the first), compile ONE matcher
    for all terms and aliases and run it once over every paragraph: the concordance.
``key_terms_markdown(glossary, chapter)``
    The editors' "Key terms in this chapter" section appended to a chapter's Markdown.
``link_terms(glossary, chapter, root)``
    Links the first use of each term per section in a chapter's element tree (run by mdext.py).

The matcher
-----------
All terms and aliases ("forms") go into one character trie, compiled into one regular expression
(``(?<![\\w-])(?P<stem>TRIE)(?P<pl>(?:e?s)?)(?![\\w-])``, case-insensitive). A trie rather than a
flat alternation sorted longest first: both give the longest form at a position, but the trie
shares prefixes ("post-capitalism", "post-capitalist", "post-Fordism"…), so at each word start the
engine follows one branch instead of trying every alternative in turn. Measured on the essay
(278 forms, 187,000 characters): about 13 ms for the trie pattern against 120 ms for the same
forms as a flat alternation. The pattern itself is built case-insensitively; capital letters are checked
afterwards: a capital in a form must be a capital in the text (so "Mason" is not the verb
"mason", "Occupy" not "occupy", "Bell" not "bell"), while its lower-case letters match either
case ("accelerationist" matches "Accelerationist" at the start of a sentence). When the longest
candidate fails that check, shorter forms that end inside it are tried before moving on.
Hyphenated forms are words of their own ("post-capitalism" and "postcapitalism" are distinct forms,
and the whole compound wins: "Fordism" is no use inside "post-Fordism"); a form inside a compound
that is no form is a use ("P2P-based", "rent-for-use") unless a prefix makes another idea of it
("non-Marxist", see NEGATING_PREFIXES). Plurals match automatically (-s, -es, and -ies for forms
ending in -y); a plural form of a concept, school or movement also matches its singular ("neo-Luddite");
a form in capitals only (an acronym) also matches the same letters in lower case ("p2p"). These
variants are compiled into the same trie. Text inside URLs and note markers (``[^57]``) never matches.

Exclusions and word senses
--------------------------
Matching is by form, not by meaning. Where a form occurs in another sense (the verb "rent out", the
title *Capital in the 21st Century*), the entry's ``exclude`` names that one occurrence (paragraph and
words); it is set aside from the concordance, the counts and the links, and listed apart on the term
page. Two concepts that share words get two entries, with ``distinct_from`` saying so on the page.
"""
from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping
from xml.etree.ElementTree import Element

import markdown as markdown_lib
import yaml
from markdown.extensions.toc import slugify

from . import templates, treetext
from .chapters import HEADING, Chapter, Paragraph
from .problems import Problem, suggest

if TYPE_CHECKING:
    from .bib import Work
from . import urls

PATH = "glossary.yml"
KINDS = ("concept", "school", "person", "work", "movement")
KIND_LABEL = {"concept": "concept", "school": "school of thought", "person": "person", "work": "work",
              "movement": "movement or organisation"}
REQUIRED = ("term", "slug", "kind", "aliases", "short", "see_also")
OPTIONAL = ("long", "explained_at", "bib", "section", "who", "born", "died", "never_occurs", "sources", "exclude",
            "distinct_from")
SOURCE_KEYS = ("bib", "pages", "title", "url")
EXCLUDE_KEYS = ("ref", "words", "why")
URL_RE = re.compile(r"^https?://[^\s/?#.]+(?:\.[^\s/?#.]+)+(?::\d+)?(?:[/?#]\S*)?$")
ONLY_FOR = {"bib": ("work",), "who": ("person",), "born": ("person",), "died": ("person",)}
REQUIRED_FOR = {"school": ("section",), "person": ("who",)}
SINGULAR_KINDS = ("concept", "school", "movement")  # a plural form of these also matches its singular
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"index", "print"}  # pages of their own under glossary/
SNIPPET = 60  # characters of context on each side of a use in the concordance

# -- data model ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a claim of an entry can be checked: a work of bibliography.bib, or a public reference."""
    bib: str = ""  # key in bibliography.bib
    pages: str = ""  # with bib only
    title: str = ""  # a public reference: its title and address
    url: str = ""
    line: int = 0


@dataclass(frozen=True)
class Exclusion:
    """One occurrence of a form that is not a use of the entry (a title, an ordinary sense)."""
    ref: str  # the paragraph
    words: str  # the words as the essay writes them, holding the form
    why: str
    line: int = 0


@dataclass
class Entry:
    term: str
    slug: str
    kind: str
    aliases: list[str]
    short: str
    see_also: list[str]
    line: int  # line of the entry (its first key) in glossary.yml
    lines: dict[str, int] = field(default_factory=dict)  # key -> line
    long: str = ""
    explained_at: str = ""
    bib: str = ""
    section: str = ""
    who: str = ""
    born: int | None = None
    died: int | None = None
    never_occurs: str = ""
    sources: list[Source] = field(default_factory=list)
    exclude: list[Exclusion] = field(default_factory=list)
    distinct_from: list[str] = field(default_factory=list)  # slugs of entries easily confused with this one
    related: list[str] = field(default_factory=list)  # see_also, then entries listing this one
    excluded: list[tuple["Occurrence", Exclusion]] = field(default_factory=list)  # set aside by `exclude`

    @property
    def forms(self) -> list[str]:
        return [self.term, *self.aliases]

    @cached_property
    def short_html(self) -> str:
        return inline_markdown(self.short)

    @cached_property
    def long_html(self) -> str:
        return block_markdown(self.long) if self.long else ""

    @cached_property
    def short_text(self) -> str:
        return plain(self.short_html)


@dataclass(frozen=True)
class Occurrence:
    slug: str  # the entry
    ref: str  # the paragraph
    chapter: str
    section: str
    quote: bool
    start: int  # offsets in Paragraph.text
    end: int
    form: str  # the words as written in the essay


@dataclass
class Glossary:
    entries: list[Entry] = field(default_factory=list)  # sorted by term
    by_slug: dict[str, Entry] = field(default_factory=dict)
    matcher: "Matcher | None" = None
    occurrences: dict[str, list[Occurrence]] = field(default_factory=dict)  # slug -> reading order
    by_paragraph: dict[str, list[Occurrence]] = field(default_factory=dict)  # ref -> in text order
    paragraphs: dict[str, Paragraph] = field(default_factory=dict)
    chapters: list[Chapter] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    links: dict[str, int] = field(default_factory=dict)  # chapter slug -> term links made
    excluded_words: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # ref -> [(slug, words)]

    @property
    def terms(self) -> list[Entry]:
        return self.entries

    def uses(self, slug: str) -> int:
        return len(self.occurrences.get(slug, []))

    def chapter_counts(self, chapter: str) -> list[tuple[Entry, int]]:
        """Terms used in a chapter with their number of uses there, most used first."""
        counts: dict[str, int] = {}
        for occ in (o for occs in self.occurrences.values() for o in occs if o.chapter == chapter):
            counts[occ.slug] = counts.get(occ.slug, 0) + 1
        return sorted(((self.by_slug[s], n) for s, n in counts.items()), key=lambda en: (-en[1], en[0].term.lower()))


# -- Markdown in definitions -----------------------------------------------------------------------

_MD = markdown_lib.Markdown(extensions=[], output_format="html")
_SAFE_URL = re.compile(r"^(?:https?:|mailto:|#|[^:]*$)", re.I)


def block_markdown(text: str) -> str:
    """A definition's Markdown as HTML; raw HTML in it is shown as text, unsafe link targets dropped."""
    _MD.reset()
    out = _MD.convert(text.replace("&", "&amp;").replace("<", "&lt;"))
    out = re.sub(r'<a href="([^"]*)"(?: title="[^"]*")?>(.*?)</a>',
                 lambda m: m.group(0) if _SAFE_URL.match(html.unescape(m.group(1)).strip()) else m.group(2), out,
                 flags=re.S)
    return re.sub(r"<img\b[^>]*?alt=\"([^\"]*)\"[^>]*>", r"\1", out)


def inline_markdown(text: str) -> str:
    """One paragraph of Markdown as inline HTML (no enclosing <p>)."""
    out = block_markdown(" ".join(text.split())).strip()
    m = re.fullmatch(r"<p>(.*)</p>", out, flags=re.S)
    return m.group(1) if m else out


def sort_key(term: str) -> str:
    """Alphabetical order: case, accents and opening quotation marks ignored ("Frédéric" as "frederic")."""
    folded = unicodedata.normalize("NFKD", term.lstrip("“‘\"'"))
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()


def plain(fragment: str) -> str:
    """The text of an HTML fragment (tags removed, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


# -- the matcher ---------------------------------------------------------------------------------

_APOS = "'’"
_EXCLUDED = re.compile(r"\[\^[^\]\s]*\]|(?:https?://|www\.)[^\s<>\"]+")


def _norm(form: str) -> str:
    """The key of a form: lower case, one space between words, one kind of apostrophe."""
    return " ".join(form.replace("'", "’").lower().split())


def _unit(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch in _APOS:
        return "['’]"
    return re.escape(ch.lower())


#: A term after one of these in a hyphenated compound is not a use of it ("non-Marxist", "anti-capitalism").
NEGATING_PREFIXES = {"anti", "non", "post", "pre", "neo", "proto", "pseudo", "quasi", "counter", "un", "ex"}
#: Words ending in -s that are not plurals: a form ending in one is never made singular.
NOT_PLURAL = re.compile(r"(?:ss|us|is|ics|commons|means|news|series|species)$", re.I)


def plural_variants(form: str) -> list[str]:
    """Plurals the regular -s/-es suffix cannot give: "monopoly" -> "monopolies"."""
    if re.search(r"[^aeiou\W]y$", form, re.I):
        return [form[:-1] + ("IES" if form[-1].isupper() else "ies")]
    return []


def singular_variants(form: str) -> list[str]:
    """The singular of a plural form: "neo-Luddites" -> "neo-Luddite", "garage factories" -> "garage factory"."""
    if not form.endswith("s") or NOT_PLURAL.search(form):
        return []
    if form.endswith("ies"):
        return [form[:-3] + "y"]
    if re.search(r"(?:ss|x|ch|sh)es$", form):
        return [form[:-2]]
    return [form[:-1]]


class Matcher:
    """All forms of all terms compiled into one case-insensitive trie regex (see module docstring)."""

    def __init__(self, forms: dict[str, tuple[str, str]], singular: set[str] | frozenset[str] = frozenset()):
        """``forms``: key (see _norm) -> (form as written in glossary.yml, entry slug).

        Each form also matches its irregular plural (-ies), and forms whose key is in ``singular`` (plural
        nouns of concepts, schools and movements; never names or titles) their singular. A variant that is
        another form is left to that form.
        """
        self.forms = forms
        self.variants: dict[str, tuple[str, str, str]] = {k: (f, slug, k) for k, (f, slug) in forms.items()}
        for key, (form, slug) in forms.items():
            for variant in plural_variants(form) + (singular_variants(form) if key in singular else []):
                self.variants.setdefault(_norm(variant), (variant, slug, key))
        trie: dict[str, Any] = {}  # a character -> the next node; '' -> the form's value (a trie)
        for key in self.variants:
            node = trie
            for ch in key:
                node = node.setdefault(_unit(ch), {})
            node[""] = True  # a form ends here
        body = self._emit(trie) if trie else "(?!)"
        # A form starts a word, or follows a hyphen inside a compound ("P2P-based", "rent-for-use"); it ends
        # before anything but a letter or digit (a hyphen included).
        self.pattern = re.compile(rf"(?:(?<![\w-])|(?<=\w-))(?P<stem>{body})(?P<pl>(?:e?s)?)(?!\w)", re.I)

    @classmethod
    def _emit(cls, node: dict[str, Any]) -> str:
        branches = [unit + cls._emit(child) for unit, child in sorted(node.items(), key=lambda kv: kv[0])
                    if unit != ""]
        ends = "" in node
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:  # longer forms first: a greedy optional group, so the engine backtracks to the shorter one
            return f"(?:{inner})?" if len(branches) == 1 else inner + "?"
        return inner

    def finditer(self, text: str) -> Iterator[tuple[int, int, str, str]]:
        """(start, end, entry slug, matched words) for every use in text, left to right, in one scan.

        Uses may overlap when they extend each other ("Paul Mason’s book Postcapitalism" is a use
        of Paul Mason and of the book); a form inside a longer use ("Mason" in "Paul Mason") is not
        a use of its own.
        """
        for start, end, slug, words, _key, inside in self.scan(text):
            if not inside:
                yield start, end, slug, words

    def scan(self, text: str) -> Iterator[tuple[int, int, str, str, str, bool]]:
        """Every form found: (start, end, slug, words, form key, inside a longer use?)."""
        excluded = [m.span() for m in _EXCLUDED.finditer(text)] if ("[^" in text or "://" in text or "www." in text) else []
        pos, covered = 0, 0
        while True:
            m = self.pattern.search(text, pos)
            if m is None:
                return
            pos = m.start() + 1  # the next word start: the lookbehind skips the middle of words
            found = self._accept(text, m.start(), m.end())
            if found is None:
                continue
            start, end, slug, key = found
            if any(s < end and start < e for s, e in excluded):
                continue
            if start and text[start - 1] == "-" and end > covered:
                first = re.search(r"(\w+)-$", text[max(0, start - 40):start])
                if first and first.group(1).lower() in NEGATING_PREFIXES:
                    continue  # "non-Marxist", "anti-capitalism": another idea
            yield start, end, slug, text[start:end], key, end <= covered
            covered = max(covered, end)

    def _accept(self, text: str, start: int, end: int) -> tuple[int, int, str, str] | None:
        """The longest form starting at start, ending at or before end, whose capitals match."""
        for stop in range(end, start, -1):
            if stop < len(text) and (text[stop].isalnum() or text[stop] == "_"):
                continue
            piece = text[start:stop]
            for stem in (piece, piece[:-1] if piece[-1:] in "sS" else None,
                         piece[:-2] if piece[-2:].lower() == "es" else None):
                if not stem:
                    continue
                hit = self.variants.get(_norm(stem))
                if hit and _capitals_match(hit[0], stem):
                    return start, stop, hit[1], hit[2]
        return None


def _capitals_match(form: str, written: str) -> bool:
    """Capital letters of the form must be capitals in the text; spaces match any white space.

    A form in capitals only (an acronym: "P2P", "CNC") also matches the same letters all in lower case ("p2p").
    """
    words_f, words_w = form.split(), written.split()
    if len(words_f) != len(words_w):
        return False
    letters_f = [c for c in form if c.isalpha()]
    if len(letters_f) >= 2 and all(c.isupper() for c in letters_f) and written == written.lower() \
            and len(form) == len(written):
        return True
    for f, w in zip(words_f, words_w):
        if len(f) != len(w):
            return False
        for a, b in zip(f, w):
            if a.isupper() and a != b:
                return False
    return True


# -- loading ---------------------------------------------------------------------------------------

# libyaml's parser when present (several times faster); both keep each node's line.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


#: What YAML counts as a line break (YAML 1.1, as PyYAML reads it); editors show these as new lines too.
YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def yaml_line_of(text: str, position: int) -> int:
    """The 1-based line, as YAML counts lines, of a character position in text."""
    return len(YAML_BREAK.findall(text, 0, position)) + 1


def _no_clock() -> float:
    """No timings (the glue passes its timer to measure the stages)."""
    return 0.0


def load(data: bytes | None, chapters: list[Chapter], docs: Mapping[str, bytes] | None, works: Mapping[str, Work],
         clock: Callable[[], float] = _no_clock) -> tuple[Glossary, list[Problem]]:
    """Validate glossary.yml's bytes (files.py reads them; None: no file) against the chapters and the other
    pages of docs/ (by file name) -> (Glossary, problems). ``clock`` times the stages (the glue's timer)."""
    if data is None:
        return Glossary(chapters=list(chapters)), [Problem(PATH, 0, "glossary-missing", f"{PATH} not found")]
    return parse(data.decode("utf-8"), chapters, docs, works, clock)


def parse(text: str, chapters: list[Chapter], docs: Mapping[str, bytes] | None, works: Mapping[str, Work],
          clock: Callable[[], float] = _no_clock) -> tuple[Glossary, list[Problem]]:
    t0 = clock()
    problems: list[Problem] = []
    glossary = Glossary(chapters=list(chapters))
    glossary.paragraphs = {p.ref: p for ch in chapters for p in ch.paragraphs}
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        # An error at the end of a file without a final line break is marked one line past the end.
        line = min(mark.line + 1, yaml_line_of(text, len(text))) if mark else 1
        problems.append(Problem(PATH, line, "yaml-syntax", f"{err.problem or 'invalid YAML'}"
                                + (f" ({err.context})" if err.context else ""),
                                "check the indentation and quoting around this line"))
        return glossary, problems
    except yaml.reader.ReaderError as err:  # a character YAML cannot hold (control characters…)
        line = yaml_line_of(text, max(err.position, 0))
        code = err.character if isinstance(err.character, int) else ord(err.character[:1] or "\0")
        problems.append(Problem(PATH, line, "yaml-syntax", f"character U+{code:04X} is not allowed in YAML",
                                "delete it, or write it as an escape (\\u…) in a double-quoted string"))
        return glossary, problems
    except yaml.YAMLError as err:
        problems.append(Problem(PATH, 1, "yaml-syntax", " ".join(str(err).split())[:200]))
        return glossary, problems
    if root is None:
        return glossary, [Problem(PATH, 1, "glossary-structure", "the glossary is empty",
                                  "the file is a YAML list of entries")]
    if not isinstance(root, yaml.SequenceNode):
        return glossary, [Problem(PATH, root.start_mark.line + 1, "glossary-structure",
                                  "the glossary must be a YAML list of entries", "start each entry with '- term:'")]
    entries = []
    for node in root.value:
        entry = _entry(loader, node, problems)
        if entry is not None:
            entries.append(entry)
    _check_unique(entries, problems)
    glossary.entries = sorted(entries, key=lambda e: (sort_key(e.term), e.slug))
    glossary.by_slug = {}
    for e in glossary.entries:
        glossary.by_slug.setdefault(e.slug, e)
    _check_references(glossary, chapters, docs, works, problems)
    _relate(glossary)
    glossary.timings["load"] = clock() - t0

    t0 = clock()
    forms: dict[str, tuple[str, str]] = {}
    for e in glossary.entries:
        for form in e.forms:
            forms.setdefault(_norm(form), (form, e.slug))
    plural_nouns = {_norm(f) for e in glossary.entries if e.kind in SINGULAR_KINDS for f in e.forms}
    glossary.matcher = Matcher(forms, plural_nouns)
    glossary.timings["compile"] = clock() - t0
    t0 = clock()
    glossary.occurrences = {e.slug: [] for e in glossary.entries}
    for ch in chapters:
        for p in ch.paragraphs:
            found = [Occurrence(slug, p.ref, ch.slug, p.section, p.quote, s, e, words)
                     for s, e, slug, words in glossary.matcher.finditer(p.text)]
            if found:
                glossary.by_paragraph[p.ref] = found
                for occ in found:
                    glossary.occurrences[occ.slug].append(occ)
    _apply_exclusions(glossary, problems)
    glossary.timings["match"] = clock() - t0
    _check_used(glossary, problems)
    return glossary, problems


def _apply_exclusions(glossary: Glossary, problems: list[Problem]) -> None:
    """Set aside the occurrences each entry's `exclude` names; each exclusion must set aside one or more."""
    for e in glossary.entries:
        for x in e.exclude:
            p = glossary.paragraphs.get(x.ref)
            if p is None:
                problems.append(Problem(PATH, x.line, "glossary-exclude", f"an exclusion of {e.term!r} names "
                                        f"paragraph {x.ref!r}, which does not exist",
                                        suggest(x.ref, glossary.paragraphs, "paragraph")
                                        or "use a margin reference like V.5"))
                continue
            spans = [m.span() for m in words_pattern(x.words).finditer(p.text)]
            if len(spans) != 1:
                problems.append(Problem(PATH, x.line, "glossary-exclude", f"an exclusion of {e.term!r}: "
                                        f"{x.words!r} occurs {len(spans)} times in ¶ {x.ref}",
                                        "copy the words from the paragraph" if not spans
                                        else "give more of the words around the use, so that they occur once"))
                continue
            a, b = spans[0]
            hit = [o for o in glossary.by_paragraph.get(x.ref, []) if o.slug == e.slug and a <= o.start and o.end <= b]
            if not hit:
                problems.append(Problem(PATH, x.line, "glossary-exclude", f"an exclusion of {e.term!r}: "
                                        f"{x.words!r} in ¶ {x.ref} holds no use of {e.term!r}",
                                        "the words must contain the term or one of its aliases; "
                                        "otherwise remove the exclusion"))
                continue
            glossary.excluded_words.setdefault(x.ref, []).append((e.slug, x.words))
            for o in hit:
                glossary.by_paragraph[x.ref].remove(o)
                glossary.occurrences[e.slug].remove(o)
                e.excluded.append((o, x))
            if not glossary.by_paragraph[x.ref]:
                del glossary.by_paragraph[x.ref]


def _entry(loader: yaml.SafeLoader, node: yaml.Node, problems: list[Problem]) -> Entry | None:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(PATH, line, "glossary-structure", "a glossary entry must be a mapping of keys",
                                "e.g. '- term: autonomism' followed by 'slug:', 'kind:'…"))
        return None
    values: dict[str, Any] = {}  # YAML values, each checked below before it is used
    lines: dict[str, int] = {}
    nodes: dict[str, yaml.Node] = {}
    for knode, vnode in node.value:
        key = knode.value if isinstance(knode, yaml.ScalarNode) else str(knode)
        kline = knode.start_mark.line + 1
        if key in values:
            problems.append(Problem(PATH, kline, "glossary-field", f"key {key!r} is given twice in this entry",
                                    f"first at line {lines[key]}"))
            continue
        if key not in REQUIRED and key not in OPTIONAL:
            problems.append(Problem(PATH, kline, "glossary-field", f"unknown key {key!r}",
                                    suggest(key, REQUIRED + OPTIONAL) or "see the schema at the top of the file"))
            continue
        try:
            values[key] = loader.construct_object(vnode, deep=True)
        except yaml.YAMLError as err:  # e.g. a bad tag
            problems.append(Problem(PATH, kline, "yaml-syntax", str(err).splitlines()[0]))
            continue
        lines[key] = kline
        nodes[key] = vnode
    name = str(values["term"] if isinstance(values.get("term"), str) else values.get("slug", "?"))
    ok = True
    for key in REQUIRED:
        if key not in values:
            problems.append(Problem(PATH, line, "glossary-field", f"entry {name!r} has no {key!r}",
                                    "required for every entry (see the schema at the top of the file)"))
            ok = False
    kind = values.get("kind")
    if "kind" in values and kind not in KINDS:
        hint = suggest(str(kind), KINDS)
        problems.append(Problem(PATH, lines["kind"], "glossary-kind", f"unknown kind {kind!r} in entry {name!r}",
                                hint or f"one of: {', '.join(KINDS)}"))
        ok = False
    for key in ("term", "slug", "short", "long", "explained_at", "bib", "section", "who", "never_occurs"):
        if key in values and not (isinstance(values[key], str) and values[key].strip()):
            problems.append(Problem(PATH, lines[key], "glossary-field", f"{key!r} of entry {name!r} must be text"))
            ok = False
    for key in ("aliases", "see_also", "distinct_from"):
        if key in values:
            if values[key] is None:
                values[key] = []
            if not isinstance(values[key], list) or not all(isinstance(v, str) and v.strip() for v in values[key]):
                problems.append(Problem(PATH, lines[key], "glossary-field",
                                        f"{key!r} of entry {name!r} must be a list of text items", "or []"))
                ok = False
    for key in ("born", "died"):
        if key in values and not (isinstance(values[key], int) and not isinstance(values[key], bool)):
            problems.append(Problem(PATH, lines[key], "glossary-field", f"{key!r} of entry {name!r} must be a year"))
            ok = False
    if kind in KINDS:
        for key, kinds in ONLY_FOR.items():
            if key in values and kind not in kinds:
                problems.append(Problem(PATH, lines[key], "glossary-field",
                                        f"{key!r} is only for {' and '.join(k + 's' for k in kinds)}, "
                                        f"but {name!r} is a {kind}"))
        for key in REQUIRED_FOR.get(kind, ()):
            if key not in values:
                problems.append(Problem(PATH, line, "glossary-field", f"entry {name!r} ({kind}) has no {key!r}",
                                        f"required for every {kind}"))
    sources = _sources(nodes.get("sources"), values.get("sources"), name, problems) if "sources" in values else []
    exclude = _exclusions(nodes.get("exclude"), values.get("exclude"), name, problems) if "exclude" in values else []
    slug = values.get("slug")
    if isinstance(slug, str) and (not SLUG_RE.match(slug) or slug in RESERVED_SLUGS):
        problems.append(Problem(PATH, lines["slug"], "glossary-slug", f"slug {slug!r} is not usable",
                                "lower-case ASCII letters, digits and single hyphens; not 'index' or 'print'"))
        ok = False
    if not ok:
        return None
    entry = Entry(term=values["term"].strip(), slug=str(slug), kind=str(kind), aliases=[a.strip() for a in values["aliases"]],
                  short=values["short"].strip(), see_also=list(values["see_also"]), line=line, lines=lines,
                  long=(values.get("long") or "").strip(), explained_at=str(values.get("explained_at") or "").strip(),
                  bib=values.get("bib") or "", section=values.get("section") or "", who=values.get("who") or "",
                  born=values.get("born"), died=values.get("died"), never_occurs=values.get("never_occurs") or "",
                  sources=sources, exclude=exclude, distinct_from=list(values.get("distinct_from") or []))
    # lines of the list items, for precise messages
    for key in ("aliases", "see_also", "distinct_from"):
        if isinstance(nodes.get(key), yaml.SequenceNode):
            for i, item in enumerate(nodes[key].value):
                lines[f"{key}[{i}]"] = item.start_mark.line + 1
    return entry


def _items(node: yaml.Node | None, value: object, key: str, name: str,
           problems: list[Problem]) -> list[tuple[dict[str, Any], dict[str, int], int]]:
    """The mappings of a list-of-mappings field, each with the lines of its keys: [(values, lines, line)]."""
    line = node.start_mark.line + 1 if node is not None else 0
    if value is None:
        return []
    if not isinstance(value, list) or not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(PATH, line, "glossary-field", f"{key!r} of entry {name!r} must be a list",
                                "one '- ' item per line (see the schema at the top of the file)"))
        return []
    found = []
    for item, inode in zip(value, node.value):
        iline = inode.start_mark.line + 1
        if not isinstance(item, dict) or not isinstance(inode, yaml.MappingNode):
            problems.append(Problem(PATH, iline, "glossary-field", f"each item of {key!r} in entry {name!r} "
                                    "must be a mapping of keys", "see the schema at the top of the file"))
            continue
        lines = {k.value: k.start_mark.line + 1 for k, _ in inode.value if isinstance(k, yaml.ScalarNode)}
        found.append((item, lines, iline))
    return found


def _text_values(item: dict[str, Any], lines: dict[str, int], iline: int, allowed: tuple[str, ...], key: str, name: str,
                 problems: list[Problem]) -> dict[str, str] | None:
    """An item's values as text; unknown keys and values that are not text are located problems."""
    ok = True
    for k, v in item.items():
        kline = lines.get(str(k), iline)
        if k not in allowed:
            problems.append(Problem(PATH, kline, "glossary-field", f"unknown key {k!r} in {key!r} of {name!r}",
                                    suggest(str(k), allowed) or f"one of: {', '.join(allowed)}"))
            ok = False
        elif isinstance(v, bool) or not isinstance(v, (str, int, float)) or not str(v).strip():
            problems.append(Problem(PATH, kline, "glossary-field", f"{k!r} in {key!r} of {name!r} must be text"))
            ok = False
    return {k: " ".join(str(v).split()) for k, v in item.items()} if ok else None


def _sources(node: yaml.Node | None, value: object, name: str, problems: list[Problem]) -> list[Source]:
    """`sources`: each item a work of bibliography.bib (bib, pages) or a public reference (title, url)."""
    found: list[Source] = []
    seen: dict[tuple[str, str], int] = {}
    for item, lines, iline in _items(node, value, "sources", name, problems):
        v = _text_values(item, lines, iline, SOURCE_KEYS, "sources", name, problems)
        if v is None:
            continue
        if "bib" in v and ("title" in v or "url" in v):
            problems.append(Problem(PATH, iline, "glossary-source", f"a source of {name!r} has both 'bib' and "
                                    "'title'/'url'", "a work of the bibliography ('bib: key') or a public "
                                    "reference ('title:' and 'url:'), one per item"))
            continue
        if "bib" not in v and not ("title" in v and "url" in v):
            missing = "url" if "title" in v else "title" if "url" in v else "bib, or title and url"
            problems.append(Problem(PATH, iline, "glossary-source", f"a source of {name!r} has no {missing!r}",
                                    "a work of the bibliography ('bib: key') or a public reference "
                                    "('title:' and 'url:')"))
            continue
        if "pages" in v and "bib" not in v:
            problems.append(Problem(PATH, lines.get("pages", iline), "glossary-source",
                                    f"'pages' of a source of {name!r} is for works of the bibliography only",
                                    "put the page in the title of a public reference"))
            continue
        if "url" in v and not URL_RE.match(v["url"]):
            problems.append(Problem(PATH, lines.get("url", iline), "glossary-source",
                                    f"source of {name!r}: {v['url']!r} is not a web address",
                                    "a full address starting with https:// or http://"))
            continue
        key = ("bib", v["bib"]) if "bib" in v else ("url", v["url"])
        if key in seen:
            problems.append(Problem(PATH, iline, "glossary-source", f"source {key[1]!r} of {name!r} is listed twice",
                                    f"first at line {seen[key]}"))
            continue
        seen[key] = iline
        found.append(Source(bib=v.get("bib", ""), pages=v.get("pages", ""), title=v.get("title", ""),
                            url=v.get("url", ""), line=lines.get("bib", iline)))
    return found


def _exclusions(node: yaml.Node | None, value: object, name: str, problems: list[Problem]) -> list[Exclusion]:
    """`exclude`: occurrences that are not uses of the entry, each by paragraph, words and reason."""
    found: list[Exclusion] = []
    for item, lines, iline in _items(node, value, "exclude", name, problems):
        v = _text_values(item, lines, iline, EXCLUDE_KEYS, "exclude", name, problems)
        if v is None:
            continue
        missing = [k for k in EXCLUDE_KEYS if k not in v]
        if missing:
            problems.append(Problem(PATH, iline, "glossary-exclude", f"an exclusion of {name!r} has no "
                                    + " and no ".join(repr(k) for k in missing),
                                    "give the paragraph ('ref: V.5'), the words as the essay writes them "
                                    "('words: ...') and the reason ('why: ...')"))
            continue
        found.append(Exclusion(ref=v["ref"], words=v["words"], why=v["why"], line=iline))
    return found


def words_pattern(words: str) -> re.Pattern[str]:
    """The words as a pattern: any white space between them, either apostrophe, whole words, any case."""
    body = "".join(_unit(ch) if ch in " " + _APOS else re.escape(ch) for ch in " ".join(words.split()))
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.I)


def _check_unique(entries: list[Entry], problems: list[Problem]) -> None:
    """Slugs, and terms and aliases (case-insensitively), belong to one entry each."""
    slugs: dict[str, Entry] = {}
    forms: dict[str, tuple[Entry, int]] = {}
    for e in entries:
        if e.slug in slugs:
            other = slugs[e.slug]
            problems.append(Problem(PATH, e.lines["slug"], "glossary-duplicate", f"slug {e.slug!r} is used twice",
                                    f"also the slug of {other.term!r} at line {other.line}"))
        else:
            slugs[e.slug] = e
        for i, form in enumerate(e.forms):
            line = e.lines["term"] if i == 0 else e.lines.get(f"aliases[{i - 1}]", e.lines["aliases"])
            key = _norm(form)
            what = "term" if i == 0 else "alias"
            if key in forms:
                other, other_line = forms[key]
                if other is e:
                    problems.append(Problem(PATH, line, "glossary-duplicate",
                                            f"{what} {form!r} repeats another form of {e.term!r}",
                                            f"already at line {other_line}; list each form once"))
                else:
                    problems.append(Problem(PATH, line, "glossary-duplicate",
                                            f"{what} {form!r} of {e.term!r} also belongs to another entry",
                                            f"entry {other.term!r} ({other.slug}) at line {other.line}"))
            else:
                forms[key] = (e, line)


def _page_anchors(glossary: Glossary, docs: Mapping[str, bytes] | None) -> dict[str, set[str]]:
    """Pages that a `section` may point to (docs pages) with their anchors."""
    pages: dict[str, set[str]] = {}
    for ch in glossary.chapters:
        anchors = {s.id or slugify(s.title, "-") for s in ch.sections}
        anchors |= {p.ref for p in ch.paragraphs}
        pages[f"{ch.slug}.md"] = anchors
    for name, data in sorted((docs or {}).items()):
        if name not in pages:
            anchors = set()
            for line in data.decode("utf-8").splitlines():
                h = HEADING.match(line)
                if h:
                    m = re.search(r"#([\w.-]+)", h.group("attrs") or "")
                    anchors.add(m.group(1) if m else slugify(h.group("title") or "", "-"))
                anchors.update(re.findall(r'\bid="([^"]+)"', line))
                anchors.update(re.findall(r"\{[^}]*#([\w.-]+)[^}]*\}\s*$", line))
            pages[name] = anchors
    return pages


def _check_references(glossary: Glossary, chapters: list[Chapter], docs: Mapping[str, bytes] | None,
                      works: Mapping[str, Work], problems: list[Problem]) -> None:
    pages = _page_anchors(glossary, docs)
    refs = glossary.paragraphs
    for e in glossary.entries:
        for i, target in enumerate(e.see_also):
            line = e.lines.get(f"see_also[{i}]", e.lines["see_also"])
            if target == e.slug:
                problems.append(Problem(PATH, line, "glossary-see-also", f"{e.term!r} lists itself in see_also"))
            elif target not in glossary.by_slug:
                problems.append(Problem(PATH, line, "glossary-see-also",
                                        f"see_also of {e.term!r} names {target!r}, which is no entry's slug",
                                        suggest(target, glossary.by_slug, "slug") or "use the slug of an entry"))
        if e.section:
            page, _, anchor = e.section.partition("#")
            if page not in pages:
                problems.append(Problem(PATH, e.lines["section"], "glossary-section",
                                        f"section of {e.term!r} names page {page!r}, which does not exist",
                                        suggest(page, pages, "page") or "e.g. paul-mason.md#section-id"))
            elif anchor and anchor not in pages[page]:
                problems.append(Problem(PATH, e.lines["section"], "glossary-section",
                                        f"section of {e.term!r}: {page} has no anchor #{anchor}",
                                        suggest(anchor, pages[page], "anchor") or "use a heading's id"))
        for i, target in enumerate(e.distinct_from):
            line = e.lines.get(f"distinct_from[{i}]", e.lines["distinct_from"])
            if target == e.slug:
                problems.append(Problem(PATH, line, "glossary-see-also", f"{e.term!r} lists itself in distinct_from"))
            elif target not in glossary.by_slug:
                problems.append(Problem(PATH, line, "glossary-see-also",
                                        f"distinct_from of {e.term!r} names {target!r}, which is no entry's slug",
                                        suggest(target, glossary.by_slug, "slug") or "use the slug of an entry"))
        for src in e.sources:
            if src.bib and src.bib not in works:
                problems.append(Problem(PATH, src.line, "glossary-bib",
                                        f"source of {e.term!r}: bib key {src.bib!r} is not in bibliography.bib",
                                        suggest(src.bib, works, "key") or "add the work to bibliography.bib, "
                                        "or give the source as 'title:' and 'url:'"))
        if e.bib and e.bib not in works:
            problems.append(Problem(PATH, e.lines["bib"], "glossary-bib",
                                    f"bib key {e.bib!r} of {e.term!r} is not in bibliography.bib",
                                    suggest(e.bib, works, "key") or "add the work to bibliography.bib"))
        if e.explained_at and e.explained_at not in refs:
            problems.append(Problem(PATH, e.lines["explained_at"], "glossary-explained-at",
                                    f"explained_at of {e.term!r} names paragraph {e.explained_at!r}, "
                                    "which does not exist",
                                    suggest(e.explained_at, refs, "paragraph") or "use a margin reference like III.12"))


def _relate(glossary: Glossary) -> None:
    """See-also both ways: an entry shows what it lists, then the entries that list it."""
    for e in glossary.entries:
        e.related = [s for s in e.see_also if s in glossary.by_slug and s != e.slug]
    for e in glossary.entries:
        for s in e.see_also:
            other = glossary.by_slug.get(s)
            if other is not None and other is not e and e.slug not in other.related:
                other.related.append(e.slug)


def _check_used(glossary: Glossary, problems: list[Problem]) -> None:
    """Every term occurs in the essay (unless never_occurs says why), and so does every alias.

    An alias counts as occurring even inside a longer form ("Perez" in "Carlota Perez").
    """
    seen_forms: set[str] = set()
    assert glossary.matcher is not None  # compiled by parse() before this check
    for p in glossary.paragraphs.values():
        for _start, _end, _slug, words, key, _inside in glossary.matcher.scan(p.text):
            seen_forms.add(key)
            # shorter forms at the same start ("Karl" in "Karl Marx") occur too
            seen_forms.update(_norm(words[:m.start()]) for m in re.finditer(r"(?=[\s’'])", words) if m.start())
    for e in glossary.entries:
        if e.never_occurs:
            continue
        if not glossary.occurrences.get(e.slug):
            problems.append(Problem(PATH, e.lines["term"], "glossary-unused",
                                    f"{e.term!r} never occurs in the essay (nor do its aliases)",
                                    "fix the spelling, add the form used in the essay as an alias, "
                                    "or give the entry 'never_occurs: <reason>'"))
            continue
        for i, alias in enumerate(e.aliases):
            if _norm(alias) not in seen_forms:
                problems.append(Problem(PATH, e.lines.get(f"aliases[{i}]", e.lines["aliases"]), "glossary-unused",
                                        f"alias {alias!r} of {e.term!r} never occurs in the essay",
                                        "remove it, or correct it to the form the essay uses"))


# -- concordance helpers -----------------------------------------------------------------------------

def snippet_html(text: str, start: int, end: int, width: int = SNIPPET) -> str:
    """Keyword in context: about `width` characters each side, cut at words, the use in <mark>."""
    left_at = max(0, start - width)
    if left_at > 0:
        space = text.find(" ", left_at, start)
        left_at = space + 1 if space != -1 else left_at
    right_at = min(len(text), end + width)
    if right_at < len(text):
        space = text.rfind(" ", end, right_at)
        right_at = space if space != -1 else right_at
    left = ("…" if left_at > 0 else "") + text[left_at:start]
    right = text[end:right_at] + ("…" if right_at < len(text) else "")
    return f"{html.escape(left)}<mark>{html.escape(text[start:end])}</mark>{html.escape(right)}"


# -- Key terms in this chapter -------------------------------------------------------------------------

def key_terms_markdown(glossary: Glossary | None, chapter: Chapter, root: str = "",
                       finished: Callable[[str], str] | None = None) -> str:
    """Markdown appended to a chapter: 'Key terms in this chapter' (marked as the editors').

    The heading is Markdown (the page's table of contents lists it); the list is finished HTML
    (templates/key-terms.html, links from the site's ``root`` as seen from the page), which ``finished``
    may hand to the Markdown extension so that Markdown does not parse it again (mdext.raw_marker)."""
    if glossary is None or chapter is None:
        return ""
    counts = glossary.chapter_counts(chapter.slug)
    if not counts:
        return ""
    items = [{"slug": entry.slug, "term": entry.term, "href": f"{root}glossary/{entry.slug}/", "kind": KIND_LABEL[entry.kind],
              "uses": f"{n} use" + ("" if n == 1 else "s")} for entry, n in counts]
    listed = templates.render("key-terms.html", items=items).rstrip("\n")
    return ("\n\n<div class=\"key-terms\" data-ed=\"key-terms\" markdown>\n\n"
            "## Key terms in this chapter { #key-terms data-search-exclude }\n\n"
            + (finished(listed) if finished else listed) + "\n\n</div>\n")


#: Where glossary.js loads the terms' short definitions from (a generated file, cached by the browser).
TERMS_SCRIPT = "assets/terms.js"


def terms_script(glossary: Glossary) -> str:
    """assets/terms.js: every term's short definition, for the term links' tooltips (glossary.js).

    One file for all pages instead of a title on each link: the definitions were a fifth of a chapter's
    gzipped HTML (scripts/bench.py). The browser fetches it the first time a reader hovers or focuses a
    term, and keeps it for the whole essay.
    """
    definitions = {e.slug: e.short_text for e in glossary.entries} if glossary is not None else {}
    # ASCII only (\u escapes), whatever encoding the file is served as; no "<", should it ever be inlined.
    data = json.dumps(definitions, ensure_ascii=True, sort_keys=True, separators=(",", ":")).replace("<", "\\u003c")
    return "/* Generated by the edition's build from glossary.yml: do not edit. */\nwindow.edTerms = " + data + ";\n"


# -- links in the text ---------------------------------------------------------------------------------

#: Elements whose words are not linked: links, note markers, code, headings, the editors' buttons.
_SKIP = {"a", "sup", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "button",
         "svg", "math", "textarea", "select"}


@dataclass(frozen=True)
class _Candidate:
    para: int  # index of the paragraph in the chapter
    ref: str
    start: int  # offsets in the paragraph's joined text
    end: int
    slug: str
    section: str
    quote: bool


def link_terms(glossary: Glossary | None, chapter: Chapter | None, root: Element) -> None:
    """Link the first use of each term per section to its term page (in the chapter's element tree).

    Each referenced paragraph's text (outside links, note markers, code, headings and the margin
    reference) is joined and scanned once by the matcher (treetext.paragraph_text). A use is linkable
    when the link can wrap exactly its words: inside one piece of text, or across inline emphasis that
    it wholly contains or that wholly contains the words ("Graeber’s <em>Debt</em>" becomes
    <a>Graeber’s <em>Debt</em></a>; treetext.wrap_points). Then, per section, each term's first linkable
    use outside quotations (else its first in a quotation) is wrapped, never overlapping another link
    (see below); the words are unchanged.
    """
    if glossary is None or chapter is None or glossary.matcher is None or not glossary.entries:
        return
    paras = {p.ref: p for p in chapter.paragraphs}
    order = {p.ref: n for n, p in enumerate(chapter.paragraphs)}
    elements = {el.get("id", ""): el for el in root.iter() if el.tag in ("p", "li") and el.get("id") in paras}

    def skip(el: Element) -> bool:
        return el.tag in _SKIP or "pmark" in (el.get("class") or "").split() or (
            el.tag in ("p", "li") and el.get("id") in paras)

    def may_hold(el: Element) -> bool:
        return el.tag in treetext.INLINE and not skip(el)

    candidates: list[_Candidate] = []
    for ref, el in elements.items():
        text = treetext.paragraph_text(el, skip)
        joined = text.joined
        para = paras[ref]
        excluded = [(slug, m.span()) for slug, words in glossary.excluded_words.get(ref, [])
                    for m in words_pattern(words).finditer(joined)]
        for s, e, slug, _words in glossary.matcher.finditer(joined):
            if any(slug == x and a <= s and e <= b for x, (a, b) in excluded):
                continue  # not a use of the term (the entry's `exclude`)
            if treetext.wrap_points(text, s, e, may_hold) is not None:
                candidates.append(_Candidate(order[ref], ref, s, e, slug, para.section, para.quote))

    # per (term, section): uses outside quotations first, then those inside, each in reading order
    preferences: dict[tuple[str, str], list[_Candidate]] = {}
    for c in sorted(candidates, key=lambda c: (c.quote, c.para, c.start)):
        preferences.setdefault((c.slug, c.section), []).append(c)
    taken: dict[int, list[tuple[int, int]]] = {}  # paragraph -> spans already linked
    chosen: list[_Candidate] = []
    # Links never overlap ("Paul Mason’s book Postcapitalism" holds two terms): a term with a single
    # linkable use in the section is placed first, and the others take their first use still free.
    for _key, options in sorted(preferences.items(),
                                key=lambda kv: (len(kv[1]) > 1, kv[1][0].para, kv[1][0].start)):
        for c in options:
            if not any(s < c.end and c.start < e for s, e in taken.get(c.para, [])):
                taken.setdefault(c.para, []).append((c.start, c.end))
                chosen.append(c)
                break

    prefix = urls.root(f"{chapter.slug}.md")
    # From the end of each paragraph backwards: the offsets of the words before a link stay as they were.
    for c in sorted(chosen, key=lambda c: (c.para, c.start), reverse=True):
        where = treetext.wrap_points(treetext.paragraph_text(elements[c.ref], skip), c.start, c.end, may_hold)
        if where is not None:
            # No title: the tooltip's definition comes from assets/terms.js (terms_script, glossary.js).
            treetext.wrap(*where, Element("a", {"class": "term", "href": prefix + urls.page_url(f"glossary/{c.slug}.md"),
                                                "data-term": c.slug}))
    glossary.links[chapter.slug] = len(chosen)
