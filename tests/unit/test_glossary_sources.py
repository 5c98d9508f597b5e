"""glossary.yml's `sources`, `exclude` and `distinct_from`: loading, located problems, the term page."""
from __future__ import annotations

from edition import glossary, glossary_pages
from markdown_tree import on_tree
from test_glossary_helpers import ENTRIES, chapters, edition, load


def line_of(text, needle):
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def with_fields(fields: str, slug: str = "mass-worker") -> str:
    """ENTRIES with `fields` (YAML lines, two-space indented) added to the entry of `slug`."""
    anchor = f"  slug: {slug}\n"
    assert anchor in ENTRIES
    return ENTRIES.replace(anchor, anchor + fields, 1)


GOOD = with_fields("""\
  sources:
  - bib: mason2015
    pages: 12-14
  - title: Someone, “On mass workers” (1977)
    url: https://example.org/mass-worker?page=2
  exclude:
  - ref: I.2
    words: the mass workers
    why: the plural, in another sense
  distinct_from:
  - tax
""")


def test_sources_exclusions_and_distinct_entries_load():
    g, problems = load(GOOD)
    assert problems == []
    e = g.by_slug["mass-worker"]
    assert [(s.bib, s.pages, s.title, s.url) for s in e.sources] == [
        ("mason2015", "12-14", "", ""), ("", "", "Someone, “On mass workers” (1977)", "https://example.org/mass-worker?page=2")]
    assert e.sources[0].line == line_of(GOOD, "  - bib: mason2015")
    assert e.distinct_from == ["tax"]
    # "The mass worker met the mass workers": the second is set aside, the first still counts
    assert [o.form for o in g.occurrences["mass-worker"]] == ["mass worker"]
    assert [(o.ref, o.form, x.why) for o, x in e.excluded] == [("I.2", "mass workers", "the plural, in another sense")]
    assert "I.2" in g.by_paragraph  # the paragraph keeps its other uses


def test_a_source_with_an_unknown_bib_key_suggests_the_close_one():
    text = GOOD.replace("  - bib: mason2015\n", "  - bib: mason2051\n")
    problems = load(text)[1]
    assert [(p.kind, p.line) for p in problems] == [("glossary-bib", line_of(text, "  - bib: mason2051"))]
    assert "'mason2051'" in problems[0].message and "mason2015" in problems[0].hint


def test_each_kind_of_bad_source_is_located_at_its_line():
    text = with_fields("""\
  sources:
  - title: No address
  - url: https://example.org/no-title
  - bib: mason2015
    url: https://example.org/both
  - title: Not an address
    url: example.org/page
  - title: Pages without a work
    url: https://example.org/a
    pages: 3
  - title: Same address twice
    url: https://example.org/b
  - title: Same address again
    url: https://example.org/b
  - titel: typo
    url: https://example.org/c
  - just a string
""")
    found = sorted((p.kind, p.line) for p in load(text)[1])
    assert found == sorted([
        ("glossary-source", line_of(text, "  - title: No address")),
        ("glossary-source", line_of(text, "  - url: https://example.org/no-title")),
        ("glossary-source", line_of(text, "  - bib: mason2015")),
        ("glossary-source", line_of(text, "    url: example.org/page")),
        ("glossary-source", line_of(text, "    pages: 3")),
        ("glossary-source", line_of(text, "  - title: Same address again")),
        ("glossary-field", line_of(text, "  - titel: typo")),
        ("glossary-field", line_of(text, "  - just a string")),
    ])
    messages = " | ".join(p.message + " " + p.hint for p in load(text)[1])
    assert "no 'url'" in messages and "no 'title'" in messages and "not a web address" in messages
    assert "listed twice" in messages and "did you mean 'title'" in messages


def test_sources_must_be_a_list():
    text = with_fields("  sources: https://example.org/\n")
    assert [(p.kind, p.line) for p in load(text)[1]] == [("glossary-field", line_of(text, "  sources:"))]


