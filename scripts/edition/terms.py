"""Candidate glossary terms derived from the essay's own text, and the editors' decisions on them.

Pure core (no MkDocs import). The glossary's coverage is decided by evidence, not memory: frequent
names, frequent two-word phrases and hyphenated compounds, the short phrases the essay puts in quotation
marks and the words it says something "calls" are candidates. Every candidate above its threshold is
either an entry of glossary.yml (one of its forms matches the whole candidate) or has a recorded reason
in glossary-decisions.yml. New vocabulary added to the essay therefore surfaces as an undecided candidate.

Simple heuristics on purpose (counts and regular expressions over the paragraphs' plain text): a
part-of-speech tagger would be a new dependency, and the editors read every candidate anyway.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from .chapters import Chapter
    from .glossary import Matcher

#: Thresholds: a name or phrase must occur this often to be a candidate.
MIN_NAME = 3
MIN_BIGRAM = 4
MIN_COMPOUND = 3
MIN_QUOTED = 2  # a short phrase the author himself puts in quotation marks, at least twice

#: The reasons a candidate may be left out (the first words of a decision's reason).
REASON_KINDS = (
    "ordinary sense",  # ordinary English; the essay gives it no meaning of its own
    "covered by",  # followed by the slug of the entry that explains the idea
    "name",  # a person, place, publisher, periodical or firm mentioned in passing
    "quotation only",  # only in other writers' quoted words, not the essay's vocabulary
    "turn of phrase",  # the author's wording, not a term
)

STOP = set("""
a about above after again against all also although am an and any are as at be because been before being
below between both but by can could did do does doing down during each even ever every few for from
further had has have having he her here hers him his how however i if in into is it its itself just
least less let like made make makes many may me might more most much must my neither no nor not now of
off on once one only or other others our ours out over own per perhaps quite rather really same see
seen she should since so some such than that the their theirs them themselves then there these they
this those though through thus to too under until up upon us very was way ways we well were what when
where whether which while who whom whose why will with within without would yet you your also even
already around still simply instead always never often enough far given get gets getting got going
goes go say says said new old first second third last next much many great good large small long
mean means something anything nothing everything someone anyone whole part kind sort lot lots less
least likely able whatever whichever either etc e.g i.e mr dr vs one’s it’s that’s there’s what’s
""".split())

#: Words that begin sentences or headings often enough to look like names.
NOT_NAMES = {"The", "This", "That", "These", "Those", "It", "In", "And", "But", "As", "If", "So", "For",
             "Or", "A", "An", "We", "He", "She", "They", "I", "Of", "On", "To", "At", "By", "With",
             "When", "What", "Which", "While", "Such", "There", "Their", "His", "Her", "Its", "Our",
             "Even", "Not", "No", "All", "One", "Some", "Most", "Many", "Much", "More", "Both", "Each",
             "Instead", "However", "Rather", "Thus", "Still", "Yet", "Nor", "Now", "Then", "Here", "Part",
             "Chapter", "Volume", "See", "Quoted", "Ibid", "Ed", "Eds", "Trans", "Vol", "Conclusion", "I’m", "I’d",
             "I’ve", "I’ll", "It’s", "That’s", "There’s", "What’s", "Let’s", "Don’t", "Unlike", "Like", "After",
             "Before", "Because", "Although", "Since", "Until", "Where", "Who", "Why", "How", "Just", "Only",
             "Another", "Every", "Any", "Other", "First", "Second", "Third", "Finally", "Given", "Again"}

_WORD = r"[A-Za-z][\w’'-]*"
_NAME = re.compile(r"(?<![\w’'-])([A-Z][\w’'-]*(?:\s+(?:(?:of|the|for|de|von|van)\s+)?[A-Z][\w’'-]*)*)")
_QUOTED = re.compile(r"“([^”]{2,60})”")
_CALLS = re.compile(r"\b(?:calls?|called|termed|dubbed|so-called|the term|the phrase)\s+(?:it\s+|the\s+|a\s+)?"
                    r"[“‘]([^”’]{2,60})[”’]")


@dataclass
class Candidate:
    words: str  # the most frequent spelling
    count: int
    how: set[str] = field(default_factory=set)  # name, bigram, compound, quoted, called


def _strip_possessive(word: str) -> str:
    return re.sub(r"[’']s?$", "", word)


def norm_key(words: str) -> str:
    return " ".join(words.lower().replace("'", "’").replace("-", " ").split())


def _singular(word: str) -> str:
    """A rough singular for merging counts: "technologies" and "technology" are one candidate."""
    w = word.lower()
    if re.search(r"(?:ss|us|is|ics|commons|means)$", w):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and len(w) > 3:
        return w[:-1]
    return w


def phrase_key(words: str) -> str:
    parts = norm_key(words).split()
    return " ".join(parts[:-1] + [_singular(parts[-1])]) if parts else ""


def names(texts: list[str]) -> Counter[str]:
    """Capitalised sequences: proper names and titles.

    A capitalised word at the start of a sentence is only counted when the same sequence also occurs
    capitalised in mid-sentence (so "Mason argues" counts, "Unlike" does not).
    """
    mid: Counter[str] = Counter()
    initial: Counter[str] = Counter()
    for text in texts:
        for m in _NAME.finditer(text):
            before = text[:m.start()].rstrip()
            tokens = [_strip_possessive(w) for w in m.group(1).split()]
            while tokens and tokens[0] in {"The", "the", "of", "for"}:
                tokens.pop(0)
            while tokens and tokens[-1] in {"of", "the", "for", "de", "von", "van"}:
                tokens.pop()
            at_start = not before or before[-1] in ".!?:…“‘\"(—"
            while tokens and tokens[0] in NOT_NAMES:  # "Unlike Mason": the name starts after the first word
                tokens.pop(0)
                at_start = False
            if not tokens or (len(tokens) == 1 and len(tokens[0]) == 1):
                continue
            (initial if at_start else mid)[" ".join(tokens)] += 1
    found = mid + Counter({w: n for w, n in initial.items() if w in mid})
    # A single capitalised word that is more often written in lower case is an ordinary word ("Capitalism").
    lower = Counter(w for text in texts for w in re.findall(r"(?<![\w’'-])[a-z][\w’'-]*", text))
    return Counter({w: n for w, n in found.items() if " " in w or lower[w.lower()] < n})


def bigrams(texts: list[str]) -> Counter[str]:
    """Two lower-case words in a row, neither a stop word, within one clause."""
    found: Counter[str] = Counter()
    for text in texts:
        for clause in re.split(r"[.,;:!?()“”‘’—–\"]|\s-\s", text):
            words = re.findall(_WORD, clause)
            for a, b in zip(words, words[1:]):
                if not (a.islower() and b.islower()):
                    continue
                a, b = _strip_possessive(a), _strip_possessive(b)
                if a in STOP or b in STOP or len(a) < 3 or len(b) < 3 or "-" in a + b:
                    continue
                found[f"{a} {b}"] += 1
    return found


def compounds(texts: list[str]) -> Counter[str]:
    """Hyphenated compounds (lower case or not): "post-capitalism", "peer-production"."""
    found: Counter[str] = Counter()
    for text in texts:
        for w in re.findall(r"(?<![\w-])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w-])", text):
            parts = w.lower().split("-")
            if all(p in STOP or p.isdigit() for p in parts):
                continue
            found[w] += 1
    return found


def quoted(texts: list[str]) -> Counter[str]:
    """Short phrases in double quotation marks (one to four words, no sentence inside)."""
    found: Counter[str] = Counter()
    for text in texts:
        for m in _QUOTED.finditer(text):
            phrase = m.group(1).strip(" ,.;:…")
            n = len(phrase.split())
            if 1 <= n <= 4 and not re.search(r"[.?!;]", phrase) and phrase.lower() not in STOP:
                found[phrase] += 1
    return found


def called(texts: list[str]) -> Counter[str]:
    """Words the essay says someone calls something: what X “calls” Y, the so-called ‘Y’, the term “Y”."""
    found: Counter[str] = Counter()
    for text in texts:
        for m in _CALLS.finditer(text):
            phrase = m.group(1).strip(" ,.;:…")
            if 1 <= len(phrase.split()) <= 5:
                found[phrase] += 1
    return found


def candidates(own: list[str], everything: list[str]) -> list[Candidate]:
    """Every candidate above its threshold, merged across heuristics by its lower-case singular key.

    ``own``: the author's paragraphs (quotation marks there are his); ``everything``: all paragraphs,
    block quotations included (names and phrases of the quoted writers count too).
    """
    merged: dict[str, Candidate] = {}
    spellings: dict[str, Counter[str]] = {}

    def add(words: str, count: int, how: str) -> None:
        key = phrase_key(words)
        if not key:
            return
        cand = merged.setdefault(key, Candidate(words, 0))
        cand.count = max(cand.count, count)
        cand.how.add(how)
        spellings.setdefault(key, Counter())[words] += count

    def grouped(counter: Counter[str]) -> Counter[str]:
        out: Counter[str] = Counter()
        for words, n in counter.items():
            out[phrase_key(words)] += n
        return out

    for source, minimum, how in ((names(everything), MIN_NAME, "name"), (bigrams(everything), MIN_BIGRAM, "bigram"),
                                 (compounds(everything), MIN_COMPOUND, "compound"),
                                 (quoted(own), MIN_QUOTED, "quoted"), (called(everything), 1, "called")):
        totals = grouped(source)
        for words in source:
            if totals[phrase_key(words)] >= minimum:
                add(words, totals[phrase_key(words)], how)
    for key, cand in merged.items():
        cand.words = spellings[key].most_common(1)[0][0]
    return sorted(merged.values(), key=lambda c: (-c.count, c.words.lower()))


def is_entry(words: str, matcher: Matcher) -> str | None:
    """The slug of the entry one of whose forms is the whole candidate (in the matcher's sense), or None."""
    for variant in {words, words.lower(), words[:1].upper() + words[1:]}:
        for start, end, slug, _ in matcher.finditer(variant):
            if start == 0 and end == len(variant):
                return str(slug)
    return None


@dataclass
class Decision:
    words: str
    why: str
    line: int

    @property
    def kind(self) -> str:
        return next((k for k in REASON_KINDS if self.why.startswith(k)), "")

    @property
    def slug(self) -> str:
        m = re.match(r"covered by ([a-z0-9-]+)", self.why)
        return m.group(1) if m else ""


def load_decisions(text: str, name: str = "glossary-decisions.yml") -> tuple[dict[str, Decision], list[str]]:
    """glossary-decisions.yml's text (the caller reads it): a mapping of candidate -> reason.
    Returns (decisions by key, problems)."""
    problems: list[str] = []
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        return {}, [f"{name}:{mark.line + 1 if mark else 0}: not valid YAML ({getattr(err, 'problem', err)}; "
                    "quote a reason that holds ': ')"]
    lines: dict[str, int] = {}
    for n, text_line in enumerate(text.splitlines(), 1):
        m = re.match(r"^(['\"]?)(.+?)\1:\s", text_line)
        if m and not text_line.startswith("#"):
            lines[m.group(2)] = n
    if not isinstance(data, dict):
        return {}, [f"{name}: expected a mapping of candidate: reason"]
    decisions: dict[str, Decision] = {}
    for words, why in data.items():
        line = lines.get(str(words), 0)
        d = Decision(str(words), str(why or ""), line)
        if not d.kind:
            problems.append(f"{name}:{line}: {words!r}: the reason must start with one of {REASON_KINDS}")
        key = phrase_key(d.words)
        if key in decisions:
            problems.append(f"{name}:{line}: {words!r} is decided twice")
        decisions[key] = d
    return decisions, problems


def decide(cands: list[Candidate], matcher: Matcher, decisions: dict[str, Decision]) -> list[tuple[Candidate, str, str]]:
    """(candidate, status, detail): status "entry" (detail: slug), "decided" (detail: reason) or "undecided"."""
    out = []
    for cand in cands:
        slug = is_entry(cand.words, matcher)
        if slug:
            out.append((cand, "entry", slug))
        elif phrase_key(cand.words) in decisions:
            out.append((cand, "decided", decisions[phrase_key(cand.words)].why))
        else:
            out.append((cand, "undecided", ""))
    return out


def essay_texts(chapters: list[Chapter]) -> tuple[list[str], list[str]]:
    """(the author's own paragraphs, all paragraphs) as plain text."""
    paragraphs = [p for ch in chapters for p in ch.paragraphs]
    return [p.text for p in paragraphs if not p.quote], [p.text for p in paragraphs]
