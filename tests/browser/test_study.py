"""The study page in the browser: a due card reviewed with the keyboard only and scheduled across a
reload, the deck resumed where it was, the first version's progress carried over, export and import of
the whole state, and axe with the answer shown (dark scheme, a 360 px phone)."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect

from browser.test_quality import assert_no_axe_violations

pytestmark = pytest.mark.browser

STORE = "edition-study-v2"
CARD = "claim:war-of-position"


def review_card_due_yesterday() -> dict:
    """A card in the review state (ts-fsrs's fields), last seen six days ago, due yesterday."""
    now = datetime.now(timezone.utc)
    return {"due": (now - timedelta(days=1)).isoformat(), "stability": 5.0, "difficulty": 5.0, "elapsed_days": 0,
            "scheduled_days": 5, "learning_steps": 0, "reps": 3, "lapses": 0, "state": 2,
            "last_review": (now - timedelta(days=6)).isoformat()}


def stored(page) -> dict:
    return json.loads(page.evaluate(f"localStorage.getItem('{STORE}')") or "null")


def seed(page, base_url, state: dict | None, old: dict | None = None) -> None:
    page.goto(base_url + "/study/")
    page.evaluate("([key, state, old]) => { localStorage.clear();"
                  " if (state) localStorage.setItem(key, JSON.stringify(state));"
                  " if (old) localStorage.setItem('edition-study-v1', JSON.stringify(old)); }",
                  [STORE, state, old])
    page.reload()
    expect(page.locator("#study")).to_be_visible()


def test_a_due_card_reviewed_with_the_keyboard_is_scheduled_after_a_reload(page, base_url):
    seed(page, base_url, {"version": 2, "migrated": True, "cards": {CARD: review_card_due_yesterday()},
                          "current": "", "filters": {}})
    # due today first, and the focus already on the card: no Tab needed
    expect(page.locator("#study-progress")).to_contain_text("Due today: 1 ")
    expect(page.locator("#study-position")).to_contain_text("Card 1 of")
    expect(page.locator("#study-position")).to_contain_text("due")
    expect(page.locator("#study-front")).to_contain_text("new institutions in civil society")
    assert page.evaluate("document.activeElement.id") == "study-card"
    page.keyboard.press("f")  # flips the card; Material's search does not open
    expect(page.locator("#study-back")).to_be_visible()
    expect(page.locator("#study-back")).to_contain_text("Antonio Gramsci")
    assert not page.evaluate("document.getElementById('__search')?.checked")
    expect(page.locator("#study-knew")).to_contain_text("days")  # the interval each answer would give
    page.keyboard.press("3")  # Good
    expect(page.locator("#study-said")).to_contain_text("Next review of that card")
    after = stored(page)["cards"][CARD]
    assert after["reps"] == 4 and after["state"] == 2
    due = datetime.fromisoformat(after["due"].replace("Z", "+00:00"))
    assert due - datetime.now(timezone.utc) > timedelta(days=1)
    page.reload()
    expect(page.locator("#study-progress")).to_contain_text("Due today: 0 ")
    expect(page.locator("#study-progress")).to_contain_text("scheduled later: 1.")
    assert stored(page)["cards"][CARD]["due"] == after["due"]
    expect(page.locator("#study-front")).not_to_contain_text("new institutions in civil society")


def test_a_reload_resumes_at_the_same_card(page, base_url):
    seed(page, base_url, None)
    expect(page.locator("#study-position")).to_contain_text("Card 1 of")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#study-position")).to_contain_text("Card 3 of")
    third = page.locator("#study-front").inner_text()
    page.reload()
    expect(page.locator("#study-position")).to_contain_text("Card 3 of")
    assert page.locator("#study-front").inner_text() == third


def test_the_first_versions_answers_are_carried_over(page, base_url):
    seed(page, base_url, None, {"progress": {"accelerationism": "knew", "autonomism": "again"}})
    cards = stored(page)["cards"]
    assert set(cards) == {"term:accelerationism", "term:autonomism"}
    assert cards["term:accelerationism"]["stability"] == pytest.approx(2.3065)  # FSRS-6's first Good
    assert cards["term:autonomism"]["stability"] == pytest.approx(0.212)  # and first Again
    page.reload()  # once only: a reload does not apply the old answers again
    assert stored(page)["cards"] == cards


def test_export_then_import_restores_the_state(page, base_url, tmp_path):
    seed(page, base_url, {"version": 2, "migrated": True, "cards": {CARD: review_card_due_yesterday()},
                          "current": "", "filters": {}})
    page.keyboard.press("f")
    page.keyboard.press("4")
    before = stored(page)
    with page.expect_download() as info:
        page.click("#study-export")
    exported = tmp_path / "progress.json"
    info.value.save_as(exported)
    assert json.loads(exported.read_text())["state"]["cards"] == before["cards"]
    page.evaluate(f"localStorage.removeItem('{STORE}')")
    page.reload()
    assert stored(page)["cards"] == {}
    with page.expect_file_chooser() as chooser:
        page.click("#study-import")
    chooser.value.set_files(str(exported))
    expect(page.locator("#study-said")).to_contain_text("Progress imported: 1 cards")
    assert stored(page)["cards"] == before["cards"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"cards": 1}')
    with page.expect_file_chooser() as chooser:
        page.click("#study-import")
    chooser.value.set_files(str(bad))
    expect(page.locator("#study-said")).to_contain_text("nothing was changed")
    assert stored(page)["cards"] == before["cards"]


def test_the_page_passes_axe_with_the_answer_shown_on_a_dark_phone(new_context, base_url):
    context = new_context(viewport={"width": 360, "height": 740}, color_scheme="dark")
    page = context.new_page()
    page.goto(base_url + "/study/")
    expect(page.locator("#study")).to_be_visible()
    page.keyboard.press("f")
    expect(page.locator("#study-back")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    assert_no_axe_violations(page)
