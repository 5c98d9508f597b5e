"""The editors' annotations (annotations.yml): an explanatory layer kept apart from the author's notes.

Pure core (no MkDocs import). The build uses:

``load(data, paragraphs, bib_keys, glossary_terms)``
    Read annotations.yml's bytes with line numbers and check every entry: its fields, its kind, its id
    (unique, and never like a paragraph reference), its paragraph (with a close match when the
    reference is unknown, and the paragraph that now holds the words when they moved), its quoted
    words (exactly once in that paragraph), its sources (a title with an address, or a key of
    bibliography.bib) and its glossary entry. Every problem is collected, located as
    ``annotations.yml:LINE: kind: message (hint)``, never only the first.
``mark(page_html, annotations)``
    In a page's finished HTML, wrap each annotation's words in ``<span class="ed-annot">`` (the
    author's words, unchanged and not marked ``data-ed``) and put the editors' sigil after them: a
    link to the annotation, marked ``data-ed`` and ``data-search-exclude``, with no text of its own
    (the symbol is drawn by CSS), so that neither the fidelity test nor the search index sees it.
``section_markdown`` / ``list_page`` / ``about_markdown``
    The "Editors' annotations" list at the end of a chapter (and of the whole essay), the page
    listing every annotation by chapter and kind (the only place search finds them), and the About
    page's counts. (The short addresses ``/a/<id>/`` are passage pages, made by ``pages``.)

Anchors (the anchor contract): ``#anref:<id>`` on the annotated words, ``#an:<id>`` on the annotation
in the page's list, ``/annotations/#<id>`` on the list page, and ``/a/<id>/``. An id is lower-case
letters, digits and single hyphens, starting with a letter: it cannot be mistaken for a paragraph
reference such as ``III.12`` (capitals and a full stop) or a note number.
"""
from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable, Collection, Iterable, Mapping

import markdown as markdown_lib
import yaml

from . import urls
from .problems import Problem, suggest

if TYPE_CHECKING:
    from .chapters import Chapter, Paragraph

PATH = "annotations.yml"

#: The kinds of annotation, with the labels readers see (singular, plural), in the list page's order.
KINDS: dict[str, tuple[str, str]] = {
    "allusion": ("Allusion", "Allusions"),
    "unattributed-quotation": ("Unattributed quotation", "Unattributed quotations"),
    "person": ("Person", "People"),
    "event": ("Event", "Events"),
    "factual-note": ("Factual note", "Factual notes"),
    "translation": ("Translation", "Translations"),
    "cross-reference": ("Cross-reference", "Cross-references"),
}
#: How sure the editors are; readers see the label of all but "certain".
CONFIDENCE: dict[str, str] = {"certain": "", "probable": "probable", "unidentified": "source not identified"}
REQUIRED = ("id", "ref", "quote", "kind", "confidence", "text", "sources")
OPTIONAL = ("glossary",)
ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
ID_MAX = 60
#: Ids the list page uses for its own headings.
RESERVED_PREFIXES = ("chapter-", "kind-")
REF_RE = re.compile(r"^(?:O|I|II|III|IV|V|VI|C)\.\d+[a-z]?$")
#: A paragraph reference inside an annotation's text ("see VI.40"), linked to the paragraph.
REF_IN_TEXT = re.compile(r"(?<![\w.])((?:O|I|II|III|IV|V|VI|C)\.\d+[a-z]?)(?![\w])")
SAFE_URL = re.compile(r"^https?://[^\s<>\"]+$")
QUOTE_MIN = 3  # characters: shorter words would be found by chance


# -- data model ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    title: str = ""
    url: str = ""
    bib: str = ""
    line: int = 0


@dataclass
class Annotation:
    id: str
    ref: str
    quote: str
    kind: str
    confidence: str
    text: str
    sources: tuple[Source, ...]
    glossary: str = ""
    line: int = 0  # line of the entry in annotations.yml
    lines: dict[str, int] = field(default_factory=dict)  # field -> line
    chapter: str = ""  # slug of the chapter holding the paragraph (set by check)

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind][0]

    @property
    def confidence_label(self) -> str:
        return CONFIDENCE.get(self.confidence, "")

    @cached_property
    def text_html(self) -> str:
        return block_markdown(self.text)


