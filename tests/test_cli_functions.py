"""Every CLI command calls a public function of ``interessent`` (issue 13, item 4).

The table of which command calls which function is data in one place,
:data:`interessent.cli._api.FUNCTIONS`. These tests walk the click command tree as it is
(commands added later are held to the same table) and check, for every leaf command:

- the table names it, and every function it names is in ``interessent.__all__``;
- the command's own code calls each of those functions as ``interessent.NAME(...)``, calls
  no other public function, and imports nothing of the library's modules but ``errors``
  and ``files`` (how a CLI writes a file it was given);
- run through click's ``CliRunner`` with the public function wrapped, a command calls it.
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

import interessent
from interessent.cli import cli
from interessent.cli._api import FUNCTIONS
from interessent.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
#: The library modules a command may import itself: the errors it raises, and writing a
#: file the person named.
ALLOWED_IMPORTS = {"errors", "files"}


def _leaves(group: click.Group, prefix: str = "") -> Iterator[tuple[str, click.Command]]:
    for name, command in sorted(group.commands.items()):
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            yield from _leaves(command, path + " ")
        else:
            yield path, command


LEAVES = dict(_leaves(cli))


def _public_functions() -> set[str]:
    return {n for n in interessent.__all__
            if inspect.isfunction(getattr(interessent, n))}


def _body(command: click.Command) -> ast.AST:
    assert command.callback is not None
    function = inspect.unwrap(command.callback)
    return ast.parse(textwrap.dedent(inspect.getsource(function)))


def _called(tree: ast.AST) -> set[str]:
    """The names ``N`` of every ``interessent.N(...)`` call in ``tree``."""
    return {node.func.attr for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "interessent"}


def _imported(tree: ast.AST) -> set[str]:
    """The library modules imported inside ``tree`` (``from ..coverage import …``)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level >= 2:
            found.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("interessent"):
            found.add((node.module or "").split(".")[1] if "." in (node.module or "") else "")
    return found


def test_the_walk_finds_the_commands() -> None:
    # counted from `interessent --help` and its groups: init, import, export, log, leaders,
    # coverage, due, risks, draft, notify, report, backup (12); plan check (1); stakeholder
    # list/show/add/edit (4); templates list/show (2); privacy consent, withdraw, consents,
    # export, erase, compact, restrict, unrestrict, opt-out, opt-in, retention, audit (12)
    assert len(LEAVES) >= 31
    assert {"coverage", "privacy opt-in", "templates show", "plan check"} <= set(LEAVES)


@pytest.mark.parametrize("path", sorted(LEAVES))
def test_every_command_calls_the_public_functions_the_table_names(path: str) -> None:
    assert path in FUNCTIONS, f"add {path!r} to interessent.cli._api.FUNCTIONS"
    named = FUNCTIONS[path]
    public = _public_functions()
    assert named and set(named) <= public, f"{path}: not public: {set(named) - public}"
    tree = _body(LEAVES[path])
    called = _called(tree) & public
    assert set(named) <= called, f"{path} does not call {set(named) - called}"
    assert called <= set(named), f"{path} also calls {called - set(named)}; name it"
    assert _imported(tree) <= ALLOWED_IMPORTS, path


def test_the_table_names_no_command_that_is_gone() -> None:
    assert set(FUNCTIONS) <= set(LEAVES)


def test_the_api_page_shows_the_table() -> None:
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    section = page.split("## CLI command → function", 1)[1].split("\n## ", 1)[0]
    shown = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 4 and cells[0].startswith("`"):
            command = re.sub(r"( [A-Z]+)+$", "", cells[0].strip("`"))
            shown[command] = tuple(re.findall(r"`(\w+)`", cells[1] + " " + cells[2]))
    assert shown == FUNCTIONS


# --- run through the CLI with the function wrapped -------------------------------------------

AS_OF = ("--as-of", "2026-11-26")
#: A command line for some commands, on the Osen example (the rest are checked in source).
RUNS: dict[str, tuple[str, ...]] = {
    "coverage": ("coverage", "--period", "2026", *AS_OF),
    "due": ("due", *AS_OF),
    "leaders": ("leaders", "--top", "3", *AS_OF),
    "risks": ("risks", "--period", "2026", *AS_OF),
    "templates list": ("templates", "list"),
    "templates show": ("templates", "show", "dialogmote"),
    "privacy consents": ("privacy", "consents", "astrid-lian"),
    "privacy opt-out": ("privacy", "opt-out", "astrid-lian"),
    "privacy opt-in": ("privacy", "opt-in", "astrid-lian"),
    "stakeholder list": ("stakeholder", "list"),
    "plan check": ("plan", "check"),
    "export": ("export", "graph", *AS_OF),
}


