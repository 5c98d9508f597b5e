"""The layout reader and the paragraph audit, on small made-up layouts (and the measures on the real source)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from edition import layout
from edition.layout import Block, audit, read_layout, source_words, unresolved

SOURCE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "source-extraction.txt"

# Full lines of body text are about 36-38 em wide; these made-up lines are long enough to count as full.
FULL = "and so the argument goes on through a line that fills the measure of the printed page with words"
FULL2 = "while the other thinkers of the period took a rather different view of the whole matter at hand"


def blocks(*paragraphs: str, quote: tuple[bool, ...] | None = None) -> list[Block]:
    quote = quote or (False,) * len(paragraphs)
    return [Block(f"I.{i + 1}", "docs/x.md", i + 1, tuple(p.split()), q) for i, (p, q) in
            enumerate(zip(paragraphs, quote))]


def findings_for(source: str, *paragraphs: str, quote=None) -> list[tuple[str, str]]:
    found = audit(read_layout(source), source_words(source), blocks(*paragraphs, quote=quote),
                  [ln.number for ln in layout.read_lines(source) if ln.quote])
    return [(f.kind, f.words.split()[0]) for f in found]


def test_full_lines_are_full_and_a_short_line_is_short():
    assert layout.width(FULL) > layout.BODY_MEASURE - 3
    assert layout.width("law.") < 3
    # A note marker counts as small superscript digits, not as "[23]" in full-size type.
    assert layout.width("law. [23]") < layout.width("law. 23")


def test_a_break_the_edition_joins_is_caught():
    source = f"{FULL}\nends here.\n{FULL2}\nand on.\n"
    joined = findings_for(source, f"{FULL} ends here. {FULL2} and on.")
    assert joined == [("joined", "while")]
    assert findings_for(source, f"{FULL} ends here.", f"{FULL2} and on.") == []


def test_a_break_the_source_does_not_show_is_caught():
    source = f"{FULL}\n{FULL2}\nand on.\n"
    assert findings_for(source, FULL, f"{FULL2} and on.") == [("unsupported", "while")]
    assert findings_for(source, f"{FULL} {FULL2} and on.") == []


def test_a_break_inside_a_line_is_unsupported():
    source = f"{FULL} Then more.\n"
    assert findings_for(source, FULL, "Then more.") == [("unsupported", "Then")]


def test_a_long_last_line_that_ends_a_sentence_is_no_evidence():
    source = f"{FULL}\n{FULL2}.\n{FULL}\n"
    gaps = read_layout(source)
    assert not gaps[1].strong and gaps[1].evidence == ()


def test_first_line_blank_indent_quotation_and_bullets():
    source = (f"{FULL}\nends.\nA new paragraph starts here and its first line\n\nruns on to the end.\n"
              "      A quotation starts with six spaces\n\nand goes on.\n   \n\n"
              "   After it, an indent, and the body text runs on wider than any quotation of the essay ever does.\n"
              "   •  A list item\n   \n•  Another item\n")
    evidence = {g.after: g.evidence for g in read_layout(source)}
    assert "first-line-blank" in evidence[3] and "short-line" in evidence[3]
    assert "quote-start" in evidence[6]
    assert "quote-end" in evidence[11] and "indent" in evidence[11]
    assert "bullet" in evidence[12] and "bullet" in evidence[14]
    quoted = [ln.number for ln in layout.read_lines(source) if ln.quote]
    assert quoted == [6, 8]


def test_a_page_break_absorbs_the_first_line_blank_but_the_short_line_still_shows():
    source = f"{FULL}\nends a sentence.\nA paragraph that starts before a page break\n\n\n\ncontinues after it.\n"
    gap = read_layout(source)[1]
    assert "short-line" in gap.evidence and not read_layout(source)[2].strong
    assert read_layout(source)[2].page_break


def test_a_heading_on_two_lines_is_one_heading():
    source = f"{FULL}.\nI. A Heading Set from\nTwo Lines\n   The text begins.\n"
    evidence = {g.after: g.evidence for g in read_layout(source)}
    assert "heading" in evidence[2] and not read_layout(source)[1].strong and "indent" in evidence[4]


def test_a_quotation_is_compared_with_the_editions_setting():
    source = f"{FULL}\nwrites:\n      {FULL2[:60]}\n\nends the quote.\n   \n\n   And the text goes on.\n"
    paragraphs = (f"{FULL} writes:", f"{FULL2[:60]} ends the quote.", "And the text goes on.")
    assert findings_for(source, *paragraphs, quote=(False, True, False)) == []
    assert findings_for(source, *paragraphs, quote=(False, False, False)) == [("quote", FULL2.split()[0])]


def test_mends_keep_the_lines_of_the_words_they_replace():
    words = source_words("one Grund-\nrisse -based\nthree [4]\n", [("Grund- risse -based", "Grundrisse-based")])
    assert [(w.text, w.first_line) for w in words] == [("one", 1), ("Grundrisse-based", 1), ("three", 3)]


def test_a_decision_covers_its_finding_and_a_stale_one_is_reported():
    source = f"{FULL}\n{FULL2}\nand on.\n"
    found = audit(read_layout(source), source_words(source), blocks(FULL, f"{FULL2} and on."))
    decision = {"line": 2, "words": "while the other", "decision": "split", "reason": layout.REASONS[1]}
    assert unresolved(found, [decision], []) == ([], [])
    wrong_words = dict(decision, words="when the other")
    assert unresolved(found, [wrong_words], []) == (found, [wrong_words])
    wrong_way = dict(decision, decision="joined")
    assert unresolved(found, [wrong_way], []) == (found, [wrong_way])


def test_the_measures_are_those_the_source_gives():
    lines = layout.read_lines(SOURCE.read_text(encoding="utf-8"))
    assert layout.derive_measures(lines) == pytest.approx(layout.MEASURES, abs=0.005)


def test_a_chapter_saved_with_a_byte_order_mark_and_windows_line_endings_parses_the_same():
    from edition.chapters import decode_source, parse_chapter
    source = "# I. A Part\n\nSome words here.\n{ #I.1 }\n\n> A quotation.[^1]\n> { #I.2 }\n\n[^1]: Plain words. <!-- level: unknown -->\n"
    saved = ("\ufeff" + source.replace("\n", "\r\n")).encode("utf-8")
    plain, plain_problems = parse_chapter(source, "x", "docs/x.md")
    windows, windows_problems = parse_chapter(decode_source(saved), "x", "docs/x.md")
    assert (windows, windows_problems) == (plain, plain_problems)
    assert windows.title == "I. A Part" and [p.ref for p in windows.paragraphs] == ["I.1", "I.2"]
    assert decode_source("a\rb\r\nc".encode("utf-8")) == "a\nb\nc"


def test_the_readme_lists_every_kind_of_problem_in_the_catalogue():
    from edition.problems import CATALOGUE
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([a-z-]+)` \|", readme, re.M))
    assert listed == set(CATALOGUE)