@dataclass
class Layer:
    """Every annotation, in reading order (the order of their paragraphs, then of their words)."""

    annotations: list[Annotation] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Annotation]:
        return {a.id: a for a in self.annotations}

    def in_chapter(self, slug: str) -> list[Annotation]:
        return [a for a in self.annotations if a.chapter == slug]

    def counts(self) -> dict[str, int]:
        """Annotations by kind (every kind, zero included), in the order of KINDS."""
        counts = {k: 0 for k in KINDS}
        for a in self.annotations:
            counts[a.kind] += 1
        return counts

    def __len__(self) -> int:
        return len(self.annotations)


# -- Markdown in the texts --------------------------------------------------------------------------

_MD = markdown_lib.Markdown(extensions=[], output_format="html")


def block_markdown(text: str) -> str:
    """An annotation's Markdown as HTML: raw HTML in it is shown as text, unsafe link targets dropped."""
    _MD.reset()
    out = _MD.convert(text.replace("&", "&amp;").replace("<", "&lt;"))
    out = re.sub(r'<a href="([^"]*)"(?: title="[^"]*")?>(.*?)</a>',
                 lambda m: m.group(0) if SAFE_URL.match(html.unescape(m.group(1)).strip()) else m.group(2), out,
                 flags=re.S)
    return re.sub(r"<img\b[^>]*?alt=\"([^\"]*)\"[^>]*>", r"\1", out)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def link_refs(fragment: str, href: Callable[[str], str | None]) -> str:
    """Paragraph references in an HTML fragment's text ("VI.40") as links, where href knows them."""
    parts = re.split(r"(<[^>]*>)", fragment)
    inside_link = 0
    for i, part in enumerate(parts):
        if i % 2:
            if re.match(r"<a\b", part):
                inside_link += 1
            elif part.startswith("</a"):
                inside_link = max(0, inside_link - 1)
            continue
        if inside_link or not part:
            continue
        parts[i] = REF_IN_TEXT.sub(lambda m: f'<a href="{esc(href(m.group(1)))}">{m.group(1)}</a>'
                                   if href(m.group(1)) else m.group(0), part)
    return "".join(parts)


# -- loading and checking ----------------------------------------------------------------------------

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def load(data: bytes | None, paragraphs: Mapping[str, Paragraph], bib_keys: Collection[str] | None = None,
         glossary_terms: Mapping[str, str] | None = None) -> tuple[Layer, list[Problem]]:
    """Check annotations.yml's bytes (files.py reads them). No file (None): no annotations and no problem.

    ``paragraphs`` maps each paragraph reference to an object with ``text`` (the author's words)
    and ``chapter`` (its slug), in reading order; ``bib_keys`` are the keys of bibliography.bib
    (None: not checked); ``glossary_terms`` maps each glossary slug to its term (None: not checked).
    """
    if data is None:
        return Layer(), []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return Layer(), [Problem(PATH, line, "encoding", f"file is not UTF-8: byte {data[err.start]:#04x}",
                                 "save the file as UTF-8")]
    annotations, problems = parse(text)
    problems += check(annotations, paragraphs, bib_keys, glossary_terms)
    order = {ref: n for n, ref in enumerate(paragraphs)}
    good = [a for a in annotations if a.chapter]
    good.sort(key=lambda a: (order.get(a.ref, 0), _position(paragraphs, a)))
    return Layer(good), problems


def _position(paragraphs: Mapping[str, Paragraph], a: Annotation) -> int:
    para = paragraphs.get(a.ref)
    return para.text.find(a.quote) if para is not None else 0


