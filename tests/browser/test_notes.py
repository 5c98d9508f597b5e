"""The author's notes in Chromium: popups with the formatted citation, back-links, bibliography."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_hovering_note_57_shows_its_citation_at_laptop_width(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(base_url + "/leftist-techno-utopianism/")
    marker = page.locator('sup#fnref\\:57 a')
    expect(marker).to_have_text("57")
    marker.scroll_into_view_if_needed()
    marker.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    expect(tooltip).to_be_visible()
    expect(tooltip).to_contain_text("John Holloway")
    expect(tooltip).to_contain_text("interview by Jerome Roos")
    expect(tooltip).to_contain_text("named")  # the level and its why are in the popup too
    expect(tooltip.locator(".note-why")).to_contain_text("Holloway")


def test_each_note_shows_the_authors_number_and_links_back(page, base_url):
    page.goto(base_url + "/paul-mason/")
    notes = page.locator(".footnote li")
    expect(notes).to_have_count(36)
    expect(notes.first).to_have_attribute("id", "fn:95")
    expect(notes.first).to_have_attribute("value", "95")
    expect(notes.first.locator(".note-level")).to_have_text("probable")
    expect(notes.first.locator(".note-why")).not_to_be_empty()
    notes.first.locator("a.footnote-backref").click()
    expect(page).to_have_url(re.compile("#fnref:95$"))


def test_an_unidentified_note_says_so(page, base_url):
    page.goto(base_url + "/critiques-of-mason/#fn:143")
    note = page.locator('li[id="fn:143"]')
    expect(note).to_contain_text("Kate Aronoff, on Mason’s PostCapitalism: source not identified.")
    expect(note.locator(".note-level")).to_have_text("not identified")


def test_bibliography_cited_in_link_reaches_the_note(page, base_url):
    page.goto(base_url + "/bibliography/")
    entry = page.locator('[id="mason2015postcapitalism"]')
    # the second work of the same author: a 3-em dash for the name (CMOS 14.67)
    expect(entry).to_contain_text("———. PostCapitalism: A Guide to Our Future. London: Allen Lane, 2015.")
    entry.get_by_role("link", name="101", exact=True).click()
    expect(page).to_have_url(re.compile(r"/paul-mason/#fn:101$"))
    expect(page.locator('li[id="fn:101"]')).to_be_in_viewport()
    expect(page.locator('li[id="fn:101"]')).to_contain_text("Mason, ")
