"""glossary.yml: loading with line numbers and every validation error, located and collected."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from edition import files, glossary
from edition.glue import load_bibliography
from edition.glue import nav_chapter_slugs
from edition.glue import load_chapters
from test_glossary_helpers import ENTRIES, chapters, load

ROOT = Path(__file__).resolve().parents[2]


def line_of(text, needle, after=0):
    """1-based number of the first line (after line `after`) containing needle."""
    for n, line in enumerate(text.split("\n"), 1):
        if n > after and needle in line:
            return n
    raise AssertionError(needle)


def kinds(problems):
    return [(p.kind, p.line) for p in problems]


def one(problems, kind):
    found = [p for p in problems if p.kind == kind]
    assert len(found) == 1, problems
    return found[0]


# -- the real file ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    chaps, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(nav))
    assert problems == []
    works, _ = load_bibliography(ROOT / "bibliography.bib")
    return glossary.load((ROOT / "glossary.yml").read_bytes(), chaps, files.read_docs(ROOT / "docs"), works)


def test_the_real_glossary_loads_without_problems(real):
    g, problems = real
    assert [str(p) for p in problems] == []
    assert len(g.entries) >= 80
    assert {e.kind for e in g.entries} <= set(glossary.KINDS)
    assert all(g.uses(e.slug) > 0 or e.never_occurs for e in g.entries)
    assert all(e.explained_at in g.paragraphs for e in g.entries if e.explained_at)


def test_the_real_glossary_has_no_explained_quote_left():
    text = (ROOT / "glossary.yml").read_text(encoding="utf-8")
    entries = yaml.safe_load(text)
    assert not any("explained_quote" in e for e in entries)
    assert sum(1 for e in entries if "explained_at" in e) >= 140


def test_matching_the_whole_essay_is_fast_and_timed(real):
    g, _ = real
    assert set(g.timings) >= {"load", "compile", "match"}
    assert g.timings["match"] < 1.0
    assert sum(len(v) for v in g.occurrences.values()) > 500


# -- a good small file ----------------------------------------------------------------------------

def test_small_file_loads_with_lines_and_fields():
    g, problems = load()
    assert problems == []
    marx = g.by_slug["karl-marx"]
    assert marx.line == 1 and marx.lines["term"] == 1 and marx.lines["who"] == 4
    assert marx.aliases == ["Marx"]
    assert g.by_slug["marxism"].explained_at == "I.1"
    assert [e.term for e in g.entries] == sorted((e.term for e in g.entries), key=str.lower)
    assert sorted(["Friedrich", "Frédéric", "“Quoted”", "frank"], key=glossary.sort_key) == [
        "frank", "Frédéric", "Friedrich", "“Quoted”"]


# -- each error: kind and line ----------------------------------------------------------------------

def test_yaml_syntax_error_has_its_line():
    text = ENTRIES.replace("  short: The semi-skilled worker of the assembly line.",
                           "  short: [unclosed, list")
    problems = load(text)[1]
    p = one(problems, "yaml-syntax")
    assert p.path == "glossary.yml"
    assert 22 <= p.line <= 24


def test_yaml_tab_indentation_is_a_syntax_error():
    problems = load("- term: x\n\tslug: x\n")[1]
    assert kinds(problems) == [("yaml-syntax", 2)]


@pytest.mark.parametrize("bad", ["\x1f", "\x00", "\ufffe"])
def test_a_character_yaml_cannot_hold_is_located(bad):
    problems = load("- term: ok\n  slug: ok\n- term: x" + bad + "\n")[1]
    assert kinds(problems) == [("yaml-syntax", 3)]
    assert f"U+{ord(bad):04X}" in problems[0].message


def test_duplicate_term_across_entries_case_insensitive():
    text = ENTRIES + """\
- term: MASS WORKER
  slug: mass-worker-2
  kind: concept
  aliases: []
  short: Again.
  see_also: []
