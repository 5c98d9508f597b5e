"""Bad input, end to end: a handful of real builds of the small project (tests/fixtures/small-project/).

Every kind of slip has its golden case in tests/fixtures/bad-input-cases.yml, checked in process by
tests/unit/test_bad_input_goldens.py. These builds check what only the real atomic build
(scripts/build_site.py, strict) shows: the exit code, the problem lines ``path:line: kind: message (hint)``
on the terminal, whole and all at once, and the previous site/ byte-for-byte unchanged with no temporary
folder left behind; and that HTML in the data fields the editors write is shown as text, never run.
"""
from __future__ import annotations

import hashlib
import html.parser
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import html as lxml_html

# tests/conftest.py by its path: `from conftest import ...` finds tests/unit/conftest.py instead when
# pytest is given tests/unit before this file.
_spec = importlib.util.spec_from_file_location("_top_conftest", Path(__file__).with_name("conftest.py"))
_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_conftest)
ROOT, build_site = _conftest.ROOT, _conftest.build_site

sys.path.insert(0, str(ROOT / "scripts"))

PROBLEM_LINE = re.compile(r"^[^\s:]+:\d+: [a-z][\w-]*: .+$")

#: The small project (two short chapters, a two-entry bibliography, a three-term glossary, two annotations),
#: shared with the in-process cases (tests/unit/test_bad_input_goldens.py).
SMALL = ROOT / "tests" / "fixtures" / "small-project"
NAV = re.search(r"^nav:\n(?:  - .*\n)+", (SMALL / "mkdocs.yml").read_text(encoding="utf-8"), flags=re.M).group(0)


def make_project(dest: Path) -> Path:
    """The small project with the real mkdocs.yml (its nav cut to the two chapters), theme and assets."""
    dest.mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, n_nav = re.subn(r"^nav:\n(?:  - .*\n)+", NAV, config, flags=re.M)
    config, n_hooks = re.subn(r"^(hooks:\n  - )scripts/hooks\.py$", rf"\g<1>{ROOT / 'scripts' / 'hooks.py'}",
                              config, flags=re.M)
    config = re.sub(r"^watch:\n(?:  - .*\n)+", "", config, flags=re.M)
    assert n_nav == n_hooks == 1, "mkdocs.yml no longer has the nav:/hooks: layout this fixture adapts"
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    shutil.copytree(ROOT / "docs" / "assets", dest / "docs" / "assets")
    for page in sorted((SMALL / "docs").glob("*.md")):
        shutil.copy2(page, dest / "docs" / page.name)
    for name in ("bibliography.bib", "glossary.yml", "edition.yml", "annotations.yml"):
        shutil.copy2(SMALL / name, dest / name)
    return dest


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    """The minimal project, built once: it must build cleanly, or no defect test means anything."""
    project = make_project(tmp_path_factory.mktemp("minimal") / "project")
    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not [line for line in result.stderr.splitlines() if PROBLEM_LINE.match(line)]
    return project


@pytest.fixture
def project(built_project, tmp_path) -> Path:
    """A fresh copy of the built minimal project (sources and site/) for one test to damage."""
    return Path(shutil.copytree(built_project, tmp_path / "project"))


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def hashes(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if PROBLEM_LINE.match(line)]


def build_fails(project: Path) -> subprocess.CompletedProcess:
    """Build the damaged project: it must fail and leave site/ exactly as it was, with no leftovers."""
    before = hashes(project / "site")
    assert before, "the minimal project's site/ is empty"
    result = build_site(project, project / "site")
    assert result.returncode != 0, result.stderr
    assert "build failed: site/ left as it was" in result.stderr
    assert hashes(project / "site") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site-") or p.name == "site.old") == []
    return result


def fails_with(project: Path, *expected: str) -> subprocess.CompletedProcess:
    """The build fails with exactly these problem lines (in the build's order), and nothing else."""
    result = build_fails(project)
    assert problem_lines(result.stderr) == list(expected), result.stderr
    if expected:
        count = len(expected)
        assert f"the edition's sources have {count} problem{'s' if count > 1 else ''} (listed above)" in result.stderr
    assert "Traceback" not in result.stderr
    return result


