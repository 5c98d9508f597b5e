"""The search index lands on the essay: its records and their HTML (edition/search.py), and Pagefind's run
(files.index_with_pagefind)."""
from __future__ import annotations

import os
import re
from types import SimpleNamespace

import pytest

from edition import files, search
from edition.glue import Build
from edition.problems import EditionError
from pagefind_records import read_records
from test_glossary_helpers import chapters, load


def index(site_dir, found):
    return files.index_with_pagefind(site_dir, [r.html() for r in found], bundle=search.BUNDLE,
                                     language=search.LANGUAGE, unused=search.UNUSED)


def notes():
    return {1: SimpleNamespace(chapter="first", html='See <i>Capital</i> &amp; more.')}


def test_one_record_per_paragraph_note_heading_and_entry_and_nothing_of_the_apparatus():
    chaps = chapters()
    g, _ = load(chaps=chaps)
    found = search.records(chaps, notes(), g)
    urls = [r.url for r in found]
    assert urls[:7] == ["first/", "first/#workers", "first/#later", "first/#I.1", "first/#I.2", "first/#I.3",
                        "first/#I.4"]
    paragraphs = [r for r in found if r.kind == "paragraph"]
    assert [r.url for r in paragraphs] == [f"{c.url}#{p.ref}" for c in chaps for p in c.paragraphs]
    assert len(paragraphs) > 3
    i2 = next(r for r in found if r.url == "first/#I.2")
    assert (i2.title, i2.place, i2.text) == ("I.2", "I. First Chapter",
                                             "The mass worker met the mass workers; a mason is not Mason.")
    note = next(r for r in found if r.kind == "note")
    assert (note.url, note.title, note.text) == ("first/#fn:1", "note 1", "See Capital & more.")
    terms = [r for r in found if r.kind == "term"]
    assert [r.url for r in terms] == [f"glossary/{e.slug}/" for e in g.entries]
    marx = next(r for r in terms if r.url == "glossary/karl-marx/")
    assert marx.heading == ("Karl Marx", "Marx") and marx.place == "Glossary" and marx.text
    # Nothing else: no concordance, annotations, whole essay, bibliography or passage pages.
    assert {r.kind for r in found} == {"heading", "paragraph", "note", "term"}
    assert not [u for u in urls if u.startswith(("p/", "a/", "whole/", "annotations/", "bibliography/", "study/"))]


def test_a_section_break_has_no_record_because_pagefind_indexes_no_page_without_words():
    # the essay's "* * *" (III.124): Pagefind leaves it out, and the build checks it indexed every record
    para = SimpleNamespace
    chapter = SimpleNamespace(slug="c", url="c/", title="C", sections=[],
                              paragraphs=[para(ref="III.123", text="Words."), para(ref="III.124", text="* * *"),
                                          para(ref="III.125", text="More words.")])
    assert [r.title for r in search.records([chapter], {}) if r.kind == "paragraph"] == ["III.123", "III.125"]


def test_a_record_is_a_small_page_with_its_address_and_names_as_metadata_and_its_words_weighted():
    term = search.Record("glossary/exodus/", "term", "exodus", "Glossary", "A <b>withdrawal</b> & more.",
                         ("exodus", "Exodus politics"))
    page = term.html()
    assert '<span data-pagefind-meta="url">glossary/exodus/</span>' in page
    assert '<span data-pagefind-meta="names">exodus | Exodus politics</span>' in page
    assert "A &lt;b&gt;withdrawal&lt;/b&gt; &amp; more." in page  # the text is escaped
    name_weight, text_weight = search.WEIGHTS["term"]
    assert f'<p data-pagefind-weight="{name_weight}">Exodus politics</p>' in page
    assert f'<p data-pagefind-weight="{text_weight}">A &lt;b' in page
    assert re.search(r"<div data-pagefind-ignore>.*</div>", page)  # the metadata is not searched
    home = search.Record("", "heading", "Opening", "Opening", "", ("Opening",)).html()
    assert '<span data-pagefind-meta="url">./</span>' in home  # an empty value would be no metadata
    assert 'data-pagefind-meta="names"' not in home
    assert f'<p data-pagefind-weight="{search.HEADING_WEIGHT}">Opening</p>' in home


