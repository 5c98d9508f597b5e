"""Generated glossary pages, 'Key terms in this chapter', and term links in chapter HTML."""
from __future__ import annotations

import html
import json
import re

import markdown
import pytest
import yaml

from edition import glossary, glossary_pages, mdext
from markdown_tree import convert, on_tree
from test_glossary_helpers import ENTRIES, ONE, TWO, chapters, edition, load

EVIL = """\
- term: Evil <script>alert(1)</script> & "Co"
  slug: evil
  kind: person
  who: <script>alert(2)</script>
  aliases: []
  short: 'A <img src=x onerror=alert(3)> definition with "quotes" & </script> in it.'
  long: '[click me](javascript:alert(4)) and <iframe src="https://example.org"></iframe>'
  see_also: []
  never_occurs: <b>not</b> in the essay
"""


@pytest.fixture(scope="module")
def chaps():
    return chapters()


@pytest.fixture(scope="module")
def pages(chaps):
    g, problems = load(ENTRIES + EVIL, chaps)
    assert problems == []
    return glossary_pages.generate(edition(g, chaps)), g


def front(page: str) -> dict:
    m = re.match(r"---\n(.*?)\n---\n", page, re.S)
    return yaml.safe_load(m.group(1))


def chapter_html(source: str) -> str:
    """A chapter as the build renders it, without term links."""
    return convert(source)


def linked_html(g, chapter, source: str) -> str:
    """A chapter as the build renders it, term links included (glossary.link_terms on its tree)."""
    return convert(source, mdext.PageLayers(True, g, chapter))


def link(g, chapter, page: str) -> str:
    """glossary.link_terms on an HTML fragment's tree."""
    return on_tree(page, lambda root: glossary.link_terms(g, chapter, root))


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# -- pages --------------------------------------------------------------------------------------

def test_every_entry_has_a_page_plus_index_and_print(pages):
    out, g = pages
    assert {f"glossary/{e.slug}.md" for e in g.entries} < set(out)
    assert {"glossary/index.md", "glossary/print.md"} < set(out)


def test_term_page_has_title_description_kind_and_definitions(pages):
    out, _ = pages
    page = out["glossary/marxism.md"]
    meta = front(page)
    assert meta["title"] == "Marxism"
    assert meta["description"] == "The tradition that follows Marx."
    assert '<h1 id="marxism" class="gl-term">Marxism</h1>' in page
    assert "school of thought" in page
    assert "The tradition that follows <em>Marx</em>." in page
    assert 'href="../../first/#I.1"' in page  # where the essay explains it
    assert 'Discussed in: <a href="../../first/#workers">' in page


def test_person_page_shows_who(pages):
    out, _ = pages
    assert "German philosopher" in out["glossary/karl-marx.md"]


def test_see_also_shows_both_ways(pages):
    out, _ = pages
    # Bauwens lists commons-based peer production; its page shows Bauwens back
    assert 'href="../commons-based-peer-production/"' in out["glossary/michel-bauwens.md"]
    assert 'href="../michel-bauwens/"' in out["glossary/commons-based-peer-production.md"]
    assert 'href="../karl-marx/"' in out["glossary/marxism.md"]


def test_work_page_has_the_formatted_bibliography_entry(pages):
    out, _ = pages
    page = out["glossary/postcapitalism-book.md"]
    assert "Formatted <i>mason2015</i>." in page
    assert 'href="../../bibliography/#mason2015"' in page


def test_concordance_in_reading_order_grouped_by_chapter_with_counts(pages):
    out, _ = pages
    page = out["glossary/karl-marx.md"]
    conc = page[page.index("## Concordance"):]
    refs = re.findall(r'class="gl-ref" href="([^"]+)"', conc)
    assert [r.split("?")[0] + "#" + r.split("#")[1] for r in refs] == [
        "../../first/#I.1", "../../first/#I.1", "../../first/#I.5", "../../second/#II.2"]
    assert all("?hl=" in r for r in refs) and refs[0].endswith("?hl=Marx#I.1")  # the words as the essay writes them
    assert conc.index('id="in-first"') < conc.index('id="in-second"')
    assert re.search(r'id="in-first".*?3 uses', conc)
    assert re.search(r'id="in-second".*?1 use<', conc)
    assert "4 uses in 2 chapters" in conc
    assert "<mark>Karl Marx</mark>" in conc


