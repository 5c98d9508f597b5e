"""Linking to passages, in Chromium: landing, copying, short references, go-to box, citations."""
from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import expect

from conftest import ROOT

pytestmark = pytest.mark.browser


def in_viewport_below_header(page, selector):
    return page.evaluate("""(sel) => {
        const el = document.querySelector(sel);
        const header = document.querySelector('.md-header').getBoundingClientRect();
        const box = el.getBoundingClientRect();
        return box.top >= header.bottom - 1 && box.top < window.innerHeight;
    }""", selector)


def test_a_paragraph_link_lands_in_view_and_highlighted(page, base_url):
    page.goto(base_url + "/paul-mason/#V.40")
    target = page.locator('[id="V.40"]')
    expect(target).to_have_class(re.compile(r"\bis-target\b"))
    assert in_viewport_below_header(page, '[id="V.40"]')


def test_copy_button_puts_the_passage_url_on_the_clipboard(page, base_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page.goto(base_url + "/paul-mason/")
    button = page.get_by_role("button", name="Copy link to paragraph V.12")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == base_url + "/paul-mason/#V.12"


def test_short_references_arrive_at_the_passage(page, base_url):
    page.goto(base_url + "/p/III.12/")
    expect(page).to_have_url(re.compile(r"/other-techno-utopianisms/#III\.12$"))
    expect(page.locator('[id="III.12"]')).to_be_in_viewport()
    page.goto(base_url + "/n/57/")
    expect(page).to_have_url(re.compile(r"/leftist-techno-utopianism/#fnref:57$"))
    expect(page.locator('[id="fnref:57"]')).to_be_in_viewport()


def test_a_range_highlights_every_paragraph_in_it(page, base_url):
    page.goto(base_url + "/other-techno-utopianisms/?range=III.12-15#III.12")
    for n in (12, 13, 14, 15):
        expect(page.locator(f'[id="III.{n}"]')).to_have_class(re.compile(r"\bis-target\b"))
    expect(page.locator('[id="III.16"]')).not_to_have_class(re.compile(r"\bis-target\b"))


@pytest.mark.parametrize("query, url", [
    ("III.12", r"/other-techno-utopianisms/#III\.12$"),
    ("iii 12-14", r"/other-techno-utopianisms/\?range=III\.12-14#III\.12$"),
    ("note 57", r"/leftist-techno-utopianism/#fnref:57$"),
    ("Exodus", r"/glossary/exodus/$"),
])
def test_the_go_to_box_resolves_references_notes_and_terms(page, base_url, query, url):
    page.goto(base_url + "/")
    box = page.get_by_label("Go to a passage, a note or a term")
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(url))


def test_the_go_to_box_says_when_nothing_matches(page, base_url):
    page.goto(base_url + "/")
    box = page.get_by_label("Go to a passage, a note or a term")
    box.fill("IX.999")
    box.press("Enter")
    expect(page.locator(".goto-status")).to_contain_text("No passage, note or term matches")


def test_cite_this_paragraph_dialog(page, base_url):
    page.goto(base_url + "/paul-mason/")
    page.get_by_role("button", name="Cite paragraph V.12").click()
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator(".cite-chicago")).to_contain_text("Kevin Carson, “Techno-Utopianism, Counterfeit and Real")
    expect(dialog.locator(".cite-chicago")).to_contain_text("¶ V.12")
    version = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["extra"]["edition"]["version"]
    expect(dialog.locator(".cite-chicago")).to_contain_text(f"version {version}")
    expect(dialog.locator(".cite-bibtex")).to_contain_text("@misc{carson2016technoutopianism-V-12,")
    expect(dialog.locator(".cite-bibtex")).to_contain_text("paul-mason/#V.12")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_text_fragments_and_the_back_button_keep_working(page, base_url):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + "/paul-mason/#:~:text=Kondratieff%20wave")
    expect(page.locator("h1")).to_have_text(re.compile("Paul Mason"))
    page.locator('a.pref[href="#V.20"]').click()
    expect(page).to_have_url(re.compile(r"#V\.20$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"#:~:text=Kondratieff%20wave$|/paul-mason/$"))
    assert errors == []


@pytest.mark.parametrize("path, url", [
    ("/p/III.12-15/", r"/other-techno-utopianisms/\?range=III\.12-15#III\.12$"),
    ("/p/iii.12/", r"/other-techno-utopianisms/#III\.12$"),
    ("/n/057/", r"/leftist-techno-utopianism/#fnref:57$"),
])
def test_short_references_without_a_file_resolve_on_the_not_found_page(page, base_url, path, url):
    page.goto(base_url + path)
    expect(page).to_have_url(re.compile(url))