def parse(text: str) -> tuple[list[Annotation], list[Problem]]:
    """The entries of annotations.yml with their lines, and the problems of form (fields, kinds, ids)."""
    problems: list[Problem] = []
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        last = len(YAML_BREAK.findall(text)) + 1
        line = min(mark.line + 1, last) if mark else 1
        return [], [Problem(PATH, line, "yaml-syntax", (err.problem or "invalid YAML")
                            + (f" ({err.context})" if err.context else ""),
                            "check the indentation and quoting around this line")]
    except yaml.reader.ReaderError as err:
        line = len(YAML_BREAK.findall(text, 0, max(err.position, 0))) + 1
        code = err.character if isinstance(err.character, int) else ord(err.character[:1] or "\0")
        return [], [Problem(PATH, line, "yaml-syntax", f"character U+{code:04X} is not allowed in YAML",
                            "delete it, or write it as an escape (\\u…) in a double-quoted string")]
    except yaml.YAMLError as err:
        return [], [Problem(PATH, 1, "yaml-syntax", " ".join(str(err).split())[:200])]
    if root is None:
        return [], []
    if not isinstance(root, yaml.SequenceNode):
        return [], [Problem(PATH, root.start_mark.line + 1, "annotation-structure",
                            "the file must be a YAML list of annotations", "start each annotation with '- id:'")]
    annotations = []
    for node in root.value:
        a = _entry(node, problems)
        if a is not None:
            annotations.append(a)
    return annotations, problems


def _scalar(node: yaml.Node) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) and isinstance(node.value, str) else None


def _entry(node: yaml.Node, problems: list[Problem]) -> Annotation | None:
    line = node.start_mark.line + 1

    def problem(at: int, kind: str, message: str, hint: str = "") -> None:
        problems.append(Problem(PATH, at, kind, message, hint))

    if not isinstance(node, yaml.MappingNode):
        problem(line, "annotation-structure", "an annotation must be a mapping of fields",
                "e.g. '- id: seattle-wto-protests' followed by 'ref:', 'quote:'…")
        return None
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    for knode, vnode in node.value:
        key = _scalar(knode) or str(knode.value)
        kline = knode.start_mark.line + 1
        if key in lines:
            problem(kline, "annotation-field", f"field {key!r} is given twice in this annotation",
                    f"first at line {lines[key]}")
            continue
        lines[key] = kline
        if key not in REQUIRED and key not in OPTIONAL:
            problem(kline, "annotation-field", f"unknown field {key!r}",
                    suggest(key, REQUIRED + OPTIONAL) or "the fields are " + ", ".join(REQUIRED + OPTIONAL))
            continue
        if key == "sources":
            values[key] = vnode
            continue
        value = _scalar(vnode)
        if value is None or not value.strip():
            problem(kline, "annotation-field", f"{key!r} needs a text value", "write it after the colon")
            continue
        values[key] = " ".join(value.split()) if key != "text" else value.strip()
    name = str(values.get("id") or "?")
    missing = [k for k in REQUIRED if k not in lines]
    if missing:
        problem(line, "annotation-field", f"annotation {name!r} has no {', '.join(repr(m) for m in missing)}",
                "every annotation has " + ", ".join(REQUIRED))
    ok = not missing and all(k in values for k in REQUIRED)
    ident = values.get("id")
    if isinstance(ident, str) and (not ID_RE.match(ident) or len(ident) > ID_MAX
                                   or ident.startswith(RESERVED_PREFIXES)):
        why = ("it looks like a paragraph reference" if REF_RE.match(ident) else
               f"it starts with '{next(p for p in RESERVED_PREFIXES if ident.startswith(p))}'"
               if ident.startswith(RESERVED_PREFIXES) else "")
        problem(lines["id"], "annotation-id", f"id {ident!r} is not usable" + (f": {why}" if why else ""),
                "lower-case ASCII letters, digits and single hyphens, starting with a letter, at most "
                f"{ID_MAX} characters (e.g. seattle-wto-protests); never change a published id")
        ok = False
    kind = values.get("kind")
    if isinstance(kind, str) and kind not in KINDS:
        problem(lines["kind"], "annotation-kind", f"unknown kind {kind!r} in annotation {name!r}",
                suggest(kind, KINDS) or "one of: " + ", ".join(KINDS))
        ok = False
    confidence = values.get("confidence")
    if isinstance(confidence, str) and confidence not in CONFIDENCE:
        problem(lines["confidence"], "annotation-confidence", f"unknown confidence {confidence!r} in annotation {name!r}",
                suggest(confidence, CONFIDENCE) or "one of: " + ", ".join(CONFIDENCE))
        ok = False
    quote = values.get("quote")
    if isinstance(quote, str) and len(quote) < QUOTE_MIN:
        problem(lines["quote"], "annotation-quote", f"the quoted words {quote!r} are too short to find",
                "quote at least a few words of the paragraph")
        ok = False
    sources = _sources(values.get("sources"), lines.get("sources", line), name, confidence, problems)
    if sources is None:
        ok = False
    if not ok:
        return None
    # Every required field is present and text (checked above); str() only tells the type checker so.
    return Annotation(id=str(ident), ref=str(values["ref"]), quote=str(quote), kind=str(kind), confidence=str(confidence),
                      text=str(values["text"]), sources=tuple(sources or ()), glossary=str(values.get("glossary", "")),
                      line=line, lines=lines)


