"""Valid and linked: the Nu HTML checker on every built page, and no broken internal link or anchor.

Both run over the files of a real build (the session fixture ``site``), with no server and no network.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Known issues of the theme, not of the edition. Each is matched against the whole message.
KNOWN_THEME_ISSUES = [
    # Material 9.8.2 puts autocomplete="off" on its <input type="checkbox"> toggles (drawer, search)
    # and radio inputs (palette) so that browsers do not restore their state on back navigation;
    # the attribute is only allowed on text-like inputs. Nothing the edition can change short of
    # copying Material's header and palette templates.
    re.compile(r"^Attribute “autocomplete” is only allowed when the input type is .*"),
]


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html"))


# -- 6a. The Nu HTML checker ---------------------------------------------------------------------
@pytest.fixture(scope="module")
def vnu_messages(site) -> list[dict]:
    if shutil.which("java") is None or not VNU.exists():
        pytest.skip("java or node_modules/vnu-jar missing (make node)")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", "--format", "json",
                             str(site)], capture_output=True, text=True, timeout=600)
    assert result.stderr.strip().startswith("{"), result.stderr[:2000]
    return json.loads(result.stderr)["messages"]


def test_the_nu_checker_finds_no_error_on_any_page(site, vnu_messages):
    errors = [m for m in vnu_messages if m.get("type") in ("error", "non-document-error")
              and not any(p.match(m.get("message", "")) for p in KNOWN_THEME_ISSUES)]
    report = [f"{Path(unquote(urlsplit(m.get('url', '')).path)).relative_to(site) if m.get('url') else '?'}"
              f":{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()[:120]}]" for m in errors]
    assert report == [], f"{len(report)} errors:\n" + "\n".join(report[:60])


def test_the_nu_checker_saw_every_page(site, vnu_messages):
    """The filter only hides the theme's one known error: the checker did run over the pages."""
    checked = {unquote(urlsplit(m["url"]).path) for m in vnu_messages if "url" in m}
    assert len(html_files(site)) > 400        # chapters, apparatus, and the short-reference pages
    assert str(site / "paul-mason" / "index.html") in checked, "the known theme issue is reported on each page"


# -- 6b. Links and anchors -----------------------------------------------------------------------
LINK_ATTRS = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src",
              "form": "action", "area": "href", "use": "href"}


class Site:
    """The built files as a server would serve them: URL path -> file, and each page's ids."""

    def __init__(self, root: Path):
        self.root = root
        self._ids: dict[Path, set[str]] = {}

    def file_for(self, path: str) -> Path | None:
        rel = unquote(path).lstrip("/")
        target = self.root / rel
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def ids(self, file: Path) -> set[str]:
        if file not in self._ids:
            tree = lxml_html.fromstring(file.read_bytes())
            self._ids[file] = set(tree.xpath("//@id")) | set(tree.xpath("//a/@name"))
        return self._ids[file]


def site_address(site: Path) -> str:
    """The address the site was built for (site_url), as the home page's canonical link gives it."""
    if site not in _ADDRESS:
        home = site / "index.html"
        found = lxml_html.fromstring(home.read_bytes()).xpath("//link[@rel='canonical']/@href") if home.exists() else []
        _ADDRESS[site] = found[0] if found else ""
    return _ADDRESS[site]


_ADDRESS: dict[Path, str] = {}


def page_url(site: Path, file: Path) -> str:
    rel = file.relative_to(site).as_posix()
    if file.name == "404.html":
        return "/404.html"      # served for any missing address; its links are absolute from the root
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def local_links(file: Path, site: Path):
    """(raw, url path, fragment) for each link of a page that points into the site."""
    tree = lxml_html.fromstring(file.read_bytes())
    base = page_url(site, file)
    site_url = urlsplit(site_address(site))
    found = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        raw = el.get(LINK_ATTRS.get(el.tag, "")) if el.tag in LINK_ATTRS else None
        if el.tag == "meta" and (el.get("http-equiv") or "").lower() == "refresh":
            m = re.search(r"url=(.+)$", el.get("content", ""), re.I)
            raw = m.group(1).strip("'\" ") if m else None
        if raw is None or raw.strip() == "":
            continue
        parts = urlsplit(raw)
        if parts.scheme in ("http", "https") and site_url.netloc and parts.netloc == site_url.netloc:
            raw = parts.path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
            parts = urlsplit(raw)   # canonical and short-reference links name the site by its address
        if parts.scheme or parts.netloc:
            continue                # mailto:, javascript:, data:, other sites: not ours to check
        url = urlsplit(urljoin("http://site" + base, raw))
        found.append((raw, url.path, unquote(url.fragment)))
    return found


@pytest.fixture(scope="module")
def broken_links(site) -> tuple[list[str], int]:
    pages = Site(site)
    broken, checked = [], 0
    seen = defaultdict(int)
    for file in html_files(site):
        for raw, path, fragment in local_links(file, site):
            checked += 1
            where = file.relative_to(site).as_posix()
            target = pages.file_for(path)
            if target is None:
                broken.append(f"{where}: {raw} -> no file for {path}")
                continue
            if fragment and target.suffix == ".html" and fragment not in pages.ids(target):
                key = (where, raw)
                seen[key] += 1
                if seen[key] == 1:
                    broken.append(f"{where}: {raw} -> no id {fragment!r} on {target.relative_to(site).as_posix()}")
    return broken, checked


def test_no_broken_internal_link_or_anchor(broken_links):
    broken, checked = broken_links
    assert checked > 3000, f"only {checked} links checked"
    assert broken == [], f"{len(broken)} broken of {checked}:\n" + "\n".join(broken[:80])


def test_the_link_checker_catches_a_missing_page_and_a_missing_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<!doctype html><title>a</title><p id="here"><a href="../b/">b</a> <a href="#here">ok</a> '
        '<a href="#gone">x</a> <a href="../a/#here">ok</a> <a href="https://example.org/">out</a>'
        '<a href="/assets/x.css">css</a>', encoding="utf-8")
    pages = Site(tmp_path)
    links = local_links(tmp_path / "a" / "index.html", tmp_path)
    assert [(p, f) for _, p, f in links] == [("/b/", ""), ("/a/", "here"), ("/a/", "gone"), ("/a/", "here"),
                                             ("/assets/x.css", "")]
    assert pages.file_for("/b/") is None and pages.file_for("/assets/x.css") is None
    assert pages.ids(pages.file_for("/a/")) == {"here"}
