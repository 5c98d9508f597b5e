"""The generated pages' templates: autoescape, and a project's override winning over the edition's own."""
from __future__ import annotations

import pytest

from conftest import build_site, copy_project
from edition import templates


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
