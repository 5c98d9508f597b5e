"""Every note says how sure the editors are, and an identified note says where they looked."""
from __future__ import annotations

import yaml

from edition.glue import nav_chapter_slugs
from edition.glue import load_chapters
from fidelity import ROOT

NAV = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
IDENTIFIED = ("original", "named", "probable", "conjectural")


def test_every_note_has_a_level_and_every_identified_note_a_why_and_its_evidence():
    chapters, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(NAV))
    assert problems == []
    notes = sorted((d for ch in chapters for d in ch.note_defs), key=lambda d: d.n)
    assert [d.n for d in notes] == list(range(1, 144))
    assert all(d.level in IDENTIFIED + ("unknown",) for d in notes)
    identified = [d for d in notes if d.level in IDENTIFIED and d.level != "original"]
    assert [d.n for d in identified if not d.why.strip()] == []
    assert [d.n for d in identified if not any(e.startswith(("http://", "https://")) for e in d.evidence)] == []
    whys = [d.why for d in notes if d.why]
    assert len(set(whys)) == len(whys), "each note's why is its own"
