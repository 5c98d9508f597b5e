"""Pandoc-style citations inside a note definition: ``[@key]``, ``[@key, 27]``, ``[@a; @b, 12]``.

Pure, total functions: :func:`parse_citations` returns (citations, problems) for ANY text and never
raises or backtracks (one left-to-right scan; the only regular expression is linear). Keys are not
checked here; :func:`check_keys` does that against the bibliography.

A citation group starts at ``[`` followed (after optional spaces) by ``@``; other brackets (``[^1]``,
``[sic]``, a link) are ordinary text. Inside a group:

    group    = "[" cite { ";" cite } "]"
    cite     = "@" key [ "," locator ]
    key      = a letter, digit or "_", then letters, digits, "_" and internal :.#$%&-+?<>~/
    locator  = any non-empty text without ";" "]" "["  (kept as written: "27", "pp. 27-29")
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from .problems import Problem, suggest

KIND = "citation-syntax"
#: A citation key (pandoc's rule); bib.py checks the .bib keys with it too.
KEY_RE = re.compile(r"[^\W](?:[^\W]|[:.#$%&\-+?<>~/](?=[^\W]))*")
_GROUP_START = re.compile(r"\[[ \t]*@")


@dataclass(frozen=True)
class Citation:
    key: str
    locator: str | None = None


def parse_citations(text: str, path: str, line: int) -> tuple[list[Citation], list[Problem]]:
    """All citations in ``text`` (a note definition that starts on ``line``), and the syntax problems."""
    citations: list[Citation] = []
    problems: list[Problem] = []
    if not isinstance(text, str):
        return citations, [Problem(str(path), line, KIND, "the note text is not text")]

    counted = [0, line]  # newlines are counted once, left to right: at() is called with rising positions

    def at(pos: int) -> int:
        counted[1] += text.count("\n", counted[0], pos)
        counted[0] = pos
        return counted[1]

    pos = 0
    n = len(text)
    # The next ']' and '[' after a group's start, each searched once (linear even on '[@[@[@…'):
    next_close = next_open = -1
    no_close = no_open = False  # none left after some position, so none after any later one
    while True:
        m = _GROUP_START.search(text, pos)
        if not m:
            break
        start = m.start()
        if start > 0 and text[start - 1] == "\\":  # \[@ is an escaped bracket
            pos = start + 1
            continue
        if not no_close and next_close <= start:
            next_close = text.find("]", start + 1)
            no_close = next_close == -1
        if not no_open and next_open <= start:
            next_open = text.find("[", start + 1)
            no_open = next_open == -1
        close = -1 if no_close else next_close
        reopen = -1 if no_open else next_open
        if close == -1 or (reopen != -1 and reopen < close):
            snippet = _snippet(text[start : (reopen if reopen != -1 else n)])
            problems.append(
                Problem(
                    path,
                    at(start),
                    KIND,
                    f"citation '{snippet}' is not closed",
                    "end it with ']', e.g. [@key] or [@key, 27]",
                )
            )
            if reopen == -1:  # nothing after it can close it
                break
            pos = reopen  # the next '[' may start a good citation
            continue
        body = text[start + 1 : close]
        group_cites, group_problems = _parse_group(body, path, at(start))
        citations.extend(group_cites)
        problems.extend(group_problems)
        pos = close + 1
    return citations, problems


def _parse_group(body: str, path: str, line: int) -> tuple[list[Citation], list[Problem]]:
    cites: list[Citation] = []
    problems: list[Problem] = []
    shown = _snippet("[" + body + "]")
    for part in body.split(";"):
        item = part.strip()
        if not item:
            problems.append(
                Problem(path, line, KIND, f"empty citation in '{shown}'", "remove the extra ';' or add @key")
            )
            continue
        if not item.startswith("@"):
            problems.append(
                Problem(
                    path,
                    line,
                    KIND,
                    f"'{_snippet(item)}' in '{shown}' is not a citation",
                    "each citation starts with @: [@a; @b, 12]",
                )
            )
            continue
        rest = item[1:]
        if not rest or rest[0] == ",":
            problems.append(Problem(path, line, KIND, f"citation without a key in '{shown}'",
                                    "write the key right after @, e.g. [@mason2015postcapitalism]"))
            continue
        if rest[0].isspace():
            problems.append(
                Problem(path, line, KIND, f"space after '@' in '{shown}'", f"write [@{rest.strip().split(',')[0].strip()}] without a space")
            )
            continue
        m = KEY_RE.match(rest)
        if not m:
            problems.append(
                Problem(path, line, KIND, f"'@{_snippet(rest)}' is not a citation key", "a key starts with a letter, digit or _")
            )
            continue
        key = m.group(0)
        after = rest[m.end() :].strip()
        if not after:
            cites.append(Citation(key, None))
            continue
        if not after.startswith(","):
            problems.append(
                Problem(
                    path,
                    line,
                    KIND,
                    f"unexpected '{_snippet(after)}' after @{key} in '{shown}'",
                    "separate citations with ';' and a locator with ',': [@a, 12; @b]",
                )
            )
            continue
        locator = " ".join(after[1:].split())
        if not locator:
            problems.append(
                Problem(path, line, KIND, f"empty locator after the comma in '{shown}'", f"remove the comma or give the page: [@{key}, 27]")
            )
            continue
        cites.append(Citation(key, locator))
    return cites, problems


def check_keys(
    citations: Iterable[Citation], works: Mapping[str, object] | Iterable[str], path: str, line: int
) -> list[Problem]:
    """A problem of kind ``unknown-key`` for each citation whose key is not in ``works``."""
    known = set(works)
    problems = []
    for c in citations:
        if c.key not in known:
            problems.append(
                Problem(
                    path,
                    line,
                    "unknown-key",
                    f"no work with the key '{c.key}' in bibliography.bib",
                    suggest(c.key, known) or "add the work to bibliography.bib or fix the key",
                )
            )
    return problems


def _snippet(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
