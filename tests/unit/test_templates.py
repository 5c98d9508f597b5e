"""The generated pages' templates: autoescape, and a project's override winning over the edition's own."""
from __future__ import annotations

import pytest

from conftest import ROOT, build_site, copy_project
from edition import glossary_pages, study_page, templates
from test_glossary_helpers import ENTRIES, chapters, edition, load


@pytest.fixture
def overrides(tmp_path):
    yield tmp_path
    templates.use_overrides(None)


def test_values_are_escaped_unless_they_are_html(overrides):
    templates.use_overrides(overrides)
    (overrides / "t.html").write_text("<p>{{ text }} {{ markup }}</p>", encoding="utf-8")
    out = templates.render("t.html", text="<b>&", markup=templates.Markup("<i>x</i>"))
    assert out == "<p>&lt;b&gt;&amp; <i>x</i></p>"


def test_a_file_in_the_overrides_folder_wins(overrides):
    before = templates.render("passage.html", **PASSAGE)
    assert "<blockquote><p>Words &lt;here&gt;.</p></blockquote>" in before
    templates.use_overrides(overrides)
    assert templates.render("passage.html", **PASSAGE) == before  # no file of that name there yet
    (overrides / "passage.html").write_text("Ours: {{ heading }}", encoding="utf-8")
    templates.use_overrides(None)
    templates.use_overrides(overrides)
    assert templates.render("passage.html", **PASSAGE) == "Ours: ¶ I.1"


def test_a_missing_value_is_an_error_not_an_empty_string():
    with pytest.raises(Exception, match="heading"):
        templates.render("passage.html", **{k: v for k, v in PASSAGE.items() if k != "heading"})


def test_front_matter_values_are_escaped_quoted_and_without_angle_brackets():
    value = templates.front_matter_value('A <b>"bold"</b>\n claim & more')
    assert value == '"A b&quot;bold&quot;/b claim &amp; more"'
    assert isinstance(value, templates.Markup)  # not escaped a second time by the template


def test_the_glossary_pages_are_templates_a_site_can_override(overrides):
    chaps = chapters()
    g, problems = load(ENTRIES, chaps)
    assert problems == []
    ed = edition(g, chaps)
    entry = g.entries[0]
    own = glossary_pages.term_page(ed, g, entry)
    assert f'<h1 id="{entry.slug}" class="gl-term">' in own
    templates.use_overrides(overrides)
    for name in ("glossary-term.md", "glossary.md", "glossary-print.md"):
        (overrides / name).write_text(f"{name}: {{{{ {'term' if name == 'glossary-term.md' else 'entries|length'} }}}}",
                                      encoding="utf-8")
    assert glossary_pages.term_page(ed, g, entry) == f"glossary-term.md: {entry.term}"
    assert glossary_pages.print_page(ed, g) == f"glossary-print.md: {len(g.entries)}"
    with pytest.raises(Exception, match="entries"):  # the index passes letters, not entries: StrictUndefined
        glossary_pages.index_page(ed, g)


def test_the_study_page_renders_through_the_one_rendering_function(overrides):
    templates.use_overrides(overrides)
    (overrides / "study.html").write_text("{{ total }} cards, data {{ data_json }}", encoding="utf-8")
    body = study_page.page_body([], [], [], {}, set(), {})
    assert body.startswith("0 cards, data {")
    assert "&#34;" not in body  # the cards' JSON goes in as it is (script_json makes it safe in <script>)


def test_no_page_builder_escapes_by_hand():
    """The generated pages' markup is in templates, escaped by autoescape, not by html.escape calls."""
    for name in ("glossary_pages.py", "study_page.py"):
        text = (ROOT / "scripts" / "edition" / name).read_text(encoding="utf-8")
        assert "html.escape" not in text and "esc(" not in text, name


@pytest.mark.slow
def test_a_site_uses_its_own_override(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "overrides" / "edition").mkdir()
    original = (project / "scripts" / "edition" / "templates" / "passage.html").read_text(encoding="utf-8")
    (project / "overrides" / "edition" / "passage.html").write_text(
        original.replace("<main>", '<main data-override="yes">'), encoding="utf-8")
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert '<main data-override="yes">' in (project / "site" / "p" / "V.12" / "index.html").read_text(encoding="utf-8")
    assert "data-override" not in (project / "site" / "bibliography" / "index.html").read_text(encoding="utf-8")


PASSAGE = dict(kind="passage", title="T", canonical="https://example.org/p/I.1/", target="../../one/#I.1",
               meta_tags=templates.Markup(""), jsonld=templates.Markup(""), target_json=templates.Markup('"x"'),
               author="A", editors="E", full_title="F", heading="¶ I.1", chapter_title="One", quote="",
               lines=["Words <here>."], citation=templates.Markup("<i>C</i>"))


def test_chapter_navigation_and_download_link_are_finished_html_from_templates():
    from types import SimpleNamespace

    from edition import epub, pages
    chaps = [SimpleNamespace(slug="index", title="Opening"), SimpleNamespace(slug="first", title="I. <One> & Two"),
             SimpleNamespace(slug="last", title="Conclusion")]
    ed = SimpleNamespace(chapters=chaps)
    assert pages.chapter_nav_html(ed, chaps[0]) == (
        '<nav aria-label="Previous and next part" class="ed-chapter-nav" data-ed="chapter-nav">\n'
        '<p><span class="ed-next"><a href="first/">I. &lt;One&gt; &amp; Two →</a></span></p>\n</nav>')
    middle = pages.chapter_nav_html(ed, chaps[1])
    assert '<span class="ed-prev"><a href="../">← Opening</a></span>\n<span class="ed-next"><a href="../last/">' in middle
    assert 'ed-next' not in pages.chapter_nav_html(ed, chaps[2])
    assert pages.chapter_nav_html(SimpleNamespace(chapters=chaps[:1]), chaps[0]) == ""
    link = epub.download_html("book 1.0.epub", 184_320, "../")
    assert link.startswith('<p class="ed-download" data-ed="download"><a href="../downloads/book 1.0.epub" download>')
    assert "(180 KB)" in link and link.endswith("</p>")
