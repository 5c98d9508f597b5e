"""The glossary: terms from glossary.yml, their uses in the essay (concordance), links in the text.

Placeholder interface; the full implementation replaces these bodies.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Glossary:
    terms: list = field(default_factory=list)


def load(path, chapters, docs_dir, works):
    """Load and validate glossary.yml against the chapters -> (Glossary, problems)."""
    return Glossary(), []


def key_terms_markdown(glossary, chapter) -> str:
    """Markdown appended to a chapter: 'Key terms in this chapter' (marked as the editors')."""
    return ""


def link_terms(glossary, chapter, html: str) -> str:
    """Link the first use of each term per section to its term page, with a tooltip."""
    return html
