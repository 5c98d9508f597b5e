"""Candidate glossary terms from the essay, each an entry or decided in glossary-decisions.yml.

Usage: python scripts/terms.py [--all]
Lists the undecided candidates (with their counts and how they were found) and exits non-zero when
there are any; --all lists every candidate with its status. See scripts/edition/terms.py.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from edition import files, glossary, terms  # noqa: E402
from edition.glue import load_bibliography, load_chapters, nav_chapter_slugs  # noqa: E402

DECISIONS = ROOT / "glossary-decisions.yml"


def main(argv: list[str]) -> int:
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    chapters, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(nav))
    works, _ = load_bibliography(ROOT / "bibliography.bib")
    g, gproblems = glossary.load((ROOT / "glossary.yml").read_bytes(), chapters, files.read_docs(ROOT / "docs"), works)
    for p in problems + gproblems:
        print(p, file=sys.stderr)
    decisions, dproblems = terms.load_decisions(DECISIONS.read_text(encoding="utf-8"))
    for p in dproblems:
        print(p, file=sys.stderr)
    own, everything = terms.essay_texts(chapters)
    rows = terms.decide(terms.candidates(own, everything), g.matcher, decisions)
    for cand, status, detail in rows:
        if status == "undecided" or "--all" in argv:
            print(f"{status:9} {cand.count:4}  {cand.words}  [{', '.join(sorted(cand.how))}]  {detail}")
    kinds = Counter(status for _, status, _ in rows)
    reasons = Counter(decisions[terms.phrase_key(c.words)].kind for c, s, _ in rows if s == "decided")
    print(f"{len(rows)} candidates: {kinds['entry']} entries, {kinds['decided']} left out "
          f"({', '.join(f'{k}: {n}' for k, n in reasons.most_common())}), {kinds['undecided']} undecided",
          file=sys.stderr)
    return 1 if kinds["undecided"] or dproblems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
