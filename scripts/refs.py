"""Give each new paragraph a permanent reference, never renumbering existing ones (``make refs``).

A paragraph added after the part's last one takes the next number (III.143); one inserted between
III.12 and III.13 takes a suffix (III.12a, then III.12b). References already assigned never change.
"""
from __future__ import annotations

import re
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from edition.glue import nav_chapter_slugs  # noqa: E402
from edition.chapters import ATTR_LINE, REF_RE, parse_chapter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def next_ref(before: str | None, taken: set[str], part: str) -> str:
    numbers = [int(REF_RE.match(r).group(2)) for r in taken if REF_RE.match(r) and r.startswith(part + ".")]
    if before is None:
        base = f"{part}.0"
    else:
        m = REF_RE.match(before)
        base = f"{m.group(1)}.{m.group(2)}"
        if int(m.group(2)) == max(numbers, default=0) and not m.group(3):
            return f"{part}.{int(m.group(2)) + 1}"
    for letter in string.ascii_lowercase:
        if base + letter not in taken:
            return base + letter
    raise ValueError(f"no free reference after {before}")


def number_new_paragraphs(source: str, part: str, taken: set[str]) -> tuple[str, list[str]]:
    lines = source.split("\n")
    chapter, problems = parse_chapter(source, "x", "x")
    missing = sorted(p.line for p in problems if p.kind == "paragraph-ref-missing")
    added = []
    for start in reversed(missing):  # from the end, so that line numbers stay valid
        end = start
        while end < len(lines) and lines[end].strip() not in ("", ">") and not ATTR_LINE.match(lines[end]):
            end += 1
        before = None
        for p in chapter.paragraphs:
            if p.line < start:
                before = p.ref
        ref = next_ref(before, taken, part)
        taken.add(ref)
        first = lines[start - 1]
        prefix = "> " if first.startswith(">") else ""
        indent = "  " if re.match(r"^(?:>\s?)?\s*[-*+]\s", first) else ""
        lines.insert(end, f"{prefix}{indent}{{ #{ref} }}")
        added.append(ref)
    return "\n".join(lines), added


def main() -> int:
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    taken: set[str] = set()
    sources = {}
    for slug in nav_chapter_slugs(nav):
        path = ROOT / "docs" / f"{slug}.md"
        sources[slug] = path.read_text(encoding="utf-8")
        chapter, _ = parse_chapter(sources[slug], slug, str(path))
        taken |= {p.ref for p in chapter.paragraphs}
    for slug, source in sources.items():
        chapter, _ = parse_chapter(source, slug, slug)
        new, added = number_new_paragraphs(source, chapter.part, taken)
        if added:
            (ROOT / "docs" / f"{slug}.md").write_text(new, encoding="utf-8")
            print(f"docs/{slug}.md: numbered {', '.join(reversed(added))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
