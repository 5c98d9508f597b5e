"""The edition's pure core: parsing, data model and formatting.

Nothing in this package imports MkDocs; ``scripts/hooks.py`` wires it to MkDocs events.
Data flows one way: sources (chapters, bibliography.bib, glossary.yml) -> model -> HTML.
"""
