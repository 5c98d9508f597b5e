"""The editorial record (edition.yml): words mended from the extraction and titles italicised.

Pure core (no MkDocs import). ``load`` checks the file against its schema and reports every problem
located as ``edition.yml:line: kind: message (hint)``; ``markdown`` writes the About page's tables.
The YAML is composed to nodes (not loaded to plain values) so that each problem keeps its line.
"""
from __future__ import annotations

import html
from typing import Protocol

import yaml

from .chapters import decode_source, encoding_problem
from . import urls
from .layout import REASONS, REASONS_NEEDING_URL, RecordEntry
from .problems import Problem, suggest

class ProblemAt(Protocol):
    """Reports a problem at a node of the YAML document."""
    def __call__(self, node: yaml.Node, message: str, hint: str = "") -> None: ...

PATH = "edition.yml"
#: Each list of the record, the fields of its entries and their types.
FIELDS: dict[str, dict[str, type]] = {
    "mended": {"line": int, "source": str, "edition": str, "why": str},
    "italics": {"title": str, "count": int},
    "restored": {"line": int, "kept": str, "ref": str, "words": str, "evidence": str, "url": str},
    "paragraphs": {"line": int, "words": str, "decision": str, "reason": str, "url": str},
    "quotes": {"ref": str, "decision": str, "reason": str},
    "labels": {"page": str, "label": str, "why": str},
}
#: Fields an entry may leave out.
OPTIONAL: dict[str, set[str]] = {"paragraphs": {"url"}, "restored": {"url"}}
#: Fields whose value is one of a closed list.
CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("paragraphs", "decision"): ("split", "joined"),
    ("paragraphs", "reason"): REASONS,
    ("quotes", "decision"): ("outside", "inside"),
    ("quotes", "reason"): REASONS,
}


def load(data: bytes | None) -> tuple[dict[str, list[RecordEntry]], list[Problem]]:
    """The record's lists (entries with a problem left out) and the problems found, from edition.yml's
    bytes (files.py reads them). No file (None): empty."""
    record: dict[str, list[RecordEntry]] = {name: [] for name in FIELDS}
    if data is None:
        return record, []
    try:
        text = decode_source(data)
    except UnicodeDecodeError as err:
        return record, [encoding_problem(PATH, data, err)]
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        return record, [Problem(PATH, mark.line + 1 if mark else 1, "yaml-syntax", err.problem or "invalid YAML",
                                "check the indentation and quoting around this line")]
    except yaml.YAMLError as err:
        return record, [Problem(PATH, 1, "yaml-syntax", " ".join(str(err).split())[:200])]
    if root is None:
        return record, []
    problems: list[Problem] = []

    def problem(node: yaml.Node, message: str, hint: str = "") -> None:
        problems.append(Problem(PATH, node.start_mark.line + 1, "edition-record", message, hint))

    if not isinstance(root, yaml.MappingNode):
        problem(root, "the file is a mapping with the lists " + ", ".join(FIELDS))
        return record, problems
    for key_node, list_node in root.value:
        name = key_node.value
        if name not in FIELDS:
            problem(key_node, f"unknown list {name!r}", suggest(str(name), FIELDS) or "the lists are " + ", ".join(FIELDS))
            continue
        if not isinstance(list_node, yaml.SequenceNode):
            problem(list_node, f"'{name}' is a list of entries", "start each entry with '- '")
            continue
        for item in list_node.value:
            entry = _entry(name, item, problem)
            if entry is not None:
                record[name].append(entry)
    return record, problems