def test_pagefind_writes_a_bundle_whose_records_read_back(tmp_path):
    chaps = chapters()
    g, _ = load(chaps=chaps)
    found = search.records(chaps, notes(), g)
    (tmp_path / "pagefind").mkdir()
    (tmp_path / "pagefind" / "stale.txt").write_text("from a previous build")
    wrote = index(tmp_path, found)
    assert wrote["records"] == len(found) and wrote["bytes"] > 10_000
    assert (tmp_path / "pagefind" / "pagefind.js").is_file() and not (tmp_path / "pagefind" / "stale.txt").exists()
    assert not [n for n in search.UNUSED if (tmp_path / "pagefind" / n).exists()]
    back = {r["url"]: r for r in read_records(tmp_path)}
    assert set(back) == {r.url or "./" for r in found}
    assert back["first/#I.2"]["content"] == "The mass worker met the mass workers; a mason is not Mason."
    assert back["first/#I.2"]["kind"] == "paragraph" and back["first/#I.2"]["title"] == "I.2"


def test_a_missing_pagefind_binary_is_a_located_problem_that_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(files.SearchIndexError, match="Pagefind binary was not found"):
        index(tmp_path / "site", search.records(chapters(), {}, None))
    ed = SimpleNamespace(chapters=chapters(), notes={}, glossary=None, timings={}, _search=None, site_dir=None,
                         _timed=lambda name, t0: None, extra={})
    ed._start_search = lambda: Build._start_search(ed)
    ed.records_per_index = lambda: Build.records_per_index(ed)
    with pytest.raises(EditionError) as err:
        Build.write_search(ed, tmp_path / "site")
    (problem,) = err.value.problems
    assert problem.kind == "search-index" and "could not be written" in problem.message
    assert "make deps" in problem.hint


def test_the_index_is_made_beside_the_build_and_put_in_the_site_when_it_is_written(tmp_path):
    # started at on_files (from the sources), collected at on_post_build: Pagefind writes into a hidden folder
    # of the site (one rename puts it in place), the bundle replaces a stale one, and neither the scratch folder nor the hidden one is left afterwards
    chaps = chapters()
    g, _ = load(chaps=chaps)
    found = search.records(chaps, notes(), g)
    site = tmp_path / "site"
    (site / "pagefind").mkdir(parents=True)
    (site / "pagefind" / "stale.txt").write_text("from a previous build")
    run = files.start_indexing((r.html() for r in found), bundle=search.BUNDLE, language=search.LANGUAGE,
                               unused=search.UNUSED, site_dir=site)
    assert run.output.parent == site.resolve() and run.output.name.startswith(".pagefind-")
    folder = run.folder
    wrote = files.finish_indexing(run, site)
    assert wrote["records"] == len(found)
    assert (site / "pagefind" / "pagefind.js").is_file() and not (site / "pagefind" / "stale.txt").exists()
    assert {r["url"] for r in read_records(site)} == {r.url or "./" for r in found}
    assert not os.path.exists(folder) and [p.name for p in site.iterdir()] == ["pagefind"]
    assert not any((site / "pagefind" / name).exists() for name in search.UNUSED)


