"""Reading and sharing without friction (issue 19): the address bar keeps the passage, citations name the
real address, the cite dialog fits a phone, short links work on a static host, reading flow."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from conftest import ROOT

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}


def settle(page, ms=500):
    page.wait_for_timeout(ms)


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_address_bar_keeps_the_paragraph_after_scrolling(new_context, base_url, screen):
    page = new_context(**screen).new_page()
    page.goto(base_url + "/other-techno-utopianisms/#III.12")
    expect(page.locator('[id="III.12"]')).to_be_in_viewport()
    for dy in (300, 1500, 4000):
        page.mouse.wheel(0, dy) if screen is DESKTOP else page.evaluate(f"window.scrollBy(0, {dy})")
        settle(page, 300)
        assert page.evaluate("location.hash") == "#III.12"
    # Opening a note (hover or focus shows its popup) does not rewrite it either.
    page.locator("a.footnote-ref").nth(3).focus()
    settle(page, 300)
    assert page.evaluate("location.hash") == "#III.12"
    # Sharing from the address bar sends the passage: the URL lands there again.
    shared = page.url
    other = new_context(**screen).new_page()
    other.goto(shared)
    expect(other.locator('[id="III.12"]')).to_have_class(re.compile(r"\bis-target\b"))


def test_citations_name_the_address_the_page_is_served_from(page, base_url):
    """The test server's port is not the build's 8000: every citation shown must use the real one."""
    assert not base_url.endswith(":8000")
    page.goto(base_url + "/paul-mason/")
    block = page.locator(".cite-this")
    expect(block.locator(".cite-chicago")).to_contain_text(base_url + "/paul-mason/")
    expect(block.locator("pre code")).to_contain_text(base_url + "/paul-mason/")
    assert "127.0.0.1:8000" not in block.inner_text()
    page.get_by_role("button", name="Cite paragraph V.12").click()
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog.locator(".cite-chicago")).to_contain_text(base_url + "/paul-mason/#V.12")
    expect(dialog.locator(".cite-bibtex")).to_contain_text(base_url + "/paul-mason/#V.12")


def test_the_cite_dialog_fits_a_phone_copies_and_works_by_keyboard(new_context, base_url):
    context = new_context(**PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    page = context.new_page()
    page.goto(base_url + "/paul-mason/#V.12")
    button = page.get_by_role("button", name="Cite paragraph V.12")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.cite-dialog")
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box
    scroll = page.evaluate("[document.querySelector('dialog.cite-dialog pre').scrollWidth,"
                           " document.querySelector('dialog.cite-dialog pre').clientWidth]")
    assert scroll[0] <= scroll[1] + 1, "BibTeX wraps instead of being cut off"
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.cite-dialog .cite-chicago')).fontSize)")
    assert size >= 14
    copy = dialog.get_by_role("button", name="Copy BibTeX")
    copy.focus()
    page.keyboard.press("Enter")
    expect(dialog.locator(".cite-status")).to_have_text("BibTeX citation copied.")
    assert page.evaluate("navigator.clipboard.readText()").startswith("@misc{carson2016technoutopianism-V-12,")
    dialog.get_by_role("button", name="Copy Chicago").click()
    expect(dialog.locator(".cite-status")).to_have_text("Chicago citation copied.")
    assert "¶ V.12" in page.evaluate("navigator.clipboard.readText()")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


@pytest.mark.parametrize("path, url", [
    ("/p/iii.12/", r"/other-techno-utopianisms/#III\.12$"),
    ("/p/c.1a/", r"/conclusion/#C\.1a$"),
    ("/p/III.12-14/", r"/other-techno-utopianisms/\?range=III\.12-14#III\.12$"),
])
def test_short_links_in_lower_case_or_with_a_range_work_on_the_static_host(page, base_url, path, url):
    """The tests serve the site with scripts/serve.py, the local server the README names."""
    page.goto(base_url + path)
    expect(page).to_have_url(re.compile(url))
    ref = url.split("#")[1].replace("\\", "").rstrip("$")
    expect(page.locator(f'[id="{ref}"]')).to_have_class(re.compile(r"\bis-target\b"))


def test_lower_case_short_links_are_files_of_their_own(site):
    """Any static host, even one without a 404 page (python3 -m http.server), serves them."""
    assert (site / "p" / "iii.12" / "index.html").is_file()
    assert "other-techno-utopianisms/#III.12" in (site / "p" / "iii.12" / "index.html").read_text(encoding="utf-8")


def test_the_home_page_offers_the_contents_and_then_continue_reading(new_context, base_url):
    page = new_context(**PHONE).new_page()
    page.goto(base_url + "/")
    contents = page.locator("nav.ed-contents")
    expect(contents.locator("li")).to_have_count(8)
    expect(contents.locator("li").nth(5)).to_contain_text(re.compile(r"V\. Paul Mason \d+ min · [\d,]+ words"))
    expect(page.locator(".ed-continue")).to_be_hidden()
    expect(page.locator("article .reading-time")).to_have_count(0)  # the home gives every part's length instead
    page.goto(base_url + "/paul-mason/")
    page.locator('[id="V.30"]').scroll_into_view_if_needed()
    page.evaluate("document.getElementById('V.30').scrollIntoView()")
    settle(page, 900)
    page.goto(base_url + "/")
    resume = page.locator(".ed-continue")
    expect(resume).to_be_visible()
    expect(resume).to_contain_text(re.compile(r"Continue reading: V\. Paul Mason, ¶ V\.(29|30|31)"))
    resume.click()
    expect(page).to_have_url(re.compile(r"/paul-mason/#V\.(29|30|31)$"))


def test_previous_and_next_come_right_after_the_last_paragraph(page, base_url):
    page.goto(base_url + "/paul-mason/")
    follows = page.evaluate("""() => {
        const paras = document.querySelectorAll('article .para');
        let el = paras[paras.length - 1];
        while (el.parentElement && el.parentElement.tagName !== 'ARTICLE') { el = el.parentElement; }
        let next = el.nextElementSibling;
        return next && next.className;
    }""")
    assert "ed-chapter-nav" in follows
    nav = page.locator("nav.ed-chapter-nav")
    expect(nav.locator(".ed-prev a")).to_have_attribute("href", "../analysis/")
    expect(nav.locator(".ed-next a")).to_contain_text("VI. Left-Wing Critiques of Mason")


def test_note_markers_are_24px_targets_and_the_go_to_box_is_readable(new_context, base_url):
    page = new_context(**PHONE).new_page()
    page.goto(base_url + "/paul-mason/")
    boxes = page.evaluate("Array.from(document.querySelectorAll('article .para a.footnote-ref')).slice(0, 10)"
                          ".map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height]; })")
    assert boxes and all(w >= 24 and h >= 24 for w, h in boxes), boxes
    page.goto(base_url + "/")
    size = page.evaluate("parseFloat(getComputedStyle(document.getElementById('goto-input')).fontSize)")
    border = page.evaluate("getComputedStyle(document.getElementById('goto-input')).borderTopWidth")
    assert size >= 16 and border != "0px"


def test_sidenotes_from_a_1440px_laptop(new_context, base_url):
    page = new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.goto(base_url + "/paul-mason/")
    expect(page.locator(".ed-sidenote").first).to_be_visible()


def test_a_default_build_says_that_canonical_links_name_localhost(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items() if k != "SITE_URL"}
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_site.py"), "--site-dir", str(tmp_path / "s")],
                            capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    assert "SITE_URL is not set" in result.stderr and "http://127.0.0.1:8000/" in result.stderr
    home = (tmp_path / "s" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="http://127.0.0.1:8000/">' in home


@pytest.mark.parametrize("query, url", [
    ("III.12", r"/other-techno-utopianisms/#III\.12$"),
    ("iii 12", r"/other-techno-utopianisms/#III\.12$"),
    ("note 57", r"/leftist-techno-utopianism/#fnref:57$"),
])
def test_a_reference_typed_in_the_search_box_goes_to_the_passage(page, base_url, query, url):
    page.goto(base_url + "/paul-mason/")
    page.keyboard.press("/")  # Material's shortcut to the search box
    box = page.locator(".md-search__input")
    expect(box).to_be_focused()
    box.fill(query)
    box.press("Enter")
    expect(page).to_have_url(re.compile(url))


def test_a_concordance_link_lands_with_the_term_highlighted(page, base_url):
    page.goto(base_url + "/glossary/exodus/")
    link = page.locator("ol.concordance a.gl-ref").first
    ref = link.inner_text()
    link.click()
    target = page.locator(f'[id="{ref}"]')
    expect(target).to_have_class(re.compile(r"\bis-target\b"))
    marked = target.locator("mark.ed-hl").first
    expect(marked).to_be_visible()
    expect(marked).to_have_text(re.compile(r"^[Ee]xodus"))
