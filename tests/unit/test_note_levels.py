"""The editors' confidence scale: a level and a why per note, "quoted in" and the unidentified other source."""
from __future__ import annotations

import pytest

from edition.bib import parse_bibliography
from edition.chapters import LEVELS, parse_chapter, parse_note_fields
from edition.cite import CitationFormatter
from edition.notes import level_counts, resolve_notes

BIB = """@book{mason2015postcapitalism,
  author = {Mason, Paul}, title = {{PostCapitalism}: A Guide to Our Future},
  publisher = {Allen Lane}, location = {London}, date = {2015},
}
@book{toffler1990powershift,
  author = {Toffler, Alvin}, title = {Powershift: Knowledge, Wealth, and Violence at the Edge of the 21st Century},
  publisher = {Bantam Books}, location = {New York}, date = {1990},
}
"""


def notes_of(definitions: str):
    works, problems = parse_bibliography(BIB)
    assert problems == []
    markers = " ".join(f"S.[^{n}]" for n in range(1, definitions.count("[^") + 1))
    ch, problems = parse_chapter(f"{markers}\n{{ #I.1 }}\n\n{definitions}", "a", "docs/a.md")
    notes, found = resolve_notes([ch], works, CitationFormatter(works))
    return ch, notes, [str(p) for p in problems + found]


def test_fields_split_at_known_keys_only():
    fields, unknown = parse_note_fields(" level: named; why: Mason says so; twice: really; page: Derbyshire's review ")
    assert fields == {"level": "named", "why": "Mason says so; twice: really", "page": "Derbyshire's review"}
    assert unknown == []


def test_every_level_is_accepted_and_counted():
    defs = "".join(f"[^{i}]: [@mason2015postcapitalism] <!-- level: {lv}; why: reason {i} -->\n"
                   for i, lv in enumerate(LEVELS[:-1], 1)) + "[^5]: Someone, somewhere. <!-- level: unknown -->\n"
    _, notes, problems = notes_of(defs)
    assert problems == []
    assert level_counts(notes) == {lv: 1 for lv in LEVELS}
    assert notes[2].level == "named" and notes[2].why == "reason 2"


def test_a_note_without_level_or_why_is_located():
    _, _, problems = notes_of("[^1]: [@mason2015postcapitalism]\n[^2]: [@mason2015postcapitalism] <!-- level: named -->\n")
    assert [p.split(": ")[1] for p in problems] == ["note-level", "note-why"]
    assert problems[0].startswith("docs/a.md:4:") and problems[1].startswith("docs/a.md:5:")


def test_quoted_in_follows_cmos_14_260():
    _, notes, problems = notes_of("[^1]: [@toffler1990powershift] quoted in [@mason2015postcapitalism, 12] "
                                  "<!-- level: probable; why: second-hand; page: a review -->\n")
    assert problems == []
    assert notes[1].html == ("Alvin Toffler, <i>Powershift: Knowledge, Wealth, and Violence at the Edge of the 21st "
                             "Century</i> (New York: Bantam Books, 1990), quoted in Paul Mason, <i>PostCapitalism: A "
                             "Guide to Our Future</i> (London: Allen Lane, 2015), 12.")
    assert [c.key for c in notes[1].quoted_in] == ["mason2015postcapitalism"]


def test_the_other_source_is_said_to_be_unidentified():
    _, notes, problems = notes_of("[^1]: [@mason2015postcapitalism] <!-- level: named; why: quoted; "
                                  "other: Kate Aronoff’s reply -->\n")
    assert problems == []
    assert "Also named in the sentence, not identified as a source of this note: Kate Aronoff’s reply." in notes[1].html


def test_an_original_known_only_by_name_is_quoted_in_the_secondary_source():
    _, notes, problems = notes_of("[^1]: John Ashton, quoted in [@mason2015postcapitalism] <!-- level: probable; why: x -->\n")
    assert problems == []
    assert notes[1].html == ("John Ashton, quoted in Paul Mason, <i>PostCapitalism: A Guide to Our Future</i> "
                             "(London: Allen Lane, 2015).")


@pytest.mark.parametrize("body, kind", [
    ("[@mason2015postcapitalism] and [@toffler1990powershift]", "note-syntax"),
    ("[@mason2015postcapitalism] quoted in", "note-syntax"),
    ("[@mason2015postcapitalism, 12]", "note-page-source"),
])
def test_bad_note_bodies_are_located(body, kind):
    _, _, problems = notes_of(f"[^1]: {body} <!-- level: probable; why: x -->\n")
    assert problems and all(p.startswith(f"docs/a.md:4: {kind}:") for p in problems), problems
