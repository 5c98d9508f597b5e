"""What the edition adds to a chapter's element tree (run by the Markdown extension in mdext.py).

Everything the edition adds to a chapter page carries a ``data-ed`` attribute, so that the
author's words can always be told apart from the apparatus (tests/test_fidelity.py relies on it).
These functions change Python-Markdown's element tree in place, after its own tree processors
(footnotes, attr_list, toc) have run, so they see elements, not the shape of its HTML output.
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import Element, SubElement

from .chapters import REF

#: The editors' heading over a page's notes, written into the Markdown so that the table of contents
#: lists it (a heading added to the tree afterwards would be missing there).
NOTES_HEADING_MD = '## Notes { #notes .ed-notes-heading data-ed="notes-heading" }'

#: A paragraph's permanent reference as an element id (the parts from chapters.PARTS, their one source).
PARA_ID = re.compile(REF)
NOTE_REF_ID = re.compile(r"fnref:(\d+)")
NOTE_ID = re.compile(r"fn:(\d+)")
#: Headings of the editors' closing sections, which need no copy-link button.
NO_COPY_BUTTON = ("notes", "cite", "key-terms")
#: Python-Markdown keeps raw HTML out of the tree until the end, as placeholders in the text.
STASHED = re.compile("\x02wzxhzdk:\\d+\x03")
#: A valueless attribute (``data-search-exclude``): Python-Markdown's serializer writes the bare name.
FLAG = None


def _classes(el: Element) -> list[str]:
    return (el.get("class") or "").split()


def label_footnotes(root: Element) -> None:
    """Show the author's note numbers (Python-Markdown shows positions) and mark the note list (its
    heading, NOTES_HEADING_MD, comes before it in the Markdown, in place of Python-Markdown's rule)."""
    for sup in root.iter("sup"):
        m = NOTE_REF_ID.fullmatch(sup.get("id") or "")
        link = sup.find("a")
        if m and link is not None and link.get("href") == f"#fn:{m.group(1)}" and "footnote-ref" in _classes(link):
            sup.set("class", "note-ref")
            link.set("aria-label", f"Note {m.group(1)}")
            link.text = m.group(1)
    for li in root.iter("li"):
        m = NOTE_ID.fullmatch(li.get("id") or "")
        if m:
            li.set("value", m.group(1))
    notes = next((div for div in root.iter("div") if div.get("class") == "footnote"), None)
    if notes is not None:
        notes.set("data-ed", "notes")
        rule = notes.find("hr")
        if rule is not None:
            notes.remove(rule)
    for link in root.iter("a"):
        m = NOTE_REF_ID.fullmatch((link.get("href") or "").lstrip("#"))
        if m and "footnote-backref" in _classes(link):
            link.attrib.pop("title", None)  # Python-Markdown's title speaks of positions
            link.set("data-ed", "backref")
            link.set("data-search-exclude", FLAG)  # type: ignore[arg-type]  # valueless: see FLAG
            link.set("aria-label", f"Back to note {m.group(1)} in the text")


def mark_paragraphs(root: Element) -> None:
    """Give every referenced paragraph its visible margin reference.

    Only the link is in the page: the copy-link and cite buttons beside it are added by
    assets/edition.js, since they do nothing without JavaScript, and 430 pairs of them were a tenth of
    a chapter's gzipped weight (scripts/bench.py). ``data-search-exclude`` keeps the reference out of
    the search index, so that a search result starts with the author's words, not "III.12".
    """
    for el in [el for el in root.iter() if el.tag in ("p", "li") and PARA_ID.fullmatch(el.get("id") or "")]:
        ref = el.get("id")
        el.set("class", " ".join([*_classes(el), "para"]))
        mark = Element("span", {"class": "pmark", "data-ed": "ref", "data-search-exclude": FLAG})  # type: ignore[dict-item]  # see FLAG
        SubElement(mark, "a", {"class": "pref", "href": f"#{ref}"}).text = ref
        mark.tail, el.text = el.text, None
        el.insert(0, mark)


def mark_headings(root: Element) -> None:
    """Add a copy-link button to each section heading and label the editors' headings."""
    for h in [el for el in root.iter() if el.tag in ("h2", "h3", "h4", "h5", "h6")]:
        hid = h.get("id")
        if not hid or hid in NO_COPY_BUTTON:
            continue
        title = STASHED.sub("", "".join(h.itertext())).replace("¶", "").strip()
        if "ed-heading" in _classes(h):
            SubElement(h, "span", {"class": "ed-badge", "data-ed": "badge", "title": "A heading added by the editors"})
        button = SubElement(h, "button", {"type": "button", "class": "copy-link", "data-ed": "copy",
                                          "data-copy": f"#{hid}", "aria-label": f"Copy link to section {title}"})
        SubElement(button, "span", {"aria-hidden": "true"})
