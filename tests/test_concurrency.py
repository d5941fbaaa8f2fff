"""Writers at once lose nothing (issue 11 item 1), on SQLite and on PostgreSQL.

Four real processes, released at the same moment, each make eight writes through the
command line (click's runner inside the process, so that the writes, not the start-up of
Python, overlap): ``log`` without an id, ``stakeholder add`` of one and the same name,
``stakeholder add`` of one and the same id, and imports without ids. Every write a
process reported as done is in the database, exactly as that process wrote it; no id is
reported twice; nothing was overwritten. Before the fix, two processes logging six
meetings each reported twelve and stored nine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from interessent import (
    ImportRejected,
    NotFound,
    Stakeholder,
    Workspace,
    edit_stakeholder,
    import_rows,
    init_workspace,
)

PROCESSES = 4
WRITES = 8

#: One worker: waits for the start signal, then runs the CLI once per argument list and
#: prints what each run reported, as JSON.
WORKER = r"""
import json, os, sys, time
from pathlib import Path
from click.testing import CliRunner
from interessent.cli import cli

root, go, ready, jobs = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
runner = CliRunner()
ready.touch()
while not go.exists():
    time.sleep(0.002)
results = []
for args in json.loads(jobs):
    done = runner.invoke(cli, ["-w", root, *args])
    results.append({"args": args, "code": done.exit_code, "out": done.stdout,
                    "err": done.stderr, "crash": repr(done.exception)
                    if done.exception and not isinstance(done.exception, SystemExit) else None})
print(json.dumps(results))
"""


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def register(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A workspace folder and its database URL: a SQLite file, or a PostgreSQL database of
    its own on the test server. It holds Kari Nes, whom meetings are logged with."""
    root = tmp_path / "ws"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    else:
        url = f"sqlite:///{root / 'interessent.db'}"
    with init_workspace(root, db=url) as ws:
        ws.store._add_stakeholder(Stakeholder("kari", "Kari Nes", groups=("befolkningen",)))
    yield root, url


def run_at_once(root: Path, url: str, tmp_path: Path,
                jobs: list[list[list[str]]]) -> list[list[dict[str, Any]]]:
    """Start one process per list of CLI argument lists, release them together, and
    return what each run reported."""
    env = {**os.environ, "INTERESSENT_DB": url}
    go = tmp_path / "go"
    procs = []
    for n, mine in enumerate(jobs):
        ready = tmp_path / f"ready-{n}"
        procs.append((ready, subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), str(go), str(ready), json.dumps(mine)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    deadline = time.monotonic() + 120
    while not all(ready.exists() for ready, _ in procs):
        assert time.monotonic() < deadline, "the workers did not start"
        assert all(p.poll() is None for _, p in procs), [p.communicate() for _, p in procs]
        time.sleep(0.01)
    go.touch()
    reports = []
    for _, proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        reports.append(json.loads(out))
    for run in (r for report in reports for r in report):
        assert run["crash"] is None, run
        assert "Traceback" not in run["err"], run
    return reports


def rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql))]
    finally:
        engine.dispose()


def test_logging_at_once_loses_nothing_and_reuses_no_id(
        register: tuple[Path, str], tmp_path: Path) -> None:
    root, url = register
    jobs = [[["log", "meeting", "--date", "2026-03-02", "--with", "kari",
              "--topic", f"møte {p}-{w}"] for w in range(WRITES)] for p in range(PROCESSES)]

    reports = run_at_once(root, url, tmp_path, jobs)

    reported: dict[str, str] = {}  # id → the topic of the meeting its process logged
    for report in reports:
        for run in report:
            assert run["code"] == 0, run["err"]
            found = re.fullmatch(r"Logged (K2026-\d{4}): meeting on 2026-03-02\n", run["out"])
            assert found, run["out"]
            assert found[1] not in reported, f"{found[1]} was reported twice"
            reported[found[1]] = run["args"][-1]
    # 4 processes × 8 meetings = 32, numbered K2026-0001 … K2026-0032 in some order
    assert sorted(reported) == [f"K2026-{n:04d}" for n in range(1, 33)]
    stored = dict(rows(url, "SELECT id, topic FROM interactions"))
    assert stored == reported
    # each meeting has its one participant, Kari
    assert rows(url, "SELECT count(*) FROM interaction_participants") == [(32,)]


def test_adding_the_same_name_at_once_makes_one_record_each(
        register: tuple[Path, str], tmp_path: Path) -> None:
    root, url = register
    jobs = [[["stakeholder", "add", "Åse Ørnes", "--notes", f"lagt inn av {p}-{w}"]
             for w in range(WRITES)] for p in range(PROCESSES)]

    reports = run_at_once(root, url, tmp_path, jobs)

    reported: dict[str, str] = {}  # id → the notes its process gave
    for report in reports:
        for run in report:
            assert run["code"] == 0, run["err"]
            found = re.fullmatch(r"Added (ase-ornes(?:-\d+)?) \(Åse Ørnes\)\n", run["out"])
            assert found, run["out"]
            assert found[1] not in reported, f"{found[1]} was reported twice"
            reported[found[1]] = run["args"][-1]
    # 32 adds of one name: ase-ornes, then ase-ornes-2 … ase-ornes-32
    assert sorted(reported) == sorted(["ase-ornes", *(f"ase-ornes-{n}" for n in range(2, 33))])
    stored = dict(rows(url, "SELECT id, notes FROM stakeholders WHERE id <> 'kari'"))
    assert stored == reported


