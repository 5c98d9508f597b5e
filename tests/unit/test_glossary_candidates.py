"""Coverage by evidence: every candidate term derived from the essay is an entry or has a recorded reason.

The heuristics (scripts/edition/terms.py) are tested on small texts; the real essay's candidates against
glossary.yml and glossary-decisions.yml. Adding text that brings new frequent vocabulary into the essay makes
test_every_candidate_is_decided fail, naming the candidates to decide.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from edition import files, glossary, terms
from edition.glue import load_bibliography, load_chapters, nav_chapter_slugs

ROOT = Path(__file__).resolve().parents[2]


def test_a_name_at_a_sentence_start_counts_only_if_it_is_also_a_name_elsewhere():
    texts = ["Mason argues this. Unlike Mason, Bauwens disagrees.", "Unlike him, we read Mason and Bauwens."]
    found = terms.names(texts)
    assert found["Mason"] == 3  # twice in mid-sentence, once at a start
    assert "Unlike" not in found
    assert found["Bauwens"] == 2


def test_a_capitalised_common_word_is_not_a_name():
    found = terms.names(["Capitalism is old. capitalism and capitalism again, said Marx, against Capitalism."])
    assert "Capitalism" not in found
    assert found["Marx"] == 1


def test_bigrams_skip_stop_words_and_clause_breaks():
    found = terms.bigrams(["the peer production of goods; peer, production again and peer production"])
    assert found["peer production"] == 2
    assert not any(w in k.split() for k in found for w in ("the", "and", "of"))


def test_compounds_and_quoted_phrases_and_what_someone_calls_something():
    text = "a post-capitalist society, the “sharing economy” and “sharing economy”, what he calls “desertion”."
    assert terms.compounds([text])["post-capitalist"] == 1
    assert terms.quoted([text])["sharing economy"] == 2
    assert terms.called([text])["desertion"] == 1
    assert terms.quoted(["“This is a whole sentence, quoted at length.”"]) == {}


def test_candidates_merge_plurals_and_hyphens_and_apply_thresholds():
    own = ["use values and use value"] * 2 + ["use-values"] * 3 + ["a rare bigram once"] + ["open source tools"] * 4
    cands = {c.words.lower(): c for c in terms.candidates(own, own)}
    keys = {terms.phrase_key(w) for w in cands}
    assert "use value" in keys  # use-values, use values and use value are one candidate
    assert next(c for w, c in cands.items() if terms.phrase_key(w) == "use value").how == {"bigram", "compound"}
    assert "rare bigram" not in keys  # below the threshold
    assert any(terms.phrase_key(w) == "source tool" for w in cands)


def test_decide_sorts_candidates_into_entry_decided_and_undecided(tmp_path):
    matcher = glossary.Matcher({"open source": ("open source", "open-source")})
    cands = [terms.Candidate("open source", 5), terms.Candidate("working class", 5), terms.Candidate("new word", 5)]
    path = tmp_path / "d.yml"
    path.write_text("working class: ordinary sense\n", encoding="utf-8")
    decisions, problems = terms.load_decisions(path.read_text(encoding="utf-8"), path.name)
    assert problems == []
    status = {c.words: (s, d) for c, s, d in terms.decide(cands, matcher, decisions)}
    assert status == {"open source": ("entry", "open-source"), "working class": ("decided", "ordinary sense"),
                      "new word": ("undecided", "")}


def test_a_reason_outside_the_closed_list_and_broken_yaml_are_reported_with_their_line(tmp_path):
    path = tmp_path / "d.yml"
    path.write_text("# note\nworking class: ordinary sense\nnew word: I like it\n", encoding="utf-8")
    _, problems = terms.load_decisions(path.read_text(encoding="utf-8"), path.name)
    assert len(problems) == 1 and problems[0].startswith("d.yml:3:") and "new word" in problems[0]
    path.write_text("a: b: c\n", encoding="utf-8")
    _, problems = terms.load_decisions(path.read_text(encoding="utf-8"), path.name)
    assert problems and problems[0].startswith("d.yml:1:")


@pytest.fixture(scope="module")
def essay():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    chapters, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(nav))
    assert problems == []
    works, _ = load_bibliography(ROOT / "bibliography.bib")
    g, problems = glossary.load((ROOT / "glossary.yml").read_bytes(), chapters, files.read_docs(ROOT / "docs"), works)
    assert problems == []
    decisions, problems = terms.load_decisions((ROOT / "glossary-decisions.yml").read_text(encoding="utf-8"))
    assert problems == []
    own, everything = terms.essay_texts(chapters)
    return g, decisions, own, everything


def test_every_candidate_is_decided(essay):
    g, decisions, own, everything = essay
    rows = terms.decide(terms.candidates(own, everything), g.matcher, decisions)
    assert len(rows) >= 100  # the heuristics still find the essay's vocabulary
    undecided = [f"{c.words} ({c.count}×, {', '.join(sorted(c.how))})" for c, s, _ in rows if s == "undecided"]
    assert undecided == [], ("make them entries of glossary.yml or give a reason in glossary-decisions.yml: "
                             + "; ".join(undecided))


def test_every_decision_names_an_existing_entry_and_words_of_the_essay(essay):
    g, decisions, _, everything = essay
    text = " ".join(terms.norm_key(t) for t in everything)
    for d in decisions.values():
        if d.kind == "covered by":
            assert d.slug in g.by_slug, f"glossary-decisions.yml:{d.line}: no entry {d.slug!r}"
        assert re.search(r"\b" + re.escape(terms.norm_key(d.words)), text), \
            f"glossary-decisions.yml:{d.line}: {d.words!r} no longer occurs in the essay (remove the decision)"


def test_no_decision_hides_an_entry(essay):
    g, decisions, _, _ = essay
    assert [d.words for d in decisions.values() if terms.is_entry(d.words, g.matcher)] == []
