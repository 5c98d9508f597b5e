"""The glossary in the real build: every concordance link lands on a paragraph that uses the term."""
from __future__ import annotations

import json

import re
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = yaml.safe_load((ROOT / "glossary.yml").read_text(encoding="utf-8"))


def page_file(site: Path, url_path: str) -> Path:
    path = site / url_path.strip("/")
    return path / "index.html" if not url_path.endswith(".html") else path


@pytest.fixture(scope="module")
def paragraphs(site):
    """Each built chapter's referenced paragraphs: id -> text without the edition's marks."""
    cache: dict[str, dict[str, str]] = {}

    def of(url_path: str) -> dict[str, str]:
        if url_path not in cache:
            tree = lxml_html.fromstring(page_file(site, url_path).read_text(encoding="utf-8"))
            found = {}
            for el in tree.xpath("//*[contains(concat(' ', @class, ' '), ' para ')][@id]"):
                for mark in el.xpath(".//*[@data-ed] | .//sup"):
                    mark.drop_tree()
                found[el.get("id")] = " ".join(el.text_content().split())
            cache[url_path] = found
        return cache[url_path]
    return of


def forms_pattern(entry: dict) -> re.Pattern:
    """Any form, as a word or part of a hyphenated compound; with plurals (-s, -es, -ies) and singulars."""
    forms = {entry["term"], *entry["aliases"]}
    forms |= {f[:-1] for f in forms if f.endswith("s")} | {f[:-1] + "ie" for f in forms if f.endswith("y")}
    alt = "|".join(re.escape(f).replace("’", "['’]").replace(r"\ ", r"\s+") for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alt})(?:e?s)?(?!\w)", re.I)


def test_every_concordance_link_lands_on_a_paragraph_using_the_term(site, paragraphs):
    checked = 0
    for entry in ENTRIES:
        page = page_file(site, f"glossary/{entry['slug']}/")
        tree = lxml_html.fromstring(page.read_text(encoding="utf-8"))
        pattern = forms_pattern(entry)
        links = tree.xpath("//ol[@class='concordance']//a[@class='gl-ref']/@href")
        if not entry.get("never_occurs"):
            assert links, entry["slug"]
        base = f"/glossary/{entry['slug']}/"
        for href in links:
            target = urljoin(base, href)
            path, _, ref = target.partition("#")
            path = path.split("?")[0]  # ?hl= names the words to highlight on landing
            text = paragraphs(path).get(unquote(ref))
            assert text is not None, f"{entry['slug']}: {href} lands on no paragraph"
            assert pattern.search(text), f"{entry['slug']}: paragraph {ref} does not use {entry['term']!r}"
            checked += 1
    assert checked > 500


def test_concordance_counts_match_the_index_and_the_links(site):
    index = lxml_html.fromstring(page_file(site, "glossary/").read_text(encoding="utf-8"))
    items = index.xpath("//li[contains(@class, 'gl-item')]")
    assert len(items) == len(ENTRIES)
    for li in items[:40]:
        slug = li.get("id")
        n = int(li.xpath(".//span[@class='gl-count']")[0].text_content().split()[0])
        page = lxml_html.fromstring(page_file(site, f"glossary/{slug}/").read_text(encoding="utf-8"))
        assert len(page.xpath("//ol[@class='concordance']/li")) == n, slug


def test_chapters_link_terms_with_tooltips_and_list_key_terms(site):
    total = 0
    script = (site / "assets" / "terms.js").read_text(encoding="utf-8")
    definitions = json.loads(re.search(r"window.edTerms = (\{.*?\});\n", script).group(1))
    for chapter in ["", "capitalist-techno-utopianism", "paul-mason", "conclusion"]:
        text = page_file(site, f"{chapter}/" if chapter else "/").read_text(encoding="utf-8")
        tree = lxml_html.fromstring(text)
        assert "terms.js" not in text  # fetched by glossary.js when a term is first hovered or focused
        links = tree.xpath("//article//a[@class='term']")
        total += len(links)
        for a in links:
            slug = a.get("data-term")
            assert a.get("href").endswith(f"glossary/{slug}/") and slug in definitions
            assert a.get("title") is None  # the definition comes from assets/terms.js (glossary.js)
            assert a.get("data-ed") is None
            assert not a.xpath("ancestor::h1 | ancestor::h2 | ancestor::h3 | ancestor::sup | ancestor::a")
            assert page_file(site, f"glossary/{slug}/").exists()
        for a in tree.xpath("//div[@class='key-terms']//a[@data-term]"):
            assert a.get("data-term") in definitions and a.get("title") is None
        key_terms = tree.xpath("//div[@class='key-terms'][@data-ed]")
        assert len(key_terms) == 1 and key_terms[0].xpath(".//h2[@id='key-terms']")
        assert key_terms[0].xpath(".//a[contains(@href, 'glossary/')]")
        notes = tree.xpath("//div[contains(@class,'footnote')]")
        if notes:  # the notes stay right after the text, before the editors' closing sections
            assert text.index('class="footnote"') < text.index('id="key-terms"')
    assert total > 40


def test_term_pages_are_searchable_and_study_is_not(site):
    from pagefind_records import read_records
    records = read_records(site)
    locations = {r["url"].split("#")[0] for r in records}
    assert "glossary/paul-mason/" in locations
    assert {r["url"] for r in records if r["kind"] == "term"} == {f"glossary/{e['slug']}/" for e in ENTRIES}
    assert not locations & {"study/", "glossary/print/", "glossary/"}  # nor the concordance, on the term pages
    assert not [r["url"] for r in records if r["url"].startswith("glossary/") and "#" in r["url"]]


def test_term_page_previews(site):
    tree = lxml_html.fromstring(page_file(site, "glossary/autonomism/").read_text(encoding="utf-8"))
    entry = next(e for e in ENTRIES if e["slug"] == "autonomism")
    description = tree.xpath("//meta[@name='description']/@content")[0]
    assert description.split()[:5] == entry["short"].split()[:5]
    assert tree.xpath("//title")[0].text_content().startswith("autonomism")
