"""The author's paragraphs as he made them: the layout audit over the whole text, and the breaks restored."""
from __future__ import annotations

import pytest
import yaml

from edition import layout, record
from edition.glue import nav_chapter_slugs
from edition.chapters import plain_text
from edition.glue import load_chapters
from fidelity import ROOT, SOURCE

NAV = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]


@pytest.fixture(scope="module")
def chapters():
    found, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(NAV))
    assert problems == []
    return found


@pytest.fixture(scope="module")
def edition_record():
    found, problems = record.load((ROOT / "edition.yml").read_bytes())
    assert problems == []
    return found


def test_every_boundary_agrees_with_the_source_or_is_decided(chapters, edition_record):
    open_findings, stale = layout.audit_edition(SOURCE.read_text(encoding="utf-8"), chapters, edition_record)
    assert [layout.describe(f) for f in open_findings] == []
    assert stale == [], "decisions in edition.yml that no longer match a boundary of the text"


def test_the_audit_fails_when_a_restored_break_is_joined_again(chapters, edition_record):
    """Join C.1 and C.1a back (as the edition had them): the audit reports the break."""
    conclusion = next(ch for ch in chapters if ch.slug == "conclusion")
    first, second = conclusion.paragraphs[0], conclusion.paragraphs[1]
    joined = type(first)(first.ref, first.chapter, first.line, f"{first.text} {second.text}", first.quote,
                         first.kind, first.section)
    merged = type(conclusion)(conclusion.slug, conclusion.path, conclusion.title, conclusion.part,
                              [joined, *conclusion.paragraphs[2:]], conclusion.sections)
    others = [ch for ch in chapters if ch.slug != "conclusion"]
    open_findings, _ = layout.audit_edition(SOURCE.read_text(encoding="utf-8"), [*others, merged], edition_record)
    assert [(f.kind, f.block.label, f.gap.after) for f in open_findings] == [("joined", "C.1", 3034)]


def test_each_split_paragraph_kept_its_reference_and_the_new_one_follows_it(chapters, edition_record):
    paragraphs = [p for ch in chapters for p in ch.paragraphs]
    order = {p.ref: i for i, p in enumerate(paragraphs)}
    assert edition_record["restored"], "the record lists the breaks restored"
    for r in edition_record["restored"]:
        kept, new = paragraphs[order[r["kept"]]], paragraphs[order[r["ref"]]]
        assert order[r["ref"]] == order[r["kept"]] + 1, f"{r['ref']} directly follows {r['kept']}"
        assert new.text.startswith(r["words"]), r
        assert not kept.text.startswith(r["words"])


@pytest.mark.parametrize("ref, begins", [
    ("C.1a", "Mason, I think, falls unmistakably in the latter category."),
    ("I.42", "And cognitive capitalism and Romer’s “new growth theory”"),
    ("III.56a", "…Just as post- or late feudal society"),
])
def test_the_issues_examples_are_paragraphs_of_their_own(chapters, ref, begins):
    paragraph = next(p for ch in chapters for p in ch.paragraphs if p.ref == ref)
    assert paragraph.text.startswith(begins)


def test_the_navigation_uses_the_authors_headings_or_a_recorded_label(chapters, edition_record):
    labels = {lb["page"]: lb["label"] for lb in edition_record["labels"]}
    titles = {ch.slug: ch.title for ch in chapters}
    for item in NAV:
        (label, page), = item.items()
        slug = page[:-3]
        if slug in titles:
            assert label == labels.get(page, titles[slug]), f"nav label {label!r} for {page}"
    assert titles["leftist-techno-utopianism"] == "II. Categories of Leftist Techno-Utopianism"


def test_a_reason_outside_the_closed_list_is_a_located_problem(tmp_path):
    path = tmp_path / "edition.yml"
    path.write_text("paragraphs:\n  - line: 12\n    words: \"And so\"\n    decision: split\n"
                    "    reason: break at an elision in a quotation\n"
                    "  - line: 14\n    words: \"Then\"\n    decision: split\n    reason: corroborated by a public copy\n",
                    encoding="utf-8")
    _, problems = record.load(path.read_bytes())
    assert [(p.line, p.kind) for p in problems] == [(5, "edition-record"), (6, "edition-record")]
    assert "did you mean 'break at an elision inside a quotation'" in problems[0].hint
    assert "needs the public copy's address" in problems[1].message


def test_headings_compared_are_the_authors(chapters):
    headings = [b for b in layout.edition_blocks(chapters) if b.label == "heading"]
    assert " ".join(headings[0].words) == plain_text("I. Capitalist Techno-Utopianism from Daniel Bell On")
    assert not any("scientific" in " ".join(h.words) for h in headings)  # the editors' headings are not the author's
