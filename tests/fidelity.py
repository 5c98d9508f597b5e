"""Author's words: extract them from the source extraction and from built chapter pages, and compare."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "fixtures" / "source-extraction.txt"
MARKER = re.compile(r"\s*\[(\d+)\]")


@dataclass
class Words:
    words: list[str]
    notes: list[int]


def source_words(text: str | None = None, record: Path = ROOT / "edition.yml") -> Words:
    """The extraction's words in order, with the editors' recorded mends applied."""
    text = SOURCE.read_text(encoding="utf-8") if text is None else text
    notes = [int(n) for n in MARKER.findall(text)]
    text = " ".join(MARKER.sub(" ", text).split())
    for mend in yaml.safe_load(record.read_text(encoding="utf-8"))["mended"]:
        assert text.count(mend["source"]) == 1, f"mend not found once in the source: {mend['source']!r}"
        text = text.replace(mend["source"], mend["edition"])
    return Words([w for w in text.split() if w != "•"], notes)


def page_words(page_html: str) -> Words:
    """The author's words on a built page: everything the edition marked (data-ed) is dropped."""
    tree = lxml_html.fromstring(page_html)
    article = tree.xpath("//article[contains(@class, 'md-content__inner')]")[0]
    notes = []
    for sup in article.xpath(".//sup[contains(@class, 'note-ref')]"):
        notes.append(int(sup.text_content()))
        _drop(sup)
    for el in article.xpath(".//*[@data-ed] | .//a[contains(@class,'headerlink')] | .//script | .//style"):
        _drop(el)
    return Words(article.text_content().split(), notes)


def _drop(el) -> None:
    """Remove an element but keep its tail text (the words after it belong to its parent)."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail or ""
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(el)


def first_difference(expected: list[str], actual: list[str]) -> str:
    """'' when equal; otherwise where they part, with context."""
    for i, (a, b) in enumerate(zip(expected, actual)):
        if a != b:
            return (f"word {i}: source has {a!r}, edition has {b!r}\n  source:  {' '.join(expected[max(0, i-8):i+8])}"
                    f"\n  edition: {' '.join(actual[max(0, i-8):i+8])}")
    if len(expected) != len(actual):
        i = min(len(expected), len(actual))
        longer, name = (expected, "source") if len(expected) > len(actual) else (actual, "edition")
        return f"the {name} goes on after word {i}: {' '.join(longer[i:i+12])!r}"
    return ""
