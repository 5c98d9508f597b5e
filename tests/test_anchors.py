"""The anchor contract: every public anchor listed in tests/fixtures/anchors.txt exists in the build."""
from __future__ import annotations

import re

import anchors as contract
from pagefind_records import read_records


def test_every_listed_anchor_exists(site):
    listed = contract.read_contract()
    assert len(listed) > 2000
    assert contract.missing(site, listed) == []


def test_the_contract_covers_each_kind_of_public_anchor():
    listed = set(contract.read_contract())
    for anchor in ["/paul-mason/", "/paul-mason/#V.12", "/paul-mason/#fn:95", "/paul-mason/#fnref:95",
                   "/leftist-techno-utopianism/#post-fordists", "/p/III.12/", "/n/57/",
                   "/bibliography/#mason2015postcapitalism"]:
        assert anchor in listed


def test_a_removed_anchor_fails_the_contract(tmp_path):
    site = tmp_path / "site"
    (site / "paul-mason").mkdir(parents=True)
    (site / "index.html").write_text('<p id="O.1">x</p>', encoding="utf-8")
    (site / "paul-mason" / "index.html").write_text('<p id="V.1">x</p>', encoding="utf-8")
    listed = ["/", "/#O.1", "/paul-mason/", "/paul-mason/#V.1", "/paul-mason/#V.2", "/gone/"]
    assert contract.missing(site, listed) == ["/paul-mason/#V.2", "/gone/"]
    assert contract.collect(site) == ["/", "/#O.1", "/paul-mason/", "/paul-mason/#V.1"]


def test_short_reference_pages_are_the_passage_with_a_link_and_a_script_to_the_chapter(site):
    page = (site / "p" / "III.12" / "index.html").read_text(encoding="utf-8")
    assert "http-equiv" not in page  # citation managers follow a refresh to the chapter and lose the passage
    assert '<script>location.replace("../../other-techno-utopianisms/#III.12")</script>' in page
    assert '<link rel="canonical" href="http://127.0.0.1:8000/p/III.12/">' in page
    assert '<a href="../../other-techno-utopianisms/#III.12">' in page
    assert '<meta name="robots" content="noindex">' in page
    note = (site / "n" / "57" / "index.html").read_text(encoding="utf-8")
    assert "leftist-techno-utopianism/#fnref:57" in note
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/p/" not in sitemap and "/n/" not in sitemap
    assert not [r["url"] for r in read_records(site) if r["url"].startswith(("p/", "n/", "a/"))]  # not searched


def test_search_index_holds_the_words_not_the_margin_references_or_note_apparatus(site):
    records = {r["url"]: r for r in read_records(site)}
    first = records["paul-mason/#V.1"]  # one record per paragraph
    assert first["content"].startswith("Most recently in this general framework is Paul Mason")
    assert first["title"] == "V.1" and first["place"] == "V. Paul Mason"
    chapter = [r["content"] for u, r in records.items() if u.startswith("paul-mason/")]
    assert not any(re.search(r"\bV\.\d+\b", t) for t in chapter)  # no "V.12" before each paragraph
    note = records["paul-mason/#fn:95"]  # each of the author's notes, a record of its own
    assert "PostCapitalism" in note["content"] and note["title"] == "note 95"
    assert not [r["url"] for r in records.values() if r["kind"] == "note"
                and ("bibliography" in r["content"] or "identification" in r["content"] or "↩" in r["content"])]
