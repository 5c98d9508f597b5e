"""Search lands on the essay: phrases of the essay, ranked as the search box ranks them.

150 phrases of three to six words (at least three of them content words) are drawn, with a fixed seed, from
the essay's paragraphs; each is searched with Pagefind's own script and the built index, in Node, then put in
the search box's order by the site's own module (tests/search_rank.mjs, docs/assets/search-results.js). The
first result should be the paragraph the phrase comes from. Measured when the index moved to Pagefind
(December 2026): 146 of 150 (97%); Material's search, split into paragraphs, found 104 of the same 150
paragraphs first. The browser tests (tests/browser/test_search.py) type phrases and references as a reader
would and follow the result.
"""
from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from edition.glue import load_chapters, nav_chapter_slugs
from pagefind_records import read_records

ROOT = Path(__file__).resolve().parents[1]
STOP = set("a an and are as at be but by for if in into is it no not of on or such that the their then there these "
           "they this to was will with i we you he she his her its our your them who which what from has have had "
           "been were than so".split())
#: The share of phrases whose own paragraph must come first (measured 146/150; a few phrases are common
#: enough that another paragraph holding the same words ranks above).
FLOOR = 0.95


def phrases(n: int = 150, seed: int = 7) -> list[tuple[str, str]]:
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    chapters, _ = load_chapters(ROOT / "docs", nav_chapter_slugs(nav))
    paras = [(c, p) for c in chapters for p in c.paragraphs if len(p.text.split()) >= 12]
    rnd, cases = random.Random(seed), []
    while len(cases) < n:
        c, p = rnd.choice(paras)
        words = [re.sub(r"^\W+|\W+$", "", w) for w in p.text.split()]
        k = rnd.choice([3, 4, 5, 6])
        i = rnd.randrange(0, len(words) - k)
        picked = words[i:i + k]
        if all(picked) and sum(1 for w in picked if w.lower() not in STOP and len(w) > 2) >= 3:
            cases.append((" ".join(picked), f"{c.url}#{p.ref}"))
    return cases


def rank(site: Path, queries: list[str], tmp: Path) -> list[list[list[str]]]:
    """For each query, its results as the search box orders them: [address, kind, title]."""
    if shutil.which("node") is None:
        pytest.skip("Node is not installed")
    file = tmp / "queries.json"
    file.write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(["node", str(ROOT / "tests" / "search_rank.mjs"), str(site), str(file)],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return json.loads(out)


@pytest.fixture(scope="module")
def ranked(site, tmp_path_factory):
    cases = phrases()
    return list(zip(cases, rank(site, [q for q, _ in cases], tmp_path_factory.mktemp("search"))))


def test_a_phrase_of_the_essay_finds_its_paragraph_first(ranked):
    assert len(ranked) >= 100
    first = sum(1 for (_, loc), results in ranked if results and results[0][0] == loc)
    missed = [(q, loc, results[:2]) for (q, loc), results in ranked if not results or results[0][0] != loc]
    print(f"paragraph first: {first}/{len(ranked)} ({first / len(ranked):.1%})")
    assert first / len(ranked) >= FLOOR, missed


def test_no_apparatus_comes_first_for_a_phrase_of_the_essay(ranked):
    """Not a glossary entry, an annotation, the whole essay or another page of the apparatus: the essay."""
    first = [(q, results[0]) for (q, _), results in ranked if results]
    assert len(first) == len(ranked)  # every phrase finds something
    assert [(q, r) for q, r in first if r[1] != "paragraph"] == []
    assert [(q, r) for q, r in first
            if r[0].startswith(("glossary/", "annotations/", "a/", "whole/", "bibliography/", "p/"))] == []


def test_a_term_or_an_alias_finds_its_entry_first(site, tmp_path):
    """Every glossary entry's name, and every alias, typed alone, leads with the entry."""
    terms = [r for r in read_records(site) if r["kind"] == "term"]
    queries = [(name, r["url"]) for r in terms for name in r["names"].split(" | ")]
    assert len(terms) > 100 and len(queries) > len(terms)
    results = rank(site, [q for q, _ in queries], tmp_path)
    wrong = [(q, url, found[:2]) for (q, url), found in zip(queries, results) if not found or found[0][0] != url]
    assert wrong == []
