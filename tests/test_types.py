"""The public API as a type checker sees it: a misspelt name fails ``mypy --strict``, a
format is a ``Literal`` and an option a keyword-only parameter."""

from __future__ import annotations

import importlib
import inspect
import os
import shutil
import subprocess
import sys
import typing
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import interessent
from interessent import drafting, exporting, graph, report

PACKAGE = Path(interessent.__file__).parent

#: ``mypy --strict``, checking the package's ``__init__`` and what the snippets do with it;
#: the modules it imports are skipped (their names are then of type Any), which keeps the
#: run to a second or two and leaves what the names are to ``__init__`` alone.
CONFIG = "[mypy]\nstrict = True\nfollow_imports = skip\n"


#: ``mypy --strict`` reading interessent whole, but not the libraries it uses (their
#: types are then Any): what a call to interessent may pass, in some seconds.
THIRD_PARTY = ("sqlalchemy", "networkx", "numpy", "scipy", "jinja2", "attrs", "attr", "cattrs",
               "click", "babel", "openpyxl", "docx", "docxtpl", "alembic", "rich",
               "markupsafe", "psycopg")
WHOLE = ("[mypy]\nstrict = True\nfollow_imports = silent\n"
         f"[mypy-{','.join(f'{name}.*' for name in THIRD_PARTY)}]\nfollow_imports = skip\n")


def _mypy(tmp_path: Path, snippets: dict[str, str], *,
          config: str = CONFIG) -> tuple[int, list[str]]:
    """Run the venv's mypy on ``snippets`` (file name → code); (exit status, error lines)."""
    (tmp_path / "mypy.ini").write_text(config, encoding="utf-8")
    for name, code in snippets.items():
        (tmp_path / name).write_text(code, encoding="utf-8")
    # A copy of the package's code on MYPYPATH, wherever it is installed: mypy refuses
    # site-packages on MYPYPATH, and a file given from there shadows the whole of it.
    copy = tmp_path / "packages"
    shutil.copytree(PACKAGE, copy / PACKAGE.name,
                    ignore=shutil.ignore_patterns("__pycache__", "examples", "locale"))
    env = {**os.environ, "MYPYPATH": str(copy)}
    also = [str(copy / PACKAGE.name / "__init__.py")] if config == CONFIG else []
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", "mypy.ini", "--cache-dir",
         str(tmp_path / "cache"), *snippets, *also],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600, check=False)
    return done.returncode, [line for line in done.stdout.splitlines() if ": error:" in line]


def test_a_misspelt_top_level_name_fails_mypy_strict(tmp_path: Path) -> None:
    code, errors = _mypy(tmp_path, {
        "misspelt.py": ("import interessent\n\n\n"
                        "def leaders(ws: interessent.Workspace) -> None:\n"
                        "    interessent.rank_leader(ws)\n"),
        "spelt.py": ("import interessent\n\n\n"
                     "def leaders(ws: interessent.Workspace) -> None:\n"
                     "    interessent.rank_leaders(ws)\n"),
    })
    assert code == 1
    assert len(errors) == 1
    assert errors[0].startswith("misspelt.py:5: error: Module has no attribute \"rank_leader\"")


def test_correct_names_pass_mypy_strict(tmp_path: Path) -> None:
    code, errors = _mypy(tmp_path, {"names.py": (
        "import interessent\n"
        "from interessent import Workspace, draft, parse_period, rank_leaders\n\n\n"
        "def run(ws: Workspace) -> None:\n"
        "    rank_leaders(ws)\n"
        "    draft(ws, 'dialogmote')\n"
        "    print(parse_period('2026').start, interessent.Period)\n")})
    assert (code, errors) == (0, [])


def test_the_lazy_names_still_load_at_run_time() -> None:
    assert interessent.rank_leaders.__module__ == "interessent.graph.leaders"
    with pytest.raises(AttributeError, match=r"^module 'interessent' has no attribute "
                                             r"'rank_leader'$"):
        interessent.rank_leader  # type: ignore[attr-defined]  # noqa: B018


# --- formats are Literal types, options keyword-only ----------------------------------------

WRONG_CALLS = """\
import io

import interessent
from interessent.graph import write_graph
from interessent.periods import parse_date
from interessent.report import default_path, write_report


def wrong(ws: interessent.Workspace, year: interessent.Period) -> None:
    interessent.draft(ws, "dialogmote", fmt="pdf")
    write_report(ws, year, fmt="pdf")
    interessent.export(ws, "stakeholders", io.StringIO(), fmt="xml")
    write_graph(ws, io.BytesIO(), fmt="dot")
    interessent.export(ws, "stakeholders", "csv", io.StringIO())
    parse_date("2026-01-01", "day")
    default_path(ws, year, year.end, "md")
"""

