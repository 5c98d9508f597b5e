"""Citation and preview metadata for every page: Highwire ``citation_*`` tags (Zotero, Google Scholar),
Dublin Core, OpenGraph/Twitter extras, and schema.org JSON-LD, all from the essay's one record
(:mod:`edition.essay`).

Pure: values only. The templates (overrides/main.html) render them; the short-reference pages,
which MkDocs does not render, use :func:`tags_html`.

What citation managers read (Zotero's Embedded Metadata translator, checked against Zotero's
translation-server): ``citation_technical_report_institution`` with ``citation_technical_report_number``
makes a *report*; one ``citation_author`` per person, "Family, Given". The editors are a group, not named
people: a group name in an author tag is split into a given and a family name by Zotero, so the editors
are never in author tags; they are the author (an ``Organization``) in JSON-LD, which keeps them whole.
"""
from __future__ import annotations

import html
import json

from typing import Any

from .essay import Essay

#: A schema.org description as JSON-LD (a JSON object).
JsonLd = dict[str, Any]

SCHEMA = "https://schema.org"

#: Page kinds: the essay's own pages, and the editors'.
ESSAY_KINDS = ("chapter", "opening", "whole", "passage", "note")


def _person(e: Essay) -> JsonLd:
    return {"@type": "Person", "name": e.author.name, "givenName": e.author.given, "familyName": e.author.family}


def editors(e: Essay) -> JsonLd:
    return {"@type": "Organization", "name": e.editors}


def publisher(e: Essay) -> JsonLd:
    return {"@type": "Organization", "name": e.publisher, "alternateName": e.publisher_short}


def essay_jsonld(e: Essay, base: str, parts: list[tuple[str, str]] | None = None) -> JsonLd:
    """The essay as a schema.org ``Report`` in its series, the edition as its web realisation, and its parts.

    ``parts``: (title, absolute URL) of each chapter in reading order.
    """
    item: JsonLd = {
        "@type": "Report", "@id": f"{base}#essay", "name": e.full_title, "headline": e.title,
        "alternativeHeadline": e.subtitle, "author": _person(e), "datePublished": e.year,
        "publisher": publisher(e), "reportNumber": e.number, "inLanguage": e.language,
        "isPartOf": {"@type": "CreativeWorkSeries", "name": e.series},
        "workExample": edition_jsonld(e, base),
    }
    if parts is not None:
        item["hasPart"] = [{"@type": "Chapter", "name": title, "url": url, "position": i}
                           for i, (title, url) in enumerate(parts, 1)]
    return item


def edition_jsonld(e: Essay, base: str) -> JsonLd:
    """This reading edition: the editors as editors, its version and date."""
    return {"@type": "WebSite", "@id": f"{base}#edition", "name": e.edition_title, "url": base,
            "editor": editors(e), "version": e.version, "dateModified": e.edition_date, "inLanguage": e.language}


def _essay_ref(e: Essay, base: str) -> JsonLd:
    """The essay, briefly, for pages that are part of it."""
    return {"@type": "Report", "@id": f"{base}#essay", "name": e.full_title, "author": _person(e),
            "datePublished": e.year, "publisher": publisher(e), "reportNumber": e.number,
            "isPartOf": {"@type": "CreativeWorkSeries", "name": e.series}}