def test_adding_one_id_at_once_succeeds_once_and_overwrites_nothing(
        register: tuple[Path, str], tmp_path: Path) -> None:
    root, url = register
    jobs = [[["stakeholder", "add", f"Person {p}", "--id", "felles", "--notes", f"fra {p}"],
             ["stakeholder", "add", f"Person {p}", "--id", "Kari", "--notes", f"fra {p}"]]
            for p in range(PROCESSES)]

    reports = run_at_once(root, url, tmp_path, jobs)

    runs = [run for report in reports for run in report]
    won = [run for run in runs if run["code"] == 0]
    assert len(won) == 1  # one of the four adds of 'felles'; 'Kari' is kari, taken
    assert won[0]["args"][4] == "felles"
    for run in runs:
        if run["code"]:
            assert run["code"] == 1
            assert re.fullmatch(r"Error: stakeholder (felles|Kari): id: a stakeholder with id "
                                r"'(felles|kari)' already exists; edit it instead\n",
                                run["err"]), run["err"]
    who = won[0]["args"][2]
    assert rows(url, "SELECT id, name, notes FROM stakeholders ORDER BY id") == [
        ("felles", who, won[0]["args"][-1]), ("kari", "Kari Nes", None)]


def test_importing_lists_without_ids_at_once(register: tuple[Path, str],
                                             tmp_path: Path) -> None:
    """Interactions without ids each get their own number; a list of people without ids
    imported four times at once is, by the duplicate policy, one set of people updated."""
    root, url = register
    meetings, people = [], tmp_path / "folk.csv"
    people.write_text("name,notes\nOla Ås,første\nSiri Brekken,andre\n", encoding="utf-8")
    for p in range(PROCESSES):
        path = tmp_path / f"moter-{p}.csv"
        path.write_text("date,kind,participants,topic\n" + "".join(
            f"2026-04-0{1 + w % 9},meeting,kari,fil {p} rad {w}\n" for w in range(WRITES)),
            encoding="utf-8")
        meetings.append(path)
    jobs = [[["import", "interactions", str(meetings[p])],
             ["import", "stakeholders", str(people)]] for p in range(PROCESSES)]

    reports = run_at_once(root, url, tmp_path, jobs)

    for report in reports:
        assert [run["code"] for run in report] == [0, 0], report
    # 4 files × 8 rows = 32 interactions, K2026-0001 … K2026-0032, each row once
    stored = rows(url, "SELECT id, topic FROM interactions")
    assert sorted(i for i, _ in stored) == [f"K2026-{n:04d}" for n in range(1, 33)]
    assert sorted(t for _, t in stored) == sorted(
        f"fil {p} rad {w}" for p in range(PROCESSES) for w in range(WRITES))
    # Kari, and Ola and Siri once each: the second import of a list is an update
    assert rows(url, "SELECT id, name FROM stakeholders ORDER BY id") == [
        ("kari", "Kari Nes"), ("ola-as", "Ola Ås"), ("siri-brekken", "Siri Brekken")]


def test_editing_one_stakeholder_at_once_changes_only_the_fields_each_gave(
        register: tuple[Path, str], tmp_path: Path) -> None:
    """One process renames Kari eight times while three others set her notes, e-mail and
    phone eight times each: an edit writes only what it was given, so none of them puts
    back a name it read before another process changed it."""
    root, url = register
    fields = [("--name", "Kari Nes {w}"), ("--notes", "notat {w}"),
              ("--email", "kari{w}@example.no"), ("--phone", "9000000{w}")]
    jobs = [[["stakeholder", "edit", "kari", option, value.format(w=w)] for w in range(WRITES)]
            for option, value in fields]

    reports = run_at_once(root, url, tmp_path, jobs)

    for report in reports:
        assert [run["code"] for run in report] == [0] * WRITES, report
    # each field holds the last value its own process wrote (w = 7)
    assert rows(url, "SELECT id, name, notes, email, phone FROM stakeholders") == [
        ("kari", "Kari Nes 7", "notat 7", "kari7@example.no", "90000007")]


def test_an_edit_never_makes_a_stakeholder(workspace: Workspace) -> None:
    """An edit checks, in its own transaction, that the stakeholder still exists: one
    erased or renamed meanwhile is not made again from the edit's fields."""
    with pytest.raises(ImportRejected, match="no stakeholder with id 'ghost'"):
        import_rows(workspace, "stakeholders", [{"id": "ghost", "name": "", "notes": "x"}],
                    mode="edit")
    assert workspace.store.counts()["stakeholders"] == 0
    with pytest.raises(NotFound):
        edit_stakeholder(workspace, "ghost", notes="x")
