"""The anchor contract: every public anchor of the built site, one per line.

Discussants' links must keep working for years, so ``tests/fixtures/anchors.txt`` lists every
public anchor (chapter and page URLs, section and paragraph ids, note ids, bibliography entries,
term pages, the editors' annotations, short-reference URLs); a test fails when any of them disappears from a build. Run
``make anchors`` to add anchors on purpose; a moved page keeps its old URL through a redirect.

Usage: python scripts/anchors.py [--site site] [--write | --check]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACT = ROOT / "tests" / "fixtures" / "anchors.txt"
# The editors' annotations add <span id="anref:…"> (the annotated words) and <h4 id="…"> (the list page).
PUBLIC_ID = re.compile(r'<(?:p|li|h2|h3|h4|div|sup|span)\b[^>]*?\bid="([^"]+)"')
SKIP_DIRS = {"assets", "search", "404"}


def page_url(site: Path, index: Path) -> str:
    rel = index.parent.relative_to(site).as_posix()
    return "/" if rel == "." else f"/{rel}/"


def collect(site: Path) -> list[str]:
    """Public anchors of a built site: page URLs and the ids readers link to."""
    anchors = []
    for index in sorted(site.rglob("index.html")):
        rel_parts = index.relative_to(site).parts
        if rel_parts[0] in SKIP_DIRS:
            continue
        url = page_url(site, index)
        anchors.append(url)
        if rel_parts[0] in ("p", "n", "a"):
            continue  # redirect files: the URL itself is the anchor
        text = index.read_text(encoding="utf-8")
        for anchor_id in PUBLIC_ID.findall(text):
            if anchor_id.startswith("__") or anchor_id in ("cite",):
                continue
            anchors.append(f"{url}#{anchor_id}")
    return sorted(set(anchors), key=_order)


def _order(anchor: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", anchor)]


def missing(site: Path, anchors: list[str]) -> list[str]:
    """Anchors of the contract that a built site no longer has."""
    ids_cache: dict[Path, set[str]] = {}
    lost = []
    for anchor in anchors:
        url, _, fragment = anchor.partition("#")
        index = site / url.strip("/") / "index.html" if url != "/" else site / "index.html"
        if not index.exists():
            lost.append(anchor)
            continue
        if fragment:
            if index not in ids_cache:
                ids_cache[index] = set(re.findall(r'\bid="([^"]+)"', index.read_text(encoding="utf-8")))
            if fragment not in ids_cache[index]:
                lost.append(anchor)
    return lost


def read_contract(path: Path = CONTRACT) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"))
    parser.add_argument("--write", action="store_true", help="rewrite the contract from the built site")
    args = parser.parse_args(argv)
    site = Path(args.site)
    if args.write:
        anchors = collect(site)
        old = set(read_contract()) if CONTRACT.exists() else set()
        lost = sorted(old - set(anchors))
        if lost:
            print("refusing to drop anchors from the contract (add a redirect instead):", *lost[:20], sep="\n  ")
            return 1
        CONTRACT.write_text("# The anchor contract (tests/test_anchors.py): public anchors that must never disappear.\n"
                            "# Regenerate with `make anchors` after adding anchors on purpose.\n"
                            + "\n".join(anchors) + "\n", encoding="utf-8")
        print(f"{CONTRACT.relative_to(ROOT)}: {len(anchors)} anchors ({len(set(anchors) - old)} new)")
        return 0
    lost = missing(site, read_contract())
    for anchor in lost:
        print(f"missing: {anchor}")
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
