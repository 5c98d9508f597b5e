"""Compare two builds of the site as normalised text, page by page (``make sitediff``).

A refactor should leave the built site the same except where a change is intended. This lists, for
each page, what differs between two site folders: pages only in one, and for pages in both the
changed lines of their normalised text (the article's words, whitespace collapsed, one block per
line) and the ids that appeared or disappeared. Scripts, styles and search indexes are compared by
content hash only.
Usage: python scripts/sitediff.py OLD_SITE NEW_SITE [--context 0]
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import sys
from pathlib import Path

from lxml import html as lxml_html

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "blockquote", "pre", "dt", "dd", "td", "th", "figcaption", "summary"}


def page_text(data: bytes) -> tuple[list[str], set[str]]:
    """One line per block of the page's main content, whitespace collapsed; and the page's ids."""
    tree = lxml_html.fromstring(data)
    main = tree.xpath("//article") or tree.xpath("//body") or [tree]
    lines = []
    for el in main[0].iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS and not any(
                isinstance(a.tag, str) and a.tag in BLOCKS for a in el.iterancestors()):
            text = " ".join(el.text_content().split())
            if text:
                lines.append(text)
    ids = {el.get("id") for el in tree.iter() if isinstance(el.tag, str) and el.get("id")}
    return lines, ids


def compare(old: Path, new: Path, context: int = 0) -> list[str]:
    report = []
    old_files = {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()}
    new_files = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
    for name in sorted(old_files - new_files):
        report.append(f"only in old: {name}")
    for name in sorted(new_files - old_files):
        report.append(f"only in new: {name}")
    for name in sorted(old_files & new_files):
        a, b = (old / name).read_bytes(), (new / name).read_bytes()
        if a == b:
            continue
        if not name.endswith(".html"):
            if hashlib.sha256(a).digest() != hashlib.sha256(b).digest():
                report.append(f"changed: {name} ({len(a):,} -> {len(b):,} bytes)")
            continue
        (ta, ia), (tb, ib) = page_text(a), page_text(b)
        diff = [d for d in difflib.unified_diff(ta, tb, lineterm="", n=context) if not d.startswith(("---", "+++"))]
        gone, added = sorted(ia - ib), sorted(ib - ia)
        if diff or gone or added:
            report.append(f"== {name}")
            report += [f"   {d[:200]}" for d in diff]
            if gone:
                report.append(f"   ids gone: {', '.join(gone[:20])}{' …' if len(gone) > 20 else ''}")
            if added:
                report.append(f"   ids new: {', '.join(added[:20])}{' …' if len(added) > 20 else ''}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--context", type=int, default=0)
    args = parser.parse_args(argv)
    report = compare(args.old, args.new, args.context)
    print("\n".join(report) if report else "no difference")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
