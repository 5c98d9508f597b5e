"""The study cards (scripts/edition/study.py), study.yml's validation, and the two downloads: the CSV
and the Anki deck hold every card exactly once, and the deck imports into a fresh Anki collection (the
`anki` package) with the same notes and fields."""
from __future__ import annotations

import csv
import io
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from edition import study, study_deck
from edition.chapters import Chapter, NoteRef, Paragraph
from edition.notes import ResolvedNote
from edition.citations import Citation
from edition.bib import Name, Work

ROOT = Path(__file__).resolve().parents[2]


def para(ref: str, text: str, quote: bool = False) -> Paragraph:
    return Paragraph(ref, "first", 1, text, quote, "p", "")


def note(n: int, level: str, *keys: str, quoted_in: tuple[str, ...] = ()) -> ResolvedNote:
    return ResolvedNote(n, "first", level, tuple(Citation(k) for k in keys + quoted_in), "", "",
                        quoted_in=tuple(Citation(k) for k in quoted_in))


def work(key: str, family: str, given: str, title: str, kind: str = "book") -> Work:
    return Work(key, kind, {"title": title, "date": "2015"}, 1, "", {"author": (Name(family, given),)})


WORKS = {"mason": work("mason", "Mason", "Paul", "PostCapitalism"),
         "rushkoff": work("rushkoff", "Rushkoff", "Douglas", "Are Jobs Obsolete?", "article"),
         "bauwens": work("bauwens", "Bauwens", "Michel", "Save the World")}


def chapter() -> Chapter:
    ch = Chapter("first", "docs/first.md", "I. First", "I")
    ch.paragraphs = [para("I.1", "Mason writes:"), para("I.2", "Information goods corrode prices.", True),
                     para("I.3", "A second paragraph of the same quotation.", True), para("I.4", "Then:"),
                     para("I.5", "A guess.", True), para("I.6", "And"), para("I.7", "Unmarked quotation.", True),
                     para("I.8", "And"), para("I.9", "Two people.", True), para("I.10", "Also"),
                     para("I.11", "Second-hand.", True), para("I.12", "Rushkoff says"), para("I.13", "An article.", True)]
    ch.note_refs = [NoteRef(1, "first", 1, "I.3"), NoteRef(2, "first", 1, "I.5"), NoteRef(3, "first", 1, "I.9"),
                    NoteRef(4, "first", 1, "I.11"), NoteRef(5, "first", 1, "I.13")]
    return ch


NOTES = {1: note(1, "named", "mason"), 2: note(2, "conjectural", "bauwens"), 3: note(3, "probable", "mason", "bauwens"),
         4: note(4, "probable", quoted_in=("mason",)), 5: note(5, "probable", "rushkoff")}


def test_quotation_cards_only_for_named_or_probable_sources_and_why_the_others_are_left():
    cards, left = study.quote_cards([chapter()], NOTES, WORKS)
    assert [c.id for c in cards] == ["quote:I.2", "quote:I.13"]
    mason = cards[0]
    assert mason.front == "Information goods corrode prices.\n\nA second paragraph of the same quotation."
    assert mason.back.startswith("Paul Mason, PostCapitalism (2015).") and "named (note 1)" in mason.back
    assert "<em>PostCapitalism</em>" in mason.back_html
    assert cards[1].back.startswith("Douglas Rushkoff, “Are Jobs Obsolete?” (2015).")
    assert {(x.ref, x.reason) for x in left} == {
        ("I.5", "the source is conjectural"), ("I.7", "no note follows it"),
        ("I.9", "the note cites works by different authors"),
        ("I.11", "the original is known only through another work")}


def test_a_long_quotation_is_cut_at_a_word_and_marked():
    long = para("I.2", "word " * 300, True)
    text = study.quote_text([long, para("I.3", "more", True)], limit=100)
    assert text.endswith(" […]") and len(text) <= 105 and "\n\n" not in text
    assert study.quote_text([para("I.2", "short", True), long], limit=100) == "short\n\n[…]"


class Entry:  # the fields of glossary.Entry the cards read
    def __init__(self, slug, term, explained_at="", who="", kind="concept"):
        self.slug, self.term, self.explained_at, self.who, self.kind = slug, term, explained_at, who, kind
        self.short_html, self.short_text = f"<em>{term}</em> defined", f"{term} defined"


def test_term_and_chapter_cards_link_to_their_paragraph():
    entries = [Entry("exodus", "Exodus", "I.4"), Entry("rent", "rent"), Entry("never", "never used")]
    cards, _ = study.all_cards(entries, [chapter()], {}, WORKS, [], {"rent": "I.6"}, {"rent": ("first",)})
    by_id = {c.id: c for c in cards}
    assert by_id["term:exodus"].ref == "I.4" and by_id["term:rent"].ref == "I.6" and by_id["term:never"].ref == ""
    assert by_id["chapter:exodus"].back == "I. First (¶ I.4)" and "chapter:rent" not in by_id
    urls = {"first": "first/"}
    assert study.card_path(by_id["term:rent"], urls) == "first/#I.6"
    assert study.card_path(by_id["term:never"], urls) == "glossary/never/"


# -- study.yml --------------------------------------------------------------------------------------

PARAGRAPHS = {p.ref: p for p in chapter().paragraphs}
GOOD = """claims:
- id: prices
  claim: Information goods undermine prices.
  answer: Paul Mason
  ref: I.2
"""


def test_claims_are_read_with_their_lines():
    claims, problems = study.parse_claims(GOOD, PARAGRAPHS)
    assert problems == [] and claims == [study.Claim("prices", "Information goods undermine prices.", "Paul Mason",
                                                     "I.2", "", 2)]


