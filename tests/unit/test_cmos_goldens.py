"""Every work's full note, short note and bibliography entry against CMOS 17, written by hand.

The expected text is in tests/fixtures/cmos-goldens.yml, one case per work in bibliography.bib, each
naming the CMOS sections it follows. It is never regenerated from the formatter: where the two
disagree, the formatter or the .bib is wrong (or the case is marked as a strict xfail with its reason
in the fixture, so that the test fails, and the mark must go, once the formatter gets it right).
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from citation_text import plain
from edition.glue import load_bibliography
from edition.cite import CitationFormatter

ROOT = Path(__file__).resolve().parents[2]
GOLDENS = ROOT / "tests" / "fixtures" / "cmos-goldens.yml"
FORMS = ("note", "short", "bibliography")


def _cases() -> list[dict]:
    return yaml.safe_load(GOLDENS.read_text(encoding="utf-8"))


CASES = _cases()


@pytest.fixture(scope="module")
def works():
    works, problems = load_bibliography(ROOT / "bibliography.bib")
    assert problems == []
    return works


@pytest.fixture(scope="module")
def fmt(works):
    return CitationFormatter(works)


def render(fmt: CitationFormatter, case: dict, form: str) -> str:
    key, locator = case["key"], case.get("locator")
    if form == "note":
        return fmt.note_html(key, locator, first=True)
    if form == "short":
        return fmt.note_html(key, locator, first=False)
    return fmt.bibliography_html(key)


def _params():
    for case in CASES:
        for form in FORMS:
            reason = (case.get("xfail") or {}).get(form)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(case, form, id=f"{case['key']}-{form}", marks=marks)


@pytest.mark.parametrize(("case", "form"), _params())
def test_formatter_matches_cmos(fmt, case, form):
    assert plain(render(fmt, case, form)) == case[form]


def test_every_work_has_one_golden_case(works):
    keys = [case["key"] for case in CASES]
    assert len(keys) == len(set(keys)), "a work has two cases"
    assert sorted(keys) == sorted(works), "cases and bibliography.bib differ"


@pytest.mark.parametrize("case", CASES, ids=[c["key"] for c in CASES])
def test_every_case_is_complete_and_names_its_sections(case):
    assert set(case) <= {"key", "cmos", "locator", "note", "short", "bibliography", "xfail", "comment"}
    assert case["cmos"] and all(isinstance(s, str) and s.strip() for s in case["cmos"])
    for form in FORMS:
        text = case[form]
        assert text == " ".join(text.split()), f"{form}: stray white space"
        assert text.count("*") % 2 == 0, f"{form}: unbalanced italics"
        assert text.endswith((".", ".”", ".’”", "?”", "…”")), form
    assert set(case.get("xfail") or {}) <= set(FORMS)
    for reason in (case.get("xfail") or {}).values():
        assert len(reason) > 40, "an xfail needs its reason"


def test_plain_text_form():
    assert plain('Paul Mason, <i>PostCapitalism</i> (London: Allen Lane, 2015), <a href="x">x</a>.') == (
        "Paul Mason, *PostCapitalism* (London: Allen Lane, 2015), x.")
    assert plain('<span class="nocase"><i>post</i>,</span> &amp; <i>a</i><i>b </i>c') == "*post*, & *ab* c"
