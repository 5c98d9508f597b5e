"""Bad input in annotations.yml: located problems, all at once, and the previous site left intact.

The same pattern as tests/test_bad_input.py (whose helpers this uses): the small project that builds
cleanly, here with two annotations, is built once; each test copies it, plants one defect, runs the
real atomic build and checks the exact problem lines on stderr and that site/ is unchanged.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import test_bad_input as bad
from test_bad_input import ESCAPED, PAYLOAD, assert_not_injected, build_fails, edit, fails_with, page, problem_lines

ANNOTATIONS = """\
# annotations of the small project
- id: knowledge-economy
  ref: I.1
  quote: "a knowledge economy"
  kind: allusion
  confidence: certain
  text: A phrase of the *information society* literature; see II.1.
  sources:
    - bib: benkler2006wealth

- id: last-words
  ref: II.2
  quote: "A last paragraph"
  kind: cross-reference
  confidence: probable
  glossary: paul-mason
  text: The end.
  sources:
    - title: "An example page"
      url: https://example.org/page
"""


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    project = bad.make_project(tmp_path_factory.mktemp("annotated") / "project")
    (project / "annotations.yml").write_text(ANNOTATIONS, encoding="utf-8")
    result = bad.build_site(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert problem_lines(result.stderr) == []
    return project


@pytest.fixture
def project(built_project, tmp_path) -> Path:
    return Path(shutil.copytree(built_project, tmp_path / "project"))


def test_the_small_project_builds_with_its_annotations(built_project):
    one = page(built_project, "one/index.html")
    assert '<span class="ed-annot" id="anref:knowledge-economy" data-annot="knowledge-economy">a knowledge economy' \
           '</span><a class="ed-annot-ref" data-ed="annot-ref" data-search-exclude href="#an:knowledge-economy"' in one
    assert '<li id="an:knowledge-economy" class="ed-annot-item" data-kind="allusion">' in one
    assert '<h4 id="last-words" class="ed-annot-title">' in page(built_project, "annotations/index.html")
    assert "two/#anref:last-words" in page(built_project, "a/last-words/index.html")
    assert 'id="an:last-words"' in page(built_project, "whole/index.html")


def test_words_not_in_their_paragraph(project):
    edit(project, "annotations.yml", 'quote: "a knowledge economy"', 'quote: "a knowledge econmy"')
    fails_with(project, "annotations.yml:4: annotation-quote: the quoted words of 'knowledge-economy' are not in "
                        "paragraph I.1: 'a knowledge econmy' (did you mean 'a knowledge economy,'?)")


def test_words_that_are_in_another_paragraph_name_it(project):
    edit(project, "annotations.yml", "  ref: II.2", "  ref: II.1")
    fails_with(project, "annotations.yml:13: annotation-quote: the quoted words of 'last-words' are not in paragraph "
                        "II.1: 'A last paragraph' (they are in II.2: move the annotation there)")


def test_unknown_paragraph_reference_suggests_a_close_one(project):
    edit(project, "annotations.yml", "  ref: I.1", "  ref: I.4")
    fails_with(project, "annotations.yml:3: annotation-ref: annotation 'knowledge-economy' names paragraph 'I.4', "
                        "which does not exist (the quoted words are in I.1)")


def test_duplicate_id(project):
    edit(project, "annotations.yml", "- id: last-words", "- id: knowledge-economy")
    fails_with(project, "annotations.yml:11: annotation-duplicate: id 'knowledge-economy' is used twice (also the id "
                        "of the annotation at line 2; ids are permanent addresses (/a/<id>/), give this one another)")


def test_unknown_bib_key_suggests_the_closest(project):
    edit(project, "annotations.yml", "bib: benkler2006wealth", "bib: benkler2006welth")
    fails_with(project, "annotations.yml:9: annotation-bib: no work with the key 'benkler2006welth' in "
                        "bibliography.bib (did you mean 'benkler2006wealth'?)")


def test_unknown_kind(project):
    edit(project, "annotations.yml", "kind: allusion", "kind: alusion")
    fails_with(project, "annotations.yml:5: annotation-kind: unknown kind 'alusion' in annotation "
                        "'knowledge-economy' (did you mean 'allusion'?)")


def test_an_id_like_a_paragraph_reference(project):
    edit(project, "annotations.yml", "- id: last-words", "- id: II.2")
    lines = problem_lines(build_fails(project).stderr)
    assert lines == ["annotations.yml:11: annotation-id: id 'II.2' is not usable: it looks like a paragraph reference "
                     "(lower-case ASCII letters, digits and single hyphens, starting with a letter, at most 60 "
                     "characters (e.g. seattle-wto-protests); never change a published id)"]


def test_yaml_syntax_error(project):
    edit(project, "annotations.yml", "  text: The end.", "  text: The: end.")
    lines = problem_lines(build_fails(project).stderr)
    assert len(lines) == 1 and lines[0].startswith("annotations.yml:17: yaml-syntax: mapping values are not allowed")


def test_annotation_problems_are_reported_with_the_others_all_at_once(project):
    edit(project, "bibliography.bib", "  publisher = {Allen Lane},\n", "")
    edit(project, "annotations.yml", "kind: allusion", "kind: alusion")
    edit(project, "annotations.yml", "glossary: paul-mason", "glossary: paul-masson")
    result = build_fails(project)
    kinds = [line.split(": ")[1] for line in problem_lines(result.stderr)]
    assert kinds == ["annotation-kind", "annotation-glossary", "bib-missing-field"], result.stderr
    assert "the edition's sources have 3 problems (listed above)" in result.stderr


def test_a_chapter_problem_does_not_also_report_its_annotations(project):
    """Text the build could not read is not searched for quoted words: no false 'not in paragraph'."""
    edit(project, "docs/two.md", "A last paragraph.\n{ #II.2 }", "A last paragraph.")
    lines = problem_lines(build_fails(project).stderr)
    assert [line.split(": ")[1] for line in lines] == ["paragraph-ref-missing"], lines


def test_html_in_an_annotation_is_shown_as_text(project):
    edit(project, "annotations.yml", "  text: The end.", f"  text: '{PAYLOAD}'")
    edit(project, "annotations.yml", '"An example page"', f"'{PAYLOAD}'")
    result = bad.build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert_not_injected(project / "site")
    for name in ("two/index.html", "annotations/index.html", "whole/index.html"):
        assert ESCAPED in page(project, name), name
