"""Rankings kept in the database under the change counter (interessent.store.cache).

Seen from the outside: a second process ranks from what the first kept, and computes
nothing; a write by another process (the command line) moves the counter, drops what was
kept, and the next ranking sees the write; an erasure leaves nothing cached about the
person, not even in the file's free pages. On SQLite and on PostgreSQL (with
``INTERESSENT_TEST_PG``). How often the network was read and ranked is counted in the
child process by wrapping the two functions that do it; the database is never mocked.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from interessent import Relationship, Stakeholder, Workspace
from interessent.graph import rank_leaders
from interessent.graph.centrality import Method
from interessent.privacy import erase
from interessent.workspace import PLAN_FILE

CLI = [sys.executable, "-c", "from interessent.cli import main; main()"]
DAY = dt.date(2026, 6, 1)

#: A child process that ranks, counting how often the network was read and ranked.
RANK = """
import datetime as dt, json, sys
import interessent.graph.leaders as leaders
from interessent.workspace import Workspace

computed = []
for name in ("_read_network", "_load"):  # the sparse path, and the networkx path
    real = getattr(leaders, name)
    def counting(*args, _real=real, _name=name, **kwargs):
        computed.append(_name)
        return _real(*args, **kwargs)
    setattr(leaders, name, counting)
root, url, method, day = sys.argv[1:5]
ws = Workspace(root, db=url)
ranked = leaders.rank_leaders(ws, as_of=dt.date.fromisoformat(day), method=method)
print(json.dumps({"computed": len(computed), "leaders": [s.id for s in ranked]}))
ws.close()
"""

PLAN = """\
[programme]
name = "Hurtigbuffer"
municipality = "Testvik kommune"
start = 2026-01-01
organisation = "programmet"

[[groups]]
key = "folk"
name = "Folk"
number = 1

[[roles]]
key = "daglig_leder"
name = "Daglig leder"
programme = true
"""


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "INTERESSENT_DB"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rank.db'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture
def root(tmp_path: Path, url: str) -> Iterator[Path]:
    """A workspace with a star: ``hub`` knows a, b, c and d; e knows only d; f, g, h, i and
    j know nobody yet. Eleven people and the programme: every person is ranked, ``hub``
    first (most ties, and on every path between its four)."""
    folder = tmp_path / "ws"
    folder.mkdir()
    (folder / PLAN_FILE).write_text(PLAN, encoding="utf-8")
    ws = Workspace(folder, db=url)
    people = [Stakeholder("programmet", "Programmet AS", kind="organisation"),
              *(Stakeholder(i, f"Person {i.upper()}", groups=("folk",))
                for i in ("hub", *"abcdefghij"))]
    ties = [Relationship("hub", x, "knows", strength=0.8) for x in ("a", "b", "c", "d")]
    ties.append(Relationship("d", "e", "knows", strength=0.5))
    with ws.store.write() as s:
        ws.store._save_stakeholders(s, people)
        ws.store._save_relationships(s, ties)
    ws.close()
    yield folder


def rank_in_child(root: Path, url: str, method: str, day: dt.date = DAY) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", RANK, str(root), url, method, day.isoformat()],
                          env=_env(), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def e_knows_five(folder: Path, dates: str = ",,") -> Path:
    """Ties from e to f, g, h, i and j: six ties against hub's four, and e on every path
    between the five and the rest, so e comes first while they are active."""
    ties = folder / "ties.csv"
    ties.write_text("source,target,kind,strength,start,end\n" + "".join(
        f"e,{x},knows,0.9{dates}\n" for x in "fghij"), encoding="utf-8")
    return ties


def cli(root: Path, url: str, *args: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*CLI, "-w", str(root), "--db", url, *map(str, args)], env=_env(),
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done


def state(url: str) -> tuple[int, list[tuple[str, int]]]:
    """(the change counter, the kept rankings' keys and counters), read over SQL."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            counter = conn.execute(text("SELECT change_counter FROM store_state")).scalar_one()
            kept = conn.execute(text("SELECT key, counter FROM rank_cache ORDER BY key")).all()
    finally:
        engine.dispose()
    return int(counter), [(str(k), int(c)) for k, c in kept]


@pytest.mark.parametrize("method", ["auto", "sparse"])
def test_a_second_process_ranks_from_what_the_first_kept(root: Path, url: str,
                                                         method: str) -> None:
    counter, kept = state(url)
    assert kept == []
    first = rank_in_child(root, url, method)
    assert first["computed"] == 1
    assert first["leaders"][0] == "hub"
    assert sorted(first["leaders"]) == sorted([*"abcdefghij", "hub"])  # not the programme
    after, kept = state(url)
    assert after == counter  # keeping a ranking is not a change to the register
    assert kept and all(c == counter for _, c in kept)
    second = rank_in_child(root, url, method)
    assert second == {"computed": 0, "leaders": first["leaders"]}
    # Another day with the same ties active has the same ranking: kept once.
    later = rank_in_child(root, url, method, DAY + dt.timedelta(days=200))
    assert later == {"computed": 0, "leaders": first["leaders"]}


@pytest.mark.parametrize("method", ["auto", "sparse"])
def test_a_write_by_another_process_drops_what_was_kept(root: Path, url: str, tmp_path: Path,
                                                        method: str) -> None:
    rank_in_child(root, url, method)
    counter, kept = state(url)
    assert kept
    cli(root, url, "import", "relationships", e_knows_five(tmp_path))
    after, kept = state(url)
    assert after > counter
    assert kept == []
    again = rank_in_child(root, url, method)
    assert again["computed"] == 1
    assert again["leaders"][0] == "e"


def test_a_workspace_kept_open_sees_another_process_write(root: Path, url: str,
                                                          tmp_path: Path) -> None:
    ws = Workspace(root, db=url)
    try:
        assert rank_leaders(ws, as_of=DAY)[0].id == "hub"
        cli(root, url, "import", "relationships", e_knows_five(tmp_path))
        assert rank_leaders(ws, as_of=DAY)[0].id == "e"
    finally:
        ws.close()


def test_a_tie_that_starts_later_is_ranked_from_its_first_day(root: Path, url: str,
                                                              tmp_path: Path) -> None:
    """Days share a ranking while no tie starts or ends between them: one ranking for each
    span (before September, September, from October), each computed once."""
    cli(root, url, "import", "relationships",
        e_knows_five(tmp_path, ",2026-09-01,2026-09-30"))
    before = rank_in_child(root, url, "auto", dt.date(2026, 8, 31))
    during = rank_in_child(root, url, "auto", dt.date(2026, 9, 1))
    last = rank_in_child(root, url, "auto", dt.date(2026, 9, 30))
    after = rank_in_child(root, url, "auto", dt.date(2026, 10, 1))
    end = rank_in_child(root, url, "auto", dt.date(2026, 12, 31))
    runs = (before, during, last, after, end)
    assert [r["leaders"][0] for r in runs] == ["hub", "e", "e", "hub", "hub"]
    assert [r["computed"] for r in runs] == [1, 1, 0, 1, 0]


@pytest.mark.parametrize("method", ["auto", "sparse"])
def test_erasure_leaves_nothing_cached_about_the_person(root: Path, url: str,
                                                        method: Method) -> None:
    first = rank_in_child(root, url, method)
    assert "e" in first["leaders"]
    counter, kept = state(url)
    assert kept
    blob = _kept_blob(url)
    ws = Workspace(root, db=url)
    try:
        erase(ws, "e")
        after, kept = state(url)
        assert after > counter
        assert kept == []
        assert "e" not in [s.id for s in rank_leaders(ws, as_of=DAY, method=method)]
    finally:
        ws.close()
    if url.startswith("sqlite"):  # nor in the file's free pages or its write-ahead log
        path = Path(url.removeprefix("sqlite:///"))
        for file in (path, Path(f"{path}-wal")):
            if file.exists():
                assert blob[:4096] not in file.read_bytes()


def _kept_blob(url: str) -> bytes:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT data FROM rank_cache ORDER BY length(data) DESC")
                                 ).first()
    finally:
        engine.dispose()
    assert found is not None
    return bytes(found[0])