def page_jsonld(e: Essay, kind: str, *, base: str, url: str, title: str, description: str = "",
                parts: list[tuple[str, str]] | None = None, position: int | None = None,
                terms: list[JsonLd] | None = None, term: JsonLd | None = None, works: list[JsonLd] | None = None) -> JsonLd:
    """The JSON-LD of one page of the given kind."""
    if kind in ("opening", "whole"):
        item = essay_jsonld(e, base, parts)
        item["url"] = url
    elif kind in ("chapter", "passage", "note"):
        item = {"@type": "Chapter" if kind == "chapter" else "CreativeWork", "name": title, "url": url,
                "author": _person(e), "datePublished": e.year, "editor": editors(e), "version": e.version,
                "dateModified": e.edition_date, "inLanguage": e.language, "isPartOf": _essay_ref(e, base)}
        if position is not None:
            item["position"] = position
    elif kind == "glossary":
        item = {"@type": "DefinedTermSet", "@id": url, "name": title, "url": url, "author": editors(e),
                "dateModified": e.edition_date, "version": e.version, "inLanguage": e.language,
                "about": _essay_ref(e, base),
                "hasDefinedTerm": [{"@type": "DefinedTerm", "name": t["name"], "url": t["url"],
                                    "description": t.get("description", ""), "inDefinedTermSet": url}
                                   for t in terms or []]}
    elif kind == "term":
        t = term or {}
        item = {"@type": "DefinedTerm", "name": t.get("name", title), "url": url,
                "description": t.get("description", description), "author": editors(e),
                "inDefinedTermSet": {"@type": "DefinedTermSet", "@id": t.get("set", ""), "name": "Glossary",
                                     "url": t.get("set", "")}}
    else:  # the editors' own pages: bibliography, annotations, about, study
        item = {"@type": "WebPage", "name": title, "url": url, "author": editors(e),
                "dateModified": e.edition_date, "version": e.version, "inLanguage": e.language,
                "about": _essay_ref(e, base), "isPartOf": {"@type": "WebSite", "@id": f"{base}#edition",
                                                            "name": e.edition_title, "url": base}}
        if works:
            item["citation"] = works
    if description and "description" not in item:
        item["description"] = description
    return {"@context": SCHEMA, **item}


def page_tags(e: Essay, kind: str, *, url: str, title: str, description: str = "", ref: str | None = None,
              chapter: str | None = None) -> list[tuple[str, str, str]]:
    """Highwire and Dublin Core tags of a page, as (attribute, name, content).

    The essay's pages cite the essay (a report: author, year, institution, number) at the page's
    address; a passage's title carries its reference. The editors' pages carry no author tag (see
    the module's docstring) and the edition's date.
    """
    if kind in ESSAY_KINDS:
        cite_title = e.full_title + (f", ¶ {ref}" if kind == "passage" and ref else "") + \
            (f", note {ref}" if kind == "note" and ref else "")
        tags = [("name", "citation_title", cite_title),
                ("name", "citation_author", e.author.inverted),
                ("name", "citation_publication_date", e.year),
                ("name", "citation_technical_report_institution", e.publisher),
                ("name", "citation_technical_report_number", e.number),
                ("name", "citation_publisher", e.publisher),
                ("name", "citation_series_title", e.series),
                ("name", "citation_language", e.language),
                ("name", "citation_public_url", url),
                ("name", "citation_fulltext_html_url", url),
                ("name", "DC.title", cite_title),
                ("name", "DC.creator", e.author.inverted),
                ("name", "DC.date", e.year),
                ("name", "DC.publisher", e.publisher),
                ("name", "DC.identifier", url),
                ("name", "DC.language", e.language),
                ("name", "DC.relation.isPartOf", f"{e.series} {e.number}")]
        # Not DC.type ("Text" becomes Zotero's report type) nor DC.coverage (its archive location, which
        # Chicago styles print): the chapter is named in the page's title, OpenGraph and JSON-LD.
        tags += [("property", "article:author", e.author.name), ("property", "article:published_time", e.year),
                 ("property", "article:modified_time", e.edition_date)]
        return tags
    return [("name", "DC.title", title), ("name", "DC.date", e.edition_date),
            ("name", "DC.identifier", url), ("name", "DC.language", e.language),
            ("name", "DC.relation", e.edition_title),
            ("property", "article:modified_time", e.edition_date)]


def page_author(kind: str, e: Essay) -> str:
    """The page's ``<meta name="author">``: the essay's author on his pages; none on the editors' (a group
    name there would be split by Zotero)."""
    return e.author.name if kind in ESSAY_KINDS else ""


def tags_html(tags: list[tuple[str, str, str]]) -> str:
    return "\n".join(f'<meta {a}="{html.escape(n, quote=True)}" content="{html.escape(c, quote=True)}">'
                     for a, n, c in tags)


def jsonld_html(data: JsonLd) -> str:
    """A JSON-LD script element; ``<``, ``>`` and ``&`` escaped so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'
