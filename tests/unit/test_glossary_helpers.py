"""Small chapters and glossaries for the glossary's unit tests (no MkDocs)."""
from __future__ import annotations

import textwrap
from types import SimpleNamespace

from edition import glossary
from edition.chapters import parse_chapter

ONE = """\
# I. First Chapter

Marx wrote about Marxism, and Marxists disagree with Karl Marx.
{ #I.1 }

## Workers { #workers }

The mass worker met the mass workers; a mason is not Mason.
{ #I.2 }

> Peer production is commons-based peer production, says Bauwens.
> { #I.3 }

Bauwens argues for peer production.[^1]
{ #I.4 }

## Later { #later }

See https://example.org/Marx for Marx and post-capitalism, not postcapitalism.
{ #I.5 }

[^1]: A note. <!-- level: unknown -->
"""

TWO = """\
# II. Second Chapter

Paul Mason’s book Postcapitalism and Paul Mason's friends; accelerationist politics and Accelerationists.
{ #II.1 }

Taxes and boxes: the taxes of Marx.
{ #II.2 }
"""


def chapters(*sources: tuple[str, str]):
    """Parse (slug, markdown) pairs into chapters, asserting they are well-formed."""
    found = []
    for slug, source in sources or (("first", ONE), ("second", TWO)):
        ch, problems = parse_chapter(source, slug, f"docs/{slug}.md")
        assert problems == [], problems
        found.append(ch)
    return found


ENTRIES = """\
- term: Karl Marx
  slug: karl-marx
  kind: person
  who: German philosopher
  aliases:
  - Marx
  short: The theorist of capital.
  see_also:
  - marxism
- term: Marxism
  slug: marxism
  kind: school
  aliases:
  - Marxist
  short: The tradition that follows *Marx*.
  explained_at: I.1
  section: first.md#workers
  see_also: []
- term: mass worker
  slug: mass-worker
  kind: concept
  aliases: []
  short: The semi-skilled worker of the assembly line.
  see_also: []
- term: commons-based peer production
  slug: commons-based-peer-production
  kind: concept
  aliases:
  - peer production
  short: Production by networks of volunteers.
  see_also: []
- term: Michel Bauwens
  slug: michel-bauwens
  kind: person
  who: Belgian theorist of P2P
  aliases:
  - Bauwens
  short: Founder of the P2P Foundation.
  see_also:
  - commons-based-peer-production
- term: Paul Mason
  slug: paul-mason
  kind: person
  who: British journalist
  aliases:
  - Mason
  short: Author of PostCapitalism.
  see_also: []
- term: "PostCapitalism: A Guide to Our Future"
  slug: postcapitalism-book
  kind: work
  aliases:
  - Mason’s book Postcapitalism
  short: Mason’s 2015 book.
  bib: mason2015
  see_also: []
- term: post-capitalism
  slug: post-capitalism
  kind: concept
  aliases:
  - postcapitalism
  short: What comes after capitalism.
  see_also: []
- term: accelerationism
  slug: accelerationism
  kind: school
  aliases:
  - accelerationist politics
  - accelerationist
  short: Speeding up change.
  section: second.md
  see_also: []
- term: tax
  slug: tax
  kind: concept
  aliases:
  - box
  short: What boxes hold.
  see_also: []
"""

WORKS = {"mason2015": object()}


def load(text: str = ENTRIES, chaps=None, works=None, docs: dict[str, bytes] | None = None):
    text = textwrap.dedent(text)
    return glossary.parse(text, chaps if chaps is not None else chapters(), docs,
                          WORKS if works is None else works)


class FakeFormatter:
    def bibliography_html(self, key: str) -> str:
        return f"Formatted <i>{key}</i>."


def edition(g, chaps, works=None):
    """Just enough of model.Edition for glossary_pages.generate."""
    ns = SimpleNamespace(glossary=g, chapters=chaps, works=WORKS if works is None else works,
                         formatter=FakeFormatter(), timings={})
    ns.chapter = lambda slug: next((c for c in chaps if c.slug == slug), None)
    ns.known_chapter = ns.chapter
    return ns
