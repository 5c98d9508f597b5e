"""Previews in discussion: each page has its own title, a description and OpenGraph/Twitter tags."""
from __future__ import annotations

import re

import pytest
import yaml

from conftest import ROOT

PAGES = ["index.html", "capitalist-techno-utopianism/index.html", "paul-mason/index.html",
         "bibliography/index.html", "about/index.html", "whole/index.html", "glossary/index.html"]


def meta(page, attr, name):
    m = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)">', page)
    return m.group(1) if m else None


def test_site_url_and_description_are_set():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["site_description"].startswith("Kevin Carson’s essay")
    assert "site_url" in config


@pytest.mark.parametrize("path", PAGES)
def test_each_page_has_title_description_and_card(site, path):
    page = (site / path).read_text(encoding="utf-8")
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', page).group(1)
    assert meta(page, "property", "og:url") == canonical
    assert meta(page, "property", "og:title")
    assert meta(page, "name", "description") == meta(page, "property", "og:description")
    assert meta(page, "name", "twitter:card") == "summary"
    assert meta(page, "name", "twitter:description")


def test_titles_are_distinct(site):
    titles = [re.search(r"<title>([^<]+)</title>", (site / p).read_text(encoding="utf-8")).group(1) for p in PAGES]
    assert len(set(titles)) == len(titles)


def test_a_chapter_is_described_by_its_first_sentence(site):
    page = (site / "capitalist-techno-utopianism" / "index.html").read_text(encoding="utf-8")
    assert meta(page, "name", "description") == (
        "According to Nick Dyer-Witheford, capitalist techno-utopianism is “the immediate descendant "
        "of a concept of the late 1960s — postindustrial society.”")