def test_each_bad_exclusion_is_located_and_explained():
    text = with_fields("""\
  exclude:
  - ref: I.99
    words: mass worker
    why: no such paragraph
  - ref: I.2
    words: the mass soldiers
    why: words not in the paragraph
  - ref: I.2
    words: mass
    why: the words occur twice
  - ref: I.1
    words: Karl Marx
    why: no use of this entry there
  - ref: I.2
    words: the mass worker
""")
    lines = text.split("\n")
    item = {lines[n + 1].strip(): n + 1 for n, line in enumerate(lines) if line.startswith("  - ref: ")}
    problems = load(text)[1]
    assert [(p.kind, p.line) for p in problems] == [
        ("glossary-exclude", item["words: the mass worker"]),  # found while reading the file
        ("glossary-exclude", item["words: mass worker"]),  # then checked against the essay
        ("glossary-exclude", item["words: the mass soldiers"]),
        ("glossary-exclude", item["words: mass"]),
        ("glossary-exclude", item["words: Karl Marx"]),
    ]
    text_of = [p.message + " " + p.hint for p in problems]
    assert "no 'why'" in text_of[0]
    assert "'I.99'" in text_of[1] and "occurs 0 times" in text_of[2] and "occurs 2 times" in text_of[3]
    assert "holds no use of 'mass worker'" in text_of[4]


def test_an_entry_whose_only_uses_are_excluded_never_occurs():
    text = with_fields("""\
  exclude:
  - ref: II.1
    words: accelerationist politics and Accelerationists
    why: test
""", slug="accelerationism")
    problems = load(text)[1]
    assert [p.kind for p in problems] == ["glossary-unused"]


def test_distinct_from_names_existing_entries():
    text = with_fields("  distinct_from:\n  - accelerationsim\n  - mass-worker\n")
    problems = load(text)[1]
    assert [(p.kind, p.line) for p in problems] == [("glossary-see-also", line_of(text, "  - accelerationsim")),
                                                   ("glossary-see-also", line_of(text, "  - mass-worker"))]
    assert "did you mean slug 'accelerationism'" in problems[0].hint


def test_exclusions_are_neither_linked_nor_counted_in_the_chapters():
    chaps = chapters()
    g, problems = load(GOOD, chaps)
    assert problems == []
    html = ('<p id="I.2">The mass worker met the mass workers; a mason is not Mason.</p>')
    linked = on_tree(html, lambda root: glossary.link_terms(g, chaps[0], root))
    assert linked.count('data-term="mass-worker"') == 1
    assert '<a class="term" data-term="mass-worker" href="../glossary/mass-worker/">mass worker</a>' in linked
    assert dict((e.slug, n) for e, n in g.chapter_counts("first"))["mass-worker"] == 1


def test_the_term_page_shows_sources_the_distinct_entry_and_what_is_not_counted():
    chaps = chapters()
    g, _ = load(GOOD, chaps)
    page = glossary_pages.generate(edition(g, chaps))["glossary/mass-worker.md"]
    assert "## Sources { #sources data-search-exclude }" in page
    assert "Formatted <i>mason2015</i>., 12-14" in page and 'href="../../bibliography/#mason2015"' in page
    assert ('<a href="https://example.org/mass-worker?page=2">Someone, “On mass workers” (1977)</a> '
            '<span class="gl-host">(example.org)</span>') in page
    assert 'Not to be confused with: <a href="../tax/">tax</a>.' in page
    aside = page[page.index("Not counted as uses of this term"):]
    assert "<mark>mass workers</mark>" in aside and "the plural, in another sense" in aside
    # the tax entry's uses are listed apart in their chapter, which keeps its heading (and anchor)
    assert '<h3 id="in-second" class="gl-chapter" data-search-exclude>' in page and "a use of <a href=\"../tax/\">tax</a>" in page
    assert page.index('id="in-first"') < page.index('id="in-second"')


def test_a_page_without_sources_has_no_sources_section():
    chaps = chapters()
    g, _ = load(ENTRIES, chaps)
    assert "#sources" not in glossary_pages.generate(edition(g, chaps))["glossary/mass-worker.md"]


def test_only_the_term_its_aliases_and_its_definition_go_into_the_search_index():
    chaps = chapters()
    g, _ = load(GOOD, chaps)
    page = glossary_pages.generate(edition(g, chaps))["glossary/karl-marx.md"]
    assert page.index('<p class="gl-forms">Also in the essay as: <em>Marx</em>.</p>') < page.index("## Definition")
    headings = [line for line in page.splitlines() if line.startswith("## ") or line.startswith("<h3")]
    assert headings and all("data-search-exclude" in h for h in headings if "#definition" not in h)
    assert "## Definition { #definition }" in headings