def _sources(node: object, line: int, name: str, confidence: object, problems: list[Problem]) -> list[Source] | None:
    def problem(at: int, message: str, hint: str = "") -> None:
        problems.append(Problem(PATH, at, "annotation-source", message, hint))

    if node is None:
        return None
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "null", "~"):
        items = []
    elif isinstance(node, yaml.SequenceNode):
        items = node.value
    else:
        problem(line, f"'sources' of annotation {name!r} must be a list", "write [] when there is none")
        return None
    if not items and confidence != "unidentified":
        problem(line, f"annotation {name!r} has no sources",
                "every claim needs a source: a title with its url, or a bib key; only an annotation whose "
                "confidence is 'unidentified' may have none")
        return None
    found, ok = [], True
    for item in items:
        at = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problem(at, "a source is a mapping: 'title:' with 'url:', or 'bib:'")
            ok = False
            continue
        fields: dict[str, str] = {}
        for k, v in item.value:
            key, value = _scalar(k), _scalar(v)
            if key not in ("title", "url", "bib"):
                problem(k.start_mark.line + 1, f"unknown source field {key!r}",
                        suggest(str(key), ("title", "url", "bib")) or "the fields are title, url and bib")
                ok = False
            elif value is None or not value.strip():
                problem(k.start_mark.line + 1, f"source field {key!r} needs a text value")
                ok = False
            else:
                fields[key] = " ".join(value.split())
        if "bib" in fields and ("title" in fields or "url" in fields):
            problem(at, "a source is either a bib key or a title with its url, not both")
            ok = False
        elif "bib" not in fields and not ("title" in fields and "url" in fields):
            if "title" in fields or "url" in fields:
                problem(at, f"this source has no {'url' if 'title' in fields else 'title'}",
                        "give both 'title:' and 'url:' (the address where the fact can be checked)")
                ok = False
        elif "url" in fields and not SAFE_URL.match(fields["url"]):
            problem(at, f"the address {fields['url']!r} is not a web address", "write it as https://…")
            ok = False
        found.append(Source(fields.get("title", ""), fields.get("url", ""), fields.get("bib", ""), at))
    return found if ok else None


def _pattern(quote: str) -> re.Pattern[str]:
    """The quoted words, any run of white space matching any other."""
    return re.compile(r"\s+".join(re.escape(w) for w in quote.split()))


