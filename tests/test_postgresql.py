"""The same register on a real PostgreSQL server (issue 6 item 2).

The whole suite runs on PostgreSQL with ``pytest --backend postgresql``; these tests add
what only a server shows: the same answers as SQLite from the same data, the migrations
on an empty and on an old database, two processes writing at once, a client killed
with SIGKILL in the middle of an import, and the backup advice. They need a server
(``INTERESSENT_TEST_PG``; ``.ci/run`` starts one) and are skipped without one outside CI.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from sqlalchemy import create_engine, text

from interessent import (
    Interaction,
    Stakeholder,
    StoreError,
    Workspace,
    check_commitments,
    due,
    export,
    init_workspace,
    migrations,
    rank_leaders,
    structural_risks,
)
from interessent.coverage import coverage
from interessent.periods import Period
from interessent.store import SCHEMA_HEAD, Base, Store

CLI = [sys.executable, "-c", "from interessent.cli import main; main()"]
AS_OF = dt.date(2026, 11, 26)
YEAR = Period.year(2026)


def cli(*args: object, db: str | None = None,
        timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "INTERESSENT_DB"}
    if db:
        env["INTERESSENT_DB"] = db
    return subprocess.run([*CLI, *map(str, args)], env=env, capture_output=True, text=True,
                          timeout=timeout)


def start(*args: object, db: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "INTERESSENT_DB"}
    env["INTERESSENT_DB"] = db
    return subprocess.Popen([*CLI, *map(str, args)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def scalar(url: str, sql: str) -> object:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def people_csv(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("id,name,groups,tags,notes\n")
        for i in range(n):
            f.write(f"p{i},Person {i},befolkningen,t{i % 50}|u{i % 7},{'notat ' * 20}\n")
    return path


# --- the same answers ---------------------------------------------------------------------


@pytest.fixture
def twins(tmp_path: Path, pg_url: str) -> Iterator[tuple[Workspace, Workspace]]:
    """The Osen example twice: in a SQLite file and on the PostgreSQL server."""
    lite = init_workspace(tmp_path / "lite", example="osen",
                          db=f"sqlite:///{tmp_path / 'lite.db'}")
    server = init_workspace(tmp_path / "server", example="osen", db=pg_url)
    try:
        yield lite, server
    finally:
        lite.close()
        server.close()


@pytest.mark.postgresql
def test_the_osen_example_gives_the_same_answers_on_both(
    twins: tuple[Workspace, Workspace],
) -> None:
    lite, server = twins
    assert server.store.engine.dialect.name == "postgresql"
    assert server.store.counts() == lite.store.counts() != {}
    assert server.store.stakeholders() == lite.store.stakeholders()
    assert server.store.relationships() == lite.store.relationships()
    assert server.store.interactions() == lite.store.interactions()
    for kind in ("stakeholders", "relationships", "interactions"):
        for fmt in ("csv", "json"):
            a, b = io.StringIO(), io.StringIO()
            export(lite, kind, a, fmt=fmt)
            export(server, kind, b, fmt=fmt)
            assert b.getvalue() == a.getvalue(), (kind, fmt)
    for answer in (lambda ws: rank_leaders(ws, as_of=AS_OF),
                   lambda ws: check_commitments(ws, YEAR, as_of=AS_OF),
                   lambda ws: coverage(ws, YEAR, as_of=AS_OF),
                   lambda ws: due(ws, as_of=AS_OF),
                   lambda ws: structural_risks(ws, YEAR, as_of=AS_OF)):
        # sums may be added up in another order: equal to the last few bits
        assert rounded(answer(server)) == rounded(answer(lite))


def rounded(value: object) -> object:
    """``value`` with every float rounded to 9 places, attrs classes as dicts."""
    if attrs.has(type(value)):
        fields = attrs.asdict(value, recurse=False)  # type: ignore[arg-type]  # attrs.has above
        return {type(value).__name__: rounded(fields)}
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [rounded(v) for v in value]
    if isinstance(value, float):
        return round(value, 9)
    return value


@pytest.mark.postgresql
def test_drafting_and_logging_on_postgresql(twins: tuple[Workspace, Workspace],
                                            tmp_path: Path) -> None:
    from interessent.drafting import draft

    lite, server = twins
    runs = [draft(ws, "dialogmote", groups=["naeringslivet"], write=False, as_of=AS_OF)
            for ws in (lite, server)]
    assert [letter.content for letter in runs[1].letters] == [
        letter.content for letter in runs[0].letters]
    assert runs[1].letters
    recorded = draft(server, "dialogmote", groups=["naeringslivet"], record=True,
                     out=tmp_path / "letters", as_of=AS_OF)
    assert len(list((tmp_path / "letters").iterdir())) == len(recorded.letters)
    assert server.store.counts()["interactions"] == lite.store.counts()["interactions"] + len(
        recorded.letters)
    # ids come from the server's sequences, after bulk inserts too
    server.store._add_stakeholder(Stakeholder("ny-person", "Ny Person"))
    server.store._add_interaction(Interaction("K2026-9999", AS_OF, "meeting",
                                             participants=("ny-person",)))
    assert server.store.stakeholder("ny-person").name == "Ny Person"


# --- migrations ---------------------------------------------------------------------------


@pytest.mark.postgresql
def test_migrations_build_exactly_the_orm_schema_on_postgresql(pg_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with Store(pg_url) as store:
        assert store.revision() == SCHEMA_HEAD
        with store.engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


@pytest.mark.postgresql
def test_an_old_postgresql_database_upgrades_with_its_data(pg_url: str) -> None:
    engine = create_engine(pg_url)
    migrations.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO stakeholders (id, name, kind, language, created_at, updated_at) "
            "VALUES ('ola', 'Ola Nordmann', 'person', 'nn', '2026-01-01', '2026-01-01')"))
    engine.dispose()
    with Store(pg_url) as store:
        assert store.revision() == SCHEMA_HEAD
        [ola] = store.stakeholders()
        assert (ola.id, ola.opted_out, ola.restricted) == ("ola", False, False)


@pytest.mark.postgresql
def test_two_people_opening_a_new_register_at_once(pg_url: str, tmp_path: Path) -> None:
    """Both processes find an empty database and migrate it; one waits for the other."""
    root = tmp_path / "ws"
    init_workspace(root, db=f"sqlite:///{tmp_path / 'unused.db'}").close()
    procs = [start("-w", root, "stakeholder", "list", "--format", "json", db=pg_url)
             for _ in range(2)]
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert out.strip() == "[]"
    assert scalar(pg_url, "SELECT version_num FROM alembic_version") == SCHEMA_HEAD


# --- writers at once, a killed client -----------------------------------------------------


@pytest.fixture
def server_ws(tmp_path: Path, pg_url: str) -> Path:
    root = tmp_path / "ws"
    with init_workspace(root, db=pg_url) as ws:
        ws.store._add_stakeholder(Stakeholder("kari", "Kari Nes", groups=("befolkningen",)))
    return root


@pytest.mark.postgresql
def test_importing_and_logging_at_once_on_postgresql(server_ws: Path, tmp_path: Path,
                                                     pg_url: str) -> None:
    """On a server writers do not lock each other out: both succeed."""
    importer = start("-w", server_ws, "import", "stakeholders",
                     people_csv(tmp_path / "big.csv", 30_000), db=pg_url)
    logs = [cli("-w", server_ws, "log", "meeting", "--id", f"L{i}", "--date", "2026-03-01",
                "--with", "kari", db=pg_url) for i in range(3)]
    _out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0, err
    for done in logs:
        assert done.returncode == 0, done.stderr
    assert scalar(pg_url, "SELECT count(*) FROM stakeholders") == 30_001
    assert scalar(pg_url, "SELECT count(*) FROM interactions") == 3


@pytest.mark.postgresql
def test_a_client_killed_in_the_middle_of_an_import_leaves_nothing(
    server_ws: Path, tmp_path: Path, pg_url: str
) -> None:
    big = people_csv(tmp_path / "big.csv", 60_000)
    before = scalar(pg_url, "SELECT count(*) FROM stakeholders")
    database = pg_url.rsplit("/", 1)[1]
    proc = start("-w", server_ws, "import", "stakeholders", big, db=pg_url)
    # wait until the import is inserting rows inside its transaction
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        writing = scalar(pg_url, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                                 f"'{database}' AND xact_start IS NOT NULL "
                                 "AND query ILIKE 'INSERT INTO stakeholder%'")
        if writing:
            break
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    for _ in range(200):  # the server notices the dropped connection and rolls back
        if not scalar(pg_url, "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                              f"'{database}' AND pid <> pg_backend_pid()"):
            break
        time.sleep(0.05)
    assert scalar(pg_url, "SELECT count(*) FROM stakeholders") == before
    assert scalar(pg_url, "SELECT count(*) FROM stakeholder_tags") == 0


# --- backup, errors -----------------------------------------------------------------------


def _pg_dump() -> str | None:
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"))
    return str(candidates[-1]) if candidates else None


@pytest.mark.postgresql
def test_backup_on_postgresql_shows_the_pg_dump_command_that_works(
    server_ws: Path, tmp_path: Path, pg_url: str
) -> None:
    target = tmp_path / "register.dump"
    done = cli("-w", server_ws, "backup", target, db=pg_url)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("Error: interessent backs up SQLite files only; back up a "
                                  "PostgreSQL register with pg_dump")
    command = done.stderr.split("pg_dump --format", 1)[1].split(" (restore", 1)[0]
    assert "+psycopg" not in command
    assert not target.exists()
    pg_dump = _pg_dump()
    if pg_dump is None:
        pytest.skip("pg_dump is not installed")
    subprocess.run(f"{pg_dump} --format{command}", shell=True, check=True, timeout=120)
    listing = subprocess.run([str(Path(pg_dump).with_name("pg_restore")), "--list",
                              str(target)], capture_output=True, text=True, check=True)
    assert "TABLE DATA public stakeholders" in listing.stdout


def test_an_unreachable_server_is_one_clear_error_without_the_password(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    init_workspace(root, db=f"sqlite:///{tmp_path / 'unused.db'}").close()
    url = "postgresql+psycopg://kari:hemmelig@127.0.0.1:9/register"
    done = cli("-w", root, "stakeholder", "list", db=url)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: cannot connect to the database server: "
                                  "postgresql+psycopg://kari:***@127.0.0.1:9/register")
    assert "hemmelig" not in done.stderr and "Traceback" not in done.stderr
    with pytest.raises(StoreError, match="cannot connect") as caught:
        Store(url)
    assert "hemmelig" not in str(caught.value)


@pytest.mark.postgresql
def test_a_missing_database_and_a_refused_write_are_clear_errors(pg_url: str) -> None:
    missing = pg_url.rsplit("/", 1)[0] + "/no_such_register"
    with pytest.raises(StoreError, match="the database does not exist on the server"):
        Store(missing)
    with Store(pg_url) as store:
        engine = create_engine(pg_url)
        with engine.begin() as conn:
            database = pg_url.rsplit("/", 1)[1]
            conn.execute(text(f'ALTER DATABASE "{database}" SET default_transaction_read_only'
                              " = on"))
        engine.dispose()
        store.engine.dispose()
        with pytest.raises(StoreError, match="the database is read-only, nothing was written"):
            store._add_stakeholder(Stakeholder("per", "Per"))
