"""Located problems: every bad input is reported as ``path:line: kind: message (hint)``."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    kind: str  # a stable code such as "bib-syntax", "unknown-key", "note-missing"
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.kind}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class EditionError(Exception):
    """Raised with every problem found, so that the editor sees them all at once."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Problems:
    """Collects problems from every stage before the build fails."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, kind: str, message: str, hint: str = "") -> None:
        self.items.append(Problem(str(path), line, kind, message, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def raise_if_any(self) -> None:
        if self.items:
            raise EditionError(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def suggest(word: str, candidates: Iterable[str], what: str = "") -> str:
    """A close-match hint such as ``did you mean 'mason2015postcapitalism'?``, or ''."""
    close = difflib.get_close_matches(word, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    listed = ", ".join(f"'{c}'" for c in close)
    return f"did you mean {listed}?" if not what else f"did you mean {what} {listed}?"
