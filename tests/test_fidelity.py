"""The author's text is intact: every word of the extraction, in order, and nothing inserted."""
from __future__ import annotations

import re

import pytest
import yaml

from edition.glue import nav_chapter_slugs
from edition.glue import load_chapters
from fidelity import ROOT, first_difference, page_words, source_words

NAV = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
SLUGS = nav_chapter_slugs(NAV)


def chapter_html(site, slug):
    path = site / ("index.html" if slug == "index" else f"{slug}/index.html")
    return path.read_text(encoding="utf-8")


def test_every_word_in_order_and_nothing_added(site):
    expected = source_words()
    words, notes = [], []
    for slug in SLUGS:
        found = page_words(chapter_html(site, slug))
        words += found.words
        notes += found.notes
    assert first_difference(expected.words, words) == ""
    assert notes == expected.notes == list(range(1, 144))


def test_a_dropped_or_added_word_is_caught():
    words = source_words().words
    dropped = words[:500] + words[501:]
    added = words[:900] + ["indeed"] + words[900:]
    changed = words[:100] + ["Labour"] + words[101:]
    assert "source has" in first_difference(words, dropped)
    assert "edition has 'indeed'" in first_difference(words, added)
    assert first_difference(words, changed).startswith("word 100")
    assert "goes on" in first_difference(words, words[:-1])


def test_page_words_drops_the_editions_marks_and_keeps_the_authors():
    page = ('<html><body><article class="md-content__inner"><h2 id="x" class="ed-heading" data-ed="heading">Ours</h2>'
            '<p id="I.1" class="para"><span class="pmark" data-ed="ref"><a href="#I.1">I.1</a></span>His words'
            '<sup id="fnref:3" class="note-ref"><a class="footnote-ref" href="#fn:3">3</a></sup> go on.</p>'
            '<div class="footnote" data-ed="notes"><ol><li id="fn:3">Cited</li></ol></div></article></body></html>')
    found = page_words(page)
    assert found.words == ["His", "words", "go", "on."]
    assert found.notes == [3]


def test_mends_are_recorded_and_the_italics_list_matches_the_chapters():
    record = yaml.safe_load((ROOT / "edition.yml").read_text(encoding="utf-8"))
    text = "\n".join((ROOT / "docs" / f"{s}.md").read_text(encoding="utf-8") for s in SLUGS)
    italics = {}
    for m in re.finditer(r"(?<![\\*])\*([^*\n]+?)(?<!\\)\*(?!\*)", text):
        italics[m.group(1)] = italics.get(m.group(1), 0) + 1
    listed = {i["title"]: i["count"] for i in record["italics"]}
    assert italics == listed
    for mend in record["mended"]:
        assert mend["edition"] in text.replace("*", "")


@pytest.fixture(scope="module")
def chapters():
    found, problems = load_chapters(ROOT / "docs", SLUGS)
    assert problems == []
    return found


def test_no_body_paragraph_starts_or_ends_mid_sentence(chapters):
    sentence_end = re.compile(r"[.?!:…”’)\]—]$")
    bad = []
    for ch in chapters:
        paras = ch.paragraphs
        for i, p in enumerate(paras):
            if p.quote or p.kind != "p":
                continue
            if re.match(r"[a-z]", p.text):
                bad.append(f"{p.ref} starts mid-sentence: {p.text[:40]!r}")
            following = paras[i + 1] if i + 1 < len(paras) else None
            leads_in = following is not None and (following.quote or following.kind == "li")
            if not sentence_end.search(p.text.rstrip()) and not leads_in:
                bad.append(f"{p.ref} ends mid-sentence: {p.text[-40:]!r}")
    assert bad == []


def test_counts(chapters):
    paras = [p for ch in chapters for p in ch.paragraphs]
    assert len({p.ref for p in paras}) == len(paras)
    assert sum(1 for p in paras if not p.quote) >= 200
    assert sum(1 for p in paras if p.quote) >= 150


def test_the_about_page_shows_the_editorial_record(site):
    page = (site / "about" / "index.html").read_text(encoding="utf-8")
    record = yaml.safe_load((ROOT / "edition.yml").read_text(encoding="utf-8"))
    for mend in record["mended"]:
        assert f"<td>{mend['line']}</td>" in page
        assert f"<td>{mend['edition']}</td>" in page
    for title in record["italics"]:
        assert f"<i>{title['title']}</i> ({title['count']}×)" in page
