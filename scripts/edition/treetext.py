"""The text of a paragraph in Python-Markdown's element tree, and wrapping some of its words in an element.

Shared by the term links (glossary.link_terms) and the editors' annotations (annotations.mark): both
find words in a paragraph's text as the reader sees it (its text pieces joined, some elements left
out, such as note markers) and wrap them in an element, without changing a word.

In an ElementTree the text lies in two places: an element's ``text`` (before its first child) and
each child's ``tail`` (after that child). A :class:`Run` names one of them as (container, index):
index 0 is ``container.text``, index k > 0 is ``container[k - 1].tail``. A :class:`Point` is an
offset in a run, so a point and a later point in the same container delimit the children between.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

#: Elements a wrapper may hold whole, when the words run across them ("Graeber’s <em>Debt</em>").
INLINE = frozenset({"em", "strong", "i", "b", "cite", "q", "abbr", "mark", "small", "span", "u", "s", "dfn", "var"})


@dataclass(frozen=True)
class Run:
    container: Element
    index: int  # 0: container.text; k: container[k - 1].tail
    start: int  # offset of its first character in the paragraph's joined text
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass(frozen=True)
class Point:
    container: Element
    index: int
    offset: int  # in the run (container, index)


def get_run(container: Element, index: int) -> str:
    return (container.text if index == 0 else container[index - 1].tail) or ""


def _set_run(container: Element, index: int, text: str) -> None:
    if index == 0:
        container.text = text or None
    else:
        container[index - 1].tail = text or None


@dataclass
class ParagraphText:
    """A paragraph's readable text: its runs in reading order, joined, and each element's parent."""

    element: Element
    runs: list[Run]
    parents: dict[Element, Element]

    @property
    def joined(self) -> str:
        return "".join(r.text for r in self.runs)

    def run_at(self, offset: int, end: bool = False) -> Run:
        """The run holding the character at ``offset`` (with ``end``, the one ending at or after it)."""
        return next(r for r in self.runs if (r.start < offset <= r.end if end else r.start <= offset < r.end))

    def pieces(self, start: int, end: int) -> list[tuple[Run, int, int]]:
        """The words [start, end) as (run, from, to) within each run they touch, in reading order."""
        return [(r, max(start, r.start) - r.start, min(end, r.end) - r.start)
                for r in self.runs if r.start < end and start < r.end]

    def ancestors(self, element: Element) -> Iterator[Element]:
        """The element's ancestors inside the paragraph, nearest first (the paragraph last)."""
        while element is not self.element and element in self.parents:
            element = self.parents[element]
            yield element


def paragraph_text(paragraph: Element, skip: Callable[[Element], bool]) -> ParagraphText:
    """The runs of ``paragraph``'s text, leaving out the content of elements ``skip`` says (their tails
    are the paragraph's text and stay)."""
    runs: list[Run] = []
    parents: dict[Element, Element] = {}
    at = 0

    def visit(element: Element) -> None:
        nonlocal at
        if element.text:
            runs.append(Run(element, 0, at, element.text))
            at += len(element.text)
        for k, child in enumerate(element, 1):
            parents[child] = element
            if not skip(child):
                visit(child)
            if child.tail:
                runs.append(Run(element, k, at, child.tail))
                at += len(child.tail)

    visit(paragraph)
    return ParagraphText(paragraph, runs, parents)


def wrap_points(text: ParagraphText, start: int, end: int,
                may_hold: Callable[[Element], bool]) -> tuple[Point, Point] | None:
    """Where a wrapper of exactly the words [start, end) opens and closes, or None if none can.

    Within one run, anywhere. Across runs, the words may hold whole elements that ``may_hold`` accepts
    (with all they contain), and may begin or end exactly at the edge of one ("<em>Empire</em> trilogy"
    is wrapped from before the <em>; "Graeber’s <em>Debt</em>" to after the </em>).
    """
    first, last = text.run_at(start), text.run_at(end, end=True)
    s = Point(first.container, first.index, start - first.start)
    e = Point(last.container, last.index, end - last.start)
    if first is last:
        return s, e
    inner = [first.container, *text.ancestors(first.container)]
    outer = [last.container, *text.ancestors(last.container)]
    common = next((c for c in inner if c in outer), None)
    if common is None:
        return None
    while s.container is not common:  # the words start at the very start of an element: open before it
        el = s.container
        if s.index != 0 or s.offset != 0 or not may_hold(el):
            return None
        parent = text.parents[el]
        k = list(parent).index(el)
        s = Point(parent, k, len(get_run(parent, k)))
    while e.container is not common:  # ... end at its very end: close after it
        el = e.container
        if e.index != len(el) or e.offset != len(get_run(el, e.index)) or not may_hold(el):
            return None
        parent = text.parents[el]
        e = Point(parent, list(parent).index(el) + 1, 0)
    if not all(_holdable(child, may_hold) for child in list(common)[s.index:e.index]):
        return None
    return s, e


def _holdable(element: Element, may_hold: Callable[[Element], bool]) -> bool:
    return may_hold(element) and all(_holdable(child, may_hold) for child in element)


def wrap(s: Point, e: Point, wrapper: Element) -> Element:
    """Put the text and children between two points of one container into ``wrapper`` (see wrap_points)."""
    container, i, j = s.container, s.index, e.index
    run_i = get_run(container, i)
    if i == j:
        wrapper.text = run_i[s.offset:e.offset] or None
        wrapper.tail = run_i[e.offset:] or None
    else:
        run_j = get_run(container, j)
        held = list(container)[i:j]
        wrapper.text = run_i[s.offset:] or None
        wrapper.tail = run_j[e.offset:] or None
        held[-1].tail = run_j[:e.offset] or None
        for child in held:
            container.remove(child)
        wrapper.extend(held)
    _set_run(container, i, run_i[:s.offset])
    container.insert(i, wrapper)
    return wrapper


def insert_after(element: Element, parent: Element, new: Element) -> Element:
    """Put ``new`` right after ``element`` (before the text that followed it)."""
    new.tail, element.tail = element.tail, None
    parent.insert(list(parent).index(element) + 1, new)
    return new
