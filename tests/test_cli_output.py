"""Tables (Rich), colour only on a terminal without NO_COLOR, and import progress."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from interessent.cli import _data, _output, cli

ANSI = "\x1b["
AS_OF = ["--as-of", "2026-11-26"]


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def osen(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("output") / "osen"
    result = CliRunner().invoke(cli, ["init", str(root), "--example", "osen"])
    assert result.exit_code == 0, result.output
    yield root


@pytest.fixture
def terminal_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": "1"}])
def test_tables_written_to_a_pipe_have_no_escape_codes(osen: Path, env: dict[str, str]) -> None:
    for args in (["coverage", "--period", "2026", *AS_OF], ["leaders", "--explain", *AS_OF],
                 ["stakeholder", "list"], ["due", *AS_OF]):
        result = CliRunner().invoke(cli, ["-w", str(osen), *args], env=env)
        assert result.exit_code == 0, result.output
        assert ANSI not in result.output, args


def test_colour_only_on_a_terminal_and_without_no_color(terminal_env: None) -> None:
    assert _output.colour_wanted(Terminal(), {})
    assert not _output.colour_wanted(Terminal(), {"NO_COLOR": "1"})
    assert _output.colour_wanted(Terminal(), {"NO_COLOR": ""})  # set but empty: no-color.org
    assert not _output.colour_wanted(io.StringIO(), {})

    from rich.table import Table

    def printed(environ: dict[str, str]) -> str:
        stream = Terminal()
        table = Table("id", "name")
        table.add_row("kari-aune", "Kari Aune")
        _output.console(stream, environ).print(table)
        return stream.getvalue()

    assert ANSI in printed({})  # bold headers on a terminal
    assert ANSI not in printed({"NO_COLOR": "1"})  # not even bold


def test_a_piped_table_keeps_long_rows_whole_and_unpadded(osen: Path) -> None:
    out = CliRunner().invoke(cli, ["-w", str(osen), "coverage", "--period", "2026", *AS_OF],
                             catch_exceptions=False).output
    line = next(x for x in out.splitlines() if x.startswith("virkemiddelapparatet"))
    assert ("Trøndelag County Council, Innovation Norway and the Ministry of Local Government "
            "and Modernisation") in line  # the plan's English name, whole
    assert all(x == x.rstrip() for x in out.splitlines())
    header = next(x for x in out.splitlines() if x.startswith("key"))
    assert header.split() == ["key", "name", "reached", "direct", "network", "leaders",
                              "touchpoints", "score"]


def test_a_narrow_console_wraps_text_and_keeps_figures(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{"id": "B1", "title": "Nyhetssaker i lokalmedia hver måned", "expected": 11,
             "due": "2026-12-31", "explanation": "at least 1 per month, in oppstartsåret " * 3}]
    columns = ["id", "title", "expected", "due", "explanation"]
    monkeypatch.setattr(_output, "PIPE_WIDTH", 80)
    runner = CliRunner()

    @click.command()
    def show() -> None:
        _output.emit(rows, columns, "table")

    lines = runner.invoke(show, catch_exceptions=False).output.splitlines()
    assert max(len(x) for x in lines) <= 80
    assert lines[0].split() == columns
    assert "2026-12-31" in lines[2] and "11" in lines[2]  # figures stay on the first line
    assert len(lines) > 3  # the explanation wrapped

    monkeypatch.setattr(_output, "PIPE_WIDTH", 40)  # too narrow for a table: one block a row
    lines = runner.invoke(show, catch_exceptions=False).output.splitlines()
    assert max(len(x) for x in lines) <= 40
    assert lines[0].split() == ["id", "B1"]
    assert ["expected", "11"] in [x.split() for x in lines]


def test_cell_text_is_not_read_as_rich_markup() -> None:
    @click.command()
    def show() -> None:
        _output.emit([{"name": "[bold]Ola[/bold] :smile:"}], ["name"], "table")

    assert "[bold]Ola[/bold] :smile:" in CliRunner().invoke(show).output


def test_json_and_csv_are_not_tables(osen: Path) -> None:
    for fmt in ("json", "csv"):
        out = CliRunner().invoke(cli, ["-w", str(osen), "stakeholder", "list", "--format", fmt],
                                 env={"COLUMNS": "20"}).output
        assert "─" not in out
        assert ANSI not in out


def test_an_empty_listing_says_so_on_stderr() -> None:
    @click.command()
    def show() -> None:
        _output.emit([], ["id"], "table", empty="no stakeholders match")

    result = CliRunner().invoke(show)
    assert result.stdout == "" and result.stderr == "no stakeholders match\n"


def test_help_does_not_import_rich() -> None:
    code = "import sys, interessent.cli; print('rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_import_progress_only_on_a_terminal_and_for_large_files(
    monkeypatch: pytest.MonkeyPatch, terminal_env: None
) -> None:
    stream = Terminal()
    monkeypatch.setattr(sys, "stderr", stream)
    small = _output.ProgressBar("Importing small.csv", more_than=2 * _data.PROGRESS_ROWS)
    with small:
        for done in range(0, 2 * _data.PROGRESS_ROWS + 1, 100):
            small(done, 2 * _data.PROGRESS_ROWS)
    assert stream.getvalue() == ""

    large = _output.ProgressBar("Importing large.csv", more_than=2 * _data.PROGRESS_ROWS)
    with large:
        for done in range(0, 4001, 1000):
            large(done, 4000)
    assert "Importing large.csv" in stream.getvalue()

    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with _output.ProgressBar("Importing large.csv", more_than=1000) as progress:
        progress(0, 4000)
        progress(4000, 4000)
    assert piped.getvalue() == ""


def test_a_large_import_through_a_pipe_prints_only_the_summary(
    osen: Path, tmp_path: Path
) -> None:
    rows = "\n".join(f"Person {i};befolkningen" for i in range(_data.PROGRESS_ROWS + 100))
    big = tmp_path / "mange.csv"
    big.write_text("navn;målgrupper\n" + rows + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(osen), "import", "stakeholders", str(big),
                                      "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.startswith("mange.csv: 600 rows (600 added, 0 updated)")


@pytest.mark.parametrize("width", [200, 80])
def test_long_listings_keep_the_layout_without_rich(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    rows = [{"id": f"b{i}", "title": "Nyhetssaker i lokalmedia hver måned", "expected": 10 + i,
             "due": "2026-12-31", "explanation": "at least 1 per month, in oppstartsåret " * i}
            for i in range(5)]
    columns = ["id", "title", "expected", "due", "explanation"]
    monkeypatch.setattr(_output, "PIPE_WIDTH", width)

    @click.command()
    def show() -> None:
        _output.emit(rows, columns, "table")

    by_rich = CliRunner().invoke(show, catch_exceptions=False).output
    monkeypatch.setattr(_output, "RICH_ROWS", 0)
    by_lines = CliRunner().invoke(show, catch_exceptions=False).output
    assert by_lines == by_rich