# -- 1. A clean build, and what the build makes of the small project ----------------------------------
def test_the_small_project_builds_cleanly_with_its_annotations(built_project):
    site = built_project / "site"
    for name in ("index.html", "one/index.html", "two/index.html", "bibliography/index.html",
                 "whole/index.html", "about/index.html", "p/I.1/index.html", "n/3/index.html"):
        assert (site / name).is_file(), name
    assert 'id="fn:3"' in page(built_project, "two/index.html")
    assert not list(built_project.glob(".site-*"))
    one = lxml_html.fromstring(page(built_project, "one/index.html"))  # attributes in any order
    [words] = one.xpath('//span[@id="anref:knowledge-economy"]')
    assert (words.get("class"), words.get("data-annot"), words.text) == ("ed-annot", "knowledge-economy", "a knowledge economy")
    sigil = words.getnext()
    assert (sigil.tag, sigil.get("class"), sigil.get("href")) == ("a", "ed-annot-ref", "#an:knowledge-economy")
    assert sigil.get("data-search-exclude") is not None
    [item] = one.xpath('//li[@id="an:knowledge-economy"]')
    assert (item.get("class"), item.get("data-kind")) == ("ed-annot-item", "allusion")
    listed = lxml_html.fromstring(page(built_project, "annotations/index.html"))
    assert listed.xpath('//h4[@id="last-words"]')[0].get("class") == "ed-annot-title"
    assert "two/#anref:last-words" in page(built_project, "a/last-words/index.html")
    assert 'id="an:last-words"' in page(built_project, "whole/index.html")


# -- 2. Bad input fails the build, every problem on its own line, the previous site intact -----------------
# Each kind of slip has its golden case in tests/fixtures/bad-input-cases.yml, checked in process; these
# few builds check what only a real build shows: the exit, the lines on the terminal, the site left alone.
def test_a_bad_chapter_fails_the_build_and_leaves_the_site_byte_for_byte(project):
    edit(project, "docs/two.md", "{ #II.2 }", "{ #II.1 }")
    result = fails_with(project, "docs/two.md:6: paragraph-ref-duplicate: reference II.1 is already used "
                                 "(first used in docs/two.md:3; keep the published one; delete the other and run "
                                 "'make refs')")
    assert result.returncode == 1


def test_a_bad_bibliography_is_reported_whole_even_on_a_narrow_terminal(project):
    """MkDocs re-wraps log messages to the terminal's width; the problem lines must stay whole."""
    edit(project, "bibliography.bib", "title = {The Wealth of Networks},", "title = {The Wealth of Networks,")
    edit(project, "docs/one.md", "[@mason2015postcapitalism]", "[@mason2015postcapitalsm]")
    expected = ["bibliography.bib:3: bib-syntax: unclosed brace: the '{' on line 3 is never closed "
                "(close it with '}'; the entry starting on line 1 could not be read)",
                "docs/one.md:12: unknown-key: no work with the key 'mason2015postcapitalsm' in bibliography.bib "
                "(did you mean 'mason2015postcapitalism'?)"]
    if shutil.which("script") is None:  # script(1) gives the build a terminal
        fails_with(project, *expected)
        return
    before = hashes(project / "site")
    command = (f"stty cols 40; {sys.executable} {ROOT / 'scripts' / 'build_site.py'} "
               f"--config {project / 'mkdocs.yml'} --site-dir {project / 'site'}")
    result = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, text=True,
                            cwd=project, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1",
                                              "TERM": "xterm", "HOME": str(project)})
    assert result.returncode != 0
    lines = result.stdout.replace("\r\n", "\n").splitlines()
    assert [line for line in lines if PROBLEM_LINE.match(line)] == expected, result.stdout
    assert hashes(project / "site") == before


def test_glossary_and_annotation_problems_are_reported_with_the_others_all_at_once(project):
    edit(project, "bibliography.bib", "  publisher = {Allen Lane},\n", "")
    edit(project, "glossary.yml", "see_also: [paul-mason]", "see_also: [paul-masson]")
    edit(project, "annotations.yml", "kind: allusion", "kind: alusion")
    result = build_fails(project)
    kinds = [line.split(": ")[1] for line in problem_lines(result.stderr)]
    assert kinds == ["annotation-kind", "bib-missing-field", "glossary-see-also"], result.stderr  # by file
    assert "the edition's sources have 3 problems (listed above)" in result.stderr
    assert "Traceback" not in result.stderr


def test_warnings_fail_the_strict_build_even_though_the_build_is_quiet(project):
    """--quiet silences MkDocs' warnings, which --strict then does not count: the hooks undo that."""
    edit(project, "docs/one.md", "A third paragraph on post-capitalism.",
         "A third paragraph on post-capitalism. [See](nowhere.md), [again](two.md#II.9).")
    result = build_fails(project)
    assert "Doc file 'one.md' contains a link 'nowhere.md', but the target is not found" in result.stderr
    assert "contains a link 'two.md#II.9', but the doc 'two.md' does not contain an anchor '#II.9'" in result.stderr
    assert "in strict mode" in result.stdout + result.stderr


