"""Bad input, in process: each case of tests/fixtures/bad-input-cases.yml plants defects in the small project
(tests/fixtures/small-project/) and compares the problems the build reports with the case's golden lines.

The project is held in memory and handed to the glue's own entry point (glue.Build.from_sources, then
prepare(), as on_files does): the same checks, in the same order, as a real build, without MkDocs or a
disk. tests/test_bad_input.py keeps a few real builds: that the lines reach the terminal whole, and that
a failed build leaves the previous site as it was.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from edition import glue
from edition.files import Sources
from edition.problems import EditionError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PROJECT = FIXTURES / "small-project"
CASES = yaml.safe_load((FIXTURES / "bad-input-cases.yml").read_text(encoding="utf-8"))
ROOT = Path("/small-project")  # where the project seems to lie; nothing is read or written there
EXTRA = {"edition": {"version": "1.0.0", "date": "2026-01-01"}}


def small_project(annotated: bool = False) -> dict[str, bytes]:
    """The small project's files by path (docs/one.md, bibliography.bib…)."""
    files = {p.relative_to(PROJECT).as_posix(): p.read_bytes() for p in sorted(PROJECT.rglob("*")) if p.is_file()}
    if not annotated:
        del files["annotations.yml"]
    return files


def apply(files: dict[str, bytes], change: dict[str, object]) -> None:
    (op, arg), = change.items()
    if op == "delete":
        del files[str(arg)]
        return
    assert isinstance(arg, list)
    name = arg[0]
    if op == "rename":
        files[arg[1]] = files.pop(name)
    elif op == "write":
        files[name] = arg[1].encode("utf-8")
    elif op == "append":
        files[name] += arg[1].encode("utf-8")
    elif op in ("edit", "bytes"):
        old, new = arg[1].encode("utf-8"), arg[2].encode("latin-1" if op == "bytes" else "utf-8")
        assert files[name].count(old) == 1, f"{arg[1]!r} is not once in {name}"
        files[name] = files[name].replace(old, new)
    else:
        raise ValueError(f"unknown change {op!r}")


def sources(files: dict[str, bytes]) -> Sources:
    docs = {name.removeprefix("docs/"): data for name, data in files.items()
            if name.startswith("docs/") and name.count("/") == 1 and name.endswith(".md")}
    src = Sources(ROOT, ROOT / "docs", ROOT / "mkdocs.yml", docs, glossary=files.get("glossary.yml"),
                  annotations=files.get("annotations.yml"), record=files.get("edition.yml"),
                  config_text=files["mkdocs.yml"].decode("utf-8"))
    src.bib = files.get("bibliography.bib")
    if src.bib is None:
        src.bib_error = "No such file or directory"
    return src


def reported(files: dict[str, bytes]) -> list[str]:
    """The problem lines the build prints for these files (none: it would go on to write the site)."""
    config = {"nav": yaml.safe_load(files["mkdocs.yml"])["nav"], "site_url": "https://example.org/", "extra": EXTRA}
    build = glue.Build.from_sources(sources(files), config)
    try:
        build.prepare()
    except EditionError as err:
        return [str(p) for p in err.problems]
    return []


def test_the_small_project_has_no_problem():
    assert reported(small_project()) == []
    assert reported(small_project(annotated=True)) == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case):
    files = small_project(case.get("annotated", False))
    for change in case["changes"]:
        apply(files, change)
    lines = reported(files)
    if "problems" in case:
        assert lines == case["problems"]
    else:
        assert len(lines) == len(case["matches"]), lines
        for line, pattern in zip(lines, case["matches"]):
            assert re.search(pattern, line), (pattern, line)


def test_the_cases_cover_every_kind_of_problem_the_sources_can_have():
    """A kind of the catalogue that no case plants is listed here, with why."""
    from edition.problems import CATALOGUE

    planted = set()
    for case in CASES:
        for line in case.get("problems", []) + case.get("matches", []):
            m = re.search(r": ([a-z][\w-]*): ", line)
            if m:
                planted.add(m.group(1))
    assert planted <= set(CATALOGUE), planted - set(CATALOGUE)
    assert len(planted) >= 30
