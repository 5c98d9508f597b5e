"""scripts/edition/citations.py: pandoc-style citations inside a note definition."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edition.citations import KEY_RE, Citation, check_keys, parse_citations
from edition.problems import Problem

PATH = "docs/chapter-5.md"


@pytest.mark.parametrize("text, expected", [
    ("[@key]", [Citation("key", None)]),
    ("[@key, 27]", [Citation("key", "27")]),
    ("[@key, pp. 27-29]", [Citation("key", "pp. 27-29")]),
    ("[@a; @b, 12]", [Citation("a", None), Citation("b", "12")]),
    ("[@a, 3; @b]", [Citation("a", "3"), Citation("b", None)]),
    ("[ @mason2015postcapitalism ,  112 ]", [Citation("mason2015postcapitalism", "112")]),
    ("Mason's view [@mason2015postcapitalism, 112]; compare [@graeber2012liberation].",
     [Citation("mason2015postcapitalism", "112"), Citation("graeber2012liberation", None)]),
    ("[@doe:2001.x-y/z, chap. 3]", [Citation("doe:2001.x-y/z", "chap. 3")]),
    ("[@key, pp. 27–29,\n 31]", [Citation("key", "pp. 27–29, 31")]),
])
def test_accepted_forms(text, expected):
    citations, problems = parse_citations(text, PATH, 7)
    assert problems == []
    assert citations == expected


@pytest.mark.parametrize("text", [
    "no citation here", "[^12]", "[sic]", "[a link](http://x.org/@user)", "mail me@example.org",
    r"an escaped \[@key] bracket", "[-@key]", "@key without brackets",
])
def test_other_brackets_and_at_signs_are_plain_text(text):
    assert parse_citations(text, PATH, 1) == ([], [])


@pytest.mark.parametrize("text, message, hint", [
    ("[@]", "without a key", "right after @"),
    ("[@key,", "not closed", "']'"),
    ("see [@key, 27", "not closed", "']'"),
    ("[@ key]", "space after '@'", "[@key]"),
    ("[@key, ]", "empty locator", "[@key, 27]"),
    ("[@key,]", "empty locator", "remove the comma"),
    ("[@a @b]", "unexpected '@b'", "';'"),
    ("[@a;; @b]", "empty citation", "';'"),
    ("[@a; b]", "is not a citation", "@"),
    ("[@-x]", "is not a citation key", "letter"),
])
def test_malformed_forms_are_located_problems(text, message, hint):
    citations, problems = parse_citations(text, PATH, 12)
    assert len(problems) == 1, problems
    p = problems[0]
    assert (p.path, p.line, p.kind) == (PATH, 12, "citation-syntax")
    assert message in p.message and hint in p.hint, p


def test_a_bad_group_does_not_hide_the_good_ones():
    text = "first [@a, 1]\nthen [@ b]\nand [@c; @d, 4] and [@e"
    citations, problems = parse_citations(text, PATH, 40)
    assert citations == [Citation("a", "1"), Citation("c", None), Citation("d", "4")]
    assert [(p.line, p.kind) for p in problems] == [(41, "citation-syntax"), (42, "citation-syntax")]


def test_unclosed_group_followed_by_a_good_one():
    citations, problems = parse_citations("[@a, 12 [@b]", PATH, 3)
    assert citations == [Citation("b", None)]
    assert len(problems) == 1 and "not closed" in problems[0].message


def test_check_keys_reports_unknown_keys_with_a_suggestion():
    works = {"mason2015postcapitalism": object(), "graeber2012liberation": object()}
    citations = [Citation("mason2015postcapitalsm", "1"), Citation("graeber2012liberation"), Citation("zzz")]
    problems = check_keys(citations, works, PATH, 9)
    assert [(p.line, p.kind) for p in problems] == [(9, "unknown-key"), (9, "unknown-key")]
    assert "mason2015postcapitalsm" in problems[0].message
    assert "did you mean 'mason2015postcapitalism'?" == problems[0].hint
    assert problems[1].hint  # no close match: still tells what to do
    assert check_keys([Citation("graeber2012liberation")], works, PATH, 9) == []


# ----------------------------------------------------------------------------------------------
# Properties: any text is handled, never raises, never hangs
# ----------------------------------------------------------------------------------------------
NOTEY = st.text(alphabet=st.sampled_from(list("[]@;,  -.:\n\\^abcxyz019_é\t{}")), max_size=200)
ANY_TEXT = st.one_of(st.text(max_size=300), NOTEY)


@settings(max_examples=600, deadline=None)
@given(text=ANY_TEXT, line=st.integers(min_value=1, max_value=10_000))
def test_parse_citations_is_total(text, line):
    citations, problems = parse_citations(text, PATH, line)
    assert isinstance(citations, list) and isinstance(problems, list)
    last_line = line + text.count("\n")
    for c in citations:
        assert isinstance(c, Citation)
        assert KEY_RE.fullmatch(c.key)
        assert c.locator is None or (c.locator == c.locator.strip() and c.locator and ";" not in c.locator
                                     and "]" not in c.locator)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.kind == "citation-syntax" and p.path == PATH and line <= p.line <= last_line
        assert p.message and p.hint
    assert parse_citations(text, PATH, line) == (citations, problems)  # deterministic


KEYS = st.from_regex(r"[a-z][a-z0-9]{0,10}(?:[-:.][a-z0-9]{1,5})?", fullmatch=True)
LOCATORS = st.one_of(st.none(), st.from_regex(r"(?:pp?\. )?[1-9][0-9]{0,3}(?:-[1-9][0-9]{0,3})?", fullmatch=True))


@settings(max_examples=300, deadline=None)
@given(groups=st.lists(st.lists(st.tuples(KEYS, LOCATORS), min_size=1, max_size=3), max_size=4),
       filler=st.text(alphabet=st.sampled_from(list("abc .,;:\n")), max_size=20))
def test_well_formed_citations_round_trip(groups, filler):
    text = filler.join(
        "[" + "; ".join(f"@{k}" + (f", {loc}" if loc else "") for k, loc in group) + "]" for group in groups)
    citations, problems = parse_citations(text, PATH, 1)
    assert problems == []
    assert citations == [Citation(k, loc) for group in groups for k, loc in group]


@given(text=ANY_TEXT)
@settings(max_examples=200, deadline=None)
def test_check_keys_only_reports_unknown_keys(text):
    citations, _ = parse_citations(text, PATH, 1)
    known = {c.key for c in citations[::2]}
    problems = check_keys(citations, known, PATH, 1)
    assert len(problems) == sum(1 for c in citations if c.key not in known)
    assert all(p.kind == "unknown-key" for p in problems)