def _entry(name: str, node: yaml.Node, problem: ProblemAt) -> RecordEntry | None:
    fields = FIELDS[name]
    if not isinstance(node, yaml.MappingNode):
        problem(node, f"an entry of '{name}' has the fields {', '.join(fields)}")
        return None
    entry: RecordEntry = {}
    ok = True
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in fields:
            problem(key_node, f"unknown field {key!r} in an entry of '{name}'",
                    suggest(str(key), fields) or f"the fields are {', '.join(fields)}")
            ok = False
        elif not isinstance(value_node, yaml.ScalarNode) or value_node.value == "":
            problem(value_node, f"'{key}' needs a value", "write it on the same line, after the colon")
            ok = False
        elif fields[key] is int:
            try:
                entry[key] = int(value_node.value)
            except ValueError:
                problem(value_node, f"'{key}' is a whole number, not {value_node.value!r}")
                ok = False
        elif value_node.value not in CHOICES.get((name, key), (value_node.value,)):
            choices = CHOICES[(name, key)]
            problem(value_node, f"'{key}' cannot be {value_node.value!r}",
                    suggest(value_node.value, choices) or "it is one of: " + "; ".join(choices))
            ok = False
        else:
            entry[key] = value_node.value
    if ok and entry.get("reason") in REASONS_NEEDING_URL and "url" not in entry:
        problem(node, f"the reason {entry['reason']!r} needs the public copy's address", "add url: https://…")
        ok = False
    missing = [f for f in fields if f not in entry and ok and f not in OPTIONAL.get(name, ())]
    if missing:
        problem(node, f"this entry of '{name}' has no {', '.join(repr(m) for m in missing)}",
                f"each entry has {', '.join(fields)}")
        ok = False
    return entry if ok else None


def esc(value: object) -> str:
    return html.escape(str(value), quote=True)


def markdown(record: dict[str, list[RecordEntry]]) -> str:
    """The About page's lists of mended words and italicised titles (every value escaped)."""
    lines = ["### Words mended from the extraction { #mended }", "",
             "| Source line | The extraction has | The edition prints | Why |", "| --- | --- | --- | --- |"]
    for m in record.get("mended", []):
        lines.append(f"| {m['line']} | <code>{esc(m['source'])}</code> | {esc(m['edition'])} | {esc(m['why'])} |")
    lines += ["", "### Titles italicised { #italics }", "",
              ", ".join(f"<i>{esc(i['title'])}</i> ({i['count']}×)" for i in record.get("italics", [])) + ".", ""]
    return "\n".join(lines + _paragraph_record(record))


def _paragraph_record(record: dict[str, list[RecordEntry]]) -> list[str]:
    """The About page's account of the paragraphs: breaks restored, decisions, quotations, labels."""
    restored, decided = record.get("restored", []), record.get("paragraphs", [])
    lines = ["### Paragraph breaks restored { #breaks }", "",
             f"The extraction hid {len(restored)} of the author’s paragraph breaks; the editors restored them, each "
             "where the source’s layout shows it (a line that ends a sentence well short of the measure). The first "
             "part keeps the paragraph’s reference; the new paragraph took the next free one.", "",
             "| Source line | Reference kept | New paragraph | It begins | Evidence |", "| --- | --- | --- | --- | --- |"]
    for r in restored:
        copy = f' (<a href="{esc(r["url"])}">public copy</a>)' if r.get("url") else ""
        lines.append(f"| {r['line']} | {esc(r['kept'])} | {_ref_link(r['ref'])} | {esc(r['words'])}… | "
                     f"{esc(r['evidence'])}{copy} |")
    lines += ["", "### Decisions on paragraph boundaries { #boundaries }", "",
              f"Where the layout is doubtful or silent, the editors decided ({len(decided)} places): *split* means "
              "the edition starts a paragraph there, *joined* that it does not.", "",
              "| Source line | Paragraph beginning | Decision | Why |", "| --- | --- | --- | --- |"]
    for d in decided:
        why = esc(d["reason"]) + (f' (<a href="{esc(d["url"])}">public copy</a>)' if d.get("url") else "")
        lines.append(f"| {d['line']} | {esc(d['words'])}… | {esc(d['decision'])} | {why} |")
    if record.get("quotes"):
        lines += ["", "### Quotation boundaries { #quotations }", "",
                  "| Paragraph | The edition sets it | Why |", "| --- | --- | --- |"]
        for q in record["quotes"]:
            lines.append(f"| {_ref_link(q['ref'])} | {esc(q['decision'])} the quotation | {esc(q['reason'])} |")
    if record.get("labels"):
        lines += ["", "### The editors’ labels { #labels }", "",
                  "The navigation uses the author’s headings, except: "
                  + "; ".join(f"*{esc(lb['label'])}* ({esc(lb['why'])})" for lb in record["labels"]) + "."]
    return lines + [""]


def _ref_link(ref: str) -> str:
    """A link to a paragraph's short address, relative to the About page (about/)."""
    return f'<a href="{esc(urls.relative(urls.page_url("about.md"), urls.short_address("p", ref)))}">{esc(ref)}</a>'
