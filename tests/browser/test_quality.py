"""Reading in a browser: every page type in headless Chromium (Debian's, see tests/conftest.py).

No outside requests, axe-core in both colour schemes, no sideways scrolling on a phone, the
reading measure, the chapter furniture (reading time, previous/next, scheme toggle), print,
and screenshots of a chapter for people to look at (test-output/screenshots/, not compared).
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = OUTPUT / "screenshots"
CHAPTER = "/paul-mason/"

# Every kind of page the site has. "term" is the first entry linked from the glossary's index.
PAGE_TYPES = {
    "home": "/",
    "chapter": CHAPTER,
    "whole": "/whole/",
    "glossary": "/glossary/",
    "term": None,
    "bibliography": "/bibliography/",
    "annotations": "/annotations/",
    "study": "/study/",
    "about": "/about/",
    "not-found": "/404.html",
}


def term_path(site: Path) -> str | None:
    """The first glossary entry page linked from /glossary/ (None while there is none yet); an entry
    page is one with a definition (the glossary also has a page for printing all entries)."""
    index = site / "glossary" / "index.html"
    if not index.exists():
        return None
    tree = lxml_html.fromstring(index.read_text(encoding="utf-8"))
    for href in tree.xpath("//article//a/@href"):
        path = urlsplit(href).path
        if re.fullmatch(r"(\.\./glossary/|/glossary/|\./)?[a-z0-9][a-z0-9-]*/", path) and not path.startswith(".."):
            slug = path.rstrip("/").split("/")[-1]
            entry = site / "glossary" / slug / "index.html"
            if entry.exists() and 'id="definition"' in entry.read_text(encoding="utf-8"):  # an entry, not the print page
                return f"/glossary/{slug}/"
    return None


@pytest.fixture(scope="session")
def pages(site) -> dict[str, str | None]:
    found = dict(PAGE_TYPES)
    found["term"] = term_path(site)
    return found


def path_of(pages, kind: str) -> str:
    path = pages[kind]
    if path is None:
        pytest.skip(f"no {kind} page in this build yet")
    return path


def goto(page, path: str):
    response = page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")
    return response


# -- 4. No third-party requests ------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_request_leaves_the_site(new_context, pages, base_url, kind):
    """Every request a page makes (documents, scripts, styles, fonts, the search worker and its
    index, fetches) goes to the site's own origin; nothing is a font file."""
    path = path_of(pages, kind)
    context = new_context(viewport={"width": 1600, "height": 900})
    requests = []
    context.on("request", lambda r: requests.append((r.url, r.resource_type)))
    page = context.new_page()
    goto(page, path)
    if kind in ("chapter", "home"):
        # Wake the lazy parts too: search (worker and index) and a note popup.
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially("mason", delay=20)
        expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=10000)
    origin = base_url.rstrip("/")
    outside = [u for u, _ in requests if u.split(":", 1)[0] in ("http", "https", "ws", "wss")
               and not u.startswith(origin + "/")]
    assert outside == [], f"{path} asked other origins for: {outside}"
    assert [u for u, t in requests if t == "font"] == [], "no web fonts: the edition uses system fonts"
    assert len(requests) > 3


