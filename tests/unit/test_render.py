"""Chapter HTML post-processing: exact output for each behaviour (Python-Markdown's shapes)."""
from __future__ import annotations

import re

import markdown

from edition import render

EXTENSIONS = ["attr_list", "md_in_html", "footnotes", "sane_lists", "toc"]


def md(text):
    return markdown.markdown(text, extensions=EXTENSIONS)


def test_notes_show_the_authors_numbers_not_their_positions():
    html = render.label_footnotes(md("A claim.[^57]\n{ #II.40 }\n\n[^57]: A source."))
    assert ('<sup id="fnref:57" class="note-ref"><a class="footnote-ref" href="#fn:57" aria-label="Note 57">57</a></sup>'
            in html)
    assert '<li id="fn:57" value="57">' in html
    assert '<div class="footnote" data-ed="notes">\n<ol>' in html and "<hr" not in html
    assert 'aria-label="Back to note 57 in the text"' in html
    assert "Jump back to footnote 1" not in html


def test_notes_heading_comes_from_the_markdown_once():
    # The chapters carry NOTES_HEADING_MD, so that the table of contents lists the notes.
    html = render.chapter_html(md(f"A claim.[^57]\n{{ #II.40 }}\n\n{render.NOTES_HEADING_MD}\n\n"
                                  "///Footnotes Go Here///\n\n[^57]: A source."))
    assert html.count('id="notes"') == 1
    assert re.search(r'<h2 [^>]*data-ed="notes-heading"[^>]*id="notes"[^>]*>Notes.*?</h2>\n'
                     r'<div class="footnote" data-ed="notes">\n<ol>', html)
    assert "<hr" not in html


def test_paragraphs_get_a_margin_reference_and_buttons_marked_as_the_editions():
    html = render.mark_paragraphs(md("Words.\n{ #III.12 }\n\n> Quoted.\n> { #III.13 .quoted-heading }"))
    assert html.startswith('<p id="III.12" class="para"><span class="pmark" data-ed="ref" data-search-exclude>'
                           '<a class="pref" href="#III.12">III.12</a></span>Words.')
    assert "<button" not in html  # added by assets/edition.js, which they need
    assert '<p id="III.13" class="quoted-heading para">' in html
    assert html.count('data-ed="ref"') == 2


def test_paragraph_without_a_reference_is_left_alone():
    assert render.mark_paragraphs("<p>Plain.</p>") == "<p>Plain.</p>"


def test_editors_headings_are_labelled_and_every_section_heading_gets_a_copy_button():
    html = render.mark_headings(md('## The post-Fordists { #post-fordists .ed-heading data-ed="heading" }\n\n'
                                   "## John Holloway { #john-holloway }\n\n# Part"))
    assert '<span class="ed-badge" data-ed="badge" title="A heading added by the editors"></span>' in html
    assert html.count('class="copy-link"') == 2
    assert 'aria-label="Copy link to section John Holloway"' in html
    assert "<h1" in html and html.split("<h1")[1].count("copy-link") == 0
