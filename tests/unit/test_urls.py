"""The one URL helper: folder-style addresses (use_directory_urls) and the relative links between them."""
from __future__ import annotations

import pytest

from edition import urls
from edition.chapters import Chapter


@pytest.mark.parametrize("src, url", [("index.md", ""), ("paul-mason.md", "paul-mason/"),
                                      ("glossary/index.md", "glossary/"), ("glossary/commons.md", "glossary/commons/")])
def test_a_page_is_served_as_a_folder(src, url):
    assert urls.page_url(src) == url


@pytest.mark.parametrize("here, there, anchor, link", [
    ("glossary/a.md", "glossary/b.md", "", "../b/"),
    ("glossary/a.md", "glossary/index.md", "a", "../#a"),
    ("glossary/index.md", "study.md", "", "../study/"),
    ("glossary/a.md", "paul-mason.md", "I.1", "../../paul-mason/#I.1"),
    ("index.md", "bibliography.md", "", "bibliography/"),
    ("paul-mason.md", "bibliography.md", "mason2015", "../bibliography/#mason2015"),
    ("whole.md", "index.md", "", "../"),
])
def test_links_between_pages_are_relative(here, there, anchor, link):
    assert urls.href(here, there, anchor) == link


def test_short_reference_pages_link_back_to_their_chapter():
    assert urls.relative(urls.short_address("p", "III.12"), "paul-mason/", "III.12") == "../../paul-mason/#III.12"
    assert urls.relative(urls.short_address("n", "1"), "", "fnref:1") == "../../#fnref:1"
    assert urls.root("index.md") == "" and urls.root("glossary/a.md") == "../../"


def test_a_chapter_knows_its_address_through_the_helper():
    assert Chapter("index", "docs/index.md", "", "O").url == "" and Chapter("x", "docs/x.md", "", "I").url == "x/"