def check(annotations: list[Annotation], paragraphs: Mapping[str, Paragraph], bib_keys: Collection[str] | None = None,
          glossary_terms: Mapping[str, str] | None = None) -> list[Problem]:
    """Check the annotations against the text, the bibliography and the glossary; set each one's chapter."""
    problems: list[Problem] = []
    seen: dict[str, Annotation] = {}
    spans: dict[str, list[tuple[int, int, Annotation]]] = {}
    refs = list(paragraphs)
    for a in annotations:
        if a.id in seen:
            problems.append(Problem(PATH, a.lines["id"], "annotation-duplicate", f"id {a.id!r} is used twice",
                                    f"also the id of the annotation at line {seen[a.id].line}; ids are permanent "
                                    "addresses (/a/<id>/), give this one another"))
            continue
        seen[a.id] = a
        ok = True
        para = paragraphs.get(a.ref)
        pattern = _pattern(a.quote)
        if para is None:
            holders = [r for r in refs if pattern.search(paragraphs[r].text)]
            hint = (f"the quoted words are in {', '.join(holders[:3])}" if holders else
                    suggest(a.ref, refs, "paragraph") or "use a margin reference like III.12")
            problems.append(Problem(PATH, a.lines["ref"], "annotation-ref",
                                    f"annotation {a.id!r} names paragraph {a.ref!r}, which does not exist", hint))
            ok = False
        else:
            found = [m.span() for m in pattern.finditer(para.text)]
            if not found:
                holders = [r for r in refs if r != a.ref and pattern.search(paragraphs[r].text)]
                hint = (f"they are in {', '.join(holders[:3])}: move the annotation there" if holders else
                        _near_miss(a.quote, para.text))
                problems.append(Problem(PATH, a.lines["quote"], "annotation-quote",
                                        f"the quoted words of {a.id!r} are not in paragraph {a.ref}: {a.quote!r}",
                                        hint))
                ok = False
            elif len(found) > 1:
                problems.append(Problem(PATH, a.lines["quote"], "annotation-quote",
                                        f"the quoted words of {a.id!r} occur {len(found)} times in paragraph {a.ref}",
                                        "quote more words, so that they occur once"))
                ok = False
            else:
                start, end = found[0]
                for s, e, other in spans.get(a.ref, []):
                    if s < end and start < e:
                        problems.append(Problem(PATH, a.lines["quote"], "annotation-overlap",
                                                f"the words of {a.id!r} overlap those of {other.id!r} "
                                                f"(line {other.line}) in {a.ref}",
                                                "annotate words that do not overlap"))
                        ok = False
                        break
                else:
                    spans.setdefault(a.ref, []).append((start, end, a))
        for source in a.sources:
            if source.bib and bib_keys is not None and source.bib not in bib_keys:
                problems.append(Problem(PATH, source.line, "annotation-bib",
                                        f"no work with the key {source.bib!r} in bibliography.bib",
                                        suggest(source.bib, bib_keys) or "add the work to bibliography.bib, "
                                        "or cite it by title and url"))
                ok = False
        if a.glossary and glossary_terms is not None and a.glossary not in glossary_terms:
            problems.append(Problem(PATH, a.lines["glossary"], "annotation-glossary",
                                    f"no glossary entry with the slug {a.glossary!r}",
                                    suggest(a.glossary, glossary_terms) or "use the slug of an entry in glossary.yml"))
            ok = False
        for m in REF_IN_TEXT.finditer(a.text):
            if m.group(1) not in paragraphs:
                problems.append(Problem(PATH, a.lines["text"], "annotation-ref",
                                        f"the text of {a.id!r} refers to paragraph {m.group(1)}, which does not exist",
                                        suggest(m.group(1), refs, "paragraph") or "use a margin reference like III.12"))
                ok = False
        if ok and para is not None:  # ok: the paragraph exists
            a.chapter = para.chapter
    return problems


