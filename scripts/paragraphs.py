"""The paragraph audit for editors (``make paragraphs``): the source's layout against the chapters.

Prints every boundary the layout and the edition disagree on that edition.yml does not decide, one per
line as ``file:line: kind: message``, and every decision that no longer matches the text; exits 1 if any.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from edition import layout, record  # noqa: E402
from edition.glue import nav_chapter_slugs  # noqa: E402
from edition.glue import load_chapters  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "fixtures" / "source-extraction.txt"


def main() -> int:
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    chapters, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(nav))
    found, more = record.load((ROOT / "edition.yml").read_bytes())
    for p in problems + more:
        print(p)
    if problems or more:
        return 1
    open_findings, stale = layout.audit_edition(SOURCE.read_text(encoding="utf-8"), chapters, found)
    for f in open_findings:
        print(layout.describe(f))
    for d in stale:
        print(f"edition.yml: stale-decision: no boundary matches {d}")
    decided = len(found.get("paragraphs", [])) + len(found.get("quotes", []))
    print(f"{len(open_findings)} undecided, {len(stale)} stale; {len(found.get('restored', []))} breaks restored, "
          f"{decided} decisions recorded", file=sys.stderr)
    return 1 if open_findings or stale else 0


if __name__ == "__main__":
    sys.exit(main())
