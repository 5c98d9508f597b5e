"""The study cards: data in, cards out (no file I/O here; build.py reads study.yml and writes nothing).

Four kinds of card, each tied to the paragraph that supports it:

term      a glossary entry -> its short definition (the paragraph that explains it, else its first use)
chapter   a glossary entry with ``explained_at`` -> the chapter that explains it
quote     a block quotation of the essay -> who is quoted: the work its note cites, only where the note's
          identification level is 'named' or 'probable' (conjectural and unidentified sources are left out,
          and the study page says how many and why)
claim     a claim written by the editors in study.yml -> the school or thinker who holds it, with the
          paragraph that supports it

Every card has a stable id ("term:autonomism", "quote:V.9", "claim:mason-prices"): the study page keeps
its schedule under it, and the Anki deck derives each note's GUID from it, so that a new build updates
what a reader has rather than adding to it.
"""
from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

import yaml

from .chapters import Chapter, Paragraph
from .problems import Problem, suggest

if TYPE_CHECKING:
    from .bib import Work
    from .glossary import Entry
    from .notes import ResolvedNote

PATH = "study.yml"
TYPES = ("term", "chapter", "quote", "claim")
TYPE_LABEL = {"term": "Term → definition", "chapter": "Term → chapter", "quote": "Quotation → who is quoted",
              "claim": "Claim → who holds it"}
#: The notes' identification levels that are sure enough to ask "who is quoted?" (notes.LEVEL_MEANING).
QUOTE_LEVELS = ("named", "probable")
QUOTE_MAX_CHARS = 700  # a longer quotation is cut at a word, marked [… ] (the card links to the whole)
CLAIM_FIELDS = {"id": "a stable identifier (lower-case words and hyphens); never change a published one",
                "claim": "the claim, in the editors' own words",
                "answer": "the school or thinker who holds it, as the essay presents it",
                "ref": "the paragraph that supports it, e.g. V.17"}
