"""The editors' annotations in Chromium: keyboard and tap, the layer switch (remembered), one popup
at a time with the author's notes, margin notes beside the notes, print, and axe with the layer on."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_sidenotes import GEOMETRY, check_layout  # the author's notes in the margin (same folder)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHAPTER = "/paul-mason/"
FIRST = "piketty-spelling"          # the first annotation of V. Paul Mason (V.1)
CROWDED = "V.46"                    # three annotations and note 111 in one paragraph
POPUP = "#ed-annot-pop"
NOTE_POPUP = ".md-tooltip2--active:not(.ed-dismissed)"


def goto(page, path):
    page.goto(path, wait_until="load")
    page.wait_for_load_state("networkidle")


def sigil(page, ident):
    return page.locator(f"a.ed-annot-ref[href='#an:{ident}']")


def boxes_overlap(page) -> bool:
    """Whether a visible annotation popup and a visible note popup overlap on screen."""
    return page.evaluate("""() => {
        const shown = el => el && getComputedStyle(el).display !== 'none' && !el.hidden && el.getBoundingClientRect().width > 0;
        const a = document.querySelector('#ed-annot-pop');
        const notes = Array.from(document.querySelectorAll('.md-tooltip2--active:not(.ed-dismissed)')).filter(shown);
        if (!shown(a)) return false;
        const r = a.getBoundingClientRect();
        return notes.some(n => { const s = n.getBoundingClientRect();
            return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom; });
    }""")


# -- keyboard ---------------------------------------------------------------------------------------
def test_keyboard_tab_to_an_annotation_read_it_escape_and_follow_it(new_context):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    goto(page, CHAPTER)
    page.locator("body").click(position={"x": 5, "y": 300})
    for _ in range(250):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('a.ed-annot-ref')"):
            break
    else:
        pytest.fail("no annotation reached with Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("href", f"#an:{FIRST}")
    expect(focused).to_have_attribute("aria-label", "Editors’ annotation: factual note")
    ring = focused.evaluate("e => { const s = getComputedStyle(e); return [s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] != "none" and ring[1] >= 2, ring
    popup = page.locator(POPUP)
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("The economist’s name is Thomas Piketty")
    expect(popup).to_contain_text("Factual note")
    expect(popup).to_have_attribute("role", "dialog")
    expect(focused).to_have_attribute("aria-expanded", "true")
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1280 and 0 <= box["y"] and box["y"] + box["height"] <= 900
    page.keyboard.press("Escape")
    expect(popup).to_be_hidden()
    expect(page.locator(":focus")).to_have_attribute("href", f"#an:{FIRST}")
    page.keyboard.press("Tab")
    expect(popup).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    expect(popup).to_be_visible()
    page.keyboard.press("Enter")                     # Enter follows the link to the chapter's list
    expect(page).to_have_url(re.compile(f"#an:{FIRST}$"))
    expect(page.locator(f"li[id='an:{FIRST}']")).to_be_in_viewport()


def test_hover_shows_the_annotation_and_the_pointer_may_rest_on_it(new_context):
    page = new_context(viewport={"width": 1024, "height": 800}).new_page()
    goto(page, CHAPTER)
    sigil(page, "gods-copybook-headings").hover()
    popup = page.locator(POPUP)
    expect(popup).to_contain_text("Kipling")
    popup.hover()                                    # hoverable: the sources can be clicked
    page.wait_for_timeout(500)
    expect(popup).to_be_visible()
    page.mouse.move(5, 5)
    expect(popup).to_be_hidden(timeout=3000)


# -- tap ----------------------------------------------------------------------------------------------
def test_a_tap_on_a_phone_opens_the_annotation_in_place(new_context):
    page = new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    goto(page, CHAPTER)
    target = sigil(page, "gezi-park")
    target.scroll_into_view_if_needed()
    before = page.evaluate("scrollY")
    target.tap()
    popup = page.locator(POPUP)
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("Gezi Park protests began in Istanbul")
    assert page.evaluate("scrollY") == before and "#" not in page.url, "the tap does not jump to the list"
    box = popup.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    page.locator("h1").tap()
    expect(popup).to_be_hidden()


# -- the layer switch -------------------------------------------------------------------------------
def visible_count(page, selector):
    return page.evaluate(f"""() => Array.from(document.querySelectorAll({selector!r}))
        .filter(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length).length""")


def test_the_layer_switches_off_and_on_and_stays_so_after_a_reload(new_context):
    context = new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    goto(page, CHAPTER)
    switch = page.get_by_role("switch", name="Editors’ annotations")
    expect(switch).to_have_attribute("aria-checked", "true")
    sigils = visible_count(page, "a.ed-annot-ref")
    notes = visible_count(page, "a.footnote-ref")
    paras = visible_count(page, "article .para")
    assert sigils >= 8 and notes > 30
    switch.click()
    expect(switch).to_have_attribute("aria-checked", "false")
    assert visible_count(page, "a.ed-annot-ref") == 0
    assert visible_count(page, ".ed-annotations, .ed-annotations-heading") == 0
    assert page.evaluate("() => getComputedStyle(document.querySelector('.ed-annot')).backgroundColor") == "rgba(0, 0, 0, 0)"
    # The author's text and notes are never hidden.
    assert visible_count(page, "a.footnote-ref") == notes and visible_count(page, "article .para") == paras
    expect(page.locator(".footnote")).to_be_visible()
    sigil(page, FIRST).evaluate("e => e.focus()")
    expect(page.locator(POPUP)).to_have_count(0)
    # Remembered: off after a reload and on another page, applied before the page is drawn.
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("switch", name="Editors’ annotations")).to_have_attribute("aria-checked", "false")
    assert visible_count(page, "a.ed-annot-ref") == 0
    other = context.new_page()
    goto(other, "/critiques-of-mason/")
    expect(other.locator("html")).to_have_class(re.compile("ed-annotations-off"))
    other.close()
    # And on again.
    page.get_by_role("switch", name="Editors’ annotations").click()
    assert visible_count(page, "a.ed-annot-ref") == sigils
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("switch", name="Editors’ annotations")).to_have_attribute("aria-checked", "true")
    assert visible_count(page, "a.ed-annot-ref") == sigils


def test_an_annotations_address_shows_its_words_even_with_the_layer_off(new_context):
    context = new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    goto(page, CHAPTER)
    page.get_by_role("switch", name="Editors’ annotations").click()
    goto(page, "/a/gods-copybook-headings/")
    expect(page).to_have_url(re.compile(r"/paul-mason/#anref:gods-copybook-headings$"))
    words = page.locator(".ed-annot[data-annot='gods-copybook-headings']")
    expect(words).to_have_class(re.compile("is-target"))
    expect(words).to_be_in_viewport()
    expect(sigil(page, "gods-copybook-headings")).to_be_visible()
    assert page.evaluate("() => localStorage.getItem('edition-annotations')") == "off"  # the choice is kept


# -- never two popups over each other ---------------------------------------------------------------
def test_annotation_and_note_popups_never_overlap(new_context):
    page = new_context(viewport={"width": 1024, "height": 800}).new_page()
    goto(page, CHAPTER + "#" + CROWDED)
    note = page.locator("a.footnote-ref[href='#fn:111']")
    steps = [
        ("hover the note", lambda: note.hover()),
        ("hover a sigil", lambda: sigil(page, "brazil-june-protests").hover()),
        ("hover the note again", lambda: note.hover()),
        ("focus a sigil", lambda: sigil(page, "gezi-park").focus()),
        ("focus the note", lambda: note.focus()),
        ("focus the sigil beside it", lambda: sigil(page, "brazil-june-protests").focus()),
    ]
    seen_note = seen_annotation = False
    for what, act in steps:
        act()
        for _ in range(8):                           # through Material's and our timers
            page.wait_for_timeout(100)
            assert not boxes_overlap(page), what
        seen_note |= page.locator(NOTE_POPUP).count() > 0
        seen_annotation |= page.locator(POPUP).is_visible()
    assert seen_note and seen_annotation


def test_on_a_phone_a_tapped_note_closes_the_annotation(new_context):
    page = new_context(viewport={"width": 360, "height": 740}, has_touch=True, is_mobile=True).new_page()
    goto(page, CHAPTER + "#" + CROWDED)
    sigil(page, "brazil-june-protests").tap()
    expect(page.locator(POPUP)).to_be_visible()
    page.locator("a.footnote-ref[href='#fn:111']").tap()
    expect(page.locator(".md-tooltip2--active")).to_be_visible()
    expect(page.locator(POPUP)).to_be_hidden()
    page.locator("h1").tap()                         # the note's popup covers the line: close it first
    expect(page.locator(".md-tooltip2--active")).to_have_count(0)
    sigil(page, "brazil-june-protests").tap()
    expect(page.locator(POPUP)).to_be_visible()
    for _ in range(5):
        page.wait_for_timeout(100)
        assert not boxes_overlap(page)


# -- wide screens: in the margin, beside the notes ----------------------------------------------------
MARGIN = """() => {
    const box = el => { const r = el.getBoundingClientRect(); return {top: r.top + scrollY, bottom: r.bottom + scrollY,
                                                                    left: r.left, right: r.right}; };
    const text = Array.from(document.querySelectorAll('article p.para')).reduce((m, p) => Math.max(m, p.getBoundingClientRect().right), 0);
    return {
        text,
        viewport: document.documentElement.clientWidth,
        notes: Array.from(document.querySelectorAll('.ed-sidenote')).map(n => ({id: n.dataset.note, box: box(n)})),
        annots: Array.from(document.querySelectorAll('.ed-sidenote-annot')).map(n => {
            const ref = document.querySelector('a.ed-annot-ref[href="#an:' + n.dataset.annot + '"]');
            return {id: n.dataset.annot, box: box(n), ref: box(ref), hidden: n.getAttribute('aria-hidden')};
        }),
    };
}"""


@pytest.mark.parametrize("path", [CHAPTER, "/critiques-of-mason/", "/whole/"])
def test_margin_annotations_sit_beside_the_notes_without_moving_them(new_context, path):
    page = new_context(viewport={"width": 1600, "height": 1000}).new_page()
    goto(page, path)
    expect(page.locator(".ed-sidenote-annot").first).to_be_visible()
    page.wait_for_timeout(200)
    on = page.evaluate(MARGIN)
    assert len(on["annots"]) == page.locator("a.ed-annot-ref").count()
    everything = sorted([n["box"] for n in on["notes"]] + [a["box"] for a in on["annots"]], key=lambda b: b["top"])
    for a, b in zip(everything, everything[1:]):
        assert a["bottom"] <= b["top"] + 1, "two margin notes overlap"
    for a in on["annots"]:
        assert a["box"]["left"] >= on["text"] + 16 and a["box"]["right"] <= on["viewport"], a["id"]
        assert a["box"]["top"] >= a["ref"]["top"] - 1, f"{a['id']} starts above its sigil"
    # The author's notes keep their places by their markers (the checks of test_sidenotes.py, which
    # run with the layer on too); switched off, the margin holds the notes alone.
    check_layout(page.evaluate(GEOMETRY))
    page.get_by_role("switch", name="Editors’ annotations").click()
    expect(page.locator(".ed-sidenote-annot")).to_have_count(0)
    page.wait_for_timeout(200)
    check_layout(page.evaluate(GEOMETRY))


def test_a_sigil_lights_up_its_margin_annotation(new_context):
    page = new_context(viewport={"width": 1600, "height": 1000}).new_page()
    goto(page, CHAPTER)
    sigil(page, "gods-copybook-headings").hover()
    expect(page.locator(".ed-sidenote-annot[data-annot='gods-copybook-headings']")).to_have_class(re.compile("is-active"))


# -- print ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [CHAPTER, "/whole/"])
def test_print_includes_the_annotations_as_the_editors(new_context, path):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    goto(page, path)
    page.emulate_media(media="print")
    expect(page.locator("h2#annotations")).to_be_visible()
    expect(page.locator("h2#annotations")).to_have_text(re.compile("Editors’ annotations"))
    expect(page.locator(".ed-annotations li").first).to_be_visible()
    assert visible_count(page, ".ed-annot-switch, #ed-annot-pop, .ed-sidenote-annot") == 0
    assert visible_count(page, "a.ed-annot-ref") >= 8


# -- accessibility with the layer on -------------------------------------------------------------------
def axe(page) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
    }""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("where", ["popup", "margin", "list"])
def test_axe_finds_no_violation_with_the_layer_on(new_context, scheme, where):
    width = 1680 if where == "margin" else 1280
    page = new_context(viewport={"width": width, "height": 1000}, color_scheme=scheme).new_page()
    goto(page, "/annotations/" if where == "list" else CHAPTER)
    if where == "popup":
        sigil(page, "gods-copybook-headings").focus()
        expect(page.locator(POPUP)).to_be_visible()
    if where == "margin":
        expect(page.locator(".ed-sidenote-annot").first).to_be_visible()
    if where != "list":
        expect(page.get_by_role("switch", name="Editors’ annotations")).to_have_attribute("aria-checked", "true")
    assert axe(page) == []
