"""The library as a library (issue 13, items 1–3): a workspace from values, no
environment variable read by the library, and fresh data in a workspace kept open while
another process writes.

Every expected number is counted by hand from the data made in the test; the comments
show the count.
"""

from __future__ import annotations

import ast
import concurrent.futures
import datetime as dt
import getpass
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from interessent import PlanError, Stakeholder, WorkspaceError
from interessent.cli import cli
from interessent.coverage import coverage
from interessent.drafting import draft
from interessent.errors import InvalidInput, StoreError, TemplateProblem
from interessent.graph import rank_leaders
from interessent.importing import import_rows
from interessent.periods import Period
from interessent.plan import Commitment, Plan, Programme, TargetGroup, load_plan
from interessent.privacy import audit_log, erase
from interessent.registry import add_stakeholder, log_interaction
from interessent.store import AUDIT, Store
from interessent.workspace import PLAN_FILE, Workspace, example_path, init_workspace

SRC = Path(__file__).resolve().parents[1] / "src"
DAY = dt.date(2026, 6, 1)
YEAR = Period.year(2026)

PLAN = """\
[programme]
name = "Verdiprogrammet"
municipality = "Osen kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Folk i Osen"

[[roles]]
key = "leder"
name = "Daglig leder"
programme = true

[[topics]]
key = "daily"
name = "Løpende"

[information]
notify = ["leder"]

[[information.rules]]
topic = "daily"
roles = ["leder"]
"""


def ties(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"source": a, "target": b, "kind": "knows", "strength": "1"} for a, b in pairs]


# --- 1. a workspace from values -----------------------------------------------------------


def test_a_whole_cycle_from_values_in_memory() -> None:
    ws = Workspace.from_plan(PLAN, templates={"hei": "Hei {{ recipient.name }}!"},
                             actor="notatbok")
    try:
        assert ws.folder is None
        assert ws.db_url == "sqlite://"
        for name in ("Anne Aas", "Bjørn Bø", "Cato Dahl", "Dina Eng"):
            add_stakeholder(ws, name=name, groups=["folk"], influence=3)
        add_stakeholder(ws, name="Sjefen", roles=["leder"])
        # a star around Anne, and Dina alone
        import_rows(ws, "relationships", ties(("anne-aas", "bjorn-bo"),
                                              ("anne-aas", "cato-dahl")))
        log_interaction(ws, kind="meeting", date="2026-03-01", participants=["anne-aas"])

        [folk] = coverage(ws, YEAR, as_of=DAY)
        # 4 members; Anne met; Bjørn and Cato know her; Dina neither
        assert (folk.members, folk.reached_directly, folk.reached_through_network) == (4, 1, 2)
        leaders = rank_leaders(ws, as_of=DAY)
        # the programme's own leader is not ranked; Anne holds the star together
        assert leaders[0].id == "anne-aas"
        assert {s.id for s in leaders} == {"anne-aas", "bjorn-bo", "cato-dahl", "dina-eng"}

        run = draft(ws, "hei", groups=["folk"], as_of=DAY, write=False)
        assert sorted(letter.content.splitlines()[-1] for letter in run.letters) == [
            "Hei Anne Aas!", "Hei Bjørn Bø!", "Hei Cato Dahl!", "Hei Dina Eng!"]

        entries = audit_log(ws)
        # 5 stakeholders added, 1 import of ties, 1 interaction logged
        assert len(entries) == 7
        assert {e.actor for e in entries} == {"notatbok"}
    finally:
        ws.close()


def test_a_database_in_memory_lasts_as_long_as_the_workspace_across_threads() -> None:
    with Workspace.from_plan(PLAN) as ws:
        add_stakeholder(ws, name="Anne Aas")
        with concurrent.futures.ThreadPoolExecutor(1) as pool:  # another connection's view
            seen = pool.submit(lambda: [s.id for s in ws.store.stakeholders()]).result()
        assert seen == ["anne-aas"]
        assert ws.store.counts() == {"stakeholders": 1, "relationships": 0,
                                     "interactions": 0}


