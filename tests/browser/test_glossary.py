"""The glossary in the browser: term tooltips on keyboard focus, concordance links, kind filter,
(the flashcards are tests/browser/test_study.py's)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from edition.glossary import inline_markdown, plain

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = {e["slug"]: e for e in yaml.safe_load((ROOT / "glossary.yml").read_text(encoding="utf-8"))}


def tab_until(page, predicate_js: str, limit: int = 250, key: str = "Tab") -> None:
    """Press Tab (or Shift+Tab) until the focused element satisfies the predicate (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate(f"(el => !!el && ({predicate_js}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element with {predicate_js}")


def test_term_link_shows_its_definition_on_keyboard_focus(page, base_url):
    page.goto(base_url + "/paul-mason/")
    tab_until(page, "el.matches('article a.term')")
    focused = page.locator("article a.term:focus")
    slug = focused.get_attribute("data-term")
    expected = plain(inline_markdown(ENTRIES[slug]["short"]))
    # the definition comes from assets/terms.js; Material mounts the tooltip within a frame or two
    expect(focused).to_have_attribute("aria-describedby", re.compile(r"\S"), timeout=2000)
    tooltip_id = focused.get_attribute("aria-describedby")
    tooltip = page.locator(f"[id='{tooltip_id}']")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text(expected[:60])
    page.keyboard.press("Escape")  # dismissible without moving the focus
    expect(tooltip).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # back on the same link: the tooltip shows again
    again = page.locator("article a.term:focus")
    expect(again).to_have_attribute("data-term", slug)
    expect(again).to_have_attribute("aria-describedby", re.compile(r"\S"))
    expect(page.locator(f"[id='{again.get_attribute('aria-describedby')}']")).to_be_visible()


def test_term_definitions_are_fetched_only_when_a_term_is_pointed_at_and_the_tooltip_is_hoverable(page, base_url):
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base_url + "/paul-mason/")
    page.wait_for_load_state("networkidle")
    assert not [u for u in requests if u.endswith("/assets/terms.js")]  # nothing waits for them on load
    link = page.locator("article a.term").nth(3)
    slug = link.get_attribute("data-term")
    link.hover()
    tooltip = page.locator("#ed-term-tip")
    expect(tooltip).to_be_visible()
    expect(tooltip).to_have_attribute("role", "tooltip")
    expect(tooltip).to_contain_text(plain(inline_markdown(ENTRIES[slug]["short"]))[:60])
    expect(link).to_have_attribute("aria-describedby", "ed-term-tip")
    assert len([u for u in requests if u.endswith("/assets/terms.js")]) == 1
    box = tooltip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # onto the tooltip: it stays
    page.wait_for_timeout(200)
    expect(tooltip).to_be_visible()
    page.mouse.move(2, 2)  # away: it goes, and the link is no longer described by it
    expect(tooltip).to_be_hidden()
    assert link.get_attribute("aria-describedby") is None
    other = page.locator(".key-terms a[data-term]").first  # the key terms have tooltips too
    other.hover()
    expect(tooltip).to_contain_text(plain(inline_markdown(ENTRIES[other.get_attribute("data-term")]["short"]))[:40])


def test_concordance_link_lands_on_the_paragraph(page, base_url):
    page.goto(base_url + "/glossary/paul-mason/")
    expect(page.locator("h1")).to_have_text("Paul Mason")
    link = page.locator("ol.concordance a.gl-ref").nth(12)
    ref = link.inner_text()
    link.click()
    expect(page).to_have_url(re.compile(rf"#{re.escape(ref)}$"))
    target = page.locator(f"[id='{ref}']")
    expect(target).to_be_in_viewport()
    # the author's words only: the margin reference and buttons (data-ed) are the edition's
    words = target.evaluate("el => { const c = el.cloneNode(true); "
                            "c.querySelectorAll('[data-ed]').forEach(e => e.remove()); return c.textContent; }")
    assert re.search(r"\bMason", words)


def test_kind_filter_works_with_the_keyboard(page, base_url):
    page.goto(base_url + "/glossary/")
    items = page.locator("li.gl-item")
    total = items.count()
    assert total == len(ENTRIES)
    tab_until(page, "el.matches('.gl-filter-btn[data-kind=person]')")
    page.keyboard.press("Enter")
    people = sum(1 for e in ENTRIES.values() if e["kind"] == "person")
    expect(page.locator("li.gl-item:visible")).to_have_count(people)
    expect(page.locator(".gl-filter-btn[data-kind=person]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".gl-filter-status")).to_contain_text(f"Showing {people} of {total}")
    tab_until(page, "el.matches('.gl-filter-btn[data-kind=\"\"]')", key="Shift+Tab")
    page.keyboard.press("Space")
    expect(page.locator("li.gl-item:visible")).to_have_count(total)


def test_glossary_index_shows_every_entry_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/glossary/")
    expect(page.locator("li.gl-item:visible")).to_have_count(len(ENTRIES))
    expect(page.locator(".gl-filter")).to_be_hidden()
    context.close()
