"""MkDocs glue: wires MkDocs events to the pure core in ``scripts/edition`` (no logic of its own).

Pipeline (one build):
  on_config    check the settings the edition relies on; read every source once (edition/files.py) and
               load the bibliography: a fresh glue.Build for this build
  on_files     parse every chapter, check notes and references, format the notes, and add the
               generated pages (bibliography, glossary, study, whole essay) as virtual files;
               every problem found so far is raised at once, located as path:line: kind: message
  on_env       the theme's compiled templates kept in .cache/ (Jinja's bytecode cache)
  on_page_markdown   chapters: replace each note's pandoc citation by its formatted text; tell the
                     edition's Markdown extension (registered in on_config, scripts/edition/mdext.py)
                     which page comes next: it adds the author's note numbers, margin references,
                     copy buttons, term links and the editors' annotations to the element tree
  on_page_content    chapters: report annotations whose words the extension could not mark
  on_page_context    every page: its citation metadata (tags, JSON-LD) into page.meta for the template
  on_post_build      wait for the search index (Pagefind, scripts/edition/search.py) and the short-reference
                     pages (/p/III.12/, /n/57/, /a/<id>/), both started in on_files as processes of their
                     own; the EPUB and the study page's Anki deck and CSV (made in on_files from the same
                     data) written to downloads/
Material for MkDocs is in maintenance; keeping our logic out of these hooks keeps a move to
another generator cheap.
"""
from __future__ import annotations

import gc
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

SCRIPTS = str(Path(__file__).resolve().parent)
sys.path.insert(0, SCRIPTS)
#: The edition's compiled modules, kept with the build's other caches. The project's Makefile (and some
#: machines' environment) sets PYTHONDONTWRITEBYTECODE, so that no __pycache__ folder appears beside the
#: sources; the libraries were compiled when they were installed, but the edition's ~30 modules were then
#: compiled again on every build (0.14 s of imports instead of 0.055 s, measured with -X importtime).
#: Python checks each cached module against its source's time and size, as it does in __pycache__.
PYCACHE = Path(SCRIPTS).parent / ".cache" / "pycache"

_outer = sys.pycache_prefix, sys.dont_write_bytecode
sys.pycache_prefix, sys.dont_write_bytecode = str(PYCACHE), False
try:
    from edition import glue
    from edition.chapters import PARTS
    from edition.problems import EditionError
finally:
    sys.pycache_prefix, sys.dont_write_bytecode = _outer

STATE: glue.Build | None = None
SERVING = False


def on_startup(command, dirty):
    global SERVING
    SERVING = command == "serve"


def _reload_core() -> None:
    """Under ``mkdocs serve``, take the core's code afresh on each rebuild.

    MkDocs imports a hook file once and keeps it; the core it imports would stay as it was when the
    server started, so an edit to scripts/edition/*.py would have no effect until a restart. The
    modules are dropped from Python's cache and imported again (a plain build never does this).
    """
    global glue, EditionError, PARTS
    if SCRIPTS not in sys.path:  # mkdocs serve runs each rebuild with the path it started with
        sys.path.insert(0, SCRIPTS)
    for name in [n for n in sys.modules if n == "edition" or n.startswith("edition.")]:
        del sys.modules[name]
    from edition import glue as fresh_glue
    from edition.chapters import PARTS as fresh_parts
    from edition.problems import EditionError as fresh_error
    glue, EditionError, PARTS = fresh_glue, fresh_error, fresh_parts


def _fail(err: EditionError) -> PluginError:
    """Print every problem as one verbatim line on stderr, then fail the build.

    MkDocs' terminal formatter re-wraps and indents long log messages, which would break the
    ``path:line: kind: message (hint)`` lines apart, so they are written directly.
    """
    sys.stdout.flush()
    sys.stderr.write("".join(f"{p}\n" for p in err.problems))
    sys.stderr.flush()
    count = len(err.problems)
    return PluginError(f"the edition's sources have {count} problem{'s' if count != 1 else ''} (listed above)")


def on_config(config):
    global STATE
    gc.unfreeze()  # the previous build's objects (mkdocs serve) may be collected again
    if SERVING:
        _reload_core()
    root = Path(config.config_file_path).resolve().parent
    try:
        glue.check_config(config, Path(config.config_file_path).name)
        STATE = glue.Build.load(root, Path(config.docs_dir), config)
        STATE.pycache = PYCACHE
    except EditionError as err:
        raise _fail(err) from None
    config.extra["edition_parts"] = list(PARTS)  # the scripts' paragraph-reference pattern (overrides/main.html)
    # The edition's tree processors (note numbers, margin references, term links, annotations), as
    # mkdocs-autorefs registers its own: one object for the build, asked about each page in turn.
    config.markdown_extensions.append(STATE.markdown_extension())
    return config


def on_env(env, config, files):
    # Jinja's own cache of compiled templates: the theme's are compiled once, not on every build.
    env.bytecode_cache = STATE.theme_template_cache()
    return env


def on_files(files, config):
    # No garbage collection while the edition is prepared: it makes its data and little garbage with cycles, and
    # the collector's full passes over the growing data were 0.03 of its 0.47 s (gc.callbacks, at 1×).
    gc.disable()
    try:
        generated = STATE.prepare()
    except EditionError as err:
        raise _fail(err) from None
    finally:
        gc.enable()
    # The edition's data lives until the build ends: keep the garbage collector from walking it again at every
    # full collection while the pages are converted (at 50× the essay, the collections grew faster than the pages).
    gc.freeze()
    # The search index's further parts, if its records fill more than one index: the pages' search box merges them.
    config.extra["edition_search_parts"] = list(STATE.search_parts())
    for src_uri, content in generated.items():
        existing = files.get_file_from_path(src_uri)
        if existing is not None:
            files.remove(existing)
        # Generated pages (term pages, print views) need no nav entry; our core reports a chapter file
        # missing from nav (nav-missing), so MkDocs' "not included in the nav" warning would be noise.
        files.append(File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV))
    return files


def on_page_markdown(markdown, page, config, files):
    words = STATE.word_count(page.file.src_uri)
    if words:
        page.meta["reading_words"] = words  # for the reading time (overrides/main.html)
    description = STATE.description(page.file.src_uri)
    if description and not page.meta.get("description"):
        page.meta["description"] = description  # read by Material and overrides/main.html
    if page.file.abs_src_path is None:
        # A generated page (on_files): MkDocs has read its source into `markdown` and will not read the file
        # again, so its copy in the File object goes. Held until the build ended, the generated pages' text
        # was a second copy of each (57 MB at 50× the essay, where the build's peak is).
        page.file.content_string = ""
    return STATE.page_markdown(page.file.src_uri, markdown)


def on_page_content(html, page, config, files):
    try:
        return STATE.page_html(page.file.src_uri, html)
    except EditionError as err:
        raise _fail(err) from None


def on_page_context(context, page, config, nav):
    # The page's citation metadata (Highwire, Dublin Core, JSON-LD), rendered by overrides/main.html.
    meta = STATE.page_metadata(page.file.src_uri, page.canonical_url or "", page.title or "",
                               page.meta.get("description") or "")
    page.meta["edition_meta"] = meta
    if meta["author"]:
        page.meta.setdefault("author", meta["author"])
    return context


def on_post_build(config):
    try:
        STATE.write_search(Path(config.site_dir))
        STATE.write_short_refs(Path(config.site_dir))
    except EditionError as err:
        raise _fail(err) from None
    STATE.write_epub(Path(config.site_dir))
    STATE.write_study_downloads(Path(config.site_dir))