def test_a_bad_reference_is_reported_at_its_line_with_a_close_match():
    claims, problems = study.parse_claims(GOOD.replace("ref: I.2", "ref: I.21"), PARAGRAPHS)
    assert claims == []
    [p] = problems
    assert str(p).startswith("study.yml:5: study-ref: claim 'prices': no paragraph 'I.21'")
    assert "did you mean" in p.hint and "'I.2'" in p.hint


@pytest.mark.parametrize(("text", "line", "kind", "words"), [
    (GOOD.replace("  answer: Paul Mason\n", ""), 2, "study-field", "no 'answer'"),
    (GOOD.replace("  ref: I.2", "  ref: I.2\n  answr: x"), 6, "study-field", "did you mean 'answer'"),
    (GOOD + GOOD.split("\n", 1)[1], 6, "study-duplicate", "first at line 2"),
    (GOOD.replace("id: prices", "id: Prices!"), 2, "study-field", "malformed"),
    ("- id: x\n", 1, "study-structure", "one key"),
    ("claims:\n  - id: [x\n", 3, "yaml-syntax", ""),
])
def test_bad_claims_are_located(text, line, kind, words):
    _, problems = study.parse_claims(text, PARAGRAPHS)
    assert problems, text
    assert (problems[0].line, problems[0].kind) == (line, kind), problems
    assert words in str(problems[0])


def test_the_projects_claims_are_valid_and_each_answer_names_someone_in_its_paragraph():
    from edition.glue import load_chapters
    import yaml
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV", ""))["nav"]
    slugs = [next(iter(i.values()))[:-3] for i in nav if str(next(iter(i.values()))).endswith(".md")]
    chapters, _ = load_chapters(ROOT / "docs", [s for s in slugs if (ROOT / "docs" / f"{s}.md").is_file()])
    paragraphs = {p.ref: p for c in chapters for p in c.paragraphs}
    claims, problems = study.parse_claims((ROOT / "study.yml").read_text(encoding="utf-8"), paragraphs)
    assert problems == [] and 25 <= len(claims) <= 40
    # V.17 is Mason's own words, quoted (note 101 cites his book; its quotation card asks who is quoted)
    quoted_words = {"information-breaks-prices": "V.17"}
    for c in claims:  # the person or school answered is named in the supporting paragraph (or is Carson)
        if quoted_words.get(c.id) == c.ref:
            assert paragraphs[c.ref].quote
            continue
        words = [w.strip("“”()").lower() for w in c.answer.replace(",", " ").split()]
        text = paragraphs[c.ref].text.lower()
        assert c.answer.startswith("Carson") or any(w in text for w in words if len(w) >= 4), (c.id, c.answer)


# -- the downloads ------------------------------------------------------------------------------------

def sample_cards() -> list[study.Card]:
    entries = [Entry("exodus", "Exodus", "I.4"), Entry("rent", "rent <b>&</b>"), Entry("never", "never used")]
    claims, _ = study.parse_claims(GOOD, PARAGRAPHS)
    cards, _ = study.all_cards(entries, [chapter()], NOTES, WORKS, claims, {"rent": "I.6"}, {})
    return cards


URLS = {"first": "first/"}


def test_the_csv_has_every_card_once():
    cards = sample_cards()
    rows = list(csv.DictReader(io.StringIO(study.csv_text(cards, URLS, "https://example.org/ed"))))
    assert [r["id"] for r in rows] == [c.id for c in cards]
    assert len({r["id"] for r in rows}) == len(cards) == 7
    rent = next(r for r in rows if r["id"] == "term:rent")
    assert rent["front"] == "rent <b>&</b>" and rent["link"] == "https://example.org/ed/first/#I.6"
    quote = next(r for r in rows if r["type"] == "quote")
    assert quote["front"].count("\n\n") == 1  # a quotation's paragraphs stay apart inside one field


def test_the_deck_is_deterministic_and_imports_into_a_fresh_anki_collection(tmp_path):
    anki_collection = pytest.importorskip("anki.collection")
    cards = sample_cards()
    t0 = time.perf_counter()
    data = study_deck.apkg_bytes(cards, URLS, "https://example.org/", "2026-12-01")
    assert time.perf_counter() - t0 < 5
    assert data == study_deck.apkg_bytes(cards, URLS, "https://example.org/", "2026-12-01")  # byte for byte
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {study_deck.ZIP_DATE}
    deck = tmp_path / "deck.apkg"
    deck.write_bytes(data)
    col = anki_collection.Collection(str(tmp_path / "collection.anki2"))
    try:
        request = anki_collection.ImportAnkiPackageRequest(package_path=str(deck))
        col.import_anki_package(request)
        assert col.note_count() == len(cards)
        notes = {col.get_note(nid).guid: col.get_note(nid) for nid in col.find_notes("")}
        import genanki
        for c in cards:
            n = notes[genanki.guid_for(c.id)]
            assert list(n.keys()) == list(study_deck.FIELDS)
            assert n.fields == study_deck.note_fields(c, "https://example.org/" + study.card_path(c, URLS))
        # a second import of the same deck updates the notes instead of adding copies
        col.import_anki_package(anki_collection.ImportAnkiPackageRequest(package_path=str(deck)))
        assert col.note_count() == len(cards)
    finally:
        col.close()


def test_making_the_deck_leaves_nothing_in_the_temporary_folder(tmp_path, monkeypatch):
    # genanki's own Package.write_to_file leaves its database behind, one file per build
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    data = study_deck.apkg_bytes(sample_cards(), URLS, "https://example.org/", "2026-12-01")
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == ["collection.anki2", "media"]
    assert list(scratch.iterdir()) == []