def test_every_form_of_plan_gives_the_same_plan(tmp_path: Path) -> None:
    import tomllib

    path = tmp_path / "plan.toml"
    path.write_text(PLAN, encoding="utf-8")
    from_text = Workspace.from_plan(PLAN)
    from_path = Workspace.from_plan(path)
    from_mapping = Workspace.from_plan(tomllib.loads(PLAN))
    from_plan = Workspace.from_plan(from_text.plan)
    try:
        plans = [w.plan for w in (from_text, from_path, from_mapping, from_plan)]
        assert all(p == plans[0] for p in plans)
        assert [g.key for g in plans[0].groups] == ["folk"]
        assert from_path.plan.source == str(path)
    finally:
        for w in (from_text, from_path, from_mapping, from_plan):
            w.close()
    with pytest.raises(InvalidInput, match="not int"):
        Workspace.from_plan(42)  # type: ignore[arg-type]


def test_a_plan_built_in_code_is_checked_as_a_file_is() -> None:
    programme = Programme("P", "Osen kommune", dt.date(2026, 1, 1))
    with pytest.raises(PlanError) as caught:
        Plan(programme=programme, commitments=(
            Commitment("B1", "Nyheter", groups=("nowhere",), cadence=None),))
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("commitments[0].groups[0]", "unknown target group 'nowhere' (known: none)"),
        ("commitments[0].cadence",
         "a cadence commitment needs a cadence (month, quarter, …)"),
    ]
    good = Plan(programme=programme, groups=(TargetGroup("folk", "Folk"),))
    with pytest.raises(PlanError) as caught:  # a changed copy is checked too
        attrs.evolve(good, groups=(TargetGroup("Folk!", "Folk"),))
    assert [p.path for p in caught.value.problems] == ["groups[0].key"]
    with pytest.raises(PlanError) as caught:  # the types a file's values must have
        Plan(programme=Programme(5, "Osen\x1b[2J", dt.date(2026, 1, 1)),  # type: ignore[arg-type]
             groups=("folk",))  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == [
        "programme.name", "programme.municipality", "groups[0]"]
    assert "expected text" in caught.value.problems[0].message
    assert "ESC" in caught.value.problems[1].message


def test_a_mapping_with_problems_lists_them_all() -> None:
    with pytest.raises(PlanError) as caught:
        Workspace.from_plan({
            "programme": {"name": "P", "municipality": "M", "start": "2026-13-01"},
            "groups": [{"key": "folk", "name": "Folk", "colour": "red"}],
            "commitments": [{"id": "B1", "title": "t", "groups": ["folk", "bedrifter"],
                             "cadence": "month"}],
        })
    problems = {(p.path, p.message.split(" (")[0]) for p in caught.value.problems}
    assert ("groups[0].colour", "unknown key") in problems
    assert any(path == "programme.start" for path, _ in problems)
    assert len(problems) == 2  # the date and the key first; references only once typed
    with pytest.raises(PlanError) as caught:
        Workspace.from_plan({"programme": {"name": "P", "municipality": "M",
                                           "start": "2026-01-01"},
                             "commitments": [{"id": "B1", "title": "t",
                                              "groups": ["bedrifter"], "cadence": "month"}]})
    assert [p.path for p in caught.value.problems] == ["commitments[0].groups[0]"]
    with pytest.raises(PlanError, match="unknown key"):  # a plan's source is not a key
        Workspace.from_plan(PLAN + 'source = "x"\n')


def test_a_valid_plan_rebuilt_in_code_is_the_same_plan() -> None:
    """No false problem: every value of the Osen plan goes back through the checks."""
    osen = load_plan(example_path("osen") / PLAN_FILE)
    rebuilt = attrs.evolve(osen)
    assert rebuilt == osen
    assert rebuilt.source == osen.source


def test_store_from_an_engine_leaves_the_engine_open(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'own.db'}")
    store = Store(engine, actor="jobb")
    store._add_stakeholder(Stakeholder("anne", "Anne"))
    assert store.counts()["stakeholders"] == 1
    store.close()
    with engine.connect() as conn:  # still open: the store did not dispose of it
        assert conn.execute(text("SELECT count(*) FROM stakeholders")).scalar() == 1
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(select(AUDIT.c.actor)).scalars().all() == ["jobb"]
    again = Store(engine)  # a second store on the same engine: set up once
    assert again.counts()["stakeholders"] == 1
    again.close()
    ws = Workspace.from_plan(PLAN, db=engine)
    assert [s.id for s in ws.store.stakeholders()] == ["anne"]
    ws.close()
    engine.dispose()


