"""Issue 13 tried from the outside: what a notebook, a web service or a nightly job would
pass to the library, and what it should get back. Each test names what it found."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from click.testing import CliRunner

import interessent
from interessent import InvalidInput, NotFound, PlanError, Workspace
from interessent.cli import cli

PLAN = """
[programme]
name = "Verdiprogrammet"
municipality = "Osen kommune"
start = 2026-01-01

[[groups]]
key = "folk"
name = "Folk i Osen"

[[groups]]
key = "bedrift"
name = "Bedrifter"
"""


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """A workspace from values on a SQLite file: Anne and Bjørn in folk, one tie, one
    meeting with Anne (K2026-0001)."""
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    with Workspace.from_plan(PLAN, db=db, actor="outsider") as opened:
        interessent.add_stakeholder(opened, name="Anne Aas", groups=["folk"])
        interessent.add_stakeholder(opened, name="Bjørn Bø", groups=["folk"])
        interessent.add_relationship(opened, source="anne-aas", target="bjorn-bo", kind="knows")
        interessent.log_interaction(opened, kind="meeting", date="2026-03-01", id="K2026-0001",
                                    participants=["anne-aas"])
        yield opened


def _rows(ws: Workspace) -> dict[str, list[str]]:
    """Every row of every table but the audit log and the change counter's."""
    url = ws.store.engine.url
    assert url.database
    con = sqlite3.connect(url.database)
    try:
        tables = [t for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
                  if "audit" not in t and "change" not in t and "cache" not in t]
        return {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        con.close()


def _refused(ws: Workspace, call: Callable[[], object]) -> InvalidInput | NotFound:
    """``call`` raises InvalidInput or NotFound (never TypeError or AttributeError) and
    writes nothing."""
    before = _rows(ws)
    with pytest.raises((InvalidInput, NotFound)) as caught:
        call()
    assert _rows(ws) == before
    assert isinstance(caught.value, InvalidInput | NotFound)
    return caught.value


# --- ids that are not text: a TypeError or AttributeError from deep inside -------------


@pytest.mark.parametrize("bad", [None, 5, ["anne-aas"]])
def test_an_id_that_is_not_text_is_invalid_input(ws: Workspace, bad: Any) -> None:
    _refused(ws, lambda: interessent.edit_stakeholder(ws, bad, notes="x"))
    _refused(ws, lambda: interessent.stakeholder_profile(ws, bad))
    _refused(ws, lambda: interessent.edit_interaction(ws, bad, topic="x"))
    _refused(ws, lambda: interessent.remove_interaction(ws, bad))
    _refused(ws, lambda: interessent.remove_relationship(ws, source=bad, target="bjorn-bo",
                                                         kind="knows"))
    _refused(ws, lambda: interessent.remove_relationship(ws, source="anne-aas",
                                                         target="bjorn-bo", kind=bad))


def test_a_search_that_is_not_text_is_invalid_input(ws: Workspace) -> None:
    _refused(ws, lambda: interessent.find_stakeholders(ws, search=5))  # type: ignore[arg-type]


def test_a_date_that_is_a_number_is_invalid_input(ws: Workspace) -> None:
    error = _refused(ws, lambda: interessent.log_interaction(
        ws, kind="meeting", date=20260301, participants=["anne-aas"]))  # type: ignore[arg-type]
    assert "date" in str(error)


# --- None inside a list: silently dropped -------------------------------------------------


def test_a_meeting_with_none_as_its_participant_is_refused(ws: Workspace) -> None:
    # log_interaction refuses a meeting that reaches nobody; [None] reached nobody too,
    # and was logged (an interaction with no participant and no audience).
    _refused(ws, lambda: interessent.log_interaction(
        ws, kind="meeting", date="2026-03-02", participants=[None]))  # type: ignore[list-item]
    assert len(ws.store.interactions()) == 1


def test_none_in_a_list_of_groups_is_refused_not_dropped(ws: Workspace) -> None:
    _refused(ws, lambda: interessent.add_stakeholder(
        ws, name="Cato Dahl", groups=[None]))  # type: ignore[list-item]
    _refused(ws, lambda: interessent.edit_stakeholder(
        ws, "anne-aas", groups=["folk", None]))  # type: ignore[list-item]
    assert ws.store.stakeholder("anne-aas").groups == ("folk",)


# --- a value that is not text where text is due: stored as its str() ----------------------


@pytest.mark.parametrize("value", [dt.date(2026, 1, 1), 5, 4.5])
def test_a_name_that_is_not_text_is_refused(ws: Workspace, value: Any) -> None:
    error = _refused(ws, lambda: interessent.add_stakeholder(ws, name=value))
    assert "name" in str(error)
    assert len(ws.store.stakeholders()) == 2


def test_notes_and_topic_that_are_dates_are_refused(ws: Workspace) -> None:
    _refused(ws, lambda: interessent.edit_stakeholder(
        ws, "anne-aas", notes=dt.date(2026, 1, 1)))  # type: ignore[arg-type]
    _refused(ws, lambda: interessent.edit_interaction(
        ws, "K2026-0001", topic=dt.date(2026, 1, 1)))  # type: ignore[arg-type]
    assert ws.store.stakeholder("anne-aas").notes is None


# --- the command line ------------------------------------------------------------------


def test_the_commands_that_fix_mistakes_refuse_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "Osen ? #"
    folder.mkdir()
    (folder / "interessent.toml").write_text(PLAN, encoding="utf-8")
    runner = CliRunner()

    def run(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, ["-w", str(folder), *args])
        return result.exit_code, result.output

    assert run("stakeholder", "add", "Anne Aas", "--group", "folk")[0] == 0
    assert run("stakeholder", "add", "Bjørn Bø", "--group", "folk")[0] == 0
    for args in (["relationship", "remove", "anne-aas", "bjorn-bo", ""],
                 ["relationship", "remove", "", "bjorn-bo", "knows"],
                 ["relationship", "edit", "anne-aas", "bjorn-bo", "knows", "--strength", "2"],
                 ["interaction", "edit", "K2026-0001", "--topic", "x"],
                 ["interaction", "remove", ""]):
        code, output = run(*args)
        assert code == 1, (args, output)
        assert output.startswith("Error: ") and output.count("\n") == 1, (args, output)


# --- a plan built in code ----------------------------------------------------------------


def test_a_plan_built_with_a_text_date_is_a_plan_error() -> None:
    plan = interessent.parse_plan(PLAN)
    with pytest.raises(PlanError) as caught:
        attrs.evolve(plan, programme=attrs.evolve(
            plan.programme, start="2026-01-01"))  # type: ignore[arg-type]
    assert [p.path for p in caught.value.problems] == ["programme.start"]


def test_a_plan_built_with_an_unknown_group_is_a_plan_error() -> None:
    plan = interessent.parse_plan(PLAN + '\n[[commitments]]\nid = "F1"\ntitle = "Møte"\n'
                                  'groups = ["folk"]\nkind = "cadence"\ncadence = "year"\n')
    with pytest.raises(PlanError) as caught:
        attrs.evolve(plan, commitments=(attrs.evolve(plan.commitments[0], groups=("nope",)),))
    assert [p.path for p in caught.value.problems] == ["commitments[0].groups[0]"]


# --- docs --------------------------------------------------------------------------------


def test_the_workspace_from_values_example_of_api_md_is_a_python_block() -> None:
    # A merge dropped its fences: the example rendered as text, and no test ran it.
    page = (Path(__file__).parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.S)
    assert any("Workspace.from_plan(PLAN" in block for block in blocks)


# --- left open ---------------------------------------------------------------------------


def test_an_actor_with_a_line_feed_is_invalid_input() -> None:
    with pytest.raises(InvalidInput):
        Workspace.from_plan(PLAN, actor="ola\n2026-01-01 forged entry")


def test_a_template_only_in_markdown_can_be_shown_without_a_format() -> None:
    with Workspace.from_plan(PLAN, templates={"hei.md": "Hei {{ recipient.name }}"}) as ws:
        assert "hei" in [t.name for t in interessent.list_templates(ws)]
        _, source = interessent.template_source(ws, "hei")
        assert source == "Hei {{ recipient.name }}"