"""
    p = one(load(text)[1], "glossary-duplicate")
    assert p.line == line_of(text, "- term: MASS WORKER")
    assert "'mass worker'" in p.hint and f"line {line_of(text, '- term: mass worker')}" in p.hint


def test_duplicate_alias_across_entries():
    text = ENTRIES.replace("  aliases:\n  - Bauwens\n", "  aliases:\n  - Bauwens\n  - marx\n")
    p = one(load(text)[1], "glossary-duplicate")
    lines = text.split("\n")
    assert lines[p.line - 1] == "  - marx"
    assert "Karl Marx" in p.hint and "line 1" in p.hint


def test_duplicate_slug():
    text = ENTRIES.replace("slug: tax\n", "slug: marxism\n")
    p = one(load(text)[1], "glossary-duplicate")
    assert "slug 'marxism'" in p.message


def test_see_also_to_a_missing_slug_suggests_the_close_one():
    text = ENTRIES.replace("  see_also:\n  - marxism\n", "  see_also:\n  - marxsim\n")
    p = one(load(text)[1], "glossary-see-also")
    assert p.line == line_of(text, "  - marxsim")
    assert "did you mean" in p.hint and "'marxism'" in p.hint


def test_section_to_a_missing_page_or_anchor():
    text = ENTRIES.replace("section: first.md#workers", "section: first.md#wrokers").replace(
        "section: second.md", "section: secnd.md")
    problems = load(text)[1]
    found = sorted(p for p in problems if p.kind == "glossary-section")
    assert [p.line for p in found] == [line_of(text, "#wrokers"), line_of(text, "secnd.md")]
    assert "'workers'" in found[0].hint
    assert "'second.md'" in found[1].hint


def test_section_may_name_a_docs_page_and_its_heading():
    docs = {"about.md": "# About\n\n## The text { #text }\n\n## Plain heading\n".encode("utf-8")}
    ok = ENTRIES.replace("section: second.md", "section: about.md#plain-heading")
    assert load(ok, docs=docs)[1] == []
    bad = ENTRIES.replace("section: second.md", "section: about.md#nope")
    assert kinds(load(bad, docs=docs)[1]) == [("glossary-section", line_of(bad, "about.md#nope"))]


def test_bib_key_not_in_the_bibliography():
    p = one(load(works={"mason2016": object()})[1], "glossary-bib")
    assert p.line == line_of(ENTRIES, "bib: mason2015") and "'mason2016'" in p.hint


def test_unknown_kind_and_missing_required_fields():
    text = ENTRIES.replace("  kind: concept\n  aliases: []\n  short: The semi", "  kind: idea\n  aliases: []\n  short: The semi")
    text = text.replace("  who: British journalist\n", "")
    text = text.replace("- term: tax\n  slug: tax\n  kind: concept\n  aliases:\n  - box\n  short: What boxes hold.\n",
                        "- term: tax\n  slug: tax\n  kind: concept\n  aliases:\n  - box\n")
    problems = load(text)[1]
    p = one(problems, "glossary-kind")
    assert p.line == line_of(text, "kind: idea") and "'idea'" in p.message
    fields = sorted((p.line, p.message) for p in problems if p.kind == "glossary-field")
    assert [line for line, _ in fields] == [line_of(text, "- term: Paul Mason"), line_of(text, "- term: tax")]
    assert "'who'" in fields[0][1] and "'short'" in fields[1][1]


def test_unknown_key_is_reported_with_a_suggestion():
    text = ENTRIES.replace("  short: The theorist of capital.\n", "  short: The theorist of capital.\n  sea_also: []\n")
    p = one(load(text)[1], "glossary-field")
    assert p.line == line_of(text, "sea_also") and "see_also" in p.hint


def test_term_that_never_occurs_unless_never_occurs():
    extra = """\
- term: phalanstery
  slug: phalanstery
  kind: concept
  aliases: []
  short: Fourier's building.
  see_also: []
