"""Offline search (Material's lunr index, search/search_index.json, run in a web worker)."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def search(page, query: str) -> list[str]:
    """Type a query as a reader would; return the result links (site-relative paths with fragments)."""
    page.goto("/paul-mason/")
    page.keyboard.press("/")                      # Material's shortcut opens and focuses the search box
    box = page.locator("input.md-search__input")
    expect(box).to_be_focused()
    box.press_sequentially(query, delay=30)
    meta = page.locator(".md-search-result__meta")
    expect(meta).to_have_text(re.compile(r"\d+ matching documents?"), timeout=10000)
    links = page.locator(".md-search-result__item a.md-search-result__link")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("l => l.map(a => a.href)")
    return [urlsplit(h).path.lstrip("/") + (f"#{urlsplit(h).fragment}" if urlsplit(h).fragment else "") for h in hrefs]


def test_finds_words_of_the_text(page):
    found = search(page, "Shenhav")
    assert any(h.startswith("capitalist-techno-utopianism/") for h in found), found


def test_finds_bibliography_entries(page):
    found = search(page, "Shenhav")
    assert any(h.startswith("bibliography/") for h in found), found
    found = search(page, "Rushkoff")
    assert any(h.startswith("bibliography/") for h in found), found


def test_finds_a_glossary_term_and_its_page(page, site):
    if not (site / "glossary" / "exodus" / "index.html").exists():
        pytest.skip("the glossary has no entry pages yet (glossary/exodus/)")
    found = search(page, "exodus")
    assert any(h.startswith("glossary/exodus/") for h in found), found
    page.locator(".md-search-result__item a[href*='glossary/exodus/']").first.click()
    expect(page).to_have_url(re.compile(r"/glossary/exodus/"))


def test_search_is_usable_by_keyboard(page):
    found = search(page, "Kondratieff")
    page.keyboard.press("ArrowDown")
    focused = page.locator(":focus")
    expect(focused).to_have_class(re.compile("md-search-result__link"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(found[0].split("#")[0]) + r"(\?h=kondratieff)?(#.*)?$"))


def groups(page) -> list[list[str]]:
    """The results as shown: one list of links per page (the page first, then its best sections)."""
    return page.locator(".md-search-result__item").evaluate_all(
        """items => items.map(li => Array.from(li.querySelectorAll(':scope > a.md-search-result__link'))
             .map(a => { const u = new URL(a.href); return u.pathname.slice(1) + (u.hash || ''); }))""")


@pytest.mark.parametrize("phrase, ref", [
    ("rent out our bedrooms", "critiques-of-mason/#VI.25"),
    ("social factory is immaterial", "leftist-techno-utopianism/#II.25"),
    ("Dark Satanic Mills", "analysis/#IV.4"),
    ("peer production shows a new form of creating value", "other-techno-utopianisms/#III.60a"),
])
def test_a_phrase_of_the_essay_finds_its_paragraph_first_and_lands_on_it(page, phrase, ref):
    search(page, phrase)
    first = groups(page)[0]
    assert first[0] == ref.split("#")[0], first  # the chapter, not a glossary, annotation or whole-essay page
    assert first[1] == ref, first  # its best section is the paragraph itself
    page.locator(f".md-search-result__item a.md-search-result__link[href$='#{ref.split('#')[1]}']").first.click()
    expect(page).to_have_url(re.compile(re.escape(ref.split("#")[0]) + r"(\?h=[^#]*)?#" + re.escape(ref.split("#")[1]) + "$"))
    expect(page.locator(f"[id='{ref.split('#')[1]}']")).to_be_in_viewport()


def test_concordance_lines_are_not_search_results(page):
    found = search(page, "rent out our bedrooms")
    assert not any("#in-" in h or h.endswith("#concordance") for h in found), found


def test_a_term_page_is_found_by_an_alias(page):
    found = search(page, "knowledge elite")
    assert any(h.startswith("glossary/knowledge-class/") for h in found), found
