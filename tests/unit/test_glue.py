"""The MkDocs glue's own checks: the settings the edition relies on, and fresh code under `mkdocs serve`."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from edition.glue import check_config
from edition.problems import EditionError

GOOD = {"use_directory_urls": True, "markdown_extensions": ["toc", "attr_list", "md_in_html", "footnotes", "abbr"]}


def test_a_configuration_with_what_the_edition_needs_passes():
    check_config(GOOD)


def test_missing_settings_are_all_reported_with_how_to_set_them():
    bad = {"use_directory_urls": False, "markdown_extensions": ["toc", {"attr_list": {}}]}
    with pytest.raises(EditionError) as err:
        check_config(bad)
    lines = [str(p) for p in err.value.problems]
    assert any("use_directory_urls is false" in line for line in lines)
    assert any("'md_in_html' is not enabled (add '- md_in_html' under markdown_extensions:)" in line for line in lines)
    assert any("'footnotes'" in line for line in lines)
    assert not any("'attr_list'" in line for line in lines)  # given with options, as a mapping


def test_under_mkdocs_serve_the_core_is_imported_afresh_on_each_build(monkeypatch):
    import hooks
    before = hooks.glue
    monkeypatch.setattr(hooks, "SERVING", True)
    monkeypatch.setattr(sys, "path", [p for p in sys.path if Path(p).resolve() != Path(hooks.SCRIPTS)])
    hooks._reload_core()  # as under mkdocs serve, whose rebuilds run without the scripts folder on the path
    assert hooks.glue is not before and hooks.glue is sys.modules["edition.glue"]
    assert hooks.PARTS == ("O", "I", "II", "III", "IV", "V", "VI", "C")


def passage_spec(ref: str, *paths: str) -> tuple[tuple[str, ...], dict[str, str]]:
    return (paths or (f"p/{ref}/index.html",)), dict(
        ref=ref, kind="passage", text=f"Words of {ref}.", heading=f"¶ {ref}", chapter_title="One",
        target=f"../../one/#{ref}", canonical=f"https://example.org/p/{ref}/", citation="C")


def test_the_short_reference_writer_is_a_child_process_bounded_in_time_whose_failure_is_reported(tmp_path):
    import subprocess
    import sys

    from edition import files, passages
    from edition.essay import essay_record
    header = passages.Header(essay_record({}), "https://example.org/")
    handed = []

    def specs():  # consumed by the build's thread, one page at a time, as the child's input is written
        for ref in ("I.1", "I.2"):
            handed.append(ref)
            yield passage_spec(ref)

    run = files.start_rendering(tmp_path, header, specs(), function="edition.passages:render")
    assert handed == ["I.1", "I.2"] and run.process.pid != 0
    assert files.finish_writing(run) == 2
    assert b"Words of I.2." in (tmp_path / "p" / "I.2" / "index.html").read_bytes()
    assert not Path(run.folder).exists()
    (tmp_path / "blocked").write_text("a file where a folder must go")
    run = files.start_rendering(tmp_path, header, [passage_spec("I.3", "blocked/p/index.html")],
                                function="edition.passages:render")
    with pytest.raises(OSError, match=r"status 1: .*(FileExistsError|NotADirectoryError)"):
        files.finish_writing(run)
    slow = files.Writing(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]), str(tmp_path / "x"), 0)
    with pytest.raises(TimeoutError):
        files.finish_writing(slow, timeout=0.2)  # a writer that never finishes does not hang the build
    assert slow.process.poll() is not None  # and is stopped


def test_a_failed_short_reference_writer_is_a_located_problem(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from edition import glue, pages
    from edition.problems import EditionError
    monkeypatch.setattr(pages, "short_ref_files", lambda ed: iter([("p/I.1/index.html", b"x")]))
    (tmp_path / "p").write_text("a file where a folder must go")
    for started in (None, (tmp_path, files_start(tmp_path))):  # written at the end, or by the child since on_files
        ed = SimpleNamespace(timings={}, cache_dir=None, _short_refs=started, _timed=lambda stage, t0: None,
                             save_caches=lambda: None)
        with pytest.raises(EditionError) as err:
            glue.Build.write_short_refs(ed, tmp_path)
        (problem,) = err.value.problems
        assert problem.kind == "site-write" and "could not be written" in problem.message


def files_start(site):
    from edition import files, passages
    from edition.essay import essay_record
    return files.start_rendering(site, passages.Header(essay_record({}), "https://example.org/"), [passage_spec("I.1")],
                                 function="edition.passages:render")




def test_the_helper_processes_run_below_the_builds_priority():
    import os
    import subprocess
    import sys

    from edition import files
    if not hasattr(os, "getpriority"):
        pytest.skip("no process priorities on this system")
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        files.in_background(child)
        assert os.getpriority(os.PRIO_PROCESS, child.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + files.BACKGROUND_NICENESS)
    finally:
        child.kill()
        child.wait()


def test_the_search_index_size_setting_must_be_a_whole_number_of_records():
    check_config({**GOOD, "extra": {"edition_search": {"records_per_index": 200}}})
    for bad in (0, -5, "many", 2.5, True):
        with pytest.raises(EditionError) as err:
            check_config({**GOOD, "extra": {"edition_search": {"records_per_index": bad}}})
        (problem,) = err.value.problems
        assert problem.kind == "config" and "records_per_index" in problem.message and "remove it" in problem.hint


def test_a_generated_page_lets_go_of_its_text_once_mkdocs_has_read_it(monkeypatch, tmp_path):
    # Held to the end of the build, each generated page's text was a second copy of it (57 MB at 50× the essay).
    from types import SimpleNamespace

    import hooks
    from mkdocs.structure.files import File

    class Edition:
        def word_count(self, src_uri):
            return 0

        def description(self, src_uri):
            return ""

        def page_markdown(self, src_uri, markdown):
            return f"<{src_uri}>{markdown}"

    monkeypatch.setattr(hooks, "STATE", Edition())
    config = SimpleNamespace(plugins=SimpleNamespace(_current_plugin=None), docs_dir=str(tmp_path), site_dir=str(tmp_path / "site"),
                             use_directory_urls=True)
    generated = File.generated(config, "whole.md", content="# The whole essay")
    (tmp_path / "index.md").write_text("# Home", encoding="utf-8")
    authored = File("index.md", str(tmp_path), str(tmp_path / "site"), False)
    for file in (generated, authored):
        page = SimpleNamespace(file=file, meta={})
        text = file.content_string
        assert hooks.on_page_markdown(text, page, config, None) == f"<{file.src_uri}>{text}"
    assert generated.content_string == ""
    assert authored.content_string == "# Home"  # a page on disk is MkDocs' to read as it likes


def test_the_editions_compiled_modules_are_kept_in_the_cache_folder_not_beside_the_sources(tmp_path):
    # With PYTHONDONTWRITEBYTECODE set (the Makefile sets it), the edition's modules were compiled on every build.
    import os
    import shutil
    import subprocess
    import sys

    scripts = Path(__file__).resolve().parents[2] / "scripts"
    shutil.copytree(scripts, tmp_path / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    probe = "import sys; sys.path.insert(0, 'scripts'); import hooks; print(sys.dont_write_bytecode, sys.pycache_prefix)"
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "None"]  # the interpreter's own settings are given back
    cached = {p.name.split(".")[0] for p in (tmp_path / ".cache" / "pycache").rglob("*.pyc")}
    assert {"glue", "chapters", "glossary", "mdext"} <= cached
    assert not list((tmp_path / "scripts").rglob("__pycache__"))


def test_the_garbage_collector_is_back_on_after_the_edition_is_prepared_even_when_it_fails(monkeypatch):
    import gc

    import hooks
    from mkdocs.exceptions import PluginError

    seen = []

    class Failing:
        def prepare(self):
            seen.append(gc.isenabled())
            raise hooks.EditionError([hooks.glue.Problem("glossary.yml", 3, "yaml-syntax", "bad")])

    monkeypatch.setattr(hooks, "STATE", Failing())
    assert gc.isenabled()
    with pytest.raises(PluginError):
        hooks.on_files(None, None)
    assert seen == [False]  # off while preparing
    assert gc.isenabled()


def test_the_short_reference_pages_are_made_by_the_writer_process_as_the_build_would_make_them(tmp_path):
    # The build's thread only hands over what each page shows; the child makes and writes the pages.
    from edition import files, passages
    from edition.essay import essay_record

    header = passages.Header(essay_record({}), "https://example.org/")
    specs = [(("p/I.1/index.html", "p/i.1/index.html"),
              dict(ref="I.1", kind="passage", text="Words <here>. And more.", heading="¶ I.1", chapter_title="One",
                   target="../../one/#I.1", canonical="https://example.org/p/I.1/", citation="<i>C</i>")),
             (("n/7/index.html",),
              dict(ref="7", kind="note", text="A note.", heading="note 7", chapter_title="One",
                   target="../../one/#fnref:7", canonical="https://example.org/n/7/", citation="C"))]
    run = files.start_rendering(tmp_path, header, iter(specs), function="edition.passages:render")
    assert files.finish_writing(run) == 3
    expected = dict(passages.render(header, specs))
    assert {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html")} == set(expected)
    assert all((tmp_path / rel).read_bytes() == data for rel, data in expected.items())
    assert b"Words &lt;here&gt;." in expected["p/i.1/index.html"]
    run = files.start_rendering(tmp_path, header, iter([(("x/index.html",), dict(ref="I.2"))]),
                                function="edition.passages:render")
    with pytest.raises(OSError, match=r"status 1: TypeError: .*passage_html\(\) missing"):
        files.finish_writing(run)  # the child's own last words
