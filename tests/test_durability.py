"""Nothing lost, proven on real SQLite files and real processes (issue 6 item 3).

Two processes writing at once, a process killed with SIGKILL inside its write
transaction, a full disk, a read-only workspace, an I/O error, and an online backup
taken while another process writes. Each ends in success or one clear ``Error:`` line,
never a traceback or a "database is locked", and the database holds all of a write or
none of it (``PRAGMA integrity_check`` says ok).

PostgreSQL's counterparts are in ``tests/test_postgresql.py``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interessent import (
    Interaction,
    InvalidInput,
    Stakeholder,
    StoreError,
    Workspace,
    init_workspace,
)
from interessent.importing import import_file
from interessent.store import Store

pytestmark = pytest.mark.sqlite_only(reason="SQLite's files, locks and pragmas under stress")

CLI = [sys.executable, "-c", "from interessent.cli import main; main()"]


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "INTERESSENT_DB"}
    env.update(extra or {})
    return env


def cli(*args: object, env: dict[str, str] | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """The real command line in a process of its own."""
    return subprocess.run([*CLI, *map(str, args)], env=_env(env), capture_output=True,
                          text=True, timeout=timeout)


def start(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([*CLI, *map(str, args)], env=_env(env), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def one_clear_error(stderr: str, start_of_message: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith(f"Error: {start_of_message}"), stderr
    assert "database is locked" not in stderr


def people_csv(path: Path, n: int, prefix: str = "p") -> Path:
    """``n`` stakeholders with a few groups and tags each: a file that takes a while."""
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("id,name,email,groups,tags,notes\n")
        for i in range(n):
            f.write(f"{prefix}{i},Person {i},{prefix}{i}@example.no,befolkningen,"
                    f"t{i % 50}|u{i % 7},{'notat ' * 20}\n")
    return path


def dump(db: Path) -> list[str]:
    """The whole database as SQL, read with plain sqlite3 (the WAL included)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def integrity(db: Path) -> list[tuple[Any, ...]]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


def count(db: Path, table: str) -> int:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def ids(db: Path, table: str) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {r[0] for r in conn.execute(f"SELECT id FROM {table}")}


def wait_for_wal(db: Path, proc: subprocess.Popen[str], size: int, limit: float = 120) -> bool:
    """Until the write-ahead log has grown past ``size`` bytes (the process is writing
    inside its transaction); False when the process ended first."""
    wal = db.with_name(db.name + "-wal")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        with contextlib.suppress(FileNotFoundError):
            if wal.stat().st_size > size:
                return True
        time.sleep(0.01)
    raise AssertionError(f"the write-ahead log did not grow past {size} bytes")


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    """A workspace folder with two people in it, every connection closed."""
    root = tmp_path / "ws"
    with init_workspace(root) as w:
        w.store._add_stakeholder(Stakeholder("kari", "Kari Nes", groups=("befolkningen",)))
        w.store._add_stakeholder(Stakeholder("ola", "Ola Ås"))
    return root


# --- two writers --------------------------------------------------------------------------