def test_concordance_marks_uses_in_quotations(pages):
    out, _ = pages
    conc = out["glossary/michel-bauwens.md"]
    assert conc.count("in a quotation") == 1


def test_keyword_in_context_snippet():
    text = "x" * 10 + " " + "a b c " * 30 + "TERM" + " d e f" * 30
    start = text.index("TERM")
    snip = glossary.snippet_html(text, start, start + 4)
    assert snip.startswith("…") and snip.endswith("…") and "<mark>TERM</mark>" in snip
    left, right = snip.split("<mark>TERM</mark>")
    assert 50 <= len(left) <= 62 and 50 <= len(right) <= 62
    assert glossary.snippet_html("<b> TERM", 4, 8) == "&lt;b&gt; <mark>TERM</mark>"


def test_user_text_is_escaped_everywhere(pages):
    out, _ = pages
    for name, page in out.items():
        assert "<script>alert" not in page, name
        assert "<img src=x" not in page, name
        assert "<iframe" not in page, name
        assert "javascript:" not in page, name
    page = out["glossary/evil.md"]
    # the templates' autoescape (markupsafe) writes a double quote as &#34;
    assert '<h1 id="evil" class="gl-term">Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Co&#34;</h1>' in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page
    assert "click me" in page
    meta = front(page)
    assert "<" not in meta["title"] and "<" not in meta["description"]
    assert '"' not in meta["title"]  # the theme prints it inside attributes unescaped


def test_index_lists_every_entry_by_letter_with_kind_and_uses(pages):
    out, g = pages
    page = out["glossary/index.md"]
    assert re.findall(r"^## (\w+) \{ #letter-", page, re.M) == ["A", "C", "E", "K", "M", "P", "T"]
    for e in g.entries:
        assert f'id="{e.slug}" data-kind="{e.kind}"' in page
    assert re.search(r'href="karl-marx/">Karl Marx</a> <span class="gl-kind gl-kind--person">person</span> '
                     r'<span class="gl-count">4 uses</span>', page)
    assert '<div class="gl-filter" role="group"' in page and "hidden>" in page  # shown by the script only
    assert 'data-kind="school" aria-pressed="false"' in page
    assert 'href="print/"' in page


def test_print_page_has_every_entry_in_full(pages):
    out, g = pages
    page = out["glossary/print.md"]
    assert page.count('class="gl-print-entry"') == len(g.entries)
    assert "The tradition that follows <em>Marx</em>." in page


# -- Key terms in this chapter ------------------------------------------------------------------------

def test_key_terms_are_marked_as_the_editors_and_sorted_by_uses(chaps):
    g, _ = load(ENTRIES, chaps)
    md = glossary.key_terms_markdown(g, chaps[0], "../")
    assert md.startswith("\n\n<div class=\"key-terms\" data-ed=\"key-terms\" markdown>")
    assert "## Key terms in this chapter { #key-terms data-search-exclude }" in md
    terms = re.findall(r'^<li><a data-term="([\w-]+)" href="\.\./glossary/([\w-]+)/">([^<]+)</a>', md, re.M)
    assert [(term, slug) for slug, _, term in terms[:2]] == [
        ("commons-based peer production", "commons-based-peer-production"), ("Karl Marx", "karl-marx")]  # 3 uses each, then by term
    assert all(a == b for a, b, _ in terms)
    counts = [int(n) for n in re.findall(r"(\d+) uses?<", md)]
    assert counts[:2] == [3, 3] and counts == sorted(counts, reverse=True)
    assert glossary.key_terms_markdown(g, chaps[1]).count("<li>") == 5


