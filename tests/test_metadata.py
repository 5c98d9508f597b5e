"""Citation and preview metadata of every page type, read by real parsers: extruct (JSON-LD, OpenGraph,
Dublin Core), lxml for the Highwire ``citation_*`` tags (which extruct does not read), and the
JSON-LD's names checked against a committed list of schema.org terms (tests/fixtures/schema-org-terms.txt).
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import extruct
import pytest
import yaml
from lxml import html as lxml_html

from conftest import ROOT

BASE = "http://127.0.0.1:8000/"
ESSAY_TITLE = "Techno-Utopianism, Counterfeit and Real (With Special Regard to Paul Mason’s Post-Capitalism)"
EDITORS = "The editors of the reading edition"
_EDITION = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"]["edition"]
VERSION, DATE = _EDITION["version"], _EDITION["date"]

# path in the site, page kind, JSON-LD type, the title the JSON-LD gives
ESSAY_PAGES = [("index.html", "Report", ESSAY_TITLE), ("whole/index.html", "Report", ESSAY_TITLE),
               ("paul-mason/index.html", "Chapter", "V. Paul Mason"),
               ("p/III.12/index.html", "CreativeWork", "Techno-Utopianism, Counterfeit and Real, ¶ III.12"),
               ("n/57/index.html", "CreativeWork", "Techno-Utopianism, Counterfeit and Real, note 57")]
EDITORS_PAGES = [("glossary/index.html", "DefinedTermSet", "Glossary"),
                 ("glossary/accelerationism/index.html", "DefinedTerm", "accelerationism"),
                 ("bibliography/index.html", "WebPage", "Bibliography"),
                 ("annotations/index.html", "WebPage", None), ("about/index.html", "WebPage", "About this edition"),
                 ("study/index.html", "WebPage", "Study"),
                 ("a/gods-copybook-headings/index.html", "WebPage",
                  "Editors’ annotation on “gods of the copybook headings”, ¶ V.71")]


def url_of(path: str) -> str:
    return BASE + path[: -len("index.html")]


def parse(site: Path, path: str) -> dict:
    text = (site / path).read_text(encoding="utf-8")
    data = extruct.extract(text, base_url=url_of(path), syntaxes=["json-ld", "opengraph", "dublincore"],
                           uniform=True)
    tree = lxml_html.fromstring(text)
    highwire: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        name = meta.get("name") or ""
        if name.startswith("citation_"):
            highwire.setdefault(name, []).append(meta.get("content"))
    data["highwire"] = highwire
    data["dc"] = {e["name"]: e["content"] for d in data["dublincore"] for e in d["elements"]}
    data["og"] = data["opengraph"][0] if data["opengraph"] else {}
    data["author_meta"] = [m.get("content") for m in tree.iter("meta") if m.get("name") == "author"]
    [data["ld"]] = data["json-ld"]
    return data


@pytest.mark.parametrize("path,ld_type,title", ESSAY_PAGES)
def test_the_essays_pages_cite_the_essay_as_a_report(site, path, ld_type, title):
    d = parse(site, path)
    hw, ld = d["highwire"], d["ld"]
    # Highwire: a report (institution and number), one person per author tag, the year, the page's address.
    assert hw["citation_author"] == ["Carson, Kevin"]
    assert hw["citation_title"][0].startswith(ESSAY_TITLE)
    assert hw["citation_publication_date"] == ["2016"]
    assert hw["citation_technical_report_institution"] == ["Center for a Stateless Society"]
    assert hw["citation_technical_report_number"] == ["20"]
    assert hw["citation_public_url"] == [url_of(path)]
    assert "citation_editor" not in hw  # the editors are a group: never in a tag a parser splits into names
    assert d["author_meta"] == ["Kevin Carson"]
    # Dublin Core
    assert d["dc"]["DC.creator"] == "Carson, Kevin" and d["dc"]["DC.date"] == "2016"
    assert d["dc"]["DC.publisher"] == "Center for a Stateless Society"
    # JSON-LD: the type, the title, the author and the editors by role, the date, publisher, URL.
    assert ld["@type"] == ld_type and ld["name"] == title
    assert ld["author"] == {"@type": "Person", "name": "Kevin Carson", "givenName": "Kevin", "familyName": "Carson"}
    assert ld["datePublished"] == "2016"
    assert ld["url"] == url_of(path)
    essay = ld if ld_type == "Report" else ld["isPartOf"]
    assert essay["@type"] == "Report" and essay["name"] == ESSAY_TITLE
    assert essay["publisher"]["name"] == "Center for a Stateless Society" and essay["reportNumber"] == "20"
    assert essay["isPartOf"] == {"@type": "CreativeWorkSeries", "name": "C4SS Paper"}
    edition = ld["workExample"] if ld_type == "Report" else ld
    assert edition["editor"] == {"@type": "Organization", "name": EDITORS}
    assert edition["version"] == VERSION and edition["dateModified"] == DATE
    if ld_type == "Report":
        assert [p["name"] for p in ld["hasPart"]][:2] == ["Opening", "I. Capitalist Techno-Utopianism from Daniel Bell On"]
        assert all(p["@type"] == "Chapter" for p in ld["hasPart"])
    # OpenGraph
    assert d["og"]["og:url"] == url_of(path)
    assert d["og"]["article:author"] == "Kevin Carson"


@pytest.mark.parametrize("path,ld_type,title", EDITORS_PAGES)
def test_the_editors_pages_are_the_editors_never_carsons(site, path, ld_type, title):
    d = parse(site, path)
    ld = d["ld"]
    assert not d["highwire"].get("citation_author") and not d["author_meta"]
    assert "DC.creator" not in d["dc"]
    assert ld["@type"] == ld_type
    if title:
        assert ld["name"] == title
    assert ld["author"] == {"@type": "Organization", "name": EDITORS}
    assert "Carson" not in str(ld.get("author")) and "Carson" not in str(d["highwire"])
    assert ld["url"] == url_of(path)
    assert d["dc"]["DC.date"] == DATE and d["dc"]["DC.identifier"] == url_of(path)
    if ld_type == "DefinedTermSet":
        assert len(ld["hasDefinedTerm"]) > 100
        assert all(t["@type"] == "DefinedTerm" and t["url"].startswith(BASE + "glossary/") for t in ld["hasDefinedTerm"])
    if ld_type == "DefinedTerm":
        assert ld["inDefinedTermSet"]["url"] == BASE + "glossary/"


def test_the_bibliography_offers_every_work(site):
    from edition.glue import load_bibliography

    works, _ = load_bibliography(ROOT / "bibliography.bib")
    text = (site / "bibliography" / "index.html").read_text(encoding="utf-8")
    tree = lxml_html.fromstring(text)
    spans = [parse_qs(s.get("title")) for s in tree.find_class("Z3988")]
    assert len(spans) == len(works)
    titles = {(q.get("rft.btitle") if q["rft.genre"] == ["book"] else q["rft.atitle"])[0] for q in spans}
    assert titles == {w.get("title") for w in works.values()}
    ld = parse(site, "bibliography/index.html")["ld"]
    assert {w["@id"][1:] for w in ld["citation"]} == set(works)
    for key in works:
        assert (site / "bib" / f"{key}.ris").is_file() and (site / "bib" / f"{key}.json").is_file()
    for name in ("bibliography.bib", "bibliography.ris", "bibliography.json"):
        assert (site / name).stat().st_size > 1000


def test_a_short_links_preview_shows_the_passages_words_and_its_citation_keeps_the_reference(site):
    d = parse(site, "p/III.12/index.html")
    essay = (ROOT / "docs" / "other-techno-utopianisms.md").read_text(encoding="utf-8")
    words = d["og"]["og:description"]
    assert len(words) > 20 and words in essay
    assert d["og"]["og:title"] == "Carson, Techno-Utopianism, Counterfeit and Real, ¶ III.12"
    assert d["og"]["og:url"] == BASE + "p/III.12/"
    tree = lxml_html.fromstring((site / "p" / "III.12" / "index.html").read_bytes())
    assert tree.find(".//link[@rel='canonical']").get("href") == BASE + "p/III.12/"
    assert {m.get("name"): m.get("content") for m in tree.iter("meta")}["twitter:description"] == words
    assert d["highwire"]["citation_title"] == [ESSAY_TITLE + ", ¶ III.12"]
    assert words in tree.find(".//blockquote").text_content()
    note = parse(site, "n/57/index.html")
    assert note["og"]["og:description"].startswith("Note 57")
    assert note["highwire"]["citation_title"] == [ESSAY_TITLE + ", note 57"]


def _terms():
    types, props = set(), set()
    for line in (ROOT / "tests" / "fixtures" / "schema-org-terms.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("type "):
            types.add(line.split()[1])
        elif line.startswith("property "):
            props.add(line.split()[1])
    return types, props


def _walk(node, types, props, where):
    if isinstance(node, list):
        for x in node:
            _walk(x, types, props, where)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "@type":
                assert value in types, f"{where}: unknown schema.org type {value!r}"
            elif key in ("@context", "@id"):
                continue
            else:
                assert key in props, f"{where}: {key!r} is not on the list of schema.org properties"
                _walk(value, types, props, where)


@pytest.mark.parametrize("path", [p for p, _, _ in ESSAY_PAGES + EDITORS_PAGES])
def test_json_ld_uses_only_schema_org_names(site, path):
    types, props = _terms()
    ld = parse(site, path)["ld"]
    assert ld["@context"] == "https://schema.org"
    _walk(ld, types, props, path)