"""
    p = one(load(ENTRIES + extra)[1], "glossary-unused")
    assert p.line == line_of(ENTRIES + extra, "- term: phalanstery")
    assert "never_occurs" in p.hint
    excused = ENTRIES + extra + "  never_occurs: named only in the editors' notes\n"
    assert load(excused)[1] == []


def test_alias_that_never_occurs():
    text = ENTRIES.replace("  - Marxist\n", "  - Marxist\n  - Marxian\n")
    p = one(load(text)[1], "glossary-unused")
    assert p.line == line_of(text, "  - Marxian") and "'Marxian'" in p.message


def test_alias_inside_a_longer_form_counts_as_occurring():
    # "Marx" also occurs alone, but "Karl" only inside "Karl Marx"
    text = ENTRIES.replace("  - Marx\n", "  - Marx\n  - Karl\n")
    assert load(text)[1] == []


def test_explained_at_must_name_a_paragraph():
    text = ENTRIES.replace("explained_at: I.1", "explained_at: I.9")
    p = one(load(text)[1], "glossary-explained-at")
    assert p.line == line_of(text, "explained_at: I.9")
    assert p.hint.startswith("did you mean paragraph 'I.")


def test_every_problem_is_collected_not_only_the_first():
    text = (ENTRIES.replace("  - marxism\n", "  - nothing-here\n").replace("kind: concept", "kind: notion", 1)
            .replace("explained_at: I.1", "explained_at: Z.1"))
    problems = load(text, works={})[1]
    assert {p.kind for p in problems} >= {"glossary-see-also", "glossary-kind", "glossary-explained-at",
                                          "glossary-bib"}
    assert all(str(p).startswith("glossary.yml:") for p in problems)


def test_entries_must_be_mappings_in_a_list():
    assert kinds(load("term: x\n")[1]) == [("glossary-structure", 1)]
    assert kinds(load("- just text\n")[1]) == [("glossary-structure", 1)]


def test_bad_slug_and_types():
    text = ENTRIES.replace("slug: tax\n", "slug: Tax Things\n").replace(
        "  who: German philosopher\n", "  who: German philosopher\n  born: soon\n")
    problems = load(text)[1]
    assert sorted(kinds(problems)) == [("glossary-field", line_of(text, "born: soon")),
                                       ("glossary-slug", line_of(text, "slug: Tax Things"))]


# -- Markdown in definitions --------------------------------------------------------------------------

def test_raw_html_in_definitions_is_text_and_unsafe_links_are_dropped():
    assert glossary.inline_markdown("a <script>alert(1)</script> *b*") == \
        "a &lt;script&gt;alert(1)&lt;/script&gt; <em>b</em>"
    assert glossary.inline_markdown("[x](javascript:alert(1)) and [y](https://example.org)") == \
        'x and <a href="https://example.org">y</a>'
    assert glossary.inline_markdown("AT&T &amp; co") == "AT&amp;T &amp;amp; co"
    assert "<p>" in glossary.block_markdown("one\n\ntwo")


def test_short_text_is_plain():
    g, _ = load()
    assert g.by_slug["marxism"].short_text == "The tradition that follows Marx."
    assert g.by_slug["marxism"].short_html == "The tradition that follows <em>Marx</em>."


def test_chapters_helper_parses():
    assert [c.slug for c in chapters()] == ["first", "second"]


def test_an_acronym_in_lower_case_is_still_a_duplicate_form():
    """Uniqueness ignores case, so it still catches real duplicates; the matcher gives 'p2p' to 'P2P' anyway."""
    text = ENTRIES + """\
- term: P2P
  slug: p2p
  kind: concept
  aliases:
  - p2p
  short: Peer to peer.
  see_also: []
"""
    p = one(load(text)[1], "glossary-duplicate")
    assert p.line == line_of(text, "  - p2p") and "repeats another form of 'P2P'" in p.message