def test_key_terms_list_is_finished_html_handed_over_whole(chaps):
    # the list goes to the Markdown extension as one piece of finished HTML; the heading stays Markdown (the TOC)
    g, _ = load(ENTRIES, chaps)
    handed = []
    md = glossary.key_terms_markdown(g, chaps[0], "", lambda html: handed.append(html) or "<!--ed-raw:0-->")
    assert "<!--ed-raw:0-->" in md and "<li>" not in md and "## Key terms in this chapter" in md
    (listed,) = handed
    assert listed.startswith('<p class="kt-intro">') and listed.endswith("</ul>")


def test_key_terms_keep_notes_in_place(chaps):
    """The appended section renders after the text, and the notes stay a single block."""
    g, _ = load(ENTRIES, chaps)
    source = ONE + "\n\n///Footnotes Go Here///\n\n" + glossary.key_terms_markdown(g, chaps[0])
    out = markdown.markdown(source, extensions=["attr_list", "md_in_html", "footnotes", "sane_lists", "toc"])
    assert out.count('<div class="footnote">') == 1
    assert out.index("I.5") < out.index('class="footnote"') < out.index('id="key-terms"')
    assert '<a data-term="karl-marx" href="glossary/karl-marx/">' in out  # the tooltip's definition: assets/terms.js


# -- term links in the text ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def linked(chaps):
    g, _ = load(ENTRIES, chaps)
    before = chapter_html(ONE)
    return g, before, linked_html(g, chaps[0], ONE)


def links(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="term" data-term="([\w-]+)" href="[^"]*">([^<]*)</a>', page)


def paragraph_of(page: str, ref: str) -> str:
    return re.search(rf'<p [^>]*id="{re.escape(ref)}".*?</p>', page, re.S).group(0)


def test_first_use_per_section_is_linked_once(linked):
    g, _, page = linked
    found = links(page)
    assert found.count(("karl-marx", "Marx")) == 2  # the chapter's opening, and section "later"
    assert ("mass-worker", "mass worker") in found and ("mass-worker", "mass workers") not in found
    sections = {p.ref: p.section for p in chapters()[0].paragraphs}
    placed = [(slug, sections[m.group(1)]) for m in re.finditer(r'<p class="para" id="([^"]+)"(.*?)</p>', page, re.S)
              for slug in re.findall(r'data-term="([\w-]+)"', m.group(2))]
    assert len(placed) == len(set(placed)) == len(found)  # at most one link per term per section
    assert g.links["first"] == len(found)


def test_first_use_outside_a_quotation_is_preferred(linked):
    _, _, page = linked
    assert "data-term" not in paragraph_of(page, "I.3")  # the quotation
    assert 'data-term="michel-bauwens"' in paragraph_of(page, "I.4")
    assert 'data-term="commons-based-peer-production"' in paragraph_of(page, "I.4")


def test_a_quotation_gets_the_link_when_the_section_has_no_other_use(chaps):
    src = "# X\n\n> Bauwens said so.\n> { #I.1 }\n\nNothing here.\n{ #I.2 }\n"
    ch = chapters(("x", src))[0]
    g, _ = load(ENTRIES, [ch] + chaps[1:])
    page = linked_html(g, ch, src)
    assert 'data-term="michel-bauwens"' in paragraph_of(page, "I.1")


def test_links_change_no_words_and_skip_urls(linked):
    _, before, page = linked
    assert text_of(page) == text_of(before)
    assert 'https://example.org/<a' not in page
    assert 'for <a class="term" data-term="karl-marx" href="../glossary/karl-marx/">Marx</a> and' in page


def test_never_inside_headings_links_notes_code_or_the_margin_reference(chaps):
    g, _ = load(ENTRIES, chaps)
    page = ('<h2 id="marx">Marx</h2>'
            '<p id="I.1" class="para"><span class="pmark" data-ed="ref"><a href="#I.1">Marx</a></span>'
            '<a href="https://example.org">Marx</a> <code>Marx</code><sup id="fnref:1"><a href="#fn:1">Marx</a></sup>'
            ' <em>Marx</em> and Marx</p>')
    out = link(g, chaps[0], page)
    assert out.count('class="term"') == 1
    assert '<em><a class="term" data-term="karl-marx" href="../glossary/karl-marx/"' in out
    assert out.endswith(" and Marx</p>")


