"""The .bib readers download carries no evidence comments: they stay in the source only."""
from __future__ import annotations

from pathlib import Path

from edition.bib import parse_bibliography
from edition.pages import public_bibtex

BIB = Path(__file__).resolve().parents[1] / "fixtures" / "works.bib"  # some of bibliography.bib's works, with their comments


def test_the_downloadable_bib_has_no_comment_lines_and_the_same_entries():
    source = BIB.read_text(encoding="utf-8")
    assert "% evidence:" in source
    public = public_bibtex(source)
    assert not [line for line in public.splitlines() if line.lstrip().startswith("%")]
    assert parse_bibliography(public)[0].keys() == parse_bibliography(source)[0].keys()


def test_a_percent_inside_a_value_is_kept():
    text = "% evidence: title: https://example.org\n@book{k,\n  title = {50\\% off},\n}\n"
    assert public_bibtex(text) == "@book{k,\n  title = {50\\% off},\n}\n"
