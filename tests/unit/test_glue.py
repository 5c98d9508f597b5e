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


def test_the_short_reference_writer_reports_its_failure_and_is_bounded(tmp_path):
    import threading
    from concurrent.futures import Future

    from edition import files
    files.finish_writing(files.start_writing(tmp_path, [("p/I.1/index.html", b"x")]))
    assert (tmp_path / "p" / "I.1" / "index.html").read_bytes() == b"x"
    (tmp_path / "blocked").write_text("a file where a folder must go")
    with pytest.raises(OSError):
        files.finish_writing(files.start_writing(tmp_path, [("blocked/p/index.html", b"x")]))
    for thread in [t for t in threading.enumerate() if t.name.startswith("edition-short-refs")]:
        thread.join(timeout=5)  # a writer's thread ends once its work is done: none is left behind
        assert not thread.is_alive()
    with pytest.raises(TimeoutError):
        files.finish_writing(Future(), timeout=0.05)  # a writer that never finishes does not hang the build