CLAIM_OPTIONAL = {"note": "a short remark shown with the answer (optional)"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Claim:
    id: str
    claim: str
    answer: str
    ref: str
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Card:
    id: str
    type: str  # one of TYPES
    front: str  # plain text (paragraphs separated by a blank line)
    back: str  # plain text
    back_html: str  # escaped HTML (a definition keeps its emphasis)
    ref: str  # the supporting paragraph ("" only for a term the essay never uses)
    chapter: str  # the slug of ref's chapter
    chapters: tuple[str, ...] = ()  # the chapters the card belongs to, for the chapter filter
    kind: str = ""  # a glossary entry's kind (term and chapter cards)
    entry: str = ""  # the glossary entry's slug (term and chapter cards)

    @property
    def front_html(self) -> str:
        return "".join(f"<p>{html.escape(part)}</p>" for part in self.front.split("\n\n"))


@dataclass(frozen=True)
class Left:
    """A block quotation left without a card, and why."""
    ref: str
    reason: str
    note: int | None = None


# -- study.yml ---------------------------------------------------------------------------------------

def parse_claims(text: str, paragraphs: Mapping[str, Paragraph], path: str = PATH) -> tuple[list[Claim], list[Problem]]:
    """Read and check study.yml's claims: each problem located at its line, a mistyped reference with a close match."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return [], [Problem(path, mark.line + 1 if mark else 1, "yaml-syntax", err.problem or "invalid YAML",
                            "check the indentation and quoting around this line")]
    except yaml.YAMLError as err:
        return [], [Problem(path, 1, "yaml-syntax", " ".join(str(err).split())[:200])]
    if root is None:
        return [], []
    if not isinstance(root, yaml.MappingNode) or [k.value for k, _ in root.value] != ["claims"]:
        return [], [Problem(path, root.start_mark.line + 1, "study-structure", "study.yml must hold one key, 'claims'",
                            "write 'claims:' and under it a list of claims (see the top of the file)")]
    seq = root.value[0][1]
    if not isinstance(seq, yaml.SequenceNode):
        return [], [Problem(path, seq.start_mark.line + 1, "study-structure", "'claims' must be a list",
                            "start each claim with '- id:'")]
    claims: list[Claim] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for node in seq.value:
        claim = _claim(node, paragraphs, path, problems)
        if claim is None:
            continue
        if claim.id in seen:
            problems.append(Problem(path, claim.line, "study-duplicate", f"the claim id {claim.id!r} is used twice",
                                    f"first at line {seen[claim.id]}; give this claim its own id"))
            continue
        seen[claim.id] = claim.line
        claims.append(claim)
    return claims, problems


def _claim(node: yaml.Node, paragraphs: Mapping[str, Paragraph], path: str, problems: list[Problem]) -> Claim | None:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(path, line, "study-structure", "a claim must be a mapping of keys",
                                "write id:, claim:, answer: and ref: under '- '"))
        return None
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    known = {**CLAIM_FIELDS, **CLAIM_OPTIONAL}
    for knode, vnode in node.value:
        key, kline = str(knode.value), knode.start_mark.line + 1
        lines.setdefault(key, kline)
        if key not in known:
            problems.append(Problem(path, kline, "study-field", f"unknown key {key!r}",
                                    suggest(key, known) or "the keys are " + ", ".join(known)))
            continue
        if not isinstance(vnode, yaml.ScalarNode) or not str(vnode.value).strip():
            problems.append(Problem(path, kline, "study-field", f"{key!r} must be a line of text", CLAIM_FIELDS.get(key, "")))
            continue
        values[key] = " ".join(str(vnode.value).split())
    missing = [k for k in CLAIM_FIELDS if k not in lines]
    if missing:
        problems.append(Problem(path, line, "study-field", "a claim has no " + ", ".join(repr(k) for k in missing),
                                "; ".join(f"{k}: {CLAIM_FIELDS[k]}" for k in missing)))
        return None
    if any(k not in values for k in CLAIM_FIELDS):
        return None
    if not _ID.match(values["id"]):
        problems.append(Problem(path, lines["id"], "study-field", f"the id {values['id']!r} is malformed",
                                "lower-case letters, digits and hyphens"))
        return None
    ref = values["ref"]
    if ref not in paragraphs:
        problems.append(Problem(path, lines["ref"], "study-ref", f"claim {values['id']!r}: no paragraph {ref!r}",
                                suggest(ref, paragraphs) or "use a paragraph reference such as V.17"))
        return None
    return Claim(values["id"], values["claim"], values["answer"], ref, values.get("note", ""), line)


# -- cards -------------------------------------------------------------------------------------------

def term_cards(entries: Iterable[Entry], first_use: Mapping[str, str], uses_in: Mapping[str, tuple[str, ...]],
               chapter_of: Mapping[str, str]) -> list[Card]:
    """Term -> definition for every entry; term -> chapter for every entry with explained_at.

    entries: glossary entries (term, slug, kind, who, short_html, short_text, explained_at); first_use:
    slug -> ref of its first use; uses_in: slug -> the chapters it is used in; chapter_of: ref -> chapter slug.
    """
    cards = []
    for e in entries:
        ref = e.explained_at or first_use.get(e.slug, "")
        who = f"{e.who}. " if e.who else ""
        cards.append(Card(f"term:{e.slug}", "term", e.term, who + e.short_text,
                          (f'<span class="study-who">{html.escape(e.who)}.</span> ' if e.who else "") + e.short_html,
                          ref, chapter_of.get(ref, ""), tuple(uses_in.get(e.slug, ())), e.kind, e.slug))
    return cards


def chapter_cards(entries: Iterable[Entry], chapter_of: Mapping[str, str], titles: Mapping[str, str]) -> list[Card]:
    cards = []
    for e in entries:
        if not e.explained_at:
            continue
        chapter = chapter_of[e.explained_at]
        back = f"{titles[chapter]} (¶ {e.explained_at})"
        cards.append(Card(f"chapter:{e.slug}", "chapter", f"Which part of the essay explains “{e.term}”?", back,
                          html.escape(back), e.explained_at, chapter, (chapter,), e.kind, e.slug))
    return cards


def quotation_blocks(chapter: Chapter) -> list[list[Paragraph]]:
    """Runs of consecutive quoted paragraphs: one block quotation each."""
    blocks: list[list[Paragraph]] = []
    previous = False
    for p in chapter.paragraphs:
        if p.quote and p.kind != "quoted-break":
            if not previous:
                blocks.append([])
            blocks[-1].append(p)
        previous = p.quote
    return blocks


def quote_text(block: list[Paragraph], limit: int = QUOTE_MAX_CHARS) -> str:
    """The quotation's paragraphs, whole while they fit in `limit`; a first paragraph too long is cut at a word."""
    parts: list[str] = []
    for p in block:
        used = sum(len(t) for t in parts)
        if used + len(p.text) <= limit:
            parts.append(p.text)
            continue
        if not parts:
            parts.append(p.text[:limit].rsplit(" ", 1)[0] + " […]")
        else:
            parts.append("[…]")
        break
    return "\n\n".join(parts)


def who_is_quoted(keys: list[str], works: Mapping[str, Work]) -> tuple[str, str] | None:
    """(plain, html) naming the quoted author(s) and work(s), or None when the works' authors differ."""
    found = [works[k] for k in keys if k in works]
    if not found:
        return None
    people = {_people(w) for w in found}
    if len(people) != 1 or not next(iter(people)):
        return None
    names = next(iter(people))
    titles = [(_title(w), w.get("date")[:4]) for w in found]
    plain = names + ", " + "; ".join((t if w.entry_type == "book" else f"“{t}”") + (f" ({y})" if y else "")
                                     for (t, y), w in zip(titles, found))
    rich = html.escape(names) + ", " + "; ".join(
        (f"<em>{html.escape(t)}</em>" if w.entry_type == "book" else f"“{html.escape(t)}”") + (f" ({y})" if y else "")
        for (t, y), w in zip(titles, found))
    return plain, rich


def _people(work: Work) -> str:
    for role in ("author", "editor"):
        names = work.names.get(role) if work.names else None
        if names:
            return " and ".join(" ".join(x for x in (n.given, n.family) if x) for n in names)
    return ""


def _title(work: Work) -> str:
    return str(work.get("title") or work.key)


def quote_cards(chapters: Iterable[Chapter], notes: Mapping[int, ResolvedNote], works: Mapping[str, Work]) -> tuple[list[Card], list[Left]]:
    """Quotation -> who is quoted, from each block quotation and the note whose marker ends it."""
    cards, left = [], []
    for ch in chapters:
        markers: dict[str, list[int]] = {}
        for r in ch.note_refs:
            markers.setdefault(r.paragraph, []).append(r.n)
        for block in quotation_blocks(ch):
            refs = [p.ref for p in block]
            numbers = [n for ref in refs for n in markers.get(ref, [])]
            if not numbers:
                left.append(Left(refs[0], "no note follows it"))
                continue
            note = notes.get(numbers[-1])
            if note is None:
                left.append(Left(refs[0], "its note could not be read", numbers[-1]))
                continue
            if note.level not in QUOTE_LEVELS:
                left.append(Left(refs[0], "the source is " + ("not identified" if note.level == "unknown" else note.level),
                                 note.n))
                continue
            second_hand = {c.key for c in note.quoted_in}
            keys = [c.key for c in note.citations if c.key not in second_hand]
            if not keys:
                left.append(Left(refs[0], "the original is known only through another work", note.n))
                continue
            answer = who_is_quoted(keys, works)
            if answer is None:
                left.append(Left(refs[0], "the note cites works by different authors", note.n))
                continue
            plain, rich = answer
            level = f"Source identified as {note.level} (note {note.n})."
            cards.append(Card(f"quote:{refs[0]}", "quote", quote_text(block), f"{plain}. {level}",
                              f'{rich}. <span class="study-level">{html.escape(level)}</span>', refs[0], ch.slug,
                              (ch.slug,)))
    return cards, left


def claim_cards(claims: Iterable[Claim], chapter_of: Mapping[str, str]) -> list[Card]:
    cards = []
    for c in claims:
        back = c.answer + (f". {c.note}" if c.note else "")
        cards.append(Card(f"claim:{c.id}", "claim", c.claim, back, html.escape(back), c.ref, chapter_of[c.ref],
                          (chapter_of[c.ref],)))
    return cards


def all_cards(entries: list[Entry], chapters: list[Chapter], notes: Mapping[int, ResolvedNote], works: Mapping[str, Work], claims: list[Claim],
              first_use: Mapping[str, str], uses_in: Mapping[str, tuple[str, ...]]) -> tuple[list[Card], list[Left]]:
    """Every card, in the order of TYPES, and the block quotations left without a card."""
    chapter_of = {p.ref: ch.slug for ch in chapters for p in ch.paragraphs}
    titles = {ch.slug: ch.title for ch in chapters}
    quotes, left = quote_cards(chapters, notes, works)
    cards = (term_cards(entries, first_use, uses_in, chapter_of) + chapter_cards(entries, chapter_of, titles)
             + quotes + claim_cards(claims, chapter_of))
    return cards, left


# -- where a card links, and the CSV -------------------------------------------------------------------

def card_path(card: Card, chapter_urls: Mapping[str, str]) -> str:
    """The card's paragraph as a path from the site's root ("paul-mason/#V.17"); a term the essay never
    uses links to its glossary page."""
    if card.ref:
        return f"{chapter_urls[card.chapter]}#{card.ref}"
    return f"glossary/{card.entry}/"


CSV_COLUMNS = ("id", "type", "front", "back", "ref", "link")


def csv_text(cards: Iterable[Card], chapter_urls: Mapping[str, str], site_url: str) -> str:
    """Every card as one CSV row (RFC 4180, CRLF line ends, UTF-8 for the caller to encode)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    base = site_url if site_url.endswith("/") else site_url + "/"
    for c in cards:
        writer.writerow((c.id, c.type, c.front, c.back, c.ref, base + card_path(c, chapter_urls)))
    return out.getvalue()