# -- 5. Accessibility: axe-core, both colour schemes ----------------------------------------------
def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.split('\\n').slice(0, 3).join(' '))}));
    }""")
    return result


# Every page type in both schemes; the whole essay (the chapters' markup again, 17 s an axe run)
# in the light one only.
AXE_RUNS = [(kind, scheme) for scheme in ("light", "dark") for kind in PAGE_TYPES
            if not (kind == "whole" and scheme == "dark")]


@pytest.mark.parametrize(("kind", "scheme"), AXE_RUNS)
def test_axe_finds_no_violation(new_context, pages, kind, scheme):
    path = path_of(pages, kind)
    context = new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    goto(page, path)
    expected = "slate" if scheme == "dark" else "default"
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
    assert_no_axe_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_on_a_phone_with_the_menu_and_a_note_open(new_context, scheme):
    """The narrow layout has its own controls (drawer, search button) and the note popup."""
    context = new_context(viewport={"width": 360, "height": 740}, color_scheme=scheme, has_touch=True)
    page = context.new_page()
    goto(page, CHAPTER)
    page.locator("a.footnote-ref").first.focus()
    popup = page.locator(".md-tooltip2--active")
    expect(popup).to_be_visible()
    page.wait_for_function("() => getComputedStyle(document.querySelector('.md-tooltip2--active')).opacity === '1'")
    page.wait_for_timeout(300)  # let the fade-in end: axe reads colours mid-transition otherwise
    assert_no_axe_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_a_term_tooltip_open(new_context, scheme):
    context = new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    goto(page, CHAPTER)
    page.locator("article a.term").first.focus()
    expect(page.locator("#ed-term-tip")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_the_sidenotes_shown(new_context, scheme):
    context = new_context(viewport={"width": 1680, "height": 1000}, color_scheme=scheme)
    page = context.new_page()
    goto(page, CHAPTER)
    expect(page.locator(".ed-sidenote").first).to_be_visible()
    assert_no_axe_violations(page)


FOCUS_SHOWN = """() => {
    let el = document.activeElement;
    if (el.matches('.md-option')) el = el.nextElementSibling;   // a hidden radio shows focus on its label
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0
        && r.left < innerWidth && r.top < innerHeight && s.visibility === 'visible';
    const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
    return {what: el.tagName + '.' + el.className.replace(' focus-visible', '') + ' ' +
                  (el.getAttribute('aria-label') || el.textContent || '').trim().slice(0, 40),
            onScreen, ring};
}"""


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("path", [CHAPTER, "/"])
def test_every_tab_stop_is_on_screen_with_a_visible_focus_ring(new_context, width, path):
    """Keyboard only: each of the first 60 tab stops is visible when focused (Material's hidden
    drawer opens for its links, the closed search's results are no tab stop) and has a ring."""
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    goto(page, path)
    hidden = []
    for _ in range(60):
        page.keyboard.press("Tab")
        page.wait_for_timeout(30)
        if page.evaluate("() => document.activeElement === document.body"):
            break                            # past the last stop (a short page)
        stop = page.evaluate(FOCUS_SHOWN)
        if not (stop["onScreen"] and stop["ring"]):
            page.wait_for_timeout(300)       # the drawer slides in: look again when it is there
            stop = page.evaluate(FOCUS_SHOWN)
        if not (stop["onScreen"] and stop["ring"]):
            hidden.append(stop)
    assert hidden == []


def test_escape_closes_the_drawer_and_returns_to_the_text(new_context):
    page = new_context(viewport={"width": 360, "height": 740}).new_page()
    goto(page, CHAPTER)
    page.locator(".md-sidebar--primary a.md-nav__link").first.focus()
    expect(page.locator("#__drawer")).to_be_checked()
    page.keyboard.press("Escape")
    expect(page.locator("#__drawer")).not_to_be_checked()
    expect(page.locator("article h1")).to_be_focused()


# -- 1. Reading comfort ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_sideways_scrolling_on_a_360px_phone(new_context, pages, kind):
    path = path_of(pages, kind)
    page = new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    goto(page, path)
    widths = page.evaluate("""() => {
        const wide = [];
        for (const el of document.querySelectorAll('.md-content *')) {
            const r = el.getBoundingClientRect();
            if (r.width && r.right > document.documentElement.clientWidth + 1 && getComputedStyle(el).position !== 'fixed') {
                wide.push(el.tagName + '.' + el.className + ' ' + Math.round(r.right));
            }
        }
        return {scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, wide: wide.slice(0, 5)};
    }""")
    assert widths["scroll"] <= widths["client"], widths


CHARS_PER_LINE = """() => {
    // Characters on each full line of the body paragraphs (last lines left out): one Range per character.
    const counts = [];
    for (const p of Array.from(document.querySelectorAll('article p.para')).slice(0, 15)) {
        const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: n =>
            n.parentElement.closest('.pmark, sup') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
        const lines = new Map();
        let node;
        while ((node = walker.nextNode())) {
            for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i); range.setEnd(node, i + 1);
                const rect = range.getClientRects()[0];
                if (!rect) continue;
                const key = Math.round(rect.top / 6);
                lines.set(key, (lines.get(key) || 0) + 1);
            }
        }
        const perLine = [...lines.values()];
        perLine.pop();
        counts.push(...perLine);
    }
    counts.sort((a, b) => a - b);
    return counts[Math.floor(counts.length / 2)];
}"""


@pytest.mark.parametrize("width", [1440, 1600, 1920])
def test_the_measure_is_about_70_characters(new_context, width):
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    goto(page, CHAPTER)
    median = page.evaluate(CHARS_PER_LINE)
    assert 65 <= median <= 75, f"median {median} characters a line at {width}px"


def test_only_system_fonts(new_context):
    page = new_context().new_page()
    goto(page, CHAPTER)
    fonts = page.evaluate("""() => ({
        faces: document.fonts.size,
        body: getComputedStyle(document.querySelector('article p.para')).fontFamily,
        ui: getComputedStyle(document.querySelector('.md-nav')).fontFamily})""")
    assert fonts["faces"] == 0, "no @font-face: nothing is downloaded"
    assert fonts["body"].endswith("serif") and fonts["ui"].endswith("sans-serif"), fonts


def test_a_chapter_shows_its_reading_time_and_previous_and_next(page):
    goto(page, CHAPTER)
    time = page.locator("article .reading-time")
    expect(time).to_have_text(re.compile(r"^About \d+ minutes to read \([\d,]+ words\)$"))
    expect(time).to_have_attribute("data-ed", "reading-time")
    footer = page.locator("nav.md-footer__inner")
    expect(footer.locator("a.md-footer__link--prev")).to_have_attribute("href", re.compile(r"analysis/$"))
    expect(footer.locator("a.md-footer__link--next")).to_have_attribute("href", re.compile(r"critiques-of-mason/$"))
    expect(footer.locator("a.md-footer__link--next")).to_contain_text("VI. Left-Wing Critiques of Mason")
    goto(page, "/whole/")
    expect(page.locator("article .reading-time")).to_have_text(re.compile(r"^About \d+ hours?( \d+ minutes)? to read"))


def test_colour_scheme_follows_the_system_and_the_toggle_switches_it(new_context):
    context = new_context(color_scheme="dark")
    page = context.new_page()
    goto(page, CHAPTER)
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    page.locator("label[title='Switch to light mode']").click()
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    goto(page, "/bibliography/")  # the choice is remembered
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    light = new_context(color_scheme="light").new_page()
    goto(light, CHAPTER)
    expect(light.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    expect(light.locator("label[title='Switch to dark mode']")).to_be_visible()


# -- Print --------------------------------------------------------------------------------------
PRINTED = """() => {
    const shown = el => el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
    return {
        header: shown(document.querySelector('.md-header')),
        nav: shown(document.querySelector('.md-sidebar--primary')),
        toc: shown(document.querySelector('.md-sidebar--secondary')),
        footer: shown(document.querySelector('.md-footer')),
        notes: shown(document.querySelector('.footnote')),
        noteItems: document.querySelectorAll('.footnote li').length,
        lastNote: shown(document.querySelector('.footnote li:last-child')),
        sidenotes: shown(document.querySelector('.ed-sidenotes')),
        refShown: shown(document.querySelector('.pmark')),
        copyButtons: shown(document.querySelector('.copy-link')),
        noteNumberInside: document.querySelector('.footnote li').getBoundingClientRect().left >= 24,
        textWidth: document.querySelector('article p.para').getBoundingClientRect().width,
        pageWidth: document.documentElement.clientWidth,
    };
}"""


@pytest.mark.parametrize("path", [CHAPTER, "/whole/"])
def test_print_keeps_the_text_and_its_notes_and_drops_the_furniture(new_context, path):
    page = new_context(viewport={"width": 1600, "height": 900}).new_page()
    goto(page, path)
    page.emulate_media(media="print")
    printed = page.evaluate(PRINTED)
    assert not any(printed[k] for k in ("header", "nav", "toc", "footer", "sidenotes", "copyButtons")), printed
    assert printed["notes"] and printed["lastNote"] and printed["noteItems"] > 10, printed
    assert printed["refShown"], "paragraph references print: they are how a printout is cited"
    assert printed["noteNumberInside"], printed  # room for "143." before the note: no clipped numbers
    assert printed["textWidth"] > 0.8 * printed["pageWidth"], printed
    pdf = page.pdf(format="A4")  # Chromium prints it
    assert pdf[:4] == b"%PDF" and len(pdf) > 20000


def test_print_shows_where_links_go(new_context):
    page = new_context().new_page()
    goto(page, "/")
    page.emulate_media(media="print")
    targets = page.evaluate("""() => Array.from(document.querySelectorAll('article a[href]'))
        .filter(a => getComputedStyle(a).display !== 'none' && !a.closest('.pmark, .para, .key-terms') && !a.matches('.headerlink'))
        .map(a => [a.getAttribute('href'), getComputedStyle(a, '::after').content])""")
    # The key terms are a list of the glossary's words: their addresses would bury them on paper.
    key_terms = page.evaluate("""() => Array.from(document.querySelectorAll('.key-terms a[href]'))
        .map(a => getComputedStyle(a, '::after').content)""")
    assert key_terms and all(t in ("none", "normal", "") for t in key_terms), key_terms
    outside = [t for h, t in targets if h.startswith("http")]
    inside = [t for h, t in targets if not h.startswith(("http", "#"))]
    assert outside and all(re.search(r"<https?://[^>]+>", t) for t in outside), targets
    assert inside and all(re.search(r"<http://127\.0\.0\.1:\d+/\S*>", t) for t in inside), targets
    in_text = page.evaluate("""() => Array.from(document.querySelectorAll('article .para a[href]:not(.footnote-ref):not(.pref)'))
        .map(a => getComputedStyle(a, '::after').content)""")
    assert all(t in ("none", "normal", "") for t in in_text), "no addresses inside the author's paragraphs"


def test_the_whole_essay_prints_each_part_on_a_new_page(new_context):
    page = new_context().new_page()
    goto(page, "/whole/")
    page.emulate_media(media="print")
    breaks = page.evaluate("""() => Array.from(document.querySelectorAll('article > h2'))
        .map(h => [h.id, getComputedStyle(h).breakBefore])""")
    parts = [b for b in breaks if b[0] not in ("opening", "notes")]
    assert len(parts) >= 7 and all(b == "page" for _, b in parts), breaks


# -- 8. Screenshots for people (not compared) ------------------------------------------------------
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1440, 1680])
def test_screenshots_of_a_chapter(new_context, width, scheme):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = new_context(viewport={"width": width, "height": 1000 if width > 400 else 740},
                          color_scheme=scheme, is_mobile=width < 400, has_touch=width < 400)
    page = context.new_page()
    goto(page, CHAPTER + "#V.3")
    if width >= 1600:
        expect(page.locator(".ed-sidenote").first).to_be_attached()
    page.wait_for_timeout(200)
    out = SHOTS / f"chapter-{width}-{scheme}.png"
    page.screenshot(path=str(out))
    assert out.stat().st_size > 10000
