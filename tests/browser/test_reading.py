"""Browser tests in Debian's Chromium (Playwright with executable_path; see tests/conftest.py)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_home_to_part_three_through_the_table_of_contents(page, base_url):
    page.goto(base_url + "/")
    expect(page.locator("h1").first).to_have_text(re.compile("Techno-Utopianism, Counterfeit and Real"))
    page.get_by_role("navigation", name="Navigation").get_by_role(
        "link", name="III. Other Non-Capitalist Techno-Utopianisms").first.click()
    expect(page).to_have_url(re.compile(r"/other-techno-utopianisms/$"))
    expect(page.locator("h1")).to_have_text(re.compile(r"^III\. Other Non-Capitalist Techno-Utopianisms"))
    first = page.locator("article p.para").first
    expect(first).to_have_attribute("id", "III.1")
    expect(first).to_contain_text("So far I’ve relied on Dyer-Witheford’s schema")
