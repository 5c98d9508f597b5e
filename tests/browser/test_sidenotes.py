"""Notes in the browser: sidenotes on wide screens, popups on narrow ones, plain endnotes without JS."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHAPTER = "/paul-mason/"
CROWDED = "/critiques-of-mason/"    # notes 131 and 132: two long notes on a three-line paragraph
FIRST_NOTE = "95"                   # the first note of V. Paul Mason, in V.3
GAP = 8                             # px between sidenotes (edition.js)

GEOMETRY = """() => {
    const box = r => ({top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: r.right});
    const article = document.querySelector('article.md-content__inner');
    return {
        viewport: document.documentElement.clientWidth,
        scroll: document.documentElement.scrollWidth,
        text: box(Array.from(article.querySelectorAll('p.para')).reduce((a, p) => {
            const r = p.getBoundingClientRect(); return {top: 0, bottom: 0, left: Math.min(a.left, r.left), right: Math.max(a.right, r.right)};
        }, {left: Infinity, right: -Infinity})),
        marks: Array.from(article.querySelectorAll('.pmark')).map(m => box(m.getBoundingClientRect())),
        notes: Array.from(document.querySelectorAll('.ed-sidenote')).map(n => {
            const ref = article.querySelector('a.footnote-ref[href="#fn:' + n.dataset.note + '"]');
            return {note: n.dataset.note, box: box(n.getBoundingClientRect()), ref: box(ref.getBoundingClientRect()),
                    para: box(ref.closest('.para, p, li').getBoundingClientRect()),
                    text: n.textContent, visible: getComputedStyle(n).visibility === 'visible'};
        }),
        refs: article.querySelectorAll('a.footnote-ref').length,
    };
}"""


def overlap(a, b) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def wide_page(new_context, path=CHAPTER, width=1600):
    page = new_context(viewport={"width": width, "height": 1000}).new_page()
    page.goto(path)
    expect(page.locator(".ed-sidenote").first).to_be_visible()
    page.wait_for_timeout(100)
    return page


def check_layout(geo):
    notes = geo["notes"]
    assert notes and len(notes) == geo["refs"], "one sidenote for each note marker"
    assert geo["scroll"] <= geo["viewport"], "the sidenote column fits the window"
    for n in notes:
        assert n["visible"] and n["box"]["right"] <= geo["viewport"], n["note"]
        assert n["box"]["left"] >= geo["text"]["right"] + 16, f"note {n['note']} sits clear of the text"
        for mark in geo["marks"]:
            assert not overlap(n["box"], mark), f"note {n['note']} overlaps a paragraph reference"
    for a, b in zip(notes, notes[1:]):
        assert a["box"]["bottom"] + GAP - 1 <= b["box"]["top"], f"notes {a['note']} and {b['note']} overlap"
    for prev, n in zip([None] + notes, notes):
        # Next to its paragraph: not above it, and below it only when stacked under the note before.
        assert n["box"]["top"] >= n["para"]["top"] - 1, f"note {n['note']} starts above its paragraph"
        stacked = prev is not None and abs(n["box"]["top"] - (prev["box"]["bottom"] + GAP)) <= 1
        assert n["box"]["top"] <= n["para"]["bottom"] or stacked, f"note {n['note']} drifted from its paragraph"
        assert n["box"]["top"] - n["ref"]["top"] < 250, f"note {n['note']} is far below its marker"
        if not stacked:  # at its marker's height (the marker's 24px target may reach above the paragraph)
            want = max(n["ref"]["top"], n["para"]["top"])
            assert abs(n["box"]["top"] - want) <= 1.5 or n["box"]["top"] < want, n


@pytest.mark.parametrize("path", [CHAPTER, CROWDED, "/whole/"])
def test_sidenotes_sit_by_their_paragraphs_without_overlap_at_1600px(new_context, path):
    page = wide_page(new_context, path)
    geo = page.evaluate(GEOMETRY)
    check_layout(geo)
    first = geo["notes"][0]
    if path == CHAPTER:
        assert first["note"] == FIRST_NOTE and "PostCapitalism" in first["text"]
        assert abs(first["box"]["top"] - first["ref"]["top"]) <= 1, "an uncrowded note is level with its marker"
    # The popup would only repeat the margin: it stays hidden.
    page.locator("a.footnote-ref").first.hover()
    page.wait_for_timeout(400)
    assert page.locator(".md-tooltip2[role=dialog]:visible").count() == 0


def test_sidenotes_are_copies_hidden_from_assistive_technology(new_context):
    page = wide_page(new_context)
    facts = page.evaluate("""() => {
        const aside = document.querySelector('.ed-sidenotes');
        return {hidden: aside.getAttribute('aria-hidden'), ed: aside.dataset.ed,
                ids: aside.querySelectorAll('[id]').length,
                focusable: Array.from(aside.querySelectorAll('a, button')).filter(e => e.tabIndex >= 0).length,
                backrefs: aside.querySelectorAll('.footnote-backref').length,
                endnotes: document.querySelectorAll('.footnote li[id^="fn:"]').length};
    }""")
    assert facts == {"hidden": "true", "ed": "sidenotes", "ids": 0, "focusable": 0, "backrefs": 0,
                     "endnotes": facts["endnotes"]} and facts["endnotes"] > 10
    # Ids stay unique on the page.
    assert page.evaluate("() => { const ids = Array.from(document.querySelectorAll('[id]'), e => e.id);"
                         " return ids.length - new Set(ids).size; }") == 0


def test_sidenotes_follow_resizes(new_context):
    page = wide_page(new_context, width=1700)
    check_layout(page.evaluate(GEOMETRY))
    page.set_viewport_size({"width": 2100, "height": 1000})    # larger type, different line breaks
    page.wait_for_timeout(300)
    check_layout(page.evaluate(GEOMETRY))
    page.set_viewport_size({"width": 1280, "height": 1000})    # popups instead
    expect(page.locator(".ed-sidenotes")).to_have_count(0)
    expect(page.locator("html")).not_to_have_class(re.compile("ed-sidenotes-on"))
    page.locator("a.footnote-ref").first.hover()
    expect(page.locator(".md-tooltip2--active")).to_contain_text("PostCapitalism")
    page.set_viewport_size({"width": 1600, "height": 1000})
    expect(page.locator(".ed-sidenote").first).to_be_visible()
    page.wait_for_timeout(300)
    check_layout(page.evaluate(GEOMETRY))


def test_a_marker_lights_up_its_sidenote(new_context):
    page = wide_page(new_context)
    page.locator(f"a.footnote-ref[href='#fn:{FIRST_NOTE}']").hover()
    expect(page.locator(f".ed-sidenote[data-note='{FIRST_NOTE}']")).to_have_class(re.compile("is-active"))


# -- Popups on narrow screens --------------------------------------------------------------------
def test_keyboard_only_tab_to_a_note_read_it_and_escape(new_context):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(CHAPTER)
    page.locator("body").click(position={"x": 5, "y": 300})  # start from the page, as a keyboard user would
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.footnote-ref')"):
            break
    else:
        pytest.fail("no note marker reached with Tab")
    marker = page.locator(":focus")
    expect(marker).to_have_attribute("href", f"#fn:{FIRST_NOTE}")
    ring = marker.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] != "none" and ring[1] >= 2, f"visible focus: {ring}"
    popup = page.locator(".md-tooltip2--active")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("Paul Mason, PostCapitalism: A Guide to Our Future")
    expect(popup).to_have_attribute("aria-label", "Note 95")
    box = popup.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900 and box["x"] >= 0 and box["x"] + box["width"] <= 1280
    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    expect(page.locator(":focus")).to_have_attribute("href", f"#fn:{FIRST_NOTE}")  # focus stays on the marker
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(page.locator(".md-tooltip2--active")).to_be_visible()                 # and comes back with it
    page.keyboard.press("Enter")                                                   # Enter follows the link
    expect(page).to_have_url(re.compile(f"#fn:{FIRST_NOTE}$"))


def test_hover_shows_the_note_and_leaving_hides_it(new_context):
    page = new_context(viewport={"width": 1024, "height": 800}).new_page()
    page.goto(CHAPTER)
    page.locator(f"a.footnote-ref[href='#fn:{FIRST_NOTE}']").hover()
    popup = page.locator(".md-tooltip2--active")
    expect(popup).to_contain_text("PostCapitalism")
    page.mouse.move(5, 5)
    expect(popup).to_have_count(0, timeout=3000)


def test_a_tap_on_a_phone_opens_the_note_in_place(new_context):
    context = new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(CHAPTER)
    marker = page.locator(f"a.footnote-ref[href='#fn:{FIRST_NOTE}']")
    marker.scroll_into_view_if_needed()
    before = page.evaluate("scrollY")
    marker.tap()
    popup = page.locator(".md-tooltip2--active")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("PostCapitalism")
    assert page.evaluate("scrollY") == before and "#" not in page.url, "the tap does not jump to the end"
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and 0 <= box["y"] < 740
    page.locator("h1").tap()
    expect(popup).to_be_hidden()


def test_without_javascript_the_markers_link_to_the_endnotes(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False, viewport={"width": 1600, "height": 900})
    try:
        page = context.new_page()
        page.goto(CHAPTER)
        expect(page.locator(".ed-sidenote")).to_have_count(0)
        page.locator(f"a.footnote-ref[href='#fn:{FIRST_NOTE}']").click()
        expect(page).to_have_url(re.compile(f"#fn:{FIRST_NOTE}$"))
        note = page.locator(f"li[id='fn:{FIRST_NOTE}']")
        expect(note).to_be_in_viewport()
        expect(note).to_contain_text("PostCapitalism")
        note.locator("a.footnote-backref").click()
        expect(page).to_have_url(re.compile(f"#fnref:{FIRST_NOTE}$"))
    finally:
        context.close()
