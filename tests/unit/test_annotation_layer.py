"""annotations.yml: parsing, every check (located, all at once), marking the words in HTML, and rendering.

Made-up paragraphs and entries throughout, except the last section, which checks the real file
against the real chapters.
"""
from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from edition import annotations as an
from markdown_tree import on_tree
from edition.glue import load_bibliography, load_chapters, nav_chapter_slugs

ROOT = Path(__file__).resolve().parents[2]

PARAS = {
    "I.1": SimpleNamespace(text="Knowledge would become society’s central wealth-producing resource, said Bell.",
                           chapter="one"),
    "I.2": SimpleNamespace(text="The networked struggles like Seattle and the Arab Spring reproduce themselves.",
                           chapter="one"),
    "II.1": SimpleNamespace(text="Marx wrote of hunting in the morning and fishing in the afternoon; fishing again.",
                            chapter="two"),
    "II.1a": SimpleNamespace(text="A split paragraph about the gods of the copybook headings.", chapter="two"),
}
BIB = {"marx1846ideology", "kipling1919gods"}
TERMS = {"karl-marx": "Karl Marx", "eroei": "EROEI"}

GOOD = """\
# a comment
- id: seattle-wto-protests
  ref: I.2
  quote: "networked struggles like Seattle"
  kind: event
  confidence: certain
  text: >-
    The protests against the WTO in Seattle (1999); compare II.1.
  sources:
    - title: "1999 Seattle WTO protests"
      url: https://example.org/seattle

- id: hunting-fishing
  ref: II.1
  quote: "hunting in the morning"
  kind: unattributed-quotation
  confidence: probable
  glossary: karl-marx
  text: From *The German Ideology*.
  sources:
    - bib: marx1846ideology

- id: unknown-source
  ref: I.1
  quote: "central wealth-producing resource"
  kind: unattributed-quotation
  confidence: unidentified
  text: Not found.
  sources: []
"""


def run(text: str, paragraphs=PARAS, bib=BIB, terms=TERMS):
    found, problems = an.parse(text)
    problems += an.check(found, paragraphs, bib, terms)
    return found, problems


def kinds(problems):
    return [(p.kind, p.line) for p in problems]


def one(problems, kind):
    hits = [p for p in problems if p.kind == kind]
    assert len(hits) == 1, problems
    return hits[0]