@pytest.mark.parametrize("timeout_ms", [200, None], ids=["short-timeout", "default-timeout"])
def test_importing_and_logging_at_once(ws: Path, tmp_path: Path, timeout_ms: int | None) -> None:
    """One process imports 60,000 rows while another logs meetings one after another.
    With the default 10 s busy timeout both succeed; with 200 ms one of them gets the
    clear busy error while the other holds the write lock. Every write that succeeded
    is complete, none that failed left anything."""
    db = ws / "interessent.db"
    big = people_csv(tmp_path / "big.csv", 60_000)
    env = {"INTERESSENT_BUSY_TIMEOUT_MS": str(timeout_ms)} if timeout_ms else {}
    importer = start("-w", ws, "import", "stakeholders", big, env=env)
    logs: list[tuple[str, subprocess.CompletedProcess[str]]] = []
    # one meeting after another while the import runs, until one after it went through
    for n in range(12):
        lid, finished = f"L{n}", importer.poll() is not None
        logs.append((lid, cli("-w", ws, "log", "meeting", "--id", lid, "--date", "2026-03-01",
                              "--with", "kari", "--topic", "Samtidig", env=env)))
        if finished and logs[-1][1].returncode == 0:
            break
    out, err = importer.communicate(timeout=300)

    outcomes = [("import", subprocess.CompletedProcess([], importer.returncode, out, err)),
                *logs]
    for _name, done in outcomes:
        assert done.returncode in (0, 1), done.stderr
        if done.returncode:
            one_clear_error(done.stderr, "the database is busy (another process is writing); "
                                         "try again")
        else:
            assert "Traceback" not in done.stderr
    assert integrity(db) == [("ok",)]
    assert count(db, "stakeholders") == 2 + (60_000 if importer.returncode == 0 else 0)
    assert count(db, "stakeholder_tags") == (120_000 if importer.returncode == 0 else 0)
    logged = {lid for lid, done in logs if done.returncode == 0}
    assert ids(db, "interactions") == logged
    assert count(db, "interaction_participants") == len(logged)
    if timeout_ms is None:
        assert [done.returncode for _, done in outcomes] == [0] * len(outcomes)
    else:
        assert any(done.returncode for _, done in outcomes), "no writer met the other's lock"


# --- SIGKILL ------------------------------------------------------------------------------


def test_sigkill_in_the_middle_of_an_import_leaves_the_database_as_it_was(
    ws: Path, tmp_path: Path
) -> None:
    db = ws / "interessent.db"
    big = people_csv(tmp_path / "big.csv", 60_000)
    before = dump(db)
    for _attempt in range(3):
        proc = start("-w", ws, "import", "stakeholders", big)
        # the import has written megabytes inside its transaction, and is not done
        if wait_for_wal(db, proc, 2 * 2**20):
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
            if proc.returncode == -signal.SIGKILL:
                break
        proc.communicate(timeout=300)
        pytest.fail("the import finished before it could be killed: make the file bigger")
    wal = db.with_name(db.name + "-wal")
    assert wal.stat().st_size > 2 * 2**20  # the killed transaction's pages are in the log
    assert integrity(db) == [("ok",)]
    assert dump(db) == before
    # and the workspace works on: the same import now goes through
    done = cli("-w", ws, "import", "stakeholders", big)
    assert done.returncode == 0, done.stderr
    assert count(db, "stakeholders") == 60_002


# --- disk full, read-only, I/O errors -----------------------------------------------------


@contextlib.contextmanager
def tmpfs(mountpoint: Path, size: str) -> Iterator[Path]:
    """A small memory file system mounted at ``mountpoint`` (root only)."""
    mountpoint.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                           str(mountpoint)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mountpoint
    finally:
        subprocess.run(["umount", "-l", str(mountpoint)], check=False)


def test_a_full_disk_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    """A real full disk: the workspace on a 2 MB file system, an import that needs 10."""
    big = people_csv(tmp_path / "big.csv", 25_000)
    with tmpfs(tmp_path / "small", "2m") as disk:
        ws = disk / "ws"
        assert cli("init", ws).returncode == 0
        db = ws / "interessent.db"
        before = dump(db)
        done = cli("-w", ws, "import", "stakeholders", big)
        assert done.returncode == 1
        one_clear_error(done.stderr, "the disk is full, nothing was written")
        assert integrity(db) == [("ok",)]
        assert dump(db) == before
        # what fits still goes in
        small = people_csv(tmp_path / "small.csv", 10, prefix="s")
        assert cli("-w", ws, "import", "stakeholders", small).returncode == 0
        assert count(db, "stakeholders") == 10


