"""Glossary pages (placeholder until the glossary lands)."""
from __future__ import annotations


def generate(ed) -> dict[str, str]:
    return {"glossary/index.md": "---\ntitle: Glossary\n---\n\n# Glossary\n\nThe glossary is being prepared.\n",
            "study.md": "---\ntitle: Study\n---\n\n# Study\n\nFlashcards are being prepared.\n"}