@pytest.mark.parametrize("path", sorted(RUNS))
def test_a_command_run_calls_its_function(path: str, osen: Workspace,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    name = FUNCTIONS[path][-1] if path == "export" else FUNCTIONS[path][0]
    original: Callable[..., Any] = getattr(interessent, name)
    calls: list[tuple[Any, ...]] = []

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(interessent, name, wrapped)
    done = CliRunner().invoke(cli, ["-w", str(osen.root), *RUNS[path]])
    assert done.exit_code == 0, done.output
    assert len(calls) == 1 and isinstance(calls[0][0], Workspace), path


# --- the names the issue asked for ----------------------------------------------------------


def test_the_names_the_cli_needed_are_public() -> None:
    wanted = {"measure_coverage", "explain", "explain_commitments", "write_graph",
              "rank_graph", "opt_in", "opt_out", "withdraw_consent", "consents",
              "list_templates", "template_source", "render_report", "export_records",
              "export_person", "backup", "compact", "plan_erasure", "init_workspace",
              "check_plan"}
    assert wanted <= set(interessent.__all__)


def test_interessent_coverage_right_after_import_is_the_module() -> None:
    code = ("import interessent, types\n"
            "m = interessent.coverage\n"
            "print(isinstance(m, types.ModuleType), m.__name__,"
            " m.measure_coverage is interessent.measure_coverage)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["True", "interessent.coverage", "True"]


def test_measure_coverage_counts_as_the_cli_does(workspace: Workspace) -> None:
    interessent.add_stakeholder(workspace, name="Per Berg", groups=["befolkningen"])
    interessent.add_stakeholder(workspace, name="Kari Dal", groups=["befolkningen"])
    interessent.log_interaction(workspace, kind="meeting", date="2026-03-02",
                                participants=["per-berg"])
    [group] = interessent.measure_coverage(workspace, interessent.parse_period("2026"),
                                           as_of=dt.date(2026, 11, 26),
                                           groups=["befolkningen"])
    # two members, one met in a meeting: one reached directly of two
    assert (group.members, group.reached_directly, group.direct_reach) == (2, 1, 0.5)


def test_render_report_makes_the_report_in_memory(workspace: Workspace) -> None:
    period = interessent.parse_period("2026")
    workspace.store.counts()  # the database exists before
    before = sorted(p.name for p in workspace.root.rglob("*"))
    page = interessent.render_report(workspace, period, as_of=dt.date(2026, 11, 26))
    text = interessent.render_report(workspace, period, as_of=dt.date(2026, 11, 26),
                                     fmt="md")
    word = interessent.render_report(workspace, period, as_of=dt.date(2026, 11, 26),
                                     fmt="docx")
    assert page.startswith("<!DOCTYPE html>") and "Testprogrammet" in page
    assert "Testprogrammet" in text
    assert word[:2] == b"PK"  # a zip: a Word document
    assert sorted(p.name for p in workspace.root.rglob("*")) == before  # nothing written
    with pytest.raises(interessent.InvalidInput, match="unknown report format 'pdf'"):
        interessent.render_report(workspace, period, fmt="pdf")  # type: ignore[call-overload]


def test_export_records_gives_what_the_json_export_writes(workspace: Workspace) -> None:
    interessent.add_stakeholder(workspace, name="Per Berg", groups=["befolkningen"],
                                phone="+47 900 00 000")
    interessent.log_interaction(workspace, kind="meeting", date="2026-03-02",
                                participants=["per-berg"])
    [person] = interessent.export_records(workspace, "stakeholders")
    assert (person["id"], person["phone"], person["groups"], person["restricted"]) == (
        "per-berg", "+47 900 00 000", ["befolkningen"], False)
    [meeting] = interessent.export_records(workspace, "interactions")
    assert (meeting["date"], meeting["participants"]) == ("2026-03-02", ["per-berg"])
    interessent.restrict(workspace, "per-berg")
    assert interessent.export_records(workspace, "stakeholders") == []


@pytest.mark.sqlite_only(reason="backs up the workspace's own SQLite file")
def test_backup_says_what_the_copy_holds(workspace: Workspace, tmp_path: Path) -> None:
    interessent.add_stakeholder(workspace, name="Per Berg")
    interessent.add_stakeholder(workspace, name="Kari Dal")
    copy = interessent.backup(workspace, tmp_path / "kopi.db")
    # two stakeholders added above, nothing else
    assert (copy.stakeholders, copy.relationships, copy.interactions) == (2, 0, 0)
    assert copy.path == (tmp_path / "kopi.db").absolute() and copy.path.is_file()
    assert copy.to_dict()["path"] == str(copy.path)