def test_from_plan_takes_a_url_object_and_a_templates_folder(tmp_path: Path) -> None:
    folder = tmp_path / "maler"
    folder.mkdir()
    (folder / "takk.j2").write_text("Takk, {{ recipient.name }}.", encoding="utf-8")
    url = make_url(f"sqlite:///{tmp_path / 'r.db'}")
    with Workspace.from_plan(PLAN, db=url, templates=folder) as ws:
        add_stakeholder(ws, name="Anne Aas", groups=["folk"])
        add_stakeholder(ws, name="Sjefen", roles=["leder"])
        run = draft(ws, "takk", stakeholders=["anne-aas"], as_of=DAY, write=False)
        assert run.letters[0].content.splitlines()[-1] == "Takk, Anne Aas."
    assert (tmp_path / "r.db").is_file()
    with pytest.raises(WorkspaceError, match="no such folder of templates"):
        Workspace.from_plan(PLAN, templates=tmp_path / "nowhere")


def test_templates_given_as_text_are_checked() -> None:
    with pytest.raises(InvalidInput, match="not a template name"):
        Workspace.from_plan(PLAN, templates={"../hei": "x"})
    with pytest.raises(InvalidInput, match="Word template is a file"):
        Workspace.from_plan(PLAN, templates={"brev.docx": "x"})
    with pytest.raises(InvalidInput, match="as text"):
        Workspace.from_plan(PLAN, templates={"hei": b"x"})  # type: ignore[dict-item]
    with Workspace.from_plan(PLAN, templates={"hei.xx.j2": "x"}) as ws:
        add_stakeholder(ws, name="Anne Aas")
        with pytest.raises(TemplateProblem, match="not a template name"):
            draft(ws, "hei", stakeholders=["anne-aas"], write=False)


def test_a_workspace_from_values_writes_only_where_it_is_told(tmp_path: Path) -> None:
    with Workspace.from_plan(PLAN, templates={"hei": "Hei {{ recipient.name }}!"}) as ws:
        add_stakeholder(ws, name="Anne Aas", groups=["folk"])
        add_stakeholder(ws, name="Sjefen", roles=["leder"])
        with pytest.raises(WorkspaceError, match="has no folder"):
            draft(ws, "hei", stakeholders=["anne-aas"], as_of=DAY)
        out = tmp_path / "brev"
        run = draft(ws, "hei", stakeholders=["anne-aas"], as_of=DAY, out=out)
        assert [p.name for p in out.iterdir()] == [run.files[0].name]
        assert run.files[0].read_text(encoding="utf-8").endswith("Hei Anne Aas!")
        assert erase(ws, "anne-aas").files == ()  # no folder to search


def test_a_bad_database_says_so_at_once() -> None:
    with pytest.raises(StoreError, match="cannot use database"):
        Workspace.from_plan(PLAN, db="nosuchdialect://x")


# --- 2. no environment variables in the library -------------------------------------------


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    (root / PLAN_FILE).write_text(PLAN, encoding="utf-8")
    return root


