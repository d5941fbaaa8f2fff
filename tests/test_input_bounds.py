"""Dates and numbers out of range, deeply nested plans and files that never end (issue 11,
items 5, 9 and 12).

Every date a person enters lies from 1900-01-01 to 2200-12-31 (``periods.check_date``),
every number within its field's range (``bounds.check_number``, the plan's
``_NUMBER_BOUNDS``, the CLI's ``Count``); ``privacy retention --confirm`` never judges a
day to come. Whatever is refused is one ``Error:`` line naming the field, and nothing is
written.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import update

from conftest import PLAN
from interessent import (
    ImportRejected,
    InvalidInput,
    PlanError,
    Stakeholder,
    Workspace,
    import_file,
    parse_date,
    parse_period,
)
from interessent.cli import cli
from interessent.periods import FIRST_DAY, LAST_DAY, Period
from interessent.plan import load_plan, parse_plan
from interessent.privacy import audit_log, retention
from interessent.store import ST

MakeWorkspace = Callable[[str], Workspace]
END = 'cadence = "half_year"'  # the last line of the test plan: tables go after it


def run(ws: Workspace | Path, *args: str) -> Result:
    root = ws.root if isinstance(ws, Workspace) else ws
    return CliRunner().invoke(cli, ["-w", str(root), *args])


def one_error_line(result: Result) -> str:
    """Exit 1, one ``Error:`` line on standard error, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, \
        result.stderr
    return result.stderr.strip()


def state(ws: Workspace) -> tuple[dict[str, int], int]:
    """What a write would change: the row counts and the audit entries."""
    return ws.store.counts(), len(audit_log(ws))


@pytest.fixture
def ws(make_workspace: MakeWorkspace) -> Workspace:
    """The test plan with a retention period of 12 months, and Kari and Ola registered."""
    ws = make_workspace("ws")
    ws.plan_path.write_text(PLAN.replace('language = "nn"\n',
                                         'language = "nn"\nretention_months = 12\n'),
                            encoding="utf-8")
    ws.store._add_stakeholder(Stakeholder("kari", "Kari Nes", groups=("befolkningen",)))
    ws.store._add_stakeholder(Stakeholder("ola", "Ola Ås", groups=("befolkningen",)))
    return ws


# --- retention never judges a day to come -------------------------------------------------


def test_retention_refuses_to_erase_as_of_a_day_to_come(ws: Workspace) -> None:
    with ws.store.write() as s:  # both registered long ago, neither heard of since
        s.execute(update(ST).values(created_at=dt.datetime(2020, 1, 1)))
    before = state(ws)
    future = (dt.date.today() + dt.timedelta(days=36 * 365)).isoformat()
    line = one_error_line(run(ws, "privacy", "retention", "--as-of", future, "--confirm"))
    assert line == (f"Error: as-of day: {future} is after today ({dt.date.today()}); people "
                    "are erased only when their time has come (a dry run may look ahead)")
    assert state(ws) == before
    assert ws.store.pk_ids(["kari", "ola"]) == ["kari", "ola"]
    with pytest.raises(InvalidInput, match="after today"):
        retention(ws, as_of=dt.date.today() + dt.timedelta(days=1), confirm=True)
    assert state(ws) == before

    # a dry run may look ahead; it erases nothing
    preview = run(ws, "privacy", "retention", "--as-of", future, "--format", "csv")
    assert preview.exit_code == 0, preview.output
    assert preview.stdout.splitlines()[1:] == ["kari,Kari Nes,2020-01-01,",
                                               "ola,Ola Ås,2020-01-01,"]
    assert state(ws) == before

    # today is allowed: registered 2020-01-01, 12 months: both past the period
    done = run(ws, "privacy", "retention", "--confirm")
    assert done.exit_code == 0, done.output
    assert ws.store.pk_ids(["kari", "ola"]) == []


# --- dates --------------------------------------------------------------------------------


def test_the_range_of_dates_is_one_rule() -> None:
    assert (dt.date(1900, 1, 1), dt.date(2200, 12, 31)) == (FIRST_DAY, LAST_DAY)
    assert parse_date("1900-01-01") == FIRST_DAY
    assert parse_date("31.12.2200") == LAST_DAY
    assert parse_period("2200-Q4") == Period(dt.date(2200, 10, 1), LAST_DAY)
    assert parse_period("1900") == Period(FIRST_DAY, dt.date(1900, 12, 31))
    for text in ("1899-12-31", "2201-01-01", "9999-12-31", "0001-01-01", "31.12.9999"):
        with pytest.raises(InvalidInput, match=r"^day: .* is outside the dates accepted "
                                               r"\(1900-01-01 to 2200-12-31\)$"):
            parse_date(text, field="day")
    for text in ("2201", "1899-H2", "9999-12", "2026-01-01..9999-12-31", "1066-10-14..2026"):
        with pytest.raises(InvalidInput, match=r"^span: .*outside the dates accepted"):
            parse_period(text, field="span")