def test_a_database_at_its_size_limit_is_full_too(ws: Path, tmp_path: Path) -> None:
    """SQLite's max_page_count makes the database itself full (SQLITE_FULL) in the
    middle of the write; the library raises StoreError and keeps nothing."""
    from sqlalchemy import event

    db = ws / "interessent.db"
    before = dump(db)
    with Workspace(ws) as w:
        store = w.store
        store.engine.dispose()

        @event.listens_for(store.engine, "connect")
        def _limit(dbapi_conn: Any, _record: Any) -> None:
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 100}")

        with pytest.raises(StoreError, match="the disk is full, nothing was written"):
            import_file(w, "stakeholders", people_csv(tmp_path / "s.csv", 20_000))
    assert integrity(db) == [("ok",)]
    assert dump(db) == before


def test_an_injected_io_error_is_a_clear_error_and_writes_nothing(
    ws: Path, tmp_path: Path
) -> None:
    """The disk fails after the stakeholders are written, before their tags are."""
    from sqlalchemy import event

    db = ws / "interessent.db"
    before = dump(db)
    failed: list[str] = []
    with Workspace(ws) as w:

        @event.listens_for(w.store.engine, "do_executemany")
        def _fail(cursor: Any, statement: str, parameters: Any, context: Any) -> None:
            if "stakeholder_tags" in statement:
                failed.append(statement)
                raise sqlite3.OperationalError("disk I/O error")

        with pytest.raises(StoreError, match="I/O error, nothing was written"):
            import_file(w, "stakeholders", people_csv(tmp_path / "s.csv", 1_000))
        assert failed  # the stakeholders themselves had been inserted
        assert w.store.counts()["stakeholders"] == 2
    assert integrity(db) == [("ok",)]
    assert dump(db) == before


def test_a_read_only_database_is_a_clear_error_and_still_reads(ws: Path) -> None:
    """Opened read-only (SQLite's mode=ro, as root's chmod would not stop a write)."""
    db = ws / "interessent.db"
    before = dump(db)
    url = f"sqlite:///file:{db}?mode=ro&uri=true"
    listed = cli("-w", ws, "--db", url, "stakeholder", "list", "--format", "csv")
    assert listed.returncode == 0, listed.stderr
    assert "kari" in listed.stdout
    for args in (["log", "meeting", "--with", "kari", "--date", "2026-03-01"],
                 ["stakeholder", "add", "Per Li"]):
        done = cli("-w", ws, "--db", url, *args)
        assert done.returncode == 1
        one_clear_error(done.stderr, "the database is read-only, nothing was written")
    assert dump(db) == before


def test_a_workspace_on_a_read_only_file_system(ws: Path, tmp_path: Path) -> None:
    """The workspace folder on a file system mounted read-only: the database is read
    (opened read-only, as its WAL files cannot be made beside it), and a write is one
    clear error; nothing changes."""
    with tmpfs(tmp_path / "media", "8m") as disk:
        copy = disk / "ws"
        subprocess.run(["cp", "-a", str(ws), str(copy)], check=True)
        before = dump(copy / "interessent.db")
        remount = subprocess.run(["mount", "-o", "remount,ro", str(disk)],
                                 capture_output=True, text=True, check=False)
        if remount.returncode != 0:
            pytest.skip(f"cannot remount read-only: {remount.stderr.strip()}")
        done = cli("-w", copy, "log", "meeting", "--with", "kari", "--date", "2026-03-01")
        assert done.returncode == 1
        one_clear_error(done.stderr, "the database is read-only, nothing was written")
        listed = cli("-w", copy, "stakeholder", "list", "--format", "json")
        assert listed.returncode == 0, listed.stderr
        assert "kari" in {s["id"] for s in json.loads(listed.stdout)}
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        assert dump(copy / "interessent.db") == before


def test_a_file_that_is_not_a_database(ws: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"SQLite format 2\0" + os.urandom(8192))
    done = cli("-w", ws, "--db", f"sqlite:///{junk}", "stakeholder", "list")
    assert done.returncode == 1
    one_clear_error(done.stderr, "the database file is damaged or not a database")