def _near_miss(quote: str, text: str) -> str:
    """The closest passage of the paragraph to words that are not in it, as a hint."""
    words = text.split()
    n = max(1, len(quote.split()))
    candidates = [" ".join(words[i:i + n]) for i in range(max(1, len(words) - n + 1))]
    close = difflib.get_close_matches(quote, candidates, n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else "quote the paragraph's words exactly, as the edition prints them"


# -- marking the words in a page --------------------------------------------------------------------

_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<\s*(/)?\s*([a-zA-Z][\w-]*)([^>]*?)(/)?\s*>", re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP = {"sup", "script", "style", "button", "svg", "math", "textarea", "select", "code", "pre"}
_PARA = re.compile(r'\bid="((?:O|I|II|III|IV|V|VI|C)\.\d+[a-z]?)"')


def sigil_html(a: Annotation) -> str:
    """The editors' mark after the annotated words: a link to the annotation, without text (CSS draws ✦)."""
    label = f"Editors’ annotation: {a.kind_label.lower()}" + (f", {a.confidence_label}" if a.confidence_label else "")
    return (f'<a class="ed-annot-ref" data-ed="annot-ref" data-search-exclude href="#an:{a.id}" '
            f'data-kind="{a.kind}" aria-label="{esc(label)}"></a>')


def mark(page_html: str, annotations: Iterable[Annotation]) -> tuple[str, list[str]]:  # noqa: C901 (one pass over the input; split pending, see pyproject.toml)
    """Mark each annotation's words in a page and add its sigil -> (html, ids that could not be marked).

    One pass over the tokens finds the text of each annotated paragraph (outside note markers, the
    margin reference and code); the words are found there, white space matching any white space, and
    wrapped piece by piece (one span per text node), so that they may run across emphasis or a
    glossary link without changing the page's structure. The sigil follows the last piece, after the
    end of a link it would otherwise fall inside.
    """
    wanted: dict[str, list[Annotation]] = {}
    for a in annotations:
        wanted.setdefault(a.ref, []).append(a)
    if not wanted:
        return page_html, []
    tokens = _TOKEN.split(page_html)
    nodes: dict[str, list[tuple[int, str, tuple[int, ...]]]] = {}  # ref -> (token, text, open <a> tokens)
    closes: dict[int, int] = {}  # token of a start tag -> token of its end tag
    stack: list[tuple[str, int, bool, str | None]] = []  # (tag, token, skipping, paragraph opened here)
    current: list[str] = []
    skip_depth = 0
    for i, tok in enumerate(tokens):
        if i % 2 == 0:
            if tok and current and not skip_depth:
                links = tuple(idx for name, idx, _, _ in stack if name == "a")
                nodes.setdefault(current[-1], []).append((i, html.unescape(tok), links))
            continue
        m = _TAG.match(tok)
        if m is None or tok.startswith("<!"):
            continue
        closing, name, attrs, selfclosing = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
        if closing:
            while stack:
                tag, idx, skipping, ref = stack.pop()
                closes[idx] = i
                if skipping:
                    skip_depth -= 1
                if ref is not None and current and current[-1] == ref:
                    current.pop()
                if tag == name:
                    break
            continue
        if name in _VOID or selfclosing:
            continue
        skipping = name in _SKIP or (name == "span" and re.search(r'class="[^"]*\bpmark\b', attrs) is not None) \
            or "data-ed=" in attrs
        ref = None
        if name in ("p", "li"):
            pm = _PARA.search(attrs)
            if pm and pm.group(1) in wanted:
                ref = pm.group(1)
                current.append(ref)
        if skipping:
            skip_depth += 1
        stack.append((name, i, skipping, ref))

    # token -> [(offset, order, html)]; at one offset a span closes (0), then a sigil follows (1), then a span opens (2)
    inserts: dict[int, list[tuple[int, int, str]]] = {}
    missed = []
    for ref, anns in wanted.items():
        textnodes = nodes.get(ref, [])
        joined = "".join(t for _, t, _ in textnodes)
        bounds, at = [], 0
        for idx, text, links in textnodes:
            bounds.append((at, at + len(text), idx, links))
            at += len(text)
        for a in anns:
            found = list(_pattern(a.quote).finditer(joined))
            if len(found) != 1:
                missed.append(a.id)
                continue
            s, e = found[0].span()
            pieces = [(max(s, b0), min(e, b1), idx, links, b0) for b0, b1, idx, links in bounds if b0 < e and s < b1]
            for n, (ps, pe, idx, _links, b0) in enumerate(pieces):
                anchor = f' id="anref:{a.id}"' if n == 0 else ""
                inserts.setdefault(idx, []).append(
                    (ps - b0, 2, f'<span class="ed-annot"{anchor} data-annot="{a.id}">'))
                inserts.setdefault(idx, []).append((pe - b0, 0, "</span>"))
            _, pe, idx, links, b0 = pieces[-1]
            if links:  # the words end inside a link: the sigil goes after its end tag
                end_tag = closes.get(links[0])
                if end_tag is None:
                    missed.append(a.id)
                    continue
                inserts.setdefault(end_tag, []).append((1, 1, sigil_html(a)))
            else:
                inserts.setdefault(idx, []).append((pe - b0, 1, sigil_html(a)))
    for idx, marks in inserts.items():
        marks.sort(key=lambda m: (m[0], m[1]))
        if idx % 2:  # a tag: offset 0 = before it, 1 = after it
            tokens[idx] = "".join(h for o, _, h in marks if o == 0) + tokens[idx] + "".join(h for o, _, h in marks if o == 1)
            continue
        text = html.unescape(tokens[idx])
        out, at = [], 0
        for offset, _, markup in marks:
            out.append(html.escape(text[at:offset], quote=False))
            out.append(markup)
            at = offset
        out.append(html.escape(text[at:], quote=False))
        tokens[idx] = "".join(out)
    return "".join(tokens), missed


# -- rendering ----------------------------------------------------------------------------------------

@dataclass
class Links:
    """How a page reaches the rest of the site: relative URLs, and the texts of bib keys and terms."""

    root: str  # the site root relative to the page, e.g. "../" ("" on the home page)
    chapter_url: Mapping[str, str]  # chapter slug -> its URL from the root ("" for the home page)
    paragraph_chapter: Mapping[str, str]  # paragraph ref -> chapter slug
    cite: Callable[[str], str] = lambda key: esc(key)  # bib key -> the work's short citation (HTML)
    terms: Mapping[str, str] = field(default_factory=dict)  # glossary slug -> term

    def paragraph(self, ref: str) -> str | None:
        slug = self.paragraph_chapter.get(ref)
        return None if slug is None else f"{self.root}{self.chapter_url[slug]}#{ref}"

    def words(self, a: Annotation) -> str:
        return f"{self.root}{self.chapter_url[a.chapter]}#anref:{a.id}"

    def to(self, src_uri: str, anchor: str = "") -> str:
        """A page of the site (its source file, e.g. 'bibliography.md'), with an optional anchor, escaped."""
        return esc(self.root + urls.page_url(src_uri) + (f"#{anchor}" if anchor else ""))


def body_html(a: Annotation, links: Links) -> str:
    """What a reader reads of an annotation (in the lists, the popups and the sidenotes)."""
    label = f'<span class="ed-annot-kind">{esc(a.kind_label)}</span>'
    if a.confidence_label:
        label += f' <span class="ed-annot-confidence ed-annot-confidence--{a.confidence}">{esc(a.confidence_label)}</span>'
    text = link_refs(a.text_html, links.paragraph)
    sources = []
    for s in a.sources:
        if s.bib:
            cited = re.sub(r"\.(\s*)$", r"\1", links.cite(s.bib))  # the list's own punctuation follows
            sources.append(f'<a href="{links.to("bibliography.md", s.bib)}">{cited}</a>')
        else:
            sources.append(f'<a href="{esc(s.url)}" rel="noopener">{esc(s.title)}</a>')
    listed = ("Sources: " if len(sources) > 1 else "Source: ") + "; ".join(sources) + "." if sources else \
        "No source found."
    more = ""
    if a.glossary and a.glossary in links.terms:
        more = (f' Glossary: <a href="{links.to(f"glossary/{a.glossary}.md")}">{esc(links.terms[a.glossary])}</a>.')
    return (f'<p class="ed-annot-label">{label}</p>'
            f'<div class="ed-annot-text">{text}</div>'
            f'<p class="ed-annot-sources">{listed}{more}</p>')


def section_markdown(annotations: list[Annotation], links: Links) -> str:
    """The "Editors' annotations" list appended to a chapter (or the whole essay), after the notes.

    Marked data-ed (the editors') and data-search-exclude: search finds the annotations on their list
    page only, not a second time in every chapter. The wrapper is a <section>, the only one in it:
    Material's search parser compares elements by tag name, so an inner element with the excluded
    element's tag would end the exclusion early.
    """
    if not annotations:
        return ""
    items = []
    for a in annotations:
        items.append(
            f'<li id="an:{a.id}" class="ed-annot-item" data-kind="{a.kind}">'
            f'<p class="ed-annot-head"><a class="ed-annot-back" href="#anref:{a.id}" '
            f'aria-label="Back to the annotated words in {a.ref}">{a.ref}</a> '
            f'<q class="ed-annot-quote">{esc(a.quote)}</q></p>'
            f'<div class="ed-annot-body">{body_html(a, links)}</div>'
            f'<p class="ed-annot-address"><a href="{links.root}{urls.short_address("a", a.id)}">Link to this annotation</a> · '
            f'<a href="{links.to("annotations.md", a.id)}">All annotations</a></p></li>')
    intro = ("Explanations by the editors, not by the author: who or what the text alludes to, where an "
             "unattributed quotation comes from, and the text’s factual slips. Each is marked in the text "
             "with ✦; the editors’ layer can be switched off. "
             f'<a href="{links.to("about.md", "annotations")}">About the annotations</a>.')
    return ("\n\n## Editors’ annotations { #annotations .ed-annotations-heading data-ed=\"annotations-heading\" "
            "data-search-exclude }\n\n"
            f'<section class="ed-annotations" data-ed="annotations" data-search-exclude>\n'
            f'<p class="ed-annotations-intro">{intro}</p>\n'
            f'<ol class="ed-annotations-list">\n' + "\n".join(items) + "\n</ol>\n</section>\n")


def front_matter(title: str, description: str) -> list[str]:
    import json

    return ["---", f"title: {json.dumps(title, ensure_ascii=False)}",
            f"description: {json.dumps(description, ensure_ascii=False)}", "---", ""]


def list_page(layer: Layer, chapters: list[Chapter], links: Links) -> str:
    """annotations.md: every annotation by chapter, then kind; the place where search finds them.

    Each annotation has a heading with its id (raw HTML, so that the table of contents lists only the
    chapters): a search hit lands on the annotation itself.
    """
    counts = layer.counts()
    total = len(layer)
    summary = ", ".join(f"{n} {KINDS[k][1 if n != 1 else 0].lower()}" for k, n in counts.items() if n)
    lines = front_matter("Editors’ annotations",
                         "The editors’ explanatory annotations to Kevin Carson’s essay, by chapter and kind: "
                         "allusions, unattributed quotations, people, events and factual notes, each with its sources.")
    lines += ["# Editors’ annotations", "",
              '<div class="ed-intro ed-annot-intro" data-annot-list>',
              f"<p>{total} annotation{'s' if total != 1 else ''} by the editors"
              + (f" ({esc(summary)})" if summary else "") + ": what a reader of today may need and the text does "
              "not give. They are the editors’ words, not the author’s; in the chapters each is marked ✦ after "
              "the words it explains, and opens on hover, focus or tap. Every one names its sources; where the "
              "editors are not sure, it says so. "
              f'<a href="{links.to("about.md", "annotations")}">Who writes them, and how</a>.</p>', "</div>", ""]
    if not total:
        return "\n".join(lines + ["<p>No annotations yet.</p>", ""])
    for ch in chapters:
        anns = layer.in_chapter(ch.slug)
        if not anns:
            continue
        lines += [f"## {md_escape(ch.title)} {{ #chapter-{ch.slug} }}", ""]
        for kind in KINDS:
            group = [a for a in anns if a.kind == kind]
            if not group:
                continue
            lines.append(f'<h3 id="kind-{ch.slug}-{kind}" class="ed-annot-kindhead">{esc(KINDS[kind][1])} '
                         f'<span class="ed-annot-count">({len(group)})</span></h3>')
            for a in group:
                lines.append(
                    f'<div class="ed-annot-entry" data-kind="{a.kind}">'
                    f'<h4 id="{a.id}" class="ed-annot-title"><q>{esc(a.quote)}</q></h4>'
                    f'<p class="ed-annot-where"><a href="{esc(links.words(a))}">{a.ref}</a> · '
                    f'<a href="{links.root}{urls.short_address("a", a.id)}" class="ed-annot-short">/a/{a.id}/</a></p>'
                    f'{body_html(a, links)}</div>')
            lines.append("")
    return "\n".join(lines) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>&])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(lambda m: "&amp;" if m.group(1) == "&" else "&lt;" if m.group(1) == "<"
                           else "\\" + m.group(1), text)


def about_markdown(layer: Layer) -> str:
    """The About page's counts of annotations by kind (a table), linked to the list page."""
    counts = layer.counts()
    rows = ["| Kind | Annotations |", "| --- | ---: |"]
    rows += [f"| {KINDS[k][0]} | {n} |" for k, n in counts.items()]
    rows.append(f"| **All** | **{len(layer)}** |")
    sure = {c: sum(1 for a in layer.annotations if a.confidence == c) for c in CONFIDENCE}
    return ("\n".join(rows) + "\n\n"
            f"Of these, {sure['certain']} are stated as certain, {sure['probable']} as probable, and "
            f"{sure['unidentified']} say that the source could not be identified. "
            "[All annotations](annotations.md), by chapter and kind.\n")
