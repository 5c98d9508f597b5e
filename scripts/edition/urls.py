"""Links between the edition's pages: the one place that knows how MkDocs names a page's address.

The edition builds with ``use_directory_urls: true`` (checked in on_config, glue.check_config): the
page ``docs/paul-mason.md`` is served at ``paul-mason/``, ``docs/glossary/commons.md`` at
``glossary/commons/`` and ``docs/index.md`` at the root. Every relative link between generated pages,
chapters and the short-reference pages (``p/III.12/``) is made here, so that a change of that setting
means changing this module, not every href.
"""
from __future__ import annotations

#: mkdocs.yml settings these addresses rely on (glue.check_config reports any other value).
REQUIRED_SETTINGS = {"use_directory_urls": True}


def page_url(src_uri: str) -> str:
    """A page's address from the site's root: 'paul-mason.md' -> 'paul-mason/', 'index.md' -> ''."""
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return f"{stem}/"


def relative(from_url: str, to_url: str, anchor: str = "") -> str:
    """The link from a folder-style address to another ('glossary/a/', 'glossary/b/' -> '../b/')."""
    here = [p for p in from_url.split("/") if p]
    there = [p for p in to_url.split("/") if p]
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    path = "../" * (len(here) - common) + "".join(f"{p}/" for p in there[common:])
    return path + (f"#{anchor}" if anchor else "")


def href(from_src: str, to_src: str, anchor: str = "") -> str:
    """The link from one page (its source file, as MkDocs names it) to another, with an optional anchor."""
    return relative(page_url(from_src), page_url(to_src), anchor)


def root(from_src: str) -> str:
    """The site's root as seen from a page: '' on the home page, '../' from a chapter."""
    return relative(page_url(from_src), "")


def short_address(kind: str, ident: str) -> str:
    """A short-reference page's address from the root: 'p', 'III.12' -> 'p/III.12/' (files written as folders)."""
    return f"{kind}/{ident}/"


def up(depth: int) -> str:
    """The site's root from a page ``depth`` folders below it."""
    return "../" * depth
