"""Workspace folders with any name keep their database inside them (issue 11, item 3).

A URL pasted together from a path let ``?`` start a query and ``%20`` mean a space:
``init "Osen?a"`` wrote a file named ``Osen`` beside the folder, and a second workspace
then opened the first one's people. Every workspace here is made side by side in one
parent, through the command line, with a name that broke or could break such a URL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from interessent import Workspace, init_workspace
from interessent.cli import cli
from interessent.store import Store, sqlite_url

#: Names that mean something in a URL (query, fragment, escapes) or to a shell or a
#: command line, and the plain name several of them would be cut down to.
NAMES = ("Osen", "Osen?a", "Osen#a", "Osen%a", "Osen%20a", "Osen a", "Osen%3Fa",
         "Osen?mode=ro", "æøå", "-osen", "file:osen")


def run(*args: str | Path) -> Result:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _ids(root: Path) -> list[str]:
    out = run("-w", root, "stakeholder", "list", "--format", "csv").stdout
    return [line.split(",")[0] for line in out.splitlines()[1:]]


@pytest.fixture
def side_by_side(tmp_path: Path) -> Path:
    """One parent with a workspace for each of :data:`NAMES`, each holding one person
    named after its folder."""
    parent = tmp_path / "parent"
    parent.mkdir()
    for n, name in enumerate(NAMES):
        run("init", "--", parent / name)
        run("-w", parent / name, "stakeholder", "add", f"Person {n}", "--id", f"p{n}")
    return parent


def test_each_workspace_has_its_own_people(side_by_side: Path) -> None:
    for n, name in enumerate(NAMES):
        assert _ids(side_by_side / name) == [f"p{n}"], name  # one person each, its own


@pytest.mark.sqlite_only(reason="looks for the database files on disk")
def test_each_database_sits_in_its_folder_and_nothing_is_written_beside_them(
        side_by_side: Path) -> None:
    assert sorted(p.name for p in side_by_side.iterdir()) == sorted(NAMES)
    for name in NAMES:
        folder = side_by_side / name
        assert sorted(p.name for p in folder.iterdir() if p.is_file()) == [
            "interessent.db", "interessent.toml"], name
        with sqlite3.connect(folder / "interessent.db") as db:
            rows = db.execute("SELECT id FROM stakeholders").fetchall()
        assert rows == [(f"p{NAMES.index(name)}",)], name
    # nothing above the parent either: the test's folder holds the parent alone
    assert [p.name for p in side_by_side.parent.iterdir()] == ["parent"]


@pytest.mark.sqlite_only(reason="looks for the database file on disk")
@pytest.mark.parametrize("name", ["x?y.db", "x#y.db", "x%20y.db", "x y.db", "ø%ø.db"])
def test_a_store_opens_the_file_it_was_given(tmp_path: Path, name: str) -> None:
    with Store.for_path(tmp_path / name) as store:
        store.counts()
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))] \
        == [name]
    assert sqlite_url(tmp_path / name).database == str(tmp_path / name)


@pytest.mark.sqlite_only(reason="checks the database file of an example copied with init")
def test_an_example_copied_to_an_odd_name_keeps_its_data_inside(tmp_path: Path) -> None:
    root = tmp_path / "Osen?kopi"
    init_workspace(root, example="osen").close()
    assert [p.name for p in tmp_path.iterdir()] == ["Osen?kopi"]
    with Workspace(root) as ws:
        assert ws.store.counts()["stakeholders"] == 205  # the example's stakeholders.csv rows
