"""The editors' annotations in the built site: marked in the chapters and the whole essay, listed,
addressable, in the anchor contract, and found by search on their list page only."""
from __future__ import annotations

import json
import re

import pytest
import yaml
from lxml import html as lxml_html

import anchors as contract
from fidelity import ROOT

ENTRIES = yaml.safe_load((ROOT / "annotations.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def listing(site):
    return (site / "annotations" / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chapter_of(listing):
    found = dict(re.findall(r'<h4 id="([a-z0-9-]+)".*?<a href="\.\./([a-z-]*/?)#anref:\1"', listing, re.S))
    assert len(found) == len(ENTRIES)
    return found


def test_every_annotation_is_marked_once_in_its_chapter_and_in_the_whole_essay(site, chapter_of):
    whole = (site / "whole" / "index.html").read_text(encoding="utf-8")
    for entry in ENTRIES:
        url = chapter_of[entry["id"]]
        page = (site / url / "index.html").read_text(encoding="utf-8")
        for html in (page, whole):
            assert html.count(f'id="anref:{entry["id"]}"') == 1, entry["id"]
            assert html.count(f'href="#an:{entry["id"]}"') == 1, entry["id"]  # the sigil
            assert html.count(f'href="#anref:{entry["id"]}"') == 1, entry["id"]  # the list's way back
            assert html.count(f'id="an:{entry["id"]}"') == 1, entry["id"]
        words = "".join(re.findall(rf'<span class="ed-annot"[^>]*data-annot="{entry["id"]}"[^>]*>(.*?)</span>', page))
        assert " ".join(lxml_html.fromstring(f"<p>{words}</p>").text_content().split()) == entry["quote"]


def test_the_sigil_has_no_text_and_is_the_editors(site):
    page = (site / "paul-mason" / "index.html").read_text(encoding="utf-8")
    sigils = re.findall(r'<a [^>]*class="ed-annot-ref"[^>]*>(.*?)</a>', page)
    assert sigils and all(s == "" for s in sigils)
    assert all('data-ed="annot-ref"' in m and re.search(r"\sdata-search-exclude[\s>]", m)
               for m in re.findall(r'<a [^>]*class="ed-annot-ref"[^>]*>', page))


def test_search_finds_the_annotations_on_their_page_only(site):
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    listed = [d for d in docs if d["location"].startswith("annotations/#") and "ed-annot" not in d["location"]]
    seattle = next(d for d in docs if d["location"] == "annotations/#seattle-wto-protests")
    assert "Battle of Seattle" in seattle["text"]
    # The glossary's own entries may name the same people (administration-of-things: Saint-Simon).
    chapters = [d for d in docs if not d["location"].startswith(("annotations/", "about/", "glossary/"))]
    for phrase in ("Battle of Seattle", "Sunday Pictorial", "Editors’ annotations", "Saint-Simon"):
        assert not [d["location"] for d in chapters if phrase in d["text"] or phrase in d["title"]], phrase
    assert len(listed) >= len(ENTRIES)


def test_short_addresses_lead_to_the_annotated_words(site):
    page = (site / "a" / "gods-copybook-headings" / "index.html").read_text(encoding="utf-8")
    assert '<script>location.replace("../../paul-mason/#anref:gods-copybook-headings")</script>' in page
    assert '<a href="../../paul-mason/#anref:gods-copybook-headings">' in page
    assert '<link rel="canonical" href="http://127.0.0.1:8000/a/gods-copybook-headings/">' in page
    assert "Carson, Kevin" not in page  # the editors' text: no author tag names the essay's author
    assert '<meta name="robots" content="noindex">' in page
    assert "/a/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_the_contract_holds_every_annotations_anchors():
    listed = set(contract.read_contract())
    for entry in ENTRIES:
        ident = entry["id"]
        assert f"/a/{ident}/" in listed and f"/annotations/#{ident}" in listed, ident
        assert any(a.endswith(f"#anref:{ident}") and not a.startswith("/whole/") for a in listed), ident
        assert any(a.endswith(f"#an:{ident}") and not a.startswith("/whole/") for a in listed), ident


def test_the_about_page_explains_the_layer_with_its_counts(site):
    page = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'id="annotations"' in page and "Who is responsible." in page
    kinds = {}
    for entry in ENTRIES:
        kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
    assert f'<td style="text-align: right;"><strong>{len(ENTRIES)}</strong></td>' in page
    for kind, label in (("unattributed-quotation", "Unattributed quotation"), ("event", "Event")):
        assert f'<td>{label}</td>\n<td style="text-align: right;">{kinds[kind]}</td>' in page


def test_the_navigation_links_the_list(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="annotations/" class="md-nav__link">\s*<span class="md-ellipsis">\s*Editors’ annotations',
                     page)
