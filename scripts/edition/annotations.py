"""The editors' annotations (annotations.yml): an explanatory layer kept apart from the author's notes.

Pure core (no MkDocs import). The build uses:

``load(data, paragraphs, bib_keys, glossary_terms)``
    Read annotations.yml's bytes with line numbers and check every entry: its fields, its kind, its id
    (unique, and never like a paragraph reference), its paragraph (with a close match when the
    reference is unknown, and the paragraph that now holds the words when they moved), its quoted
    words (exactly once in that paragraph), its sources (a title with an address, or a key of
    bibliography.bib) and its glossary entry. Every problem is collected, located as
    ``annotations.yml:LINE: kind: message (hint)``, never only the first.
``mark(root, annotations)``
    In a page's element tree (run by mdext.py), wrap each annotation's words in ``<span class="ed-annot">`` (the
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
from xml.etree.ElementTree import Element

import markdown as markdown_lib
import yaml

from . import templates, treetext, urls
from .chapters import REF
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
REF_RE = re.compile(rf"^{REF}$")
#: A paragraph reference inside an annotation's text ("see VI.40"), linked to the paragraph.
REF_IN_TEXT = re.compile(rf"(?<![\w.])({REF})(?![\w])")
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

#: Elements whose words are not the author's running text: note markers, code, the editors' buttons.
_SKIP = {"sup", "script", "style", "button", "svg", "math", "textarea", "select", "code", "pre"}


def sigil(a: Annotation) -> Element:
    """The editors' mark after the annotated words: a link to the annotation, without text (CSS draws ✦)."""
    label = f"Editors’ annotation: {a.kind_label.lower()}" + (f", {a.confidence_label}" if a.confidence_label else "")
    # data-search-exclude: None, a valueless attribute (Python-Markdown writes the bare name); the stubs want str.
    return Element("a", {"class": "ed-annot-ref", "data-ed": "annot-ref", "data-search-exclude": None,  # type: ignore[dict-item]
                         "href": f"#an:{a.id}", "data-kind": a.kind, "aria-label": label})


def mark(root: Element, annotations: Iterable[Annotation]) -> list[str]:
    """Mark each annotation's words in a page's element tree and add its sigil -> ids that could not be marked.

    In each annotated paragraph, the text outside note markers, the margin reference and code is joined
    (treetext.paragraph_text); the words are found there, white space matching any white space, and
    wrapped piece by piece (one span per piece of text), so that they may run across emphasis or a
    glossary link without changing the page's structure. The sigil follows the last piece, after the
    end of a link it would otherwise fall inside.
    """
    wanted: dict[str, list[Annotation]] = {}
    for a in annotations:
        wanted.setdefault(a.ref, []).append(a)
    if not wanted:
        return []

    def skip(el: Element) -> bool:
        return el.tag in _SKIP or "data-ed" in el.attrib or "pmark" in (el.get("class") or "").split() or (
            el.tag in ("p", "li") and el.get("id") in wanted)

    elements = {el.get("id", ""): el for el in root.iter() if el.tag in ("p", "li") and el.get("id") in wanted}
    missed = []
    for ref, anns in wanted.items():
        el = elements.get(ref)
        joined = treetext.paragraph_text(el, skip).joined if el is not None else ""
        found = []
        for a in anns:
            spans = [m.span() for m in _pattern(a.quote).finditer(joined)]
            if len(spans) != 1:
                missed.append(a.id)
            else:
                found.append((spans[0], a))
        # From the end backwards: where one annotation's words end and another's begin, the first one's
        # span closes, its sigil follows, then the next span opens.
        for (s, e), a in sorted(found, key=lambda f: f[0], reverse=True):
            assert el is not None  # words were found: the paragraph is there
            _mark_words(treetext.paragraph_text(el, skip), s, e, a)
    return missed


