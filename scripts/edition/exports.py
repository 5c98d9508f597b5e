"""The bibliography for citation managers: RIS, CSL-JSON and COinS, from each work's plain CSL-JSON
(:func:`edition.bib.to_csl_json`, the same data the formatted entries come from).

Pure: strings in, strings out. RIS tags follow the RIS format as Zotero, EndNote and ``rispy`` read it;
COinS is an OpenURL (Z39.88-2004) ContextObject in a ``<span class="Z3988">``, which Zotero's COinS
translator offers as a list of items. OpenURL has no genre for a blog post, a web page or a newspaper
article: these are given as an ``article`` of a journal (the closest), with the full record in the RIS.
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

#: A work as CSL-JSON (the citation processors' exchange format): a JSON object.
CslItem = dict[str, Any]

#: CSL type -> RIS type.
RIS_TYPES = {"book": "BOOK", "chapter": "CHAP", "article-journal": "JOUR", "article-magazine": "MGZN",
             "article-newspaper": "NEWS", "post-weblog": "BLOG", "webpage": "ELEC", "report": "RPRT"}


def _names(item: CslItem, role: str) -> list[str]:
    return [", ".join(x for x in (p.get("family"), p.get("given")) if x) or p.get("literal", "")
            for p in item.get(role, [])]


def _date(item: CslItem, name: str = "issued") -> list[int]:
    parts: list[list[int]] = item.get(name, {}).get("date-parts") or [[]]
    return parts[0]


def ris(item: CslItem) -> str:
    """One work as an RIS record (ending with ``ER  -``)."""
    lines = [("TY", RIS_TYPES.get(item.get("type", ""), "GEN")), ("ID", item["id"])]
    lines += [("AU", n) for n in _names(item, "author")]
    lines += [("A2" if item.get("type") == "chapter" else "ED", n) for n in _names(item, "editor")]
    lines += [("A4", n) for n in _names(item, "translator")]
    lines += [("A3", n) for n in _names(item, "interviewer")]
    lines.append(("TI", item.get("title", "")))
    if item.get("title-short"):
        lines.append(("ST", item["title-short"]))
    if item.get("container-title"):
        lines.append(("T2", item["container-title"]))
    if item.get("collection-title"):
        lines.append(("T3", item["collection-title"]))
    date = _date(item)
    if date:
        lines.append(("PY", str(date[0])))
        lines.append(("DA", "/".join([str(date[0])] + [f"{x:02d}" for x in date[1:]])))
    for tag, key in (("PB", "publisher"), ("CY", "publisher-place"), ("VL", "volume"), ("IS", "issue"),
                     ("UR", "URL"), ("DO", "DOI"), ("SN", "ISBN"), ("SN", "number"), ("LA", "language"),
                     ("N1", "note")):
        if item.get(key):
            lines.append((tag, str(item[key])))
    pages = str(item.get("page", ""))
    if pages:
        start, _, end = pages.replace("–", "-").partition("-")
        lines.append(("SP", start.strip()))
        if end:
            lines.append(("EP", end.strip()))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)


def ris_all(items: list[CslItem]) -> str:
    return "\n".join(ris(item) for item in items)


def csl_json(items: list[CslItem] | CslItem) -> str:
    """CSL-JSON: an array of items (one work is an array of one, as citation managers import it)."""
    return json.dumps(items if isinstance(items, list) else [items], ensure_ascii=False, indent=2) + "\n"


def coins(item: CslItem) -> str:
    """The OpenURL ContextObject of a work, for the ``title`` of a ``<span class="Z3988">``."""
    t = item.get("type")
    pairs: list[tuple[str, str]] = [("ctx_ver", "Z39.88-2004"), ("rfr_id", "info:sid/reading-edition")]
    book = t in ("book", "chapter")
    pairs.append(("rft_val_fmt", "info:ofi/fmt:kev:mtx:" + ("book" if book else "journal")))
    if t == "book":
        pairs += [("rft.genre", "book"), ("rft.btitle", item.get("title", ""))]
    elif t == "chapter":
        pairs += [("rft.genre", "bookitem"), ("rft.atitle", item.get("title", "")),
                  ("rft.btitle", item.get("container-title", ""))]
    else:
        pairs += [("rft.genre", "article"), ("rft.atitle", item.get("title", ""))]
        if item.get("container-title"):
            pairs.append(("rft.jtitle", item["container-title"]))
    for i, person in enumerate(item.get("author", [])):
        if i == 0 and person.get("family"):  # the first author by parts, any others whole
            pairs += [("rft.aulast", person["family"])] + ([("rft.aufirst", person["given"])] if person.get("given") else [])
        else:
            pairs.append(("rft.au", " ".join(x for x in (person.get("given"), person.get("family")) if x)))
    date = _date(item)
    if date:
        pairs.append(("rft.date", "-".join([str(date[0])] + [f"{x:02d}" for x in date[1:]])))
    for rft, key in (("rft.pub", "publisher"), ("rft.place", "publisher-place"), ("rft.volume", "volume"),
                     ("rft.issue", "issue"), ("rft.pages", "page"), ("rft.isbn", "ISBN")):
        if item.get(key) and (book or rft not in ("rft.pub", "rft.place", "rft.isbn")):
            pairs.append((rft, str(item[key])))
    if item.get("DOI"):
        pairs.append(("rft_id", f"info:doi/{item['DOI']}"))
    if item.get("URL"):
        pairs.append(("rft_id", item["URL"]))
    return urlencode(pairs)