def test_a_busy_timeout_that_is_not_a_number(ws: Path) -> None:
    done = cli("-w", ws, "stakeholder", "list", env={"INTERESSENT_BUSY_TIMEOUT_MS": "soon"})
    assert done.returncode == 1
    one_clear_error(done.stderr, "INTERESSENT_BUSY_TIMEOUT_MS must be a whole number")


# --- backup -------------------------------------------------------------------------------

WRITER = """
import datetime as dt, sys, time
from pathlib import Path
from interessent import Interaction, Workspace
stop = Path(sys.argv[2])
with Workspace(sys.argv[1]) as ws:
    for i in range(100_000):
        if stop.exists():
            break
        ws.store._add_interaction(Interaction(
            f"W{i:05d}", dt.date(2026, 1, 1) + dt.timedelta(days=i % 365), "meeting",
            participants=("kari", "ola"), groups=("befolkningen",), topic="t" * 500))
    print(i, flush=True)
"""


def test_backup_while_another_process_writes(ws: Path, tmp_path: Path) -> None:
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(ws), str(stop)],
                              env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    copies: list[Path] = []
    try:
        db = ws / "interessent.db"
        wait_for_wal(db, writer, 0)
        for n in range(2):
            copy = tmp_path / f"copy{n}.db"
            done = cli("-w", ws, "backup", copy)
            assert done.returncode == 0, done.stderr
            assert done.stdout.startswith(f"Backed up to {copy}: 2 stakeholders")
            assert "integrity check ok" in done.stdout
            copies.append(copy)
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    written = int(out.split()[-1])
    seen = []
    for copy in copies:
        assert integrity(copy) == [("ok",)]
        assert not list(tmp_path.glob(f".{copy.name}*"))  # no temporary left behind
        with Store.for_path(copy) as store:
            logged = store.interactions()
        # one consistent snapshot: whole interactions, each with both participants
        assert all(i.participants == ("kari", "ola") for i in logged)
        seen.append(len(logged))
        assert count(copy, "interaction_participants") == 2 * len(logged)
    assert seen == sorted(seen) and seen[-1] <= written
    assert seen[-1] > 0


def test_backup_refuses_to_overwrite_and_replaces_with_force(ws: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from interessent.cli import cli as command

    def run(*args: object) -> tuple[int, str]:
        result = CliRunner().invoke(command, ["-w", str(ws), "backup", *map(str, args)])
        return result.exit_code, result.stderr

    copy = tmp_path / "copy.db"
    copy.write_text("mine")
    code, err = run(copy)
    assert code == 1
    one_clear_error(err, f"{copy} exists; choose a new name or replace it (--force)")
    assert copy.read_text() == "mine"
    assert run(copy, "--force") == (0, "")
    assert integrity(copy) == [("ok",)]
    with Store.for_path(copy) as store:
        assert [s.id for s in store.stakeholders()] == ["kari", "ola"]
    code, err = run(tmp_path)
    assert code == 2 and "is a directory" in err  # click's usage error
    for target, message in ((tmp_path / "no" / "x.db", f"the folder {tmp_path / 'no'} does not"),
                            (ws / "interessent.db", "the backup cannot replace the database")):
        code, err = run(target, "--force")
        assert code == 1
        one_clear_error(err, message)


def test_backup_through_the_library(tmp_path: Path) -> None:
    with Store.for_path(tmp_path / "a.db") as store:
        store._add_interaction(Interaction("m1", dt.date(2026, 1, 5), "meeting",
                                          groups=("befolkningen",)))
        target = store.backup(tmp_path / "b.db")
        assert target == tmp_path / "b.db"
        with pytest.raises(InvalidInput, match="exists"):
            store.backup(target)
    with Store.for_path(target) as copy:
        assert [i.id for i in copy.interactions()] == ["m1"]
    with Store("sqlite:///:memory:") as memory:
        memory._add_stakeholder(Stakeholder("kari", "Kari"))
        with Store.for_path(memory.backup(tmp_path / "c.db")) as copy:
            assert [s.id for s in copy.stakeholders()] == ["kari"]