@pytest.mark.parametrize(("args", "field"), [
    (["due", "--as-of", "9999-12-31"], "--as-of"),
    (["coverage", "--as-of", "1899-12-31"], "--as-of"),
    (["leaders", "--as-of", "31.12.9999"], "--as-of"),
    (["coverage", "--period", "2201"], "--period"),
    (["coverage", "--period", "2026-01-01..9999-12-31"], "--period"),
    (["risks", "--period", "1800-Q1"], "--period"),
    (["report", "--as-of", "9999-12-31"], "--as-of"),
    (["log", "meeting", "--date", "9999-12-31", "--with", "kari"], "--date"),
    (["log", "meeting", "--date", "01.01.1800", "--with", "kari"], "--date"),
    (["privacy", "consent", "kari", "--basis", "samtykke", "--source", "skjema",
      "--given", "1899-12-31"], "--given"),
    (["privacy", "consent", "kari", "--basis", "samtykke", "--source", "skjema",
      "--expires", "2201-01-01"], "--expires"),
    (["privacy", "withdraw", "kari", "--date", "9999-12-31"], "--date"),
    (["privacy", "retention", "--as-of", "1800-01-01"], "as-of day"),
])
def test_a_date_out_of_range_on_the_command_line_names_its_field(
    ws: Workspace, args: list[str], field: str
) -> None:
    before = state(ws)
    line = one_error_line(run(ws, *args))
    assert line.startswith(f"Error: {field}: "), line
    assert "outside the dates accepted (1900-01-01 to 2200-12-31)" in line
    assert state(ws) == before