def test_only_the_chapters_paragraphs_are_linked(chaps):
    g, _ = load(ENTRIES, chaps)
    page = '<p>Marx</p><div class="footnote"><ol><li id="fn:1">Marx</li></ol></div>'
    assert link(g, chaps[0], page) == page


def test_definitions_come_from_one_script_as_plain_text_not_from_each_link(chaps):
    g, _ = load(ENTRIES.replace("short: The theorist of capital.",
                                "short: 'The *theorist* of \"capital\" & <b></script>.'"), chaps)
    out = linked_html(g, chaps[0], ONE)
    assert "title=" not in out and "theorist" not in out
    script = glossary.terms_script(g)
    data = json.loads(re.search(r"window.edTerms = (\{.*?\});\n", script).group(1))
    assert data["karl-marx"] == 'The theorist of "capital" & <b></script>.'  # plain text, set as a title
    assert "</script>" not in script and "<b>" not in script  # ASCII-escaped: \u003c…
    assert set(data) == {e.slug for e in g.entries}


def test_entities_in_the_text_survive(chaps):
    g, _ = load(ENTRIES, chaps)
    page = '<p id="I.1" class="para">AT&amp;T &lt;and&gt; Marx &#8217;s</p>'
    out = link(g, chaps[0], page)
    assert text_of(out) == text_of(page)
    assert "AT&amp;T &lt;and&gt; <a class=\"term\"" in out


def test_the_opening_chapter_links_from_the_site_root(chaps):
    src = "# Opening\n\nMarx.\n{ #O.1 }\n"
    ch = chapters(("index", src))[0]
    g, _ = load(ENTRIES, [ch] + chaps)
    assert 'href="glossary/karl-marx/"' in linked_html(g, ch, src)


def test_overlapping_terms_get_separate_links_that_never_overlap(chaps):
    g, _ = load(ENTRIES, chaps)
    page = chapter_html(TWO)
    out = linked_html(g, chaps[1], TWO)
    assert text_of(out) == text_of(page)
    assert links(out) == [("postcapitalism-book", "Mason’s book Postcapitalism"), ("paul-mason", "Paul Mason"),
                          ("accelerationism", "accelerationist politics"), ("tax", "Taxes"), ("karl-marx", "Marx")]
    assert "Paul <a class=\"term\"" in out and "</a> and <a class=\"term\" data-term=\"paul-mason\" href=\"../glossary/paul-mason/\"" in out


def test_a_use_across_emphasis_is_wrapped_whole(chaps):
    g, _ = load(ENTRIES, chaps)
    cases = {
        "Mason’s book <em>Postcapitalism</em>, said Paul Mason.": 'book <em>Postcapitalism</em></a>, said',
        "<em>Mason’s book</em> Postcapitalism, said Paul Mason.": '"><em>Mason’s book</em> Postcapitalism</a>',
        "Mason’s <em>book</em> Postcapitalism, said Paul Mason.": '">Mason’s <em>book</em> Postcapitalism</a>',
    }
    for inner, expected in cases.items():
        page = f'<p id="II.1" class="para">{inner}</p>'
        out = link(g, chaps[1], page)
        assert expected in out, out
        assert text_of(out) == text_of(page)
        assert out.count("<a ") == out.count("</a>") == 2


@pytest.mark.parametrize("inner, linked", [
    ('Mason’s book<sup id="fnref:1"><a href="#fn:1">1</a></sup> Postcapitalism, Paul', False),  # a note marker
    ("Mason’s <em>book Postcapitalism, Paul</em>", False),  # the emphasis goes on after the words
    ("<em>Mason’s</em> <strong>book</strong> Postcapitalism <em>x</em> Paul", True),
])
def test_links_across_tags_only_where_they_nest(chaps, inner, linked):
    g, _ = load(ENTRIES, chaps)
    page = f'<p id="II.1" class="para">{inner}</p>'
    out = link(g, chaps[1], page)
    assert ('data-term="postcapitalism-book"' in out) is linked, out
    assert text_of(out) == text_of(page)
    assert out.count("<a ") == out.count("</a>")
