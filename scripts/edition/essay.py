"""The one record of the essay and of this edition: what every citation, meta tag, JSON-LD, RIS,
CSL-JSON and EPUB of it says.

Pure: no MkDocs, no I/O. ``essay_record(extra)`` takes ``mkdocs.yml``'s ``extra`` mapping (its
``edition: {version, date}``) and returns an :class:`Essay`; everything else is derived from it.
The version changes whenever the text or the apparatus changes; tests/unit/test_essay.py ties it to
the top released version in CHANGELOG.md.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Person:
    family: str
    given: str = ""

    @property
    def name(self) -> str:  # "Kevin Carson"
        return " ".join(x for x in (self.given, self.family) if x)

    @property
    def inverted(self) -> str:  # "Carson, Kevin"
        return ", ".join(x for x in (self.family, self.given) if x)


@dataclass(frozen=True)
class Essay:
    title: str = "Techno-Utopianism, Counterfeit and Real"
    subtitle: str = "With Special Regard to Paul Mason’s Post-Capitalism"
    author: Person = Person("Carson", "Kevin")
    year: str = "2016"
    season: str = "Spring"
    publisher: str = "Center for a Stateless Society"
    publisher_short: str = "C4SS"
    series: str = "C4SS Paper"
    number: str = "20"
    language: str = "en"
    #: The edition: its own title, its makers (a group, not named people), version and date.
    edition_title: str = "Techno-Utopianism, Counterfeit and Real: A Reading Edition"
    editors: str = "The editors of the reading edition"
    version: str = ""
    edition_date: str = ""  # ISO date of the version

    @property
    def full_title(self) -> str:
        """The title as the paper prints it: "Techno-Utopianism, Counterfeit and Real (With Special …)"."""
        return f"{self.title} ({self.subtitle})"

    @property
    def date_text(self) -> str:  # "Spring 2016"
        return f"{self.season} {self.year}"

    @property
    def series_long(self) -> str:  # as the Chicago citation names it
        return f"{self.publisher} Paper No. {self.number}"

    @property
    def title_bib(self) -> str:
        """The full title for BibTeX, proper names protected from re-casing."""
        return "Techno-Utopianism, Counterfeit and Real (With Special Regard to {Paul Mason's} {Post-Capitalism})"

    def short_title(self, ref: str | None = None) -> str:
        """"Carson, Techno-Utopianism, Counterfeit and Real, ¶ III.12" (a passage's page title)."""
        return f"{self.author.family}, {self.title}" + (f", ¶ {ref}" if ref else "")


def essay_record(extra: dict[str, Any] | None) -> Essay:
    """The record, with the edition's version and date from ``mkdocs.yml`` ``extra.edition``."""
    edition = (extra or {}).get("edition") or {}
    return Essay(version=str(edition.get("version", "")), edition_date=str(edition.get("date", "")))


def released_versions(changelog: str) -> list[str]:
    """The released versions in a Keep-a-Changelog text, newest first ("## [1.0.0] — 2026-11-29")."""
    import re

    return re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.M)


def csl_item(e: Essay, url: str, ref: str | None = None) -> dict[str, Any]:
    """The essay (or one paragraph of it, ``ref``) as a CSL-JSON item: a report in its series, read in
    this edition (its version and date in ``note``), at ``url``."""
    where = f", paragraph {ref}" if ref else ""
    return {"id": "carson2016technoutopianism" + (f"-{ref.replace('.', '-')}" if ref else ""), "type": "report",
            "title": e.full_title, "title-short": e.title,
            "author": [{"family": e.author.family, "given": e.author.given}],
            "issued": {"date-parts": [[int(e.year)]]}, "publisher": e.publisher,
            "collection-title": e.series, "number": e.number, "language": e.language, "URL": url,
            "note": f"{e.edition_title}, version {e.version} ({e.edition_date}){where}"}