def test_a_date_out_of_range_in_an_imported_cell_names_row_and_column(
    ws: Workspace, tmp_path: Path
) -> None:
    before = state(ws)
    contacts = tmp_path / "kontakter.csv"
    contacts.write_text("dato;type;deltakere\n9999-12-31;meeting;kari\n31.12.1899;meeting;kari\n"
                        "2026-03-05;meeting;kari\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file(ws, "interactions", contacts)
    assert [str(p) for p in rejected.value.problems] == [
        "row 2: dato: 9999-12-31 is outside the dates accepted (1900-01-01 to 2200-12-31)",
        "row 3: dato: 1899-12-31 is outside the dates accepted (1900-01-01 to 2200-12-31)",
    ]  # row 4 is good, and still not imported: all or nothing
    ties = tmp_path / "relasjoner.csv"
    ties.write_text("source,target,kind,start,end\nkari,ola,member_of,1800-01-01,\n"
                    "ola,kari,member_of,2026-01-01,2201-01-01\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file(ws, "relationships", ties)
    assert [(p.row, p.message.split(":")[0]) for p in rejected.value.problems] == [
        (2, "start"), (3, "end")]

    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.append(["date", "kind", "participants"])
    sheet.append([dt.date(9999, 12, 31), "meeting", "kari"])
    sheet.append([dt.datetime(1850, 6, 1, 12, 0), "meeting", "kari"])
    book.save(tmp_path / "kontakter.xlsx")
    with pytest.raises(ImportRejected) as rejected:
        import_file(ws, "interactions", tmp_path / "kontakter.xlsx")
    assert [p.row for p in rejected.value.problems] == [2, 3]
    assert all("outside the dates accepted" in p.message for p in rejected.value.problems)
    assert state(ws) == before


@pytest.mark.parametrize(("old", "new", "path"), [
    ("start = 2026-01-01", "start = 9999-12-31", "programme.start"),
    ("start = 2026-01-01", "start = 2026-01-01\nend = 1899-12-31", "programme.end"),
    ("start = 2026-01-01", 'start = "2201-01-01"', "programme.start"),
    (END, END + '\n\n[[phases]]\nkey = "a"\nname = "A"\n'
     'start = 2026-01-01\nend = 2201-01-01', "phases[0].end"),
])
def test_a_date_out_of_range_in_the_plan_names_its_key(old: str, new: str, path: str) -> None:
    with pytest.raises(PlanError) as refused:
        parse_plan(PLAN.replace(old, new, 1))
    assert [(p.path, "outside the dates accepted" in p.message)
            for p in refused.value.problems] == [(path, True)]


# --- numbers ------------------------------------------------------------------------------


DIGITS_35 = "9" * 35


@pytest.mark.parametrize(("old", "new", "path", "message"), [
    ('language = "nn"', 'language = "nn"\nretention_months = 24400',
     "programme.retention_months", "must be at most 1,200, not 24,400"),
    ('language = "nn"', f'language = "nn"\nretention_months = {DIGITS_35}',
     "programme.retention_months", "must be at most 1,200, not a number of 35 digits"),
    ('language = "nn"', 'language = "nn"\nretention_months = 0',
     "programme.retention_months", "must be at least 1, not 0"),
    ("number = 1\n", "number = -5\n", "groups[0].number", "must not be negative, not -5"),
    ('kind = "direct"', 'kind = "direct"\npriority = 1000000000000',
     "channels[0].priority", "must be at most 1,000, not 1,000,000,000,000"),
    ("programme = true", "programme = true\nweight = 1e300", "roles[0].weight",
     "must be at most 1,000, not 1e+300"),
    ('channel = "media"', 'channel = "media"\ncount = 10000000000', "commitments[0].count",
     "must be at most 1,000,000, not 10,000,000,000"),
    ('channel = "media"', 'channel = "media"\ncount = 0', "commitments[0].count",
     "must be at least 1, not 0"),
    (END, END + '\n\n[coverage]\ndirect = inf', "coverage.direct",
     "inf is not a number from 0 to 1,000"),
    (END, END + '\n\n[coverage]\nnetwork = nan',
     "coverage.network", "nan is not a number from 0 to 1,000"),
    (END, END + '\n\n[leaders]\ntop = 0', "leaders.top",
     "must be at least 1, not 0"),
    (END, END + f'\n\n[leaders]\ntop = {DIGITS_35}', "leaders.top",
     "must be at most 100,000, not a number of 35 digits"),
    (END, END + '\n\n[leaders]\npagerank = -0.5',
     "leaders.pagerank", "must not be negative, not -0.5"),
])
def test_a_number_out_of_range_in_the_plan_names_its_key(
    old: str, new: str, path: str, message: str
) -> None:
    text = PLAN.replace(old, new, 1)
    assert text != PLAN
    with pytest.raises(PlanError) as refused:
        parse_plan(text)
    assert [(p.path, p.message) for p in refused.value.problems] == [(path, message)]


def test_a_huge_retention_period_is_refused_before_it_counts_back(ws: Workspace) -> None:
    ws.plan_path.write_text(PLAN.replace('language = "nn"\n', 'language = "nn"\n'
                                         'retention_months = 24400\n'), encoding="utf-8")
    result = run(ws, "privacy", "retention")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"Error: {ws.plan_path}: 1 problem in the plan",
        "  programme.retention_months (line 6): must be at most 1,200, not 24,400"]


@pytest.mark.parametrize(("args", "message"), [
    (["privacy", "audit", "--limit", "99999999999999999999"],
     "--limit: must be at most 1,000,000, not a number of 20 digits"),
    (["privacy", "audit", "--limit", "0"], "--limit: must be at least 1, not 0"),
    (["leaders", "--top", "0"], "--top: must be at least 1, not 0"),
    (["leaders", "--top", "100001"], "--top: must be at most 100,000, not 100,001"),
    (["leaders", "--top", "ten"], "--top: 'ten' is not a whole number"),
    (["leaders", "--top", "9" * 5000], "--top: must be from 1 to 100000, not a number of "
                                       "5000 digits"),
    (["due", "--contacts", "10001"], "--contacts: must be at most 10,000, not 10,001"),
    (["due", "--within", "99999999999999d"], "--within: at most 3660 days (ten years), "
                                             "not 99999999999999d"),
    (["due", "--within", "523w"], "--within: at most 3660 days (ten years), not 523w"),
    (["stakeholder", "add", "Per Berg", "--influence", "6"],
     "--influence: must be at most 5, not 6"),
    (["stakeholder", "edit", "kari", "--interest", "99999999999999999999999999999999999"],
     "--interest: must be at most 5, not a number of 35 digits"),
])
def test_a_number_out_of_range_on_the_command_line_names_its_option(
    ws: Workspace, args: list[str], message: str
) -> None:
    before = state(ws)
    assert one_error_line(run(ws, *args)) == f"Error: {message}"
    assert state(ws) == before


def test_the_bounds_are_inclusive(ws: Workspace) -> None:
    assert run(ws, "privacy", "audit", "--limit", "1000000").exit_code == 0
    assert run(ws, "due", "--within", "3660", "--contacts", "10000").exit_code == 0
    assert run(ws, "leaders", "--top", "100000").exit_code == 0


def test_numbers_out_of_range_in_imported_cells(ws: Workspace, tmp_path: Path) -> None:
    before = state(ws)
    people = tmp_path / "folk.csv"
    people.write_text(f"name,influence,interest\nPer,{DIGITS_35},3\nSiri,2,6\nTor,0,\n"
                      "Unn,5,1\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file(ws, "stakeholders", people)
    assert [str(p) for p in rejected.value.problems] == [
        f"row 2: influence: {int(DIGITS_35)} is not from 1 to 5",
        "row 3: interest: 6 is not from 1 to 5",
        "row 4: influence: 0 is not from 1 to 5",
    ]
    ties = tmp_path / "relasjoner.csv"
    ties.write_text("source;target;kind;strength\nkari;ola;member_of;1e999\n"
                    "ola;kari;member_of;2\nkari;ola;works_for;-0,5\nola;kari;works_for;0,5\n",
                    encoding="utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file(ws, "relationships", ties)
    assert [(p.row, p.message.split(":")[0]) for p in rejected.value.problems] == [
        (2, "strength"), (3, "strength"), (4, "strength")]
    assert state(ws) == before


# --- plans nested too deeply --------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "a = " + "[" * 5000 + "]" * 5000,
    "a = " + "{b = " * 3000 + "1" + "}" * 3000,
    "[programme]\ngoals = " + "[" * 100_000,
])
def test_a_plan_nested_thousands_deep_is_one_plan_error(text: str) -> None:
    with pytest.raises(PlanError) as refused:
        parse_plan(text)
    assert [(p.path, p.message) for p in refused.value.problems] == [
        ("(toml)", "arrays or tables are nested too deeply (at most 16 levels)")]


def test_a_plan_nested_deeper_than_a_plan_ever_is_refused_with_its_key() -> None:
    text = PLAN + "\n[coverage]\ndirect = " + "[" * 40 + "1" + "]" * 40 + "\n"
    with pytest.raises(PlanError) as refused:
        parse_plan(text)
    assert [(p.path, p.message) for p in refused.value.problems] == [
        ("coverage.direct" + "[0]" * 15, "nested more than 16 levels deep")]


def test_a_deep_plan_on_the_command_line_is_one_error(ws: Workspace) -> None:
    ws.plan_path.write_text(PLAN + "x = " + "[" * 20_000 + "]" * 20_000 + "\n",
                            encoding="utf-8")
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "plan", "check"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.splitlines() == [
        f"Error: {ws.plan_path}: 1 problem in the plan",
        "  (toml): arrays or tables are nested too deeply (at most 16 levels)"]


# --- what is not a regular file -----------------------------------------------------------


def cli_process(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, which a hang cannot hold past ``timeout``."""
    return subprocess.run(
        [sys.executable, "-c", "from interessent.cli import main; main()", *map(str, args)],
        capture_output=True, text=True, timeout=timeout, check=False)


def test_a_device_a_pipe_or_a_folder_is_refused_as_a_list(ws: Workspace, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)  # nobody writes to it: opening it to read would wait for ever
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    ws.close()
    for path, what in ((Path("/dev/zero"), "not a regular file"), (fifo, "not a regular file"),
                       (link, "not a regular file"), (Path("/dev/null"), "not a regular file"),
                       (folder, "is a folder, not a file")):
        done = cli_process("-w", ws.root, "import", "stakeholders", path)
        assert done.returncode == 1, (path, done.stderr)
        assert done.stderr.startswith(f"Error: {path} ") and what in done.stderr, done.stderr
        assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    for path in (fifo, link):
        with pytest.raises(InvalidInput, match=f"^{path} is not a regular file"):
            import_file(ws, "stakeholders", path)


def test_a_plan_that_is_a_device_or_a_pipe_is_refused(tmp_path: Path) -> None:
    for name, make in (("zero", lambda p: p.symlink_to("/dev/zero")), ("fifo", os.mkfifo),
                       ("folder", Path.mkdir)):
        root = tmp_path / name
        root.mkdir()
        plan = root / "interessent.toml"
        make(plan)
        with pytest.raises(PlanError) as refused:
            load_plan(plan)
        assert str(refused.value).splitlines() == [
            f"{plan}: 1 problem in the plan",
            "  (file): not a regular file (a folder, a device or a pipe)"]
        done = cli_process("-w", root, "plan", "check")  # no workspace: its plan is no file
        assert done.returncode == 1, done.stderr
        assert done.stderr == (f"Error: {root} is not an interessent workspace (no "
                               "interessent.toml); run 'interessent init DIR' to make one\n")
