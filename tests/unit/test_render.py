"""The edition's Markdown extension on a chapter: exact output for each behaviour (render.py's tree steps)."""
from __future__ import annotations

import re

from edition import mdext, render
from markdown_tree import convert, on_tree


def test_notes_show_the_authors_numbers_not_their_positions():
    html = convert("A claim.[^57]\n{ #II.40 }\n\n[^57]: A source.")
    assert ('<sup class="note-ref" id="fnref:57"><a aria-label="Note 57" class="footnote-ref" href="#fn:57">57</a></sup>'
            in html)
    assert '<li id="fn:57" value="57">' in html
    assert '<div class="footnote" data-ed="notes">\n<ol>' in html and "<hr" not in html
    assert ('<a aria-label="Back to note 57 in the text" class="footnote-backref" data-ed="backref" '
            'data-search-exclude href="#fnref:57">') in html
    assert "Jump back to footnote 1" not in html


def test_notes_heading_comes_from_the_markdown_once():
    # The chapters carry NOTES_HEADING_MD, so that the table of contents lists the notes.
    html = convert(f"A claim.[^57]\n{{ #II.40 }}\n\n{render.NOTES_HEADING_MD}\n\n"
                   "///Footnotes Go Here///\n\n[^57]: A source.")
    assert html.count('id="notes"') == 1
    assert re.search(r'<h2 [^>]*data-ed="notes-heading"[^>]*id="notes"[^>]*>Notes.*?</h2>\n'
                     r'<div class="footnote" data-ed="notes">\n<ol>', html)
    assert "<hr" not in html and "copy-link" not in html


def test_paragraphs_get_a_margin_reference_and_buttons_marked_as_the_editions():
    html = convert("Words.\n{ #III.12 }\n\n> Quoted.\n> { #III.13 .quoted-heading }")
    assert html.startswith('<p class="para" id="III.12"><span class="pmark" data-ed="ref" data-search-exclude>'
                           '<a class="pref" href="#III.12">III.12</a></span>Words.')
    assert "<button" not in html  # added by assets/edition.js, which they need
    assert '<p class="quoted-heading para" id="III.13">' in html
    assert html.count('data-ed="ref"') == 2


def test_only_the_essays_parts_are_references():
    # The parts come from chapters.PARTS: "VII.1" and "X.1" are not references of this essay.
    html = convert("Plain.\n\nA.\n{ #VII.1 }\n\nB.\n{ #X.1 }\n\nC.\n{ #C.3a }")
    assert html.count("pmark") == 1 and 'href="#C.3a"' in html
    assert on_tree("<p>Plain.</p>", render.mark_paragraphs) == "<p>Plain.</p>"


def test_editors_headings_are_labelled_and_every_section_heading_gets_a_copy_button():
    html = convert('## The post-Fordists { #post-fordists .ed-heading data-ed="heading" }\n\n'
                   "## John Holloway { #john-holloway }\n\n## Cite { #cite }\n\n# Part")
    assert '<span class="ed-badge" data-ed="badge" title="A heading added by the editors"></span>' in html
    assert html.count('class="copy-link"') == 2
    assert 'aria-label="Copy link to section John Holloway"' in html
    assert "<h1" in html and html.split("<h1")[1].count("copy-link") == 0


def test_pages_outside_the_essay_are_left_alone():
    from edition import mdext

    source = "Words.[^1]\n{ #III.12 }\n\n## A { #a }\n\n[^1]: Note."
    assert "pmark" not in convert(source, mdext.PageLayers(apparatus=False))
    assert "copy-link" not in convert(source, mdext.PageLayers(apparatus=False))


def test_the_reference_pattern_is_written_once():
    """Every pattern of a paragraph reference is built from chapters.PARTS (chapters.PART, chapters.REF);
    the scripts read the parts from the page. A copy of the parts' alternation anywhere else would drift."""
    from conftest import ROOT

    from edition import annotations, chapters

    copy = re.compile(r"\bII\|III\b|\bIV\|V\b|\bV\|VI\b")
    files = [*ROOT.joinpath("scripts").rglob("*.py"), *ROOT.joinpath("tests").rglob("*.py"),
             *ROOT.joinpath("docs", "assets").glob("*.js"), *ROOT.joinpath("overrides").rglob("*.html")]
    assert [str(f.relative_to(ROOT)) for f in files if copy.search(f.read_text(encoding="utf-8"))] == []
    for pattern in (chapters.REF_RE, annotations.REF_RE, annotations.REF_IN_TEXT, render.PARA_ID):
        assert re.search(pattern.pattern.strip("^$"), "VI.40") and not re.fullmatch(pattern.pattern.strip("^$"), "VII.1")
    assert [m.group(1) for m in annotations.REF_IN_TEXT.finditer("see VI.40, C.3a and VII.1 or X.2")] == ["VI.40", "C.3a"]


def test_finished_html_is_put_in_place_unparsed_in_a_note_and_as_a_block():
    # the notes' formatted text and the chapter's closing lists are finished HTML (mdext.raw_marker): Markdown
    # must neither parse them again (the stars stay stars, the brackets stay brackets) nor wrap a block in <p>
    layers = mdext.PageLayers(apparatus=True)
    note = mdext.raw_marker(layers, '<span class="note-text">a *starred* [word] &amp; more</span>')
    block = mdext.raw_marker(layers, '<ul>\n<li>one _two_</li>\n</ul>')
    source = f"Text.[^7]\n{{ #I.1 }}\n\n[^7]: {note}\n\n{block}\n"
    out = convert(source, layers)
    assert '<span class="note-text">a *starred* [word] &amp; more</span>' in out
    assert "<ul>\n<li>one _two_</li>\n</ul>" in out and "<p><ul>" not in out
    assert "ed-raw" not in out
    # without the layers' HTML, a marker is an HTML comment: nothing shows
    assert "starred" not in convert(source, mdext.PageLayers(apparatus=True))
