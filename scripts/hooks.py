"""MkDocs glue: wires MkDocs events to the pure core in ``scripts/edition`` (no logic of its own).

Pipeline (one build):
  on_config    load bibliography.bib and glossary.yml; fresh state for this build
  on_files     parse every chapter, check notes and references, format the notes, and add the
               generated pages (bibliography, glossary, study, whole essay) as virtual files;
               every problem found so far is raised at once, located as path:line: kind: message
  on_page_markdown   chapters: replace each note's pandoc citation by its formatted text
  on_page_content    chapters: author's note numbers, margin references, copy buttons, term links,
                     the editors' annotations marked (their words and sigils)
  on_post_build      short-reference pages (/p/III.12/, /n/57/, /a/<id>/) written as plain files; the EPUB
                     (made in on_files from the same data) written to downloads/
Material for MkDocs is in maintenance; keeping our logic out of these hooks keeps a move to
another generator cheap.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, InclusionLevel

sys.path.insert(0, str(Path(__file__).resolve().parent))

from edition import build  # noqa: E402
from edition.problems import EditionError  # noqa: E402

STATE: build.Edition | None = None


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
    root = Path(config.config_file_path).resolve().parent
    try:
        STATE = build.Edition.load(root, Path(config.docs_dir), config)
    except EditionError as err:
        raise _fail(err) from None
    return config


def on_files(files, config):
    try:
        generated = STATE.prepare()
    except EditionError as err:
        raise _fail(err) from None
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
    return STATE.page_markdown(page.file.src_uri, markdown)


def on_page_content(html, page, config, files):
    try:
        return STATE.page_html(page.file.src_uri, html)
    except EditionError as err:
        raise _fail(err) from None


def on_post_build(config):
    STATE.write_short_refs(Path(config.site_dir))
    STATE.write_epub(Path(config.site_dir))
