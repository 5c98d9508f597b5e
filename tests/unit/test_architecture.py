"""The core's shape, read from its source with ast: no import cycles, and I/O only at the named edges.

scripts/edition/files.py is the one door to the disk, the environment and the clock is read by the
glue (glue.py); every other module takes text or data and returns data.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "scripts" / "edition"

#: Modules allowed to touch the disk, the environment, processes or the clock.
EDGES = {"files", "glue"}
#: None: search.py makes the search index's records; files.py runs Pagefind on them.
EXEMPT: set[str] = set()

#: Modules whose import means I/O, processes or the clock.
IO_MODULES = {"os", "subprocess", "time", "shutil", "tempfile", "glob", "socket", "urllib.request"}
#: Calls and attributes that read or write files or the environment.
IO_NAMES = {"open"}
IO_ATTRIBUTES = {"read_text", "write_text", "read_bytes", "write_bytes", "mkdir", "unlink", "glob", "rglob", "iterdir",
                 "is_file", "is_dir", "exists", "environ", "getenv", "perf_counter", "system", "popen",
                 "now", "utcnow", "today"}  # the clock through datetime (date.fromisoformat is no clock)


def modules() -> dict[str, ast.Module]:
    return {p.stem: ast.parse(p.read_text(encoding="utf-8"), str(p)) for p in sorted(CORE.glob("*.py"))}


def sibling_imports(tree: ast.Module, names: set[str]) -> set[str]:
    """The package's modules a module imports, anywhere in it (at the top, in a function, for type checking)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1 and not module:  # from . import a, b
                found |= {a.name for a in node.names if a.name in names}
            elif node.level == 1 or module.startswith("edition."):  # from .a import x / from edition.a import x
                found.add(module.removeprefix("edition.").split(".")[0])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("edition.")}
    return found & names


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, each as the path that closes it (a -> b -> a)."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def io_uses(tree: ast.Module) -> list[str]:
    """Each use of I/O in a module: an import of an I/O module, a call of open(), an I/O attribute."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name in IO_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "") in IO_MODULES:
            found.append(f"{node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in IO_NAMES:
            found.append(f"{node.lineno}: {node.func.id}()")
        elif isinstance(node, ast.Attribute) and node.attr in IO_ATTRIBUTES:
            found.append(f"{node.lineno}: .{node.attr}")
    return found


def test_the_checks_can_fail():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    tree = ast.parse("import os\nfrom pathlib import Path\ndef f(p):\n    return open(p).read() + Path(p).read_text()\n")
    assert sorted(io_uses(tree)) == ["1: import os", "4: .read_text", "4: open()"]
    assert io_uses(ast.parse("from datetime import datetime\nx = datetime.now()\n")) == ["2: .now"]
    tree = ast.parse("from . import a, b\nfrom .c import x\nif True:\n    from edition.d import y\n")
    assert sibling_imports(tree, {"a", "b", "c", "d", "e"}) == {"a", "b", "c", "d"}


def test_no_import_cycles_among_the_core_modules():
    trees = modules()
    graph = {name: sibling_imports(tree, set(trees)) - {name} for name, tree in trees.items()}
    assert graph["glue"] >= {"files", "model", "pages"}  # the parse sees the imports it must
    assert cycles(graph) == []


def test_the_edge_modules_exist():
    assert EDGES | EXEMPT <= set(modules())


@pytest.mark.parametrize("name", sorted(p.stem for p in CORE.glob("*.py") if p.stem not in EDGES | EXEMPT))
def test_only_the_edges_read_files_the_environment_or_the_clock(name):
    assert io_uses(modules()[name]) == [], f"{name}.py does I/O: move it to files.py (or the glue, glue.py)"