def _mark_words(text: "treetext.ParagraphText", s: int, e: int, a: Annotation) -> None:
    pieces = text.pieces(s, e)
    last_run = pieces[-1][0]
    last_span: Element | None = None
    for n, (run, start, end) in reversed(list(enumerate(pieces))):
        span = Element("span", {"class": "ed-annot", "data-annot": a.id})
        if n == 0:
            span.set("id", f"anref:{a.id}")
        at = treetext.wrap(treetext.Point(run.container, run.index, start),
                           treetext.Point(run.container, run.index, end), span)
        last_span = last_span if last_span is not None else at
    links = [el for el in (last_run.container, *text.ancestors(last_run.container)) if el.tag == "a"]
    if links:  # the words end inside a link: the sigil goes after its end
        treetext.insert_after(links[-1], text.parents[links[-1]], sigil(a))
    else:
        assert last_span is not None  # the words were found: at least one span wraps them
        treetext.insert_after(last_span, last_run.container, sigil(a))


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
    sources = []
    for s in a.sources:
        if s.bib:
            cited = re.sub(r"\.(\s*)$", r"\1", links.cite(s.bib))  # the list's own punctuation follows
            sources.append({"bib": s.bib, "href": templates.Markup(links.to("bibliography.md", s.bib)),
                            "text": templates.Markup(cited)})
        else:
            sources.append({"bib": "", "href": s.url, "text": s.title})
    glossary = None
    if a.glossary and a.glossary in links.terms:
        glossary = {"href": templates.Markup(links.to(f"glossary/{a.glossary}.md")), "term": links.terms[a.glossary]}
    return templates.render("annotation-body.html", kind_label=a.kind_label, confidence=a.confidence,
                            confidence_label=a.confidence_label, text=templates.Markup(link_refs(a.text_html, links.paragraph)),
                            sources=sources, glossary=glossary)


def section_markdown(annotations: list[Annotation], links: Links, finished: Callable[[str], str] | None = None) -> str:
    """The "Editors' annotations" list appended to a chapter (or the whole essay), after the notes: a Markdown
    heading (in the page's table of contents) and the list as finished HTML (templates/annotations-list.html),
    which ``finished`` may hand to the Markdown extension so that Markdown does not parse it again
    (mdext.raw_marker); search finds the annotations on their list page only."""
    if not annotations:
        return ""
    listed = templates.render("annotations-list.html", about_href=templates.Markup(links.to("about.md", "annotations")),
                              annotations=[annotation_item(a, links) for a in annotations]).rstrip("\n")
    return "\n\n" + templates.render("annotations-section.md", section=templates.Markup(finished(listed) if finished else listed))


def annotation_item(a: Annotation, links: Links) -> dict[str, object]:
    """One annotation of a chapter's list: its words, its body and its two addresses."""
    return {"id": a.id, "kind": a.kind, "ref": a.ref, "quote": a.quote, "body": templates.Markup(body_html(a, links)),
            "short_href": links.root + urls.short_address("a", a.id),
            "list_href": templates.Markup(links.to("annotations.md", a.id))}


def list_page(layer: Layer, chapters: list[Chapter], links: Links) -> str:
    """annotations.md: every annotation by chapter, then kind; the place where search finds them.

    Each annotation has a heading with its id (raw HTML, so that the table of contents lists only the
    chapters): a search hit lands on the annotation itself.
    """
    counts = layer.counts()
    total = len(layer)
    summary = ", ".join(f"{n} {KINDS[k][1 if n != 1 else 0].lower()}" for k, n in counts.items() if n)
    listed = []
    for ch in chapters if total else []:
        anns = layer.in_chapter(ch.slug)
        kinds = [{"kind": kind, "label": KINDS[kind][1],
                  "annotations": [{"kind": a.kind, "id": a.id, "quote": a.quote, "ref": a.ref, "words": links.words(a),
                                   "short": urls.short_address("a", a.id),
                                   "short_href": links.root + urls.short_address("a", a.id),
                                   "body": templates.Markup(body_html(a, links))} for a in anns if a.kind == kind]}
                 for kind in KINDS]
        if anns:
            listed.append({"slug": ch.slug, "title_md": templates.Markup(md_escape(ch.title)),
                           "kinds": [k for k in kinds if k["annotations"]]})
    return templates.render("annotations.md", total=total, summary=summary, chapters=listed,
                            about_href=templates.Markup(links.to("about.md", "annotations")))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>&])")


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(lambda m: "&amp;" if m.group(1) == "&" else "&lt;" if m.group(1) == "<"
                           else "\\" + m.group(1), text)


def about_markdown(layer: Layer) -> str:
    """The About page's counts of annotations by kind (a table), linked to the list page."""
    sure = {c: sum(1 for a in layer.annotations if a.confidence == c) for c in CONFIDENCE}
    return templates.render("annotations-about.md", total=len(layer), **sure,
                            kinds=[{"label": KINDS[k][0], "count": n} for k, n in layer.counts().items()])
