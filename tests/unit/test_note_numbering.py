"""Note numbering across chapters, and resolution to formatted text (full first, then short)."""
from __future__ import annotations

from edition.bib import parse_bibliography
from edition.chapters import parse_chapter
from edition.cite import CitationFormatter
from edition.notes import check_numbering, resolve_notes

BIB = """@book{mason2015postcapitalism,
  author = {Mason, Paul}, title = {{PostCapitalism}: A Guide to Our Future},
  publisher = {Allen Lane}, location = {London}, date = {2015},
}
"""


def chapter(text, slug="a", part="I"):
    ch, problems = parse_chapter(text, slug, f"docs/{slug}.md")
    return ch, problems


def para(ref, text):
    return f"{text}\n{{ #{ref} }}\n\n"


def test_numbering_runs_across_chapters():
    a, _ = chapter(para("I.1", "One.[^1] Two.[^2]")
                   + "[^1]: [@k] <!-- level: probable; why: test -->\n[^2]: [@k] <!-- level: probable; why: test -->\n")
    b, _ = chapter(para("II.1", "Three.[^3]") + "[^3]: [@k] <!-- level: probable; why: test -->\n", slug="b")
    assert check_numbering([a, b]) == []


def test_skipped_out_of_order_duplicate_undefined_and_unreferenced_notes():
    text = (para("I.1", "A.[^1] B.[^3] C.[^2] D.[^2] E.[^9]") +
            "[^1]: [@k] <!-- level: probable; why: test -->\n[^2]: [@k] <!-- level: probable; why: test -->\n"
            "[^3]: [@k] <!-- level: probable; why: test -->\n[^4]: [@k] <!-- level: probable; why: test -->\n")
    a, _ = chapter(text)
    kinds = [(p.kind, p.line) for p in check_numbering([a])]
    assert ("note-skipped", 1) in kinds       # 3 after 1
    assert ("note-order", 1) in kinds         # 2 after 3
    assert ("note-duplicate", 1) in kinds     # [^2] twice
    assert ("note-undefined", 1) in kinds     # [^9]
    assert ("note-unreferenced", 7) in kinds  # [^4] defined on line 7, never cited


def test_first_citation_in_a_chapter_is_full_later_ones_short():
    works, problems = parse_bibliography(BIB)
    assert problems == []
    text = (para("V.1", "A.[^1] B.[^2]") + "[^1]: [@mason2015postcapitalism] <!-- level: probable; why: test -->\n"
            "[^2]: [@mason2015postcapitalism, 112] <!-- level: probable; why: test; page: a review -->\n")
    ch, _ = chapter(text)
    notes, problems = resolve_notes([ch], works, CitationFormatter(works))
    assert problems == []
    assert notes[1].html == "Paul Mason, <i>PostCapitalism: A Guide to Our Future</i> (London: Allen Lane, 2015)."
    assert notes[2].html == "Mason, <i>PostCapitalism</i>, 112."
    assert "Ibid" not in notes[2].html


def test_an_unknown_note_keeps_the_editors_words_escaped():
    works, _ = parse_bibliography(BIB)
    text = para("I.1", "A.[^1]") + "[^1]: Kate <b>Aronoff</b>: source not identified. <!-- level: unknown -->\n"
    ch, _ = chapter(text)
    notes, problems = resolve_notes([ch], works, CitationFormatter(works))
    assert problems == []
    assert notes[1].html == "Kate &lt;b&gt;Aronoff&lt;/b&gt;: source not identified."
    assert notes[1].status == "unknown"


def test_unknown_key_names_file_line_and_closest_key():
    works, _ = parse_bibliography(BIB)
    text = para("I.1", "A.[^1]") + "[^1]: [@mason2015postcapitalsm] <!-- level: probable; why: test -->\n"
    ch, _ = chapter(text)
    _, problems = resolve_notes([ch], works, CitationFormatter(works))
    assert [str(p) for p in problems] == [
        "docs/a.md:4: unknown-key: no work with the key 'mason2015postcapitalsm' in bibliography.bib "
        "(did you mean 'mason2015postcapitalism'?)"]
