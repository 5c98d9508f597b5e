"""A hand-checked sample of true and false uses of the glossary's terms in the essay itself.

Each case: the paragraph, a few of its words with the candidate use in [brackets], and the entry it is a use of
(None: not a use of any entry). Every case was read in its paragraph by an editor. They cover the matcher's
rules (acronyms in lower case, hyphenated compounds, irregular plurals, singulars of plural forms), the
entries' exclusions (a title, the ordinary sense of a word) and word senses kept apart (Bell's "knowledge class",
Bauwens's "knowledge workers").
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from edition import files, glossary
from edition.glue import load_bibliography
from edition.glue import nav_chapter_slugs
from edition.glue import load_chapters

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = [
    # acronyms, also in lower case
    ("III.54", "dependent on [p2p] productive relations", "p2p"),
    ("IV.16", "the social or [p2p] economy", "p2p"),
    ("VI.28", "coopt the [p2p] and cooperative revolutions", "p2p"),
    ("VI.31", "open-source and [p2p] versions", "p2p"),
    ("III.55", "emergence of [P2P] practices", "p2p"),
    ("II.3", "automated [CNC] machine tools", "cnc"),
    ("IV.5", "tabletop [CNC] machinery", "cnc"),
    ("III.139", "that of the [P2P Foundation]", "p2p-foundation"),
    # hyphenated compounds
    ("II.19a", "Negri’s [Grundrisse]-based approach", "grundrisse"),
    ("V.64", "with [commons]-based resource management", "the-commons"),
    ("III.96", "a [commons]-oriented society", "the-commons"),
    ("III.87", "competition, and [rent]-for-use", "rent"),
    ("O.1", "other networked, [open-source] visions", "open-source"),
    ("IV.18", "self-management, [peer-production] networks", "commons-based-peer-production"),
    ("IV.3", "what he called the [neo-technic] age", "neotechnic"),
    ("III.26", "non-[Marxist] schools", None),
    ("III.26", "limited to [Marxism]. One", "marxism"),
    # plurals and singulars
    ("III.29", "intellectual property [monopolies]", "monopoly"),
    ("IV.1", "[Monopolies] transfer income", "monopoly"),
    ("V.98", "intervening to break up [monopolies]", "monopoly"),
    ("VI.29", "[monopolize] and protect data", "monopoly"),
    ("I.41", "[monopolistic] competition", "monopoly"),
    ("V.96", "[monopoly] rents", "monopoly"),
    ("V.96", "monopoly [rents]", "rent"),
    ("I.32", "a source of [rents] only", "rent"),
    ("III.34", "sold to the [rentier] classes", "rent"),
    ("V.99", "minority of [rent] extractors", "rent"),
    ("VI.28", "to extract [rent] from them", "rent"),
    ("II.49", "this new [cycle of struggle] does", "cycle-of-struggles"),
    ("II.49", "the global [cycle of struggle] at", "cycle-of-struggles"),
    ("I.22", "like its [Progressive] and post-industrial antecedents", "progressivism"),
    ("II.3", "the pessimists or [neo-Luddites]", "neo-luddites"),
    ("III.37", "its [gravedigger] classes", "gravedigger"),
    ("V.46", "will be its [gravedigger]", "gravedigger"),
    ("VI.31", "a [gravedigger], destined", "gravedigger"),
    ("III.131", "establishing [temporary autonomous zones]", "temporary-autonomous-zone"),
    # ordinary senses and other words, set aside
    ("VI.25", "we have to [rent] out our bedrooms", None),
    ("II.63", "organizing [rent] strikes", None),
    ("III.58", "the more “[progressive]” elites", None),
    ("II.48", "or global [Empire]", None),
    ("III.39", "the Roman [empire] ceases", None),
    ("II.12", "on which [capital] depends", None),
    ("III.34", "increasingly large [debt]", None),
    ("I.19", "a new [wave] of techno-utopian literature", None),
    ("II.48", "but also [common] practices", None),
    ("VI.41", "bits — [want to be free]", None),
    # titles: the book, not the word
    ("I.6", "[Capital] will be transformed", None),
    ("II.12", "[Capital] attempts", None),
    ("II.29", "[Capital] has penetrated", None),
    ("V.1", "Picketty’s [Capital] in the 21st Century", None),
    ("II.19a", "Old Left saw [Capital] as the crowning", "capital-marx"),
    ("II.20", "categories in [Capital] blocks", "capital-marx"),
    ("II.19a", "[Volume One of Capital]", "capital-marx"),
    ("V.5", "Sweezy’s [Monopoly] Capital", "monopoly-capital"),
    ("V.5", "Sweezy’s [Monopoly Capital]", "monopoly-capital"),
    ("I.19", "Toffler’s [The Third Wave]", "the-third-wave"),
    ("I.22", "transition to [Third Wave] information capitalism", "the-third-wave"),
    ("V.77", "described by David Graeber in [Debt]", "debt"),
    # one word, two senses: Bell's knowledge class, Bauwens's knowledge workers
    ("I.4", "a new “[knowledge class]”", "knowledge-class"),
    ("I.8", "its [knowledge elite]", "knowledge-class"),
    ("III.56a", "survive without [knowledge workers] and", "knowledge-worker"),
    ("III.69", "A new class of [knowledge workers]", "knowledge-worker"),
    # the new core vocabulary
    ("III.27", "[Late capitalism], Bauwens writes", "late-capitalism"),
    ("III.56a", "[late capitalist] society", "late-capitalism"),
    ("VI.33", "called ‘[bullshit jobs]’", "bullshit-jobs"),
    ("V.19", "“[within the shell of the old]", "within-the-shell-of-the-old"),
    ("V.31", "between new [productive forces] and", "productive-forces"),
    ("V.38", "the ‘[forces of production]’", "productive-forces"),
    ("VI.43", "ownership of the [means of production]", "means-of-production"),
    ("VI.21", "abolishing the [wage system] is", "wage-system"),
    ("III.23", "full time [wage labor] force", "wage-system"),
    ("V.80", "local use in the [social economy]", "social-economy"),
    ("II.25", "in the [informal economy]", "social-economy"),
    ("V.57", "with the [administration of things]", "administration-of-things"),
    ("VI.36", "“[information wants to be free]", "information-wants-to-be-free"),
    # older entries
    ("I.1", "a concept of the late 1960s — [postindustrial] society", "post-industrialism"),
    ("II.41", "of [horizontalist] movements like", "horizontalism"),
    ("II.42", "the question of [horizontality] — or", "horizontalism"),
    ("IV.4", "the old [paleotechnic] world", "paleotechnic"),
    ("III.3", "concept of the “[War of Position]”", "war-of-position"),
    # the core vocabulary added with the candidate terms (issue 14, part 3)
    ("IV.17", "libertarian socialist critiques of [hierarchy]", "hierarchy"),
    ("V.32", "between network and [hierarchy]", "hierarchy"),
    ("VI.57", "captured institutional [hierarchies]", "hierarchy"),
    ("VI.27", "non-[hierarchical]", None),
    ("III.3", "institution-building in [civil society]", "civil-society"),
    ("III.86", "[Civil society] hosts", "civil-society"),
    ("V.65", "the [subsidized] car culture", "subsidy"),
    ("V.98", "it needs to stop [subsidizing] it", "subsidy"),
    ("III.33", "amount of state [subsidies]", "subsidy"),
    ("I.41", "in order to [subsidize] innovation", None),
    ("III.71", "but [use-value] for a community", "use-value"),
    ("III.69", "the new immaterial [use value]", "use-value"),
    ("II.6", "may find real [use-values]", "use-value"),
    ("III.71", "not [exchange value] for a market", None),
    ("IV.18", "superior efficiency of [self-managed] firms", "self-management"),
    ("IV.18", "free markets, [self-management], peer-production", "self-management"),
    ("IV.18", "in Marxism and [Self-Management]", None),
    ("III.21", "used the term “[laborism]”", "laborism"),
]


@pytest.fixture(scope="module")
def real():
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]
    chaps, problems = load_chapters(ROOT / "docs", nav_chapter_slugs(nav))
    assert problems == []
    works, _ = load_bibliography(ROOT / "bibliography.bib")
    g, problems = glossary.load((ROOT / "glossary.yml").read_bytes(), chaps, files.read_docs(ROOT / "docs"), works)
    assert problems == []
    return g


def test_the_sample_is_large_and_has_both_kinds():
    assert len(SAMPLE) >= 60
    assert sum(1 for *_, slug in SAMPLE if slug is None) >= 15
    assert len({slug for *_, slug in SAMPLE if slug}) >= 30


@pytest.mark.parametrize("ref, words, expected", SAMPLE, ids=[f"{r}:{w}" for r, w, _ in SAMPLE])
def test_a_hand_checked_use(real, ref, words, expected):
    text = real.paragraphs[ref].text
    before, target, after = re.fullmatch(r"(.*)\[(.+)\](.*)", words).groups()
    spans = [m.span() for m in glossary.words_pattern(before + target + after).finditer(text)]
    assert len(spans) == 1, f"{words!r} occurs {len(spans)} times in {ref}"
    start = spans[0][0] + len(before)
    end = start + len(target)
    found = {o.slug for o in real.by_paragraph.get(ref, []) if o.start < end and start < o.end}
    assert found == ({expected} if expected else set()), (text[max(0, start - 60):end + 60], found)
