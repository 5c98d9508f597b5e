"""The search index lands on the essay: paragraphs as documents, the apparatus left out (edition/search.py)."""
from __future__ import annotations

import json

from edition import search
from test_glossary_helpers import chapters


def index(*docs) -> dict:
    return {"config": {"lang": ["en"]}, "docs": [{"location": loc, "title": title, "text": text}
                                                 for loc, title, text in docs]}


def test_a_chapter_becomes_one_document_per_paragraph_in_reading_order():
    chaps = chapters()  # first/ (I.1; section workers: I.2, I.3, I.4; section later: I.5) and second/
    before = index(("first/", "I. First Chapter", "<p>Marx wrote…</p>"),
                   ("first/#workers", "Workers", "<p>The mass worker…</p><p>Peer production…</p>"),
                   ("first/#later", "Later", "<p>See…</p>"),
                   ("first/#notes", "Notes", "<ol><li>A note.</li></ol>"),
                   ("first/#key-terms", "Key terms in this chapter", "<ul><li>Marx</li></ul>"),
                   ("first/#cite", "Cite this chapter", "<p>Carson…</p>"),
                   ("bibliography/", "Bibliography", "<p>Mason, Paul…</p>"))
    after = search.paragraph_documents(before, chaps)
    locations = [d["location"] for d in after["docs"]]
    assert locations[:8] == ["first/", "first/#I.1", "first/#workers", "first/#I.2", "first/#I.3", "first/#I.4",
                             "first/#later", "first/#I.5"]
    assert "first/#notes" in locations and "bibliography/" in locations
    assert "first/#key-terms" not in locations and "first/#cite" not in locations
    docs = {d["location"]: d for d in after["docs"]}
    assert docs["first/"]["text"] == "" and docs["first/"]["title"] == "I. First Chapter"
    assert docs["first/#I.2"] == {"location": "first/#I.2", "title": "¶ I.2", "boost": search.PARAGRAPH_BOOST,
                                  "text": "<p>The mass worker met the mass workers; a mason is not Mason.</p>"}
    assert docs["bibliography/"]["text"] == "<p>Mason, Paul…</p>"


def test_paragraphs_of_a_section_missing_from_the_index_follow_the_page():
    chaps = chapters()
    after = search.paragraph_documents(index(("first/", "I. First Chapter", "<p>…</p>")), chaps)
    assert [d["location"] for d in after["docs"]] == ["first/", "first/#I.1", "first/#I.2", "first/#I.3",
                                                       "first/#I.4", "first/#I.5"]


def test_text_is_escaped_and_the_file_is_rewritten_in_place(tmp_path):
    chaps = chapters(("first", "# I. First\n\nA < B & C.\n{ #I.1 }\n"))
    path = tmp_path / "search_index.json"
    path.write_text(json.dumps(index(("first/", "I. First", "<p>A &lt; B &amp; C.</p>"))), encoding="utf-8")
    before, after = search.rewrite(path, chaps)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert before > 0 and after == path.stat().st_size
    assert data["docs"][1]["text"] == "<p>A &lt; B &amp; C.</p>" and data["config"] == {"lang": ["en"]}
    assert search.rewrite(tmp_path / "missing.json", chaps) == (0, 0)


def test_the_apparatus_left_in_the_index_weighs_less_and_titles_no_longer_drown_the_text():
    before = index(("bibliography/", "Bibliography", "<p>Mason…</p>"), ("glossary/", "Glossary", "<p>…</p>"),
                   ("glossary/exodus/", "exodus", "<p>concept</p>"), ("glossary/exodus/#definition", "Definition", ""),
                   ("about/", "About this edition", "<p>…</p>"))
    before["config"]["fields"] = {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}
    after = search.paragraph_documents(before, chapters())
    boosts = {d["location"]: d.get("boost") for d in after["docs"]}
    assert boosts == {"bibliography/": 0.3, "glossary/": None, "glossary/exodus/": 0.5,
                      "glossary/exodus/#definition": 0.5, "about/": None}
    assert after["config"]["fields"]["title"]["boost"] == search.TITLE_BOOST < 1000
    assert before["config"]["fields"]["title"]["boost"] == 1000.0  # the input is not changed