# -- 3. HTML in the data fields is text ---------------------------------------------------------------
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(2)>'
ESCAPED = "&lt;script&gt;alert"


class _Elements(html.parser.HTMLParser):
    """Script elements (type, text), event-handler attributes and meta contents of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[list[str]] = []
        self.handlers: list[tuple[str, str]] = []
        self.metas: dict[str, str] = {}
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append([dict(attrs).get("type") or "", ""])
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        if tag == "meta":
            named = dict(attrs)
            key = named.get("name") or named.get("property")
            if key:
                self.metas[key] = named.get("content") or ""

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1][1] += data


def assert_not_injected(site: Path) -> None:
    """No page of the site runs the payload: no script element of it, no event-handler attribute, and
    data embedded as JSON in a script element is still whole JSON (a '</script>' did not break out)."""
    for page in site.rglob("*.html"):
        elements = _Elements()
        elements.feed(page.read_text(encoding="utf-8"))
        for kind, text in elements.scripts:
            if kind in ("application/json", "application/ld+json"):  # data, never run: it must stay whole JSON
                json.loads(text)
            else:
                assert "alert(" not in text, page
        assert elements.handlers == [], page


def page(project: Path, name: str) -> str:
    return (project / "site" / name).read_text(encoding="utf-8")


def test_html_in_every_data_field_is_shown_as_text_and_the_site_is_replaced(project):
    """BibTeX fields, a note's plain words, the chapter's escaped text (also in the page description), every
    glossary field, the editorial record and an annotation: data, shown as text, never run."""
    edit(project, "bibliography.bib", "title = {The Wealth of Networks}", "title = {The Wealth of " + PAYLOAD + "}")
    edit(project, "bibliography.bib", "publisher = {Yale University Press}", "publisher = {Yale <b>Press</b>}")
    edit(project, "docs/one.md", "[^2]: [@benkler2006wealth, 27] <!-- level: named; why: the sentence names Benkler; "
                                 "page: test source -->", "[^2]: Source not found: " + PAYLOAD + " <!-- level: unknown -->")
    edit(project, "docs/two.md", "[^3]: [@mason2015postcapitalism]", "[^3]: [@mason2015postcapitalism; @benkler2006wealth]")
    edit(project, "docs/one.md", "Capitalist techno-utopianism promised",
         'The tag &lt;script&gt;alert(1)&lt;/script&gt; and "quotes" promised')
    fields = {"term": "Mason", "short": "Short", "long": "Long", "who": "Who", "never_occurs": "Reason"}
    entry = "- slug: mason-html\n  kind: person\n  see_also: []\n"
    entry += "".join(f"  {name}: {json.dumps(word + ' ' + PAYLOAD)}\n" for name, word in fields.items())
    entry += f"  aliases: [{json.dumps('Alias ' + PAYLOAD)}]\n"
    glossary = project / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + entry, encoding="utf-8")
    edit(project, "edition.yml", "    why: word split over a page break", f"    why: '{PAYLOAD}'")
    edit(project, "annotations.yml", "  text: The end.", f"  text: '{PAYLOAD}'")
    edit(project, "annotations.yml", '"An example page"', f"'{PAYLOAD}'")

    result = build_site(project, project / "site")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site-") or p.name == "site.old") == []
    assert_not_injected(project / "site")
    for name in ("bibliography/index.html", "one/index.html", "whole/index.html", "about/index.html",
                 "two/index.html", "annotations/index.html"):
        assert ESCAPED in page(project, name), name
    assert "Yale &lt;b&gt;Press&lt;/b&gt;" in page(project, "bibliography/index.html")
    for name in ("one/index.html", "whole/index.html"):
        assert "Source not found: &lt;script&gt;alert" in page(project, name), name
    elements = _Elements()
    elements.feed(page(project, "one/index.html"))
    assert elements.metas["description"].startswith('The tag <script>alert(1)</script> and "quotes" promised')
    assert elements.metas["og:description"] == elements.metas["description"]
    shown = "\n".join(p.read_text(encoding="utf-8") for p in (project / "site" / "glossary").rglob("*.html"))
    for word in [*fields.values(), "Alias"]:
        assert f"{word} &lt;script&gt;alert(" in shown, word