def test_a_ranking_computed_while_a_write_committed_is_not_kept(url: str) -> None:
    from interessent.store import Store

    store = Store(url)
    try:
        counter = store.change_counter()
        assert counter is not None
        with store.write() as s:
            store._save_stakeholders(s, [Stakeholder("ny", "Ny Person")])
        assert store.change_counter() == counter + 1
        assert not store.keep_cached("stale", counter, b"computed before the write")
        assert store.cached("stale", counter) is None
        assert store.keep_cached("fresh", counter + 1, b"after")
        assert store.cached("fresh", counter + 1) == b"after"
    finally:
        store.close()


def test_a_steady_view_reads_the_counter_once_and_anew_after_its_own_write(
        url: str) -> None:
    """Within ``Store.steady()`` (one report) the counter is read at the first question
    only: another process's write is not seen until it ends, this store's own write is
    seen at once, and a thread started by ``meanwhile`` shares the same reading."""
    from interessent.store import Store

    store = Store(url)
    other = create_engine(url)
    try:
        with store.write() as s:
            store._save_stakeholders(s, [Stakeholder("en", "En Person")])
        before = store.change_counter()
        assert before is not None

        def bump() -> None:  # a write by someone else: the counter moves by one
            with other.begin() as conn:
                conn.execute(text("UPDATE store_state SET change_counter = change_counter + 1"))

        with store.steady():
            assert store.change_counter() == before
            bump()
            assert store.change_counter() == before  # read once: the same view
            assert store.meanwhile(store.change_counter)() == before
            with store.steady():  # nested: the outer reading holds
                assert store.change_counter() == before
            with store.write() as s:  # its own write: read anew
                store._save_stakeholders(s, [Stakeholder("to", "To Personer")])
            assert store.change_counter() == before + 2
            bump()
            assert store.change_counter() == before + 2
        assert store.change_counter() == before + 3  # outside it, every question reads
    finally:
        other.dispose()
        store.close()


def test_ranking_while_another_process_writes_does_not_wait_for_it(root: Path,
                                                                   url: str) -> None:
    """A writer in the middle of its transaction (holding SQLite's write lock, or the
    counter's row lock as a PostgreSQL writer does at its end): the ranking is computed and
    returned; keeping it gives up after a moment instead of waiting for the writer."""
    engine = create_engine(url)
    try:
        with engine.connect() as writer:
            if url.startswith("sqlite"):
                writer.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                writer.exec_driver_sql("UPDATE store_state SET change_counter = change_counter")
            result = rank_in_child(root, url, "auto")
            assert result["computed"] == 1
            assert result["leaders"][0] == "hub"
            writer.rollback()
        assert state(url)[1] == []  # nothing kept
    finally:
        engine.dispose()
