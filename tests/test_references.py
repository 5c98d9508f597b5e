"""Paragraph references are permanent: stored with the source, never recomputed from position."""
from __future__ import annotations

import re

from conftest import build_site, copy_project

from edition.render import PARA_ID as REF  # the parts from chapters.PARTS

PARA_ID = re.compile(rf'<(?:p|li)\s[^>]*\bid="({REF.pattern})"')
CHAPTERS = ["index", "capitalist-techno-utopianism", "leftist-techno-utopianism", "other-techno-utopianisms",
            "analysis", "paul-mason", "critiques-of-mason", "conclusion"]


def ids_by_chapter(site):
    out = {}
    for slug in CHAPTERS:
        page = site / ("index.html" if slug == "index" else f"{slug}/index.html")
        out[slug] = PARA_ID.findall(page.read_text(encoding="utf-8"))
    return out


def test_every_paragraph_has_a_unique_visible_reference(site):
    ids = [i for found in ids_by_chapter(site).values() for i in found]
    assert len(ids) == len(set(ids)) > 400
    page = (site / "paul-mason" / "index.html").read_text(encoding="utf-8")
    assert '<a class="pref" href="#V.12">V.12</a>' in page
    # the reference stays out of the search index; its buttons come from assets/edition.js
    # (tests/browser/test_passages.py clicks them)
    assert '<span class="pmark" data-ed="ref" data-search-exclude><a class="pref" href="#V.12">V.12</a></span>' in page
    assert 'aria-label="Copy link to paragraph V.12"' not in page


def test_ids_survive_a_rebuild_an_unrelated_edit_and_an_inserted_paragraph(site, tmp_path):
    import sys

    before = ids_by_chapter(site)
    project = copy_project(tmp_path / "project")
    # An unrelated edit to another chapter: a corrected word in part V.
    mason = project / "docs" / "paul-mason.md"
    mason.write_text(mason.read_text(encoding="utf-8").replace("abou supervising", "about supervising"), encoding="utf-8")
    # A paragraph inserted in part III (a later correction splitting a paragraph), then numbered.
    part3 = project / "docs" / "other-techno-utopianisms.md"
    text = part3.read_text(encoding="utf-8")
    text = text.replace("{ #III.2 }\n", "{ #III.2 }\n\nA paragraph restored by a later correction.\n", 1)
    part3.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(project / "scripts"))
    from refs import number_new_paragraphs

    refs = {i for found in before.values() for i in found}
    new_text, added = number_new_paragraphs(text, "III", refs)
    assert added == ["III.2a"]
    part3.write_text(new_text, encoding="utf-8")
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    after = ids_by_chapter(project / "site")
    for slug in CHAPTERS:
        expected = before[slug]
        if slug == "other-techno-utopianisms":
            expected = expected[:2] + ["III.2a"] + expected[2:]
        assert after[slug] == expected, slug


def test_numbering_new_paragraphs_never_renumbers():
    import refs as refs_tool

    taken = {"III.1", "III.2", "III.3"}
    assert refs_tool.next_ref("III.3", set(taken), "III") == "III.4"
    assert refs_tool.next_ref("III.1", set(taken), "III") == "III.1a"
    assert refs_tool.next_ref("III.1", taken | {"III.1a"}, "III") == "III.1b"
    assert refs_tool.next_ref(None, set(taken), "III") == "III.0a"


def test_a_renamed_chapter_keeps_its_old_url_through_a_redirect(tmp_path):
    import anchors as contract

    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("paul-mason.md", "mason.md").replace("redirect_maps: {}",
                                                              "redirect_maps:\n        paul-mason.md: mason.md")
    config.write_text(text, encoding="utf-8")
    (project / "docs" / "paul-mason.md").rename(project / "docs" / "mason.md")
    for path in (project / "docs").glob("*.md"):  # links in other pages follow the move
        path.write_text(path.read_text(encoding="utf-8").replace("(paul-mason.md", "(mason.md"), encoding="utf-8")
    (project / "glossary.yml").write_text((project / "glossary.yml").read_text(encoding="utf-8")
                                          .replace("paul-mason.md", "mason.md"), encoding="utf-8")
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr[-2000:]
    old = (project / "site" / "paul-mason" / "index.html").read_text(encoding="utf-8")
    assert "mason/" in old and "refresh" in old
    assert contract.missing(project / "site", ["/paul-mason/", "/mason/#V.12"]) == []
