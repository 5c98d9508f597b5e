"""The bibliography's RIS, CSL-JSON and COinS, read back by real parsers and compared with the .bib."""
import json
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import rispy

from edition import exports
from edition.bib import to_csl_json
from edition.glue import load_bibliography

ROOT = Path(__file__).resolve().parents[2]
WORKS, PROBLEMS = load_bibliography(ROOT / "tests" / "fixtures" / "works.bib")  # some of bibliography.bib's works
KEYS = sorted(WORKS)


def _year(work) -> str:
    return (work.get("date") or work.get("year"))[:4]


def test_the_bib_loads():
    assert not PROBLEMS and len(WORKS) >= 20


@pytest.mark.parametrize("key", KEYS)
def test_ris_round_trips(key):
    work = WORKS[key]
    [record] = rispy.loads(exports.ris(to_csl_json(work)))
    assert record["id"] == key
    assert record["title"] == work.get("title")
    assert record.get("authors", []) == [str(n) for n in work.names.get("author", ())]
    # Editors: A2 for a chapter's book editors; ED (the book's editor, as Zotero's RIS reader takes it),
    # which rispy's default mapping keeps among its unknown tags.
    editors = [str(n) for n in work.names.get("editor", ())]
    read = record.get("secondary_authors") or record.get("unknown_tag", {}).get("ED") or []
    assert read == editors
    assert record["year"] == _year(work)
    assert record.get("urls", [None])[0] == (work.get("url") or None)
    if work.get("doi"):
        assert record["doi"] == work.get("doi")
    if work.get("publisher"):
        assert record["publisher"] == work.get("publisher").split(";")[0].strip() or record["publisher"]


def test_the_whole_ris_has_every_work_in_order():
    items = [to_csl_json(WORKS[k]) for k in KEYS]
    records = rispy.loads(exports.ris_all(items))
    assert [r["id"] for r in records] == KEYS


@pytest.mark.parametrize("key", KEYS)
def test_csl_json_round_trips(key):
    work = WORKS[key]
    [item] = json.loads(exports.csl_json(to_csl_json(work)))
    assert item["id"] == key and item["title"] == work.get("title")
    assert [(p["family"], p.get("given", "")) for p in item.get("author", [])] == [
        (n.family, n.given) for n in work.names.get("author", ())]
    assert str(item["issued"]["date-parts"][0][0]) == _year(work)
    assert item.get("URL") == (work.get("url") or None)


@pytest.mark.parametrize("key", KEYS)
def test_coins_names_the_work(key):
    work = WORKS[key]
    q = parse_qs(exports.coins(to_csl_json(work)))
    assert q["ctx_ver"] == ["Z39.88-2004"]
    assert work.get("title") in (q.get("rft.btitle", []) + q.get("rft.atitle", []))
    authors = work.names.get("author", ())
    if authors:
        assert q["rft.aulast"] == [authors[0].family]
        assert len(q.get("rft.au", [])) == len(authors) - 1
    assert q["rft.date"][0][:4] == _year(work)


def test_the_essays_own_record_round_trips_as_a_report():
    from edition.essay import csl_item, essay_record

    e = essay_record({"edition": {"version": "1.0.0", "date": "2026-11-29"}})
    item = csl_item(e, "https://example.org/")
    [record] = rispy.loads(exports.ris(item))
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == ["Carson, Kevin"] and record["year"] == "2016"
    assert record["publisher"] == "Center for a Stateless Society"
    assert record["tertiary_title"] == "C4SS Paper" and record["issn"] == "20"  # rispy names SN "issn"
    assert record["title"].startswith("Techno-Utopianism, Counterfeit and Real (With Special Regard")
    assert "version 1.0.0 (2026-11-29)" in record["notes"][0]
    [back] = json.loads(exports.csl_json(item))
    assert back["type"] == "report" and back["number"] == "20" and back["author"] == [{"family": "Carson", "given": "Kevin"}]


def test_no_work_has_a_number_that_would_share_the_sn_tag():
    assert not [k for k in KEYS if "number" in to_csl_json(WORKS[k])]
