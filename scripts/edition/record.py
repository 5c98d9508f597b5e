"""The editorial record (edition.yml): words mended from the extraction and titles italicised.

Pure core (no MkDocs import). ``load`` checks the file against its schema and reports every problem
located as ``edition.yml:line: kind: message (hint)``; ``markdown`` writes the About page's tables.
The YAML is composed to nodes (not loaded to plain values) so that each problem keeps its line.
"""
from __future__ import annotations

import html
from pathlib import Path

import yaml

from .chapters import encoding_problem
from .problems import Problem, suggest

PATH = "edition.yml"
#: Each list of the record, the fields of its entries and their types.
FIELDS: dict[str, dict[str, type]] = {
    "mended": {"line": int, "source": str, "edition": str, "why": str},
    "italics": {"title": str, "count": int},
}


def load(path: Path) -> tuple[dict[str, list[dict]], list[Problem]]:
    """The record's lists (entries with a problem left out) and the problems found. No file: empty."""
    record: dict[str, list[dict]] = {name: [] for name in FIELDS}
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return record, []
    try:
        text = data.decode("utf-8")
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

    def problem(node, message: str, hint: str = "") -> None:
        problems.append(Problem(PATH, node.start_mark.line + 1, "edition-record", message, hint))

    if not isinstance(root, yaml.MappingNode):
        problem(root, "the file is a mapping with the lists 'mended' and 'italics'")
        return record, problems
    for key_node, list_node in root.value:
        name = key_node.value
        if name not in FIELDS:
            problem(key_node, f"unknown list {name!r}", suggest(str(name), FIELDS) or "the lists are 'mended' and 'italics'")
            continue
        if not isinstance(list_node, yaml.SequenceNode):
            problem(list_node, f"'{name}' is a list of entries", "start each entry with '- '")
            continue
        for item in list_node.value:
            entry = _entry(name, item, problem)
            if entry is not None:
                record[name].append(entry)
    return record, problems


def _entry(name: str, node, problem) -> dict | None:
    fields = FIELDS[name]
    if not isinstance(node, yaml.MappingNode):
        problem(node, f"an entry of '{name}' has the fields {', '.join(fields)}")
        return None
    entry: dict = {}
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
        else:
            entry[key] = value_node.value
    missing = [f for f in fields if f not in entry and ok]
    if missing:
        problem(node, f"this entry of '{name}' has no {', '.join(repr(m) for m in missing)}",
                f"each entry has {', '.join(fields)}")
        ok = False
    return entry if ok else None


def esc(value) -> str:
    return html.escape(str(value), quote=True)


def markdown(record: dict[str, list[dict]]) -> str:
    """The About page's lists of mended words and italicised titles (every value escaped)."""
    lines = ["### Words mended from the extraction { #mended }", "",
             "| Source line | The extraction has | The edition prints | Why |", "| --- | --- | --- | --- |"]
    for m in record.get("mended", []):
        lines.append(f"| {m['line']} | <code>{esc(m['source'])}</code> | {esc(m['edition'])} | {esc(m['why'])} |")
    lines += ["", "### Titles italicised { #italics }", "",
              ", ".join(f"<i>{esc(i['title'])}</i> ({i['count']}×)" for i in record.get("italics", [])) + ".", ""]
    return "\n".join(lines)
