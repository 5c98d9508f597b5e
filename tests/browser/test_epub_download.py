"""The EPUB download (issue 17): the home page's link gives the book itself, the size it states."""
from __future__ import annotations

import re
import zipfile

import pytest

pytestmark = pytest.mark.browser


def test_the_home_pages_download_link_gives_the_epub(page, base_url, tmp_path):
    page.goto(base_url + "/")
    link = page.get_by_role("link", name="Download the EPUB")
    stated = re.search(r"\(([\d,]+) KB\)", link.locator("xpath=..").inner_text()).group(1)
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None
    assert re.fullmatch(r"techno-utopianism-carson-[\w.]+\.epub", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert round(path.stat().st_size / 1024) == int(stated.replace(",", ""))
    with zipfile.ZipFile(path) as zf:
        assert zf.namelist()[0] == "mimetype" and zf.read("mimetype") == b"application/epub+zip"
    response = page.request.get(base_url + "/downloads/" + download.suggested_filename)
    assert response.ok and response.headers["content-type"] == "application/epub+zip"