@pytest.mark.sqlite_only(reason="compares the folder's SQLite file with another one")
def test_the_library_opens_its_own_database_whatever_interessent_db_says(
        folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "elsewhere.db"
    monkeypatch.setenv("INTERESSENT_DB", f"sqlite:///{other}")
    with Workspace(folder) as ws:
        add_stakeholder(ws, name="Anne Aas")
        assert Path(make_url(ws.db_url).database or "") == folder / "interessent.db"
    assert not other.exists()
    assert (folder / "interessent.db").is_file()
    # the command line honours it: the other database is empty
    listed = CliRunner().invoke(cli, ["-w", str(folder), "stakeholder", "list", "--format",
                                      "json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == []
    assert other.is_file()
    monkeypatch.delenv("INTERESSENT_DB")
    listed = CliRunner().invoke(cli, ["-w", str(folder), "stakeholder", "list", "--format",
                                      "json"])
    assert [s["id"] for s in json.loads(listed.stdout)] == ["anne-aas"]


def test_the_actor_is_an_argument_and_interessent_user_is_the_command_lines(
        folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERESSENT_USER", "fra-miljoet")
    with Workspace(folder) as ws:
        add_stakeholder(ws, name="Anne Aas")
        ws.actor = "tjenesten"
        add_stakeholder(ws, name="Bjørn Bø")
        assert [e.actor for e in audit_log(ws)] == [getpass.getuser()[:200], "tjenesten"]
        ws.close()
        done = CliRunner().invoke(cli, ["-w", str(folder), "stakeholder", "add", "Cato Dahl"])
        assert done.exit_code == 0, done.output
        assert [e.actor for e in audit_log(ws)][-1] == "fra-miljoet"


def test_the_busy_timeout_is_an_argument(folder: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERESSENT_BUSY_TIMEOUT_MS", "soon")
    with Workspace(folder) as ws:  # the library does not read it
        assert ws.store.counts()["stakeholders"] == 0
    done = CliRunner().invoke(cli, ["-w", str(folder), "stakeholder", "list"])
    assert done.exit_code == 1
    assert done.stderr == ("Error: INTERESSENT_BUSY_TIMEOUT_MS must be a whole number of "
                           "milliseconds (at most 86400000, a day), not 'soon'\n")
    with pytest.raises(InvalidInput, match="busy timeout"):
        Store("sqlite://", busy_timeout_ms=-1)


@pytest.mark.sqlite_only(reason="reads SQLite's busy_timeout pragma")
def test_the_busy_timeout_reaches_sqlite(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'b.db'}", busy_timeout_ms=1234)
    try:
        with store.read() as s:
            assert s.execute(text("PRAGMA busy_timeout")).scalar() == 1234
    finally:
        store.close()


def _reads_environment(tree: ast.AST) -> list[int]:
    """Lines that read the environment: ``os.environ``, ``os.environb``, ``os.getenv``,
    ``os.getenvb`` or any of them imported by name."""
    names = {"environ", "environb", "getenv", "getenvb"}
    lines = []
    for node in ast.walk(tree):
        attribute = isinstance(node, ast.Attribute) and node.attr in names
        imported = isinstance(node, ast.ImportFrom) and node.module == "os" and any(
            alias.name in names for alias in node.names)
        if attribute or imported:
            lines.append(getattr(node, "lineno", 0))
    return lines


def test_no_module_but_the_command_line_reads_the_environment() -> None:
    package = SRC / "interessent"
    found = {
        str(path.relative_to(package)): lines
        for path in sorted(package.rglob("*.py"))
        if path.relative_to(package).parts[0] != "cli"
        and (lines := _reads_environment(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert found == {}
    # the check itself sees each way of reading it
    assert _reads_environment(ast.parse("import os\nos.environ.get('X')")) == [2]
    assert _reads_environment(ast.parse("from os import getenv")) == [1]


# --- 3. fresh data after another process writes -------------------------------------------


def _child(root: Path, url: str, code: str) -> None:
    """Run ``code`` in another Python process, with ``ws`` open on the same database."""
    script = "\n".join([
        "import sys",
        "from interessent.workspace import Workspace",
        "from interessent.importing import import_rows",
        "from interessent.registry import add_stakeholder, log_interaction",
        f"ws = Workspace({str(root)!r}, db=sys.argv[1])",
        textwrap.dedent(code),
        "ws.close()",
    ])
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERESSENT_")}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")])
    done = subprocess.run([sys.executable, "-c", script, url], env=env, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def shared(request: pytest.FixtureRequest, folder: Path, tmp_path: Path) -> Iterator[str]:
    """A database two processes share: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'delt.db'}"
    else:
        yield request.getfixturevalue("pg_url")


def test_a_workspace_kept_open_sees_what_another_process_wrote(folder: Path,
                                                               shared: str) -> None:
    ws = Workspace(folder, db=shared)
    try:
        for name in ("Anne Aas", "Bjørn Bø", "Cato Dahl", "Dina Eng", "Erik Fu", "Frid Gran"):
            add_stakeholder(ws, name=name, groups=["folk"], influence=3)
        import_rows(ws, "relationships", ties(("anne-aas", "bjorn-bo"),
                                              ("anne-aas", "cato-dahl")))
        log_interaction(ws, kind="meeting", date="2026-03-01", participants=["anne-aas"])

        assert rank_leaders(ws, as_of=DAY)[0].id == "anne-aas"  # the centre of the only star
        [folk] = coverage(ws, YEAR, as_of=DAY)
        # 6 members; Anne met; Bjørn and Cato know her
        assert (folk.members, folk.reached_directly, folk.reached_through_network) == (6, 1, 2)
        assert len(ws.store.stakeholders()) == 6
        assert len(ws.members("folk")) == 6
        assert ws.memo("people", lambda: len(ws.store.stakeholders())) == 6

        _child(folder, shared, """
            import_rows(ws, "relationships", [
                {"source": "dina-eng", "target": t, "kind": "knows", "strength": "1"}
                for t in ("bjorn-bo", "cato-dahl", "erik-fu", "frid-gran")])
            log_interaction(ws, kind="meeting", date="2026-04-01", participants=["dina-eng"])
            add_stakeholder(ws, name="Gro Hauge", groups=["folk"], influence=3)
        """)

        # Dina now knows four (Bjørn, Cato, Erik, Frid), Anne two: Dina leads
        assert rank_leaders(ws, as_of=DAY)[0].id == "dina-eng"
        [folk] = coverage(ws, YEAR, as_of=DAY)
        # 7 members with Gro; Anne and Dina met; Bjørn, Cato, Erik and Frid know one of them
        assert (folk.members, folk.reached_directly, folk.reached_through_network) == (7, 2, 4)
        assert len(ws.store.stakeholders()) == 7
        assert ws.memo("people", lambda: len(ws.store.stakeholders())) == 7  # not kept 6
        assert [s.id for s in ws.members("folk")][-1] == "gro-hauge"
    finally:
        ws.close()


def test_a_plan_file_changed_on_disk_is_read_again(folder: Path) -> None:
    with Workspace(folder) as ws:
        assert [g.key for g in ws.plan.groups] == ["folk"]
        (folder / PLAN_FILE).write_text(PLAN + '\n[[groups]]\nkey = "bedrifter"\n'
                                        'name = "Bedrifter"\n', encoding="utf-8")
        assert [g.key for g in ws.plan.groups] == ["folk", "bedrifter"]
        ws.refresh()
        assert [g.key for g in ws.plan.groups] == ["folk", "bedrifter"]


def test_refresh_forgets_what_was_kept(folder: Path) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with Workspace(folder) as ws:
        assert ws.memo("k", compute) == 1
        assert ws.memo("k", compute) == 1  # kept
        ws.refresh()
        assert ws.memo("k", compute) == 2
        add_stakeholder(ws, name="Anne Aas")  # a write forgets too
        assert ws.memo("k", compute) == 3


def _holds(value: Any, needle: str, seen: set[int] | None = None) -> bool:
    """Whether ``needle`` is any text held in ``value``, however deep."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return False
    seen.add(id(value))
    if isinstance(value, str):
        return needle in value
    if isinstance(value, dict):
        return any(_holds(k, needle, seen) or _holds(v, needle, seen)
                   for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_holds(v, needle, seen) for v in value)
    if attrs.has(type(value)):
        return any(_holds(getattr(value, f.name), needle, seen)
                   for f in attrs.fields(type(value)))
    return False


def test_erasure_leaves_nothing_about_the_person_in_the_open_workspace(folder: Path) -> None:
    with Workspace(folder) as ws:
        for name in ("Anne Aas", "Bjørn Bø", "Cato Dahl"):
            add_stakeholder(ws, name=name, groups=["folk"])
        import_rows(ws, "relationships", ties(("anne-aas", "bjorn-bo"),
                                              ("anne-aas", "cato-dahl")))
        assert rank_leaders(ws, as_of=DAY)[0].name == "Anne Aas"
        coverage(ws, YEAR, as_of=DAY)
        assert _holds(vars(ws), "Anne Aas")  # kept in memory while the data is unchanged
        done = erase(ws, "anne-aas")
        assert not _holds(vars(ws), "Anne Aas")
        assert not _holds(vars(ws), "anne-aas")
        # her ties are removed and an erased person is restricted: Bjørn and Cato, alone
        assert [s.id for s in rank_leaders(ws, as_of=DAY)] == ["bjorn-bo", "cato-dahl"]
        assert done.id == "slettet-1"
        with ws.store.read() as s:  # nor kept in the database
            kept = s.execute(text("SELECT data FROM rank_cache")).scalars().all()
        assert kept  # ranked again after the erasure
        assert not any(b"anne-aas" in bytes(d) or b"Anne Aas" in bytes(d)
                       for d in kept)


def test_init_takes_the_actor(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ny", actor="oppstart")
    try:
        add_stakeholder(ws, name="Anne Aas")
        assert [e.actor for e in audit_log(ws)] == ["oppstart"]
    finally:
        ws.close()