def test_the_records_are_written_in_memory_where_the_system_offers_it(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MEMORY_SCRATCH", tmp_path / "shm")
    assert os.path.dirname(files.scratch_folder("x-")) != str(tmp_path / "shm")  # none here: the temp folder
    (tmp_path / "shm").mkdir()
    assert os.path.dirname(files.scratch_folder("x-")) == str(tmp_path / "shm")


def test_an_index_nobody_collects_is_stopped_and_removed(tmp_path):
    run = files.start_indexing([r.html() for r in search.records(chapters(), {}, None)],
                               bundle=search.BUNDLE, language=search.LANGUAGE, site_dir=tmp_path)
    process = run.process
    assert os.path.isdir(run.folder)
    files.discard_indexing(run)
    assert process.poll() is not None and not os.path.exists(run.folder) and not run.output.exists()


def test_a_failed_or_incomplete_pagefind_run_is_an_error_with_its_own_words(tmp_path, monkeypatch):
    # a stand-in binary that says it indexed fewer records than it was given, then one that fails
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Indexed 1 page'\nexit 0\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    docs = [r.html() for r in search.records(chapters(), {}, None)]
    with pytest.raises(files.SearchIndexError, match=f"indexed 1 of {len(docs)} records"):
        files.index_with_pagefind(tmp_path / "site", docs, bundle=search.BUNDLE, language=search.LANGUAGE)
    fake.write_text("#!/bin/sh\necho 'Error: something broke'\nexit 3\n")
    with pytest.raises(files.SearchIndexError, match="status 3 .*something broke"):
        files.index_with_pagefind(tmp_path / "site", docs, bundle=search.BUNDLE, language=search.LANGUAGE)
    assert not (tmp_path / "site" / search.BUNDLE).exists()


def test_the_indexer_runs_where_an_event_loop_is_already_running(tmp_path):
    # Playwright's sync API (the browser tests) leaves a running loop in the main thread: asyncio.run there
    # failed with "cannot be called from a running event loop" when the full suite ran the unit tests after it
    import asyncio

    found = search.records(chapters(), {}, None)

    async def inside_a_loop():
        return index(tmp_path, found)

    # a thread of the test's own, so that the loop is ours whatever the suite left in the main thread
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        wrote = pool.submit(lambda: asyncio.run(inside_a_loop())).result()
    assert wrote["records"] == len(found) and (tmp_path / "pagefind" / "pagefind.js").is_file()


def test_records_past_the_limit_go_to_further_indexes_which_the_search_merges(tmp_path):
    # Pagefind holds a whole index in memory while it writes it: past per_index records, the next ones are
    # indexed by a run of their own into pagefind/part-2/, part-3/… and the search box merges them (mergeIndex)
    import json
    import shutil
    import subprocess

    chaps = chapters()
    g, _ = load(chaps=chaps)
    found = search.records(chaps, notes(), g)
    per = 4
    wrote = files.index_with_pagefind(tmp_path, [r.html() for r in found], bundle=search.BUNDLE,
                                      language=search.LANGUAGE, unused=search.UNUSED, per_index=per)
    parts = -(-len(found) // per)
    assert parts >= 3 and wrote["indexes"] == parts and wrote["records"] == len(found)
    bundle = tmp_path / search.BUNDLE
    assert sorted(p.name for p in bundle.glob("part-*")) == sorted(f"part-{i}" for i in range(2, parts + 1))
    assert all((bundle / f"part-{i}" / "pagefind-entry.json").is_file() for i in range(2, parts + 1))
    assert sorted(r["url"] for r in read_records(tmp_path)) == sorted(r.url or "./" for r in found)
    if shutil.which("node") is None:
        pytest.skip("Node is not installed")
    # the last record, alone in the last part, is found by its words through the first index
    last = found[-1]
    (tmp_path / "assets").mkdir()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    shutil.copy(os.path.join(root, "docs", "assets", "search-results.js"), tmp_path / "assets")
    (tmp_path / "q.json").write_text(json.dumps([last.heading[0] if last.heading else last.text]))
    out = subprocess.run(["node", os.path.join(root, "tests", "search_rank.mjs"), str(tmp_path), str(tmp_path / "q.json")],
                         capture_output=True, text=True, check=True, timeout=120).stdout
    assert json.loads(out)[0][0][0] == last.url


def fake_pagefind(tmp_path, monkeypatch, body: str):
    """A stand-in Pagefind: says it indexed the records of --site and writes a bundle, after ``body``."""
    fake = tmp_path / "fake-pagefind"
    fake.write_text("#!/bin/sh\nsite=$2; out=$4\n" + body +
                    "\nmkdir -p \"$out\" && touch \"$out/pagefind.js\"\necho \"Indexed $(ls \"$site\" | wc -l) pages\"\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))


def test_a_failure_of_a_further_index_is_an_error_with_its_own_words(tmp_path, monkeypatch):
    fake_pagefind(tmp_path, monkeypatch, 'case "$out" in *part-2*) echo "Error: part two broke"; exit 4;; esac')
    docs = [r.html() for r in search.records(chapters(), {}, None)]
    with pytest.raises(files.SearchIndexError, match="status 4 .*part two broke"):
        files.index_with_pagefind(tmp_path / "site", docs, bundle=search.BUNDLE, language=search.LANGUAGE, per_index=2)
    assert not (tmp_path / "site" / search.BUNDLE).exists()


def test_a_split_index_nobody_collects_is_stopped_with_the_run_under_way(tmp_path, monkeypatch):
    fake_pagefind(tmp_path, monkeypatch, "sleep 60")
    run = files.start_indexing([r.html() for r in search.records(chapters(), {}, None)], bundle=search.BUNDLE,
                               language=search.LANGUAGE, site_dir=tmp_path / "site", per_index=2)
    assert run.parts and run.parts[0] == "part-2/"
    group = os.getpgid(run.process.pid)
    files.discard_indexing(run)
    with pytest.raises(ProcessLookupError):  # the indexer and the Pagefind it had started are gone
        os.killpg(group, 0)