def replace(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


# -- parsing ------------------------------------------------------------------------------------------

def test_a_good_file_parses_with_its_lines_and_chapters():
    found, problems = run(GOOD)
    assert problems == []
    assert [a.id for a in found] == ["seattle-wto-protests", "hunting-fishing", "unknown-source"]
    seattle, hunting, unknown = found
    assert (seattle.line, seattle.lines["quote"], seattle.chapter) == (2, 4, "one")
    assert seattle.sources == (an.Source("1999 Seattle WTO protests", "https://example.org/seattle", "", 10),)
    assert seattle.text == "The protests against the WTO in Seattle (1999); compare II.1."
    assert hunting.sources[0].bib == "marx1846ideology" and hunting.glossary == "karl-marx"
    assert unknown.sources == () and unknown.confidence_label == "source not identified"
    assert hunting.confidence_label == "probable" and seattle.confidence_label == ""


def test_no_file_means_no_annotations_and_no_problem(tmp_path):
    layer, problems = an.load(None, PARAS, BIB, TERMS)
    assert (len(layer), problems) == (0, [])


def test_load_orders_by_reading_order(tmp_path):
    path = tmp_path / "annotations.yml"
    path.write_text(GOOD, encoding="utf-8")
    layer, problems = an.load(path.read_bytes(), PARAS, BIB, TERMS)
    assert problems == []
    assert [a.id for a in layer.annotations] == ["unknown-source", "seattle-wto-protests", "hunting-fishing"]
    assert [a.id for a in layer.in_chapter("two")] == ["hunting-fishing"]
    assert layer.counts()["unattributed-quotation"] == 2 and layer.counts()["translation"] == 0


def test_yaml_syntax_error_is_located():
    found, problems = run(replace(GOOD, "text: From *The German Ideology*.", "text: From: *The German Ideology*."))
    assert found == [] and len(problems) == 1
    assert (problems[0].kind, problems[0].line) == ("yaml-syntax", 19)
    assert "mapping values are not allowed" in problems[0].message


def test_a_file_that_is_not_a_list():
    _, problems = run("id: x\n")
    assert kinds(problems) == [("annotation-structure", 1)]


def test_unknown_field_suggests_the_right_one():
    _, problems = run(replace(GOOD, "  glossary: karl-marx", "  glosary: karl-marx"))
    p = one(problems, "annotation-field")
    assert p.line == 18 and "'glosary'" in p.message and "did you mean 'glossary'" in p.hint


def test_missing_field_names_it():
    _, problems = run(replace(GOOD, "  confidence: probable\n", ""))
    p = one(problems, "annotation-field")
    assert p.line == 13 and "'hunting-fishing' has no 'confidence'" in p.message


def test_unknown_kind_suggests_the_closest():
    _, problems = run(replace(GOOD, "kind: event", "kind: evnt"))
    p = one(problems, "annotation-kind")
    assert p.line == 5 and "'evnt'" in p.message and "did you mean 'event'" in p.hint


def test_unknown_confidence():
    _, problems = run(replace(GOOD, "confidence: certain", "confidence: sure"))
    p = one(problems, "annotation-confidence")
    assert p.line == 6 and "certain" in p.hint


@pytest.mark.parametrize("ident, why", [("III.12", "paragraph reference"), ("Seattle", ""), ("1999-seattle", ""),
                                        ("seattle--wto", ""), ("chapter-one", "chapter-"), ("x" * 61, "")])
def test_ids_that_could_be_mistaken_or_are_malformed(ident, why):
    _, problems = run(replace(GOOD, "id: seattle-wto-protests", f"id: {ident}"))
    p = one(problems, "annotation-id")
    assert p.line == 2 and why in p.message


def test_duplicate_id_points_at_the_first():
    _, problems = run(replace(GOOD, "id: unknown-source", "id: seattle-wto-protests"))
    p = one(problems, "annotation-duplicate")
    assert p.line == 23 and "line 2" in p.hint


@pytest.mark.parametrize("old, new, message", [
    ('      url: https://example.org/seattle\n', "", "has no url"),
    ('      url: https://example.org/seattle', "      url: javascript:alert(1)", "not a web address"),
    ("    - bib: marx1846ideology", "    - bib: marx1846ideology\n      url: https://example.org/", "not both"),
    ("    - bib: marx1846ideology", "    - bib: marx1846ideology\n      page: 12", "unknown source field"),
])
def test_bad_sources(old, new, message):
    _, problems = run(replace(GOOD, old, new))
    assert message in one(problems, "annotation-source").message


def test_only_an_unidentified_annotation_may_have_no_source():
    _, problems = run(replace(GOOD, "confidence: unidentified", "confidence: probable"))
    p = one(problems, "annotation-source")
    assert p.line == 29 and "'unknown-source' has no sources" in p.message


# -- checks against the text, the bibliography and the glossary -------------------------------------

def test_unknown_paragraph_suggests_a_close_reference():
    _, problems = run(replace(GOOD, "ref: I.2", "ref: I.3"))
    p = one(problems, "annotation-ref")
    assert p.line == 3 and "'I.3'" in p.message and "I.2" in p.hint


def test_words_that_moved_to_a_split_paragraph_name_it():
    text = GOOD + textwrap.dedent("""\

        - id: copybook
          ref: II.1
          quote: "gods of the copybook headings"
          kind: allusion
          confidence: certain
          text: Kipling.
          sources:
            - bib: kipling1919gods
        """)
    _, problems = run(text)
    p = one(problems, "annotation-quote")
    assert p.line == 33 and "not in paragraph II.1" in p.message and "they are in II.1a" in p.hint


def test_words_not_in_the_paragraph_suggest_the_nearest_words():
    _, problems = run(replace(GOOD, '"networked struggles like Seattle"', '"networked struggle like Seattle"'))
    p = one(problems, "annotation-quote")
    assert "did you mean 'networked struggles like Seattle'" in p.hint


def test_words_that_occur_twice_need_more_words():
    _, problems = run(replace(GOOD, '"hunting in the morning"', '"fishing"'))
    p = one(problems, "annotation-quote")
    assert "occur 2 times" in p.message


def test_white_space_in_the_quote_matches_any_white_space():
    _, problems = run(replace(GOOD, '"networked struggles like Seattle"', '"networked  struggles\\nlike Seattle"'))
    assert problems == []


def test_overlapping_words_are_refused():
    _, problems = run(replace(GOOD, 'ref: I.1\n  quote: "central wealth-producing resource"',
                              'ref: I.2\n  quote: "like Seattle and"'))
    assert "overlap those of 'seattle-wto-protests'" in one(problems, "annotation-overlap").message


def test_unknown_bib_key_suggests_the_closest():
    _, problems = run(replace(GOOD, "bib: marx1846ideology", "bib: marx1864ideology"))
    p = one(problems, "annotation-bib")
    assert p.line == 21 and "did you mean 'marx1846ideology'" in p.hint


def test_unknown_glossary_slug():
    _, problems = run(replace(GOOD, "glossary: karl-marx", "glossary: karl-mark"))
    p = one(problems, "annotation-glossary")
    assert p.line == 18 and "'karl-marx'" in p.hint


def test_a_paragraph_reference_in_the_text_must_exist():
    _, problems = run(replace(GOOD, "compare II.1.", "compare II.9."))
    p = one(problems, "annotation-ref")
    assert "paragraph II.9" in p.message and p.line == 7


def test_every_problem_is_reported_at_once():
    text = replace(GOOD, "kind: event", "kind: evnt")
    text = replace(text, "bib: marx1846ideology", "bib: nobody")
    text = replace(text, "ref: I.1", "ref: I.9")
    _, problems = run(text)
    assert sorted(p.kind for p in problems) == ["annotation-bib", "annotation-kind", "annotation-ref"]
    assert all(str(p).startswith("annotations.yml:") for p in problems)


# -- marking the words --------------------------------------------------------------------------------

def annotation(ref, quote, ident="x-one", kind="event"):
    return an.Annotation(ident, ref, quote, kind, "certain", "Text.", (an.Source(bib="k"),), chapter="one")


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def mark(page: str, annotations) -> tuple[str, list[str]]:
    """annotations.mark on an HTML fragment's tree -> (the fragment, ids not marked)."""
    missed: list[str] = []
    return on_tree(page, lambda root: missed.extend(an.mark(root, annotations))), missed


PAGE = ('<p id="I.1" class="para"><span class="pmark" data-ed="ref"><a class="pref" href="#I.1">I.1</a></span>'
        'Graeber’s <em>Debt</em> and Thomas <a class="term" href="../glossary/x/">Picketty’s Capital</a> &amp; '
        'more.<sup id="fnref:3" class="note-ref"><a class="footnote-ref" href="#fn:3">3</a></sup> Then I.1 again.</p>')


def test_mark_wraps_the_words_across_emphasis_and_keeps_the_text():
    out, missed = mark(PAGE, [annotation("I.1", "Graeber’s Debt and")])
    assert missed == []
    assert ('<span class="ed-annot" data-annot="x-one" id="anref:x-one">Graeber’s </span><em>'
            '<span class="ed-annot" data-annot="x-one">Debt</span></em><span class="ed-annot" data-annot="x-one"> and'
            '</span><a aria-label="Editors’ annotation: event" class="ed-annot-ref"') in out
    assert text_of(out) == text_of(PAGE)


def test_the_sigil_goes_after_a_link_the_words_end_in():
    out, _ = mark(PAGE, [annotation("I.1", "Thomas Picketty’s")])
    assert re.search(r'Capital</a><a aria-label="[^"]*" class="ed-annot-ref" data-ed="annot-ref" data-kind="event" '
                     r'data-search-exclude href="#an:x-one"', out)
    assert '<a class="term" href="../glossary/x/"><span class="ed-annot" data-annot="x-one">Picketty’s</span> Capital' in out


def test_margin_references_and_note_numbers_are_not_words():
    out, missed = mark(PAGE, [annotation("I.1", "more. Then I.1"), annotation("I.1", "&", "amp-sign")])
    assert missed == []
    assert '<span class="ed-annot" data-annot="x-one"> Then I.1</span>' in out  # after the note marker
    assert '<span class="ed-annot" data-annot="amp-sign" id="anref:amp-sign">&amp;</span>' in out
    assert text_of(out) == text_of(PAGE)


def test_two_annotations_side_by_side_in_one_text_node():
    page = '<li id="II.1" class="para">Syntagma, Madison, Occupy, Quebec, and so on.</li>'
    out, missed = mark(page, [annotation("II.1", "Madison", "madison"), annotation("II.1", "Occupy, Quebec", "quebec")])
    assert missed == []
    assert ('<span class="ed-annot" data-annot="madison" id="anref:madison">Madison</span><a aria-label="Editors’ '
            'annotation: event" class="ed-annot-ref"' in out)
    assert 'data-search-exclude href="#an:madison"></a>, <span' in out
    assert text_of(out) == text_of(page)


def test_words_that_the_page_does_not_have_are_reported():
    _, missed = mark(PAGE, [annotation("I.1", "not there"), annotation("I.9", "Debt", "elsewhere")])
    assert missed == ["x-one", "elsewhere"]


# -- rendering ------------------------------------------------------------------------------------------

LINKS = an.Links("../", {"one": "one/", "two": "two/"}, {r: p.chapter for r, p in PARAS.items()},
                 lambda key: f"<i>{key}</i>.", TERMS)


def test_markdown_is_rendered_and_raw_html_shown_as_text():
    a = an.Annotation("x", "I.1", "q", "event", "certain",
                      'See *this* and <script>alert(1)</script> [a](javascript:alert(2)) [b](https://ok.org/) II.1.',
                      (an.Source("T <b>", "https://e.org/?a=1&b=2"),), chapter="one")
    out = an.body_html(a, LINKS)
    assert "<em>this</em>" in out and "&lt;script&gt;" in out and "<script>" not in out
    assert "javascript:" not in out and '<a href="https://ok.org/">b</a>' in out
    assert '<a href="../two/#II.1">II.1</a>' in out  # a paragraph reference becomes a link
    assert '<a href="https://e.org/?a=1&amp;b=2" rel="noopener">T &lt;b&gt;</a>' in out


def test_body_names_sources_confidence_and_glossary():
    found, _ = run(GOOD)
    out = an.body_html(found[1], LINKS)
    assert '<span class="ed-annot-kind">Unattributed quotation</span>' in out
    assert "probable" in out and "Source: " in out
    assert '<a href="../bibliography/#marx1846ideology"><i>marx1846ideology</i></a>.' in out  # no double full stop
    assert 'Glossary: <a href="../glossary/karl-marx/">Karl Marx</a>' in out
    assert "No source found." in an.body_html(found[2], LINKS)


def test_the_chapter_list_is_the_editors_and_out_of_search():
    found, _ = run(GOOD)
    md = an.section_markdown(found[:2], LINKS)
    assert '## Editors’ annotations { #annotations .ed-annotations-heading data-ed="annotations-heading" ' \
           'data-search-exclude }' in md
    assert '<section class="ed-annotations" data-ed="annotations" data-search-exclude>' in md
    assert '<li id="an:seattle-wto-protests" class="ed-annot-item" data-kind="event">' in md
    assert 'href="#anref:seattle-wto-protests"' in md and 'href="../a/seattle-wto-protests/"' in md
    assert md.count("<section") == 1  # Material's search parser compares elements by tag name
    assert an.section_markdown([], LINKS) == ""


def test_the_list_page_groups_by_chapter_then_kind():
    found, _ = run(GOOD)
    for a in found:
        a.chapter = PARAS[a.ref].chapter
    layer = an.Layer(found)
    chapters = [SimpleNamespace(slug="one", title="I. One"), SimpleNamespace(slug="two", title="II. *Two*")]
    page = an.list_page(layer, chapters, LINKS)
    assert "## I. One { #chapter-one }" in page and "## II. \\*Two\\* { #chapter-two }" in page
    order = [page.index(s) for s in ('id="kind-one-unattributed-quotation"', 'id="kind-one-event"',
                                     'id="kind-two-unattributed-quotation"')]
    assert order == sorted(order)
    assert '<h4 id="seattle-wto-protests" class="ed-annot-title"><q>networked struggles like Seattle</q></h4>' in page
    assert '<a href="../one/#anref:seattle-wto-protests">I.2</a>' in page
    assert "3 annotations by the editors (2 unattributed quotations, 1 event)" in page


def test_about_counts():
    found, _ = run(GOOD)
    layer = an.Layer(found)
    about = an.about_markdown(layer)
    assert "| Event | 1 |" in about and "| Translation | 0 |" in about and "| **All** | **3** |" in about
    assert "1 are stated as certain, 1 as probable, and 1 say" in about



# -- the real file ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    chapters, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(nav))
    assert problems == []
    works, _ = load_bibliography(ROOT / "bibliography.bib")
    terms = {e["slug"]: e["term"] for e in yaml.safe_load((ROOT / "glossary.yml").read_text(encoding="utf-8"))}
    paragraphs = {p.ref: p for c in chapters for p in c.paragraphs}
    layer, problems = an.load((ROOT / "annotations.yml").read_bytes(), paragraphs, set(works), terms)
    return layer, problems, paragraphs


def test_the_real_file_has_no_problems_and_at_least_forty_annotations(real):
    layer, problems, _ = real
    assert problems == []
    assert len(layer) >= 40
    counts = layer.counts()
    assert all(counts[k] >= 1 for k in an.KINDS), counts


def test_each_real_annotation_quotes_its_paragraph_exactly_once_and_has_sources(real):
    layer, _, paragraphs = real
    for a in layer.annotations:
        assert len(re.findall(r"\s+".join(map(re.escape, a.quote.split())), paragraphs[a.ref].text)) == 1, a.id
        assert a.sources or a.confidence == "unidentified", a.id
        assert all(s.bib or (s.title and s.url.startswith(("http://", "https://"))) for s in a.sources), a.id


def test_the_issues_examples_are_annotated(real):
    layer, _, _ = real
    by_id = layer.by_id
    for ident, words in [("german-ideology-hunting", "to hunt in the morning"),
                         ("gods-copybook-headings", "copybook headings"),
                         ("accelerate-manifesto-authors", "the authors"), ("administration-of-things", "Comte"),
                         ("mumford-lifetime", "Mumford didn’t live to see it"),
                         ("seattle-wto-protests", "Seattle"), ("argentina-december-crisis", "December 2001")]:
        assert words in by_id[ident].quote, ident
