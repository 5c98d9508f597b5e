"""Search lands on the essay: phrases of the essay, ranked by Material's own search worker (run in Node).

150 phrases of three to six words (at least three of them content words) are drawn, with a fixed seed, from
the essay's paragraphs; for each, the first result should be the paragraph's chapter, and that chapter's best
section the paragraph itself. Before the search index was split into paragraphs and rid of the glossary's
concordance, 16 of these 150 phrases found their chapter first (107 a glossary page); 118 do now (none a
glossary page), 107 their paragraph. The browser test (tests/browser/test_search.py) types a few phrases as
a reader would and follows the result.
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

from edition.glue import nav_chapter_slugs
from edition.glue import load_chapters

ROOT = Path(__file__).resolve().parents[1]
STOP = set("a an and are as at be but by for if in into is it no not of on or such that the their then there these "
           "they this to was will with i we you he she his her its our your them who which what from has have had "
           "been were than so".split())


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


@pytest.fixture(scope="module")
def ranked(site, tmp_path_factory):
    if shutil.which("node") is None:
        pytest.skip("Node is not installed")
    cases = phrases()
    queries = tmp_path_factory.mktemp("search") / "queries.json"
    queries.write_text(json.dumps([q for q, _ in cases], ensure_ascii=False), encoding="utf-8")
    out = subprocess.run(["node", str(ROOT / "tests" / "search_rank.js"), str(site), str(queries)],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    return list(zip(cases, json.loads(out)))


def test_a_phrase_of_the_essay_finds_its_chapter_and_paragraph_first(ranked):
    chapter_first = sum(1 for (_, loc), groups in ranked if groups and groups[0][0] == loc.split("#")[0])
    paragraph_first = sum(1 for (_, loc), groups in ranked if groups and groups[0][:2] == [loc.split("#")[0], loc])
    assert chapter_first >= 110 and paragraph_first >= 100, (chapter_first, paragraph_first)


def test_no_glossary_or_whole_essay_page_comes_first_for_a_phrase(ranked):
    first = [groups[0][0] for _, groups in ranked if groups]
    assert not any(page.startswith("whole/") for page in first)
    assert sum(1 for page in first if page.startswith("glossary/")) <= 10, [
        (q, g[0][0]) for (q, _), g in ranked if g and g[0][0].startswith("glossary/")]
