"""The code's layout keeps the promises of docs/architecture.md.

Read as text (ast), not imported: no module too long to read whole, no import cycle
between the top-level modules and packages, the project's own imports at the top of the
file, and an architecture page that names every module and package.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src" / "interessent"
DOCS = Path(__file__).resolve().parents[1] / "docs"
MAX_LINES = 800
MAX_DEFERRED = 10


def _modules() -> Iterator[tuple[str, Path]]:
    """(dotted name below ``interessent``, path) of every module, migrations aside."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "migrations":
            continue
        parts = list(rel.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), path


def _unit(dotted: str) -> str:
    """The top-level module or package a module belongs to."""
    return dotted.split(".")[0] if dotted else "interessent"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(dotted: str, path: Path) -> Iterator[tuple[str, ast.stmt, bool]]:
    """(imported module below ``interessent``, the statement, inside a function?) for each
    import of the project's own code, those under ``if TYPE_CHECKING:`` left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = dotted.split(".") if path.name == "__init__.py" else dotted.split(".")[:-1]
    if dotted == "":
        package = []

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[str, ast.stmt, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for orelse in child.orelse:
                    yield from walk(orelse, in_function)
                continue
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package[: len(package) - child.level + 1]
                    target = ".".join([*base, *(child.module or "").split(".")]).strip(".")
                    names = [target] if child.module else [
                        ".".join([*base, a.name]).strip(".") for a in child.names]
                    for name in names:
                        yield name, child, in_function
                elif child.module and child.module.startswith("interessent"):
                    yield child.module.removeprefix("interessent").strip("."), child, \
                        in_function
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("interessent."):
                        yield alias.name.removeprefix("interessent."), child, in_function
            yield from walk(child, inside)

    yield from walk(tree, False)


def test_no_module_is_over_800_lines() -> None:
    long = {str(path.relative_to(SRC)): n for _, path in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_import_cycle_between_top_level_modules_and_packages() -> None:
    """Imports inside functions count too: deferring an import hides a cycle, it does
    not remove it."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for dotted, path in _modules():
        for target, _, _ in _imports(dotted, path):
            a, b = _unit(dotted), _unit(target)
            if a != b and b != "interessent":
                graph.add_edge(a, b)
    assert list(nx.simple_cycles(graph)) == []


def test_own_imports_sit_at_the_top_with_few_exceptions_each_explained() -> None:
    """Outside the CLI (which loads the library lazily to keep ``--help`` instant), at
    most ten imports of the project's own modules sit inside functions, each with a
    comment saying why."""
    deferred: list[str] = []
    unexplained: list[str] = []
    for dotted, path in _modules():
        if _unit(dotted) == "cli":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for _, node, inside in _imports(dotted, path):
            if not inside:
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            if where in deferred:
                continue
            deferred.append(where)
            around = " ".join(lines[max(0, node.lineno - 2): node.end_lineno or node.lineno])
            if "#" not in around:
                unexplained.append(where)
    assert unexplained == []
    assert len(deferred) <= MAX_DEFERRED, deferred


def test_architecture_page_names_every_module_and_package() -> None:
    page = (DOCS / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`([a-z_][a-z0-9_]*)(?:/|\.py)?`", page))
    units = {_unit(dotted) for dotted, _ in _modules()} - {"interessent"}
    assert units - named == set()


def test_every_package_says_what_lives_where() -> None:
    for dotted, path in _modules():
        if path.name == "__init__.py" and dotted:
            doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            modules = {p.stem for p in path.parent.glob("*.py")} - {"__init__"}
            missing = {m for m in modules if m not in doc}
            assert not missing, f"{dotted}/__init__.py does not mention {sorted(missing)}"