RIGHT_CALLS = """\
import io

import interessent
from interessent.graph import write_graph
from interessent.periods import parse_date
from interessent.report import default_path, write_report


def right(ws: interessent.Workspace, year: interessent.Period) -> None:
    interessent.draft(ws, "dialogmote", fmt="docx")
    write_report(ws, year, fmt="md")
    interessent.export(ws, "stakeholders", io.StringIO(), fmt="json")
    write_graph(ws, io.BytesIO(), fmt="gexf")
    interessent.export(ws, "stakeholders", io.StringIO())
    parse_date("2026-01-01", field="day")
    default_path(ws, year, as_of=year.end, fmt="md")
"""


def test_mypy_strict_refuses_a_wrong_format_and_an_option_given_by_position(
        tmp_path: Path) -> None:
    code, errors = _mypy(tmp_path, {"wrong.py": WRONG_CALLS, "right.py": RIGHT_CALLS},
                         config=WHOLE)
    assert code == 1
    assert all(line.startswith("wrong.py:") for line in errors), errors
    lines = {int(line.split(":")[1]) for line in errors}
    # the seven calls of wrong() are lines 10 to 16, each refused
    assert lines == set(range(10, 17))
    expected = {10: "Literal['md', 'txt', 'html', 'eml', 'docx']",
                11: "Literal['html', 'md', 'docx']", 12: "Literal['csv', 'json']",
                13: "Literal['graphml', 'gexf']", 14: "Too many positional arguments",
                15: "Too many positional arguments", 16: "Too many positional arguments"}
    for line, text in expected.items():
        assert any(e.startswith(f"wrong.py:{line}:") and text in e for e in errors), line


#: The format parameters of the public functions, and the runtime tuple their type spells.
FORMAT_TYPES = {
    "LetterFormat": drafting.FORMATS,
    "ReportFormat": report.FORMATS,
    "ExportFormat": exporting.FORMATS,
    "GraphFormat": ("graphml", "gexf"),
}

#: Modules whose ``__all__`` is public API.
PUBLIC = ("interessent", "interessent.coverage", "interessent.drafting", "interessent.graph",
          "interessent.importing", "interessent.privacy", "interessent.registry",
          "interessent.report", "interessent.policy", "interessent.exporting",
          "interessent.plan", "interessent.plan_check", "interessent.periods",
          "interessent.risk", "interessent.workspace")

#: What a public function may take by position: its subject (the workspace, the period,
#: the id, the file …). Everything else is keyword-only.
SUBJECTS = {"ws", "period", "id", "kind", "template", "path", "file", "rows", "out", "event",
            "text", "plan", "source", "stakeholder", "name", "leaders", "stem", "ext", "day",
            "store", "s", "cell", "graph", "p", "report", "root", "score", "value"}


def _public_functions() -> Iterator[tuple[str, Callable[..., object]]]:
    seen: set[int] = set()
    for module_name in PUBLIC:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value) and id(value) not in seen:
                seen.add(id(value))
                yield f"{value.__module__}.{name}", value


def test_the_walk_finds_the_public_functions() -> None:
    found = dict(_public_functions())
    assert {"interessent.drafting.run.draft", "interessent.exporting.export",
            "interessent.graph.network.write_graph",
            "interessent.periods.parse_date"} <= set(found)


def test_every_format_parameter_is_a_literal_type() -> None:
    for alias, formats in FORMAT_TYPES.items():
        module = {"LetterFormat": drafting, "ReportFormat": report, "ExportFormat": exporting,
                  "GraphFormat": graph}[alias]
        assert typing.get_args(getattr(module, alias)) == tuple(formats)
    typed = []
    for name, function in _public_functions():
        for parameter in inspect.signature(function).parameters.values():
            if parameter.name in ("fmt", "format"):
                annotation = str(parameter.annotation).removesuffix(" | None")
                assert annotation in FORMAT_TYPES, (name, parameter.annotation)
                typed.append(name.rsplit(".", 1)[1])
    # draft, notify, letter_context, template_source, write_report, render_report,
    # default_path, export, write_graph: nine functions take a format
    assert sorted(typed) == ["default_path", "draft", "export", "letter_context", "notify",
                             "render_report", "template_source", "write_graph",
                             "write_report"]


def test_only_a_functions_subject_is_positional() -> None:
    positional: dict[str, list[str]] = {}
    for name, function in _public_functions():
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
                positional.setdefault(parameter.name, []).append(name)
    assert set(positional) <= SUBJECTS, {k: v for k, v in positional.items()
                                         if k not in SUBJECTS}
    for option in ("fmt", "field", "as_of", "groups", "force", "signer", "topic"):
        assert option not in positional
