"""Typed, validated writes with Python values (issue 13, item 5).

Every write function of the registry takes Python values (ints, floats such as ``4.0``,
dates, enums, lists) and text alike, and every one goes through the importer's checks:
the same refusals, one :class:`InvalidInput` naming the field, nothing written. The CLI's
``relationship add|edit|remove`` and ``interaction edit|remove`` call them.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

import interessent
from interessent import (
    ImportRejected,
    InvalidInput,
    Kind,
    Language,
    NotFound,
    Relationship,
    Stakeholder,
    Workspace,
    add_relationship,
    add_stakeholder,
    audit_log,
    edit_interaction,
    edit_relationship,
    edit_stakeholder,
    import_file,
    import_rows,
    log_interaction,
    remove_interaction,
    remove_relationship,
)
from interessent.cli import cli
from interessent.store import ICOMM, IGROUPS, INT, PART, REL

HOSTILE_NAMES = {
    "a line feed": "Kari\nNes",
    "a carriage return": "Kari\rNes",
    "a NUL": "Kari\x00Nes",
    "an escape": "Kari\x1b[31mNes",
    "10,000 characters": "K" * 10_000,
}


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    """The test plan's workspace with three people: kari and ola in befolkningen, and
    the organisation osen-bygg."""
    add_stakeholder(workspace, id="kari", name="Kari Nes", groups=["befolkningen"])
    add_stakeholder(workspace, id="ola", name="Ola Ås", groups=["befolkningen"])
    add_stakeholder(workspace, id="osen-bygg", name="Osen Bygg AS", kind=Kind.ORGANISATION)
    return workspace


def count(ws: Workspace, table: Any) -> int:
    with ws.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(table)) or 0)


def refused(call: Any, *fields: str) -> str:
    """``call()`` raises InvalidInput whose message names every one of ``fields``."""
    with pytest.raises(InvalidInput) as caught:
        call()
    message = str(caught.value)
    for field in fields:
        assert f"{field}:" in message, message
    return message


# --- stakeholders -------------------------------------------------------------------------


def test_a_whole_float_is_a_whole_number_and_a_fraction_is_refused_by_name(
        ws: Workspace) -> None:
    added = add_stakeholder(ws, name="Per Li", influence=4.0, interest=2)  # type: ignore[arg-type]
    assert (added.influence, added.interest) == (4, 2)
    message = refused(lambda: add_stakeholder(ws, name="Eva Dal", influence=4.5),  # type: ignore[arg-type]
                      "influence")
    assert "4.5" in message and "whole number" in message
    refused(lambda: edit_stakeholder(ws, "kari", interest=4.5), "interest")  # type: ignore[arg-type]
    refused(lambda: edit_stakeholder(ws, "kari", interest=float("nan")), "interest")  # type: ignore[arg-type]
    refused(lambda: edit_stakeholder(ws, "kari", influence=6), "influence")
    assert edit_stakeholder(ws, "kari", interest=5.0).interest == 5  # type: ignore[arg-type]
    assert ws.store.stakeholder("kari").influence is None  # the refusals wrote nothing
    assert ws.store.counts()["stakeholders"] == 4  # kari, ola, osen-bygg, per-li


def test_stakeholders_take_enums_and_lists_and_refuse_unknown_groups(ws: Workspace) -> None:
    added = add_stakeholder(ws, name="Nils Berg", kind=Kind.PERSON, language=Language.EN,
                            groups=("befolkningen", "naeringslivet"), roles={"ordforer"},
                            organisation="osen-bygg")
    assert (added.language, added.groups, added.roles, added.organisation) == (
        Language.EN, ("befolkningen", "naeringslivet"), ("ordforer",), "osen-bygg")
    message = refused(lambda: add_stakeholder(ws, name="Eva Dal", groups=["befolkninga"]),
                      "groups")
    assert "unknown target group 'befolkninga'" in message
    refused(lambda: edit_stakeholder(ws, "kari", groups=["nobody"]), "groups")
    refused(lambda: edit_stakeholder(ws, "kari", roles=["konge"]), "roles")
    refused(lambda: add_stakeholder(ws, name="Eva Dal", groups=["a|b"]), "groups")
    assert ws.store.stakeholder("kari").groups == ("befolkningen",)
    with pytest.raises(NotFound):
        edit_stakeholder(ws, "nobody", notes="x")
    with pytest.raises(InvalidInput, match="unknown stakeholder field influnce"):
        edit_stakeholder(ws, "kari", clear=["influnce"])


@pytest.mark.parametrize("what", sorted(HOSTILE_NAMES))
def test_hostile_names_are_refused_by_field(ws: Workspace, what: str) -> None:
    name = HOSTILE_NAMES[what]
    refused(lambda: add_stakeholder(ws, name=name), "name")
    refused(lambda: edit_stakeholder(ws, "kari", name=name), "name")
    refused(lambda: add_stakeholder(ws, name="Eva Dal", email=name), "email")
    assert ws.store.stakeholder("kari").name == "Kari Nes"
    assert ws.store.counts()["stakeholders"] == 3


def test_notes_keep_their_lines_but_no_other_control(ws: Workspace) -> None:
    assert edit_stakeholder(ws, "kari", notes="one\ntwo").notes == "one\ntwo"
    refused(lambda: edit_stakeholder(ws, "kari", notes="bell\x07"), "notes")


# --- import_rows and import_file with Python values ------------------------------------------


def test_import_rows_takes_python_values_instead_of_a_bare_type_error(ws: Workspace) -> None:
    done = import_rows(ws, "stakeholders", [
        {"name": "Per Li", "influence": 4.0, "interest": 3, "groups": ["naeringslivet"]},
        {"name": "Eva Dal", "influence": None, "interest": 2.0, "groups": []},
    ])
    assert (done.added, done.updated) == (2, 0)
    assert ws.store.stakeholder("per-li").influence == 4
    with pytest.raises(ImportRejected) as caught:
        import_rows(ws, "stakeholders", [
            {"name": "Nils", "influence": 4.5, "groups": []},          # row 2
            {"name": "Mia", "influence": 3, "groups": ["ukjent"]},      # row 3
            {"name": "Liv", "influence": float("inf"), "groups": []},  # row 4
            {"name": "Tor", "influence": b"4", "groups": []},          # row 5
        ])
    rows = sorted((p.row, p.message.split(":")[0]) for p in caught.value.problems)
    assert rows == [(2, "influence"), (3, "groups"), (4, "influence"), (5, "influence")]
    assert ws.store.counts()["stakeholders"] == 5  # 3 + per-li and eva-dal


def test_an_excel_float_cell_is_a_whole_number_or_refused(ws: Workspace, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "influence", "interest"])
    sheet.append(["Per Li", 4.0, 2])      # openpyxl keeps 4.0 a float cell: row 2
    sheet.append(["Eva Dal", 4.5, 3.0])   # row 3
    path = tmp_path / "people.xlsx"
    book.save(path)
    with pytest.raises(ImportRejected) as caught:
        import_file(ws, "stakeholders", path)
    assert [(p.row, p.message.split(":")[0]) for p in caught.value.problems] == [
        (3, "influence")]
    assert ws.store.counts()["stakeholders"] == 3  # all or nothing

    sheet.delete_rows(3)
    book.save(path)
    assert import_file(ws, "stakeholders", path).added == 1
    assert ws.store.stakeholder("per-li").influence == 4

    ties = openpyxl.Workbook()
    rows = ties.active
    assert rows is not None
    rows.append(["source", "target", "kind", "strength", "start"])
    rows.append(["kari", "ola", "knows", 0.5, dt.datetime(2021, 8, 1)])
    rows.append(["kari", "osen-bygg", "works_for", 1.0, dt.date(2020, 1, 1)])
    ties.save(tmp_path / "ties.xlsx")
    assert import_file(ws, "relationships", tmp_path / "ties.xlsx").added == 2
    assert {(r.target, r.strength, r.start) for r in ws.store.relationships()} == {
        ("ola", 0.5, dt.date(2021, 8, 1)), ("osen-bygg", 1.0, dt.date(2020, 1, 1))}


# --- relationships ------------------------------------------------------------------------


def test_add_relationship_checks_like_an_import(ws: Workspace) -> None:
    tie = add_relationship(ws, source="kari", target="osen-bygg", kind="works_for",
                           strength=0.75, start=dt.date(2021, 8, 1))
    assert tie == Relationship("kari", "osen-bygg", "works_for", 0.75, True,
                               dt.date(2021, 8, 1), None)
    # a name finds its stakeholder, the kind's name its key, text dates and decimal commas
    tie = add_relationship(ws, source="KARI", target="Ola Ås", kind="kjenner",
                           strength="0,5", start="2020-01-01", end=dt.datetime(2025, 6, 1, 12))
    assert tie == Relationship("kari", "ola", "knows", 0.5, False, dt.date(2020, 1, 1),
                               dt.date(2025, 6, 1))
    refused(lambda: add_relationship(ws, source="kari", target="ola", kind="hates"), "kind")
    refused(lambda: add_relationship(ws, source="kari", target="nobody", kind="knows"),
            "target")
    refused(lambda: add_relationship(ws, source="kari", target="ola", kind="family",
                                     strength=1.5), "strength")
    refused(lambda: add_relationship(ws, source="kari", target="ola", kind="family",
                                     strength=float("nan")), "strength")
    refused(lambda: add_relationship(ws, source="kari", target="ola", kind="family",
                                     start=dt.date(1899, 12, 31)), "start")
    refused(lambda: add_relationship(ws, source="kari", target="ola", kind="family",
                                     end="2200-13-01"), "end")
    refused(lambda: add_relationship(ws, source="kari", target="ola", kind="family",
                                     start="2024-01-01", end="2023-01-01"), "end")
    refused(lambda: add_relationship(ws, source="kari", target="kari", kind="knows"), "target")
    refused(lambda: add_relationship(ws, source="Kari\nNes", target="ola", kind="knows"),
            "source")
    message = refused(lambda: add_relationship(ws, source="kari", target="ola", kind="knows"),
                      "kind")
    assert "already exists" in message
    assert count(ws, REL) == 2  # works_for and knows; every refusal wrote nothing


def test_edit_relationship_changes_what_it_names_and_keeps_the_rest(ws: Workspace) -> None:
    add_relationship(ws, source="kari", target="ola", kind="knows", strength=0.5,
                     start="2020-01-01")
    tie = edit_relationship(ws, source="kari", target="ola", kind="knows",
                            end=dt.date(2024, 12, 31))
    assert (tie.strength, tie.start, tie.end) == (0.5, dt.date(2020, 1, 1),
                                                  dt.date(2024, 12, 31))
    tie = edit_relationship(ws, source="kari", target="ola", kind="knows", clear=["start"],
                            strength=1)
    assert (tie.strength, tie.start, tie.end) == (1.0, None, dt.date(2024, 12, 31))
    refused(lambda: edit_relationship(ws, source="kari", target="ola", kind="knows",
                                      strength=-0.1), "strength")
    refused(lambda: edit_relationship(ws, source="kari", target="ola", kind="knows",
                                      start="2025-01-01"), "end")  # after the end
    refused(lambda: edit_relationship(ws, source="kari", target="ola", kind="hates",
                                      strength=0.2), "kind")
    refused(lambda: edit_relationship(ws, source="kari", target="ghost", kind="knows",
                                      strength=0.2), "target")
    message = refused(lambda: edit_relationship(ws, source="kari", target="ola",
                                                kind="family", strength=0.2), "kind")
    assert "no family relationship kari → ola" in message
    with pytest.raises(InvalidInput, match="nothing to change"):
        edit_relationship(ws, source="kari", target="ola", kind="knows")
    with pytest.raises(InvalidInput, match="unknown relationship field colour"):
        edit_relationship(ws, source="kari", target="ola", kind="knows", clear=["colour"])
    assert ws.store.relationships() == [tie]


def test_remove_relationship_removes_one_tie_and_refuses_one_that_is_not(ws: Workspace) -> None:
    add_relationship(ws, source="kari", target="ola", kind="knows")
    add_relationship(ws, source="kari", target="ola", kind="family")
    removed = remove_relationship(ws, source="KARI", target="ola", kind="kjenner")
    assert removed.key == ("kari", "ola", "knows")
    assert [r.kind for r in ws.store.relationships()] == ["family"]
    with pytest.raises(NotFound, match="no knows relationship kari → ola"):
        remove_relationship(ws, source="kari", target="ola", kind="knows")
    with pytest.raises(NotFound, match="no hates relationship"):
        remove_relationship(ws, source="kari", target="ola", kind="hates")
    with pytest.raises(NotFound, match="no stakeholder with id 'nobody'"):
        remove_relationship(ws, source="nobody", target="ola", kind="family")
    assert count(ws, REL) == 1


def test_a_mutual_tie_is_found_from_either_end_and_a_directed_one_from_its_source(
        ws: Workspace) -> None:
    add_relationship(ws, source="kari", target="ola", kind="knows")  # mutual, as its kind
    add_relationship(ws, source="kari", target="osen-bygg", kind="works_for")  # directed
    refused(lambda: add_relationship(ws, source="ola", target="kari", kind="knows"), "kind")
    edited = edit_relationship(ws, source="ola", target="kari", kind="knows", strength=0.4)
    assert edited.key == ("kari", "ola", "knows") and edited.strength == 0.4
    refused(lambda: edit_relationship(ws, source="osen-bygg", target="kari", kind="works_for",
                                      strength=0.4), "kind")
    with pytest.raises(NotFound):
        remove_relationship(ws, source="osen-bygg", target="kari", kind="works_for")
    assert remove_relationship(ws, source="ola", target="kari", kind="knows") == edited
    assert [r.key for r in ws.store.relationships()] == [("kari", "osen-bygg", "works_for")]


def test_relationship_writes_are_audited_without_ids(ws: Workspace) -> None:
    add_relationship(ws, source="kari", target="ola", kind="knows")
    edit_relationship(ws, source="kari", target="ola", kind="knows", strength=0.3)
    remove_relationship(ws, source="kari", target="ola", kind="knows")
    entries = [e for e in audit_log(ws) if "relationship" in e.action]
    with ws.store.read() as s:
        ola_pk = ws.store.pk_map(s, ["ola"])["ola"]
    assert [(e.action, e.subject_kind, e.subject, e.detail["relationship"]) for e in entries] == [
        ("add relationship", "stakeholder", "kari", "knows"),
        ("edit relationship", "stakeholder", "kari", "knows"),
        ("remove relationship", "stakeholder", "kari", "knows"),
    ]
    # the target by its integer key: no id (made from a name) in the log
    assert [e.detail["target_pk"] for e in entries] == [ola_pk] * 3
    assert not any("ola" in str(e.detail) for e in entries)


# --- interactions -------------------------------------------------------------------------


def test_log_interaction_takes_dates_and_refuses_like_an_import(ws: Workspace) -> None:
    logged = log_interaction(ws, kind="meeting", date=dt.date(2026, 3, 5),
                             participants=["kari"], commitments=("B5",))
    assert (logged.id, logged.date, logged.commitments) == ("K2026-0001", dt.date(2026, 3, 5),
                                                            ("B5",))
    assert log_interaction(ws, kind="article", date="05.04.2026",
                           groups=["befolkningen"]).date == dt.date(2026, 4, 5)
    refused(lambda: log_interaction(ws, kind="meeting", participants=["ghost"]),
            "participants")
    refused(lambda: log_interaction(ws, kind="article", groups=["ukjent"]), "groups")
    refused(lambda: log_interaction(ws, kind="meeting", participants=["kari"],
                                    topic="Hei\r\nhei"), "topic")
    refused(lambda: log_interaction(ws, kind="dance", participants=["kari"]), "kind")
    with pytest.raises(InvalidInput, match="date"):
        log_interaction(ws, kind="meeting", participants=["kari"], date=dt.date(1899, 1, 1))
    assert count(ws, INT) == 2


def test_edit_interaction_changes_what_it_names_and_keeps_the_rest(ws: Workspace) -> None:
    logged = log_interaction(ws, kind="meeting", date="2026-03-05", participants=["kari"],
                             channel="direkte", topic="Dialog", commitments=["B5"])
    changed = edit_interaction(ws, logged.id.lower(), date=dt.date(2026, 3, 6),
                               participants=["kari", "Ola Ås"], success=True)
    assert changed == interessent.Interaction(
        "K2026-0001", dt.date(2026, 3, 6), "meeting", channel="direkte",
        participants=("kari", "ola"), topic="Dialog", commitments=("B5",), success=True)
    changed = edit_interaction(ws, "K2026-0001", clear=["channel", "topic"], notes="Kaffi")
    assert (changed.channel, changed.topic, changed.notes, changed.date) == (
        None, None, "Kaffi", dt.date(2026, 3, 6))
    refused(lambda: edit_interaction(ws, "K2026-0001", groups=["ukjent"]), "groups")
    refused(lambda: edit_interaction(ws, "K2026-0001", host="ghost"), "host")
    refused(lambda: edit_interaction(ws, "K2026-0001", date="2201-01-01"), "date")
    refused(lambda: edit_interaction(ws, "K2026-0001", kind="dance"), "kind")
    refused(lambda: edit_interaction(ws, "K2026-0001", topic="x" * 10 + "\x00"), "topic")
    message = refused(lambda: edit_interaction(ws, "K2026-0001", clear=["participants"]),
                      "participants")
    assert "reach nobody" in message
    with pytest.raises(InvalidInput, match="unknown interaction"):
        edit_interaction(ws, "K2026-0001", clear=["date"])
    with pytest.raises(NotFound, match="no interaction with id 'K2026-0099'"):
        edit_interaction(ws, "K2026-0099", topic="x")
    assert ws.store.interactions() == [changed]


def test_remove_interaction_removes_its_participants_groups_and_commitments(
        ws: Workspace) -> None:
    first = log_interaction(ws, kind="meeting", date="2026-03-05", participants=["kari", "ola"],
                            groups=["befolkningen"], commitments=["B5"])
    log_interaction(ws, kind="meeting", date="2026-03-06", participants=["ola"])
    # before: 2 interactions, 3 participants (2 + 1), 1 group, 1 commitment
    assert (count(ws, INT), count(ws, PART), count(ws, IGROUPS), count(ws, ICOMM)) == (2, 3, 1, 1)
    assert remove_interaction(ws, first.id.lower()) == first
    # after: the second alone, with its 1 participant
    assert (count(ws, INT), count(ws, PART), count(ws, IGROUPS), count(ws, ICOMM)) == (1, 1, 0, 0)
    with pytest.raises(NotFound, match="no interaction with id"):
        remove_interaction(ws, first.id)
    entry = [e for e in audit_log(ws) if e.action == "remove"][-1]
    assert (entry.subject_kind, entry.subject, entry.detail) == (
        "interaction", "K2026-0001", {"participants": 2, "groups": 1, "commitments": 1})


# --- the store's write methods are private -----------------------------------------------


def test_the_stores_unchecked_writes_are_private_and_the_old_names_deprecated(
        ws: Workspace) -> None:
    with pytest.warns(DeprecationWarning, match="interessent.add_stakeholder"):
        ws.store.add_stakeholder(Stakeholder("per", "Per", groups=("ukjent",)))
    with pytest.warns(DeprecationWarning, match="interessent.add_relationship"), \
            ws.store.write() as s:
        ws.store.save_relationships(s, [Relationship("per", "kari", "hates")])
    public = {n for n in dir(ws.store) if not n.startswith("_")}
    for name in ("add_stakeholder", "update_stakeholder", "add_interaction",
                 "save_stakeholders", "save_relationships", "save_interactions"):
        assert hasattr(ws.store, f"_{name}") and name in public


# --- mypy catches a misspelt field --------------------------------------------------------


def test_mypy_strict_catches_a_misspelt_keyword(tmp_path: Path) -> None:
    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from interessent import Workspace, add_stakeholder, edit_stakeholder\n"
        "\n"
        "\n"
        "def register(ws: Workspace) -> None:\n"
        "    add_stakeholder(ws, name='Kari Nes', influence=4, groups=['befolkningen'])\n"
        "    add_stakeholder(ws, name='Ola Ås', influnce=4)\n"
        "    edit_stakeholder(ws, 'kari-nes', intrest=3)\n",
        encoding="utf-8")
    src = Path(interessent.__file__).parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--ignore-missing-imports", "--no-incremental", "--cache-dir", os.devnull,
         str(snippet)],
        capture_output=True, text=True, cwd=tmp_path,
        # a checkout's src/ goes on MYPYPATH; an installed package is found where it is
        # installed (mypy refuses site-packages on MYPYPATH)
        env={**os.environ, **({} if src.name.endswith("-packages") else {"MYPYPATH": str(src)})},
        check=False)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert result.returncode == 1, result.stdout + result.stderr
    assert len(errors) == 2, result.stdout  # lines 6 and 7; line 5 is right
    assert 'snippet.py:6: error: Unexpected keyword argument "influnce"' in errors[0]
    assert 'snippet.py:7: error: Unexpected keyword argument "intrest"' in errors[1]


# --- the CLI ------------------------------------------------------------------------------


def run(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args], catch_exceptions=False)


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: "), result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    return result.stderr


def test_cli_relationship_add_edit_remove(ws: Workspace) -> None:
    done = run(ws, "relationship", "add", "kari", "osen-bygg", "works_for", "--strength",
               "0,8", "--start", "2021-08-01")
    assert done.exit_code == 0, done.output
    assert done.stdout == "Added kari → osen-bygg (works_for, strength 0.80, 2021-08-01 to …)\n"
    assert "already exists" in one_error_line(
        run(ws, "relationship", "add", "kari", "osen-bygg", "works_for"))
    assert "strength: 'sterk'" in one_error_line(
        run(ws, "relationship", "add", "kari", "ola", "knows", "--strength", "sterk"))
    assert "unknown relationship kind 'hates'" in one_error_line(
        run(ws, "relationship", "add", "kari", "ola", "hates"))
    assert "unknown stakeholder 'ghost'" in one_error_line(
        run(ws, "relationship", "add", "ghost", "ola", "knows"))

    done = run(ws, "relationship", "edit", "kari", "osen-bygg", "works_for", "--end",
               "2025-06-30", "--clear", "strength")
    assert done.exit_code == 0, done.output
    assert done.stdout == ("Updated kari → osen-bygg (works_for, strength 1.00, 2021-08-01 "
                           "to 2025-06-30)\n")
    assert "end:" in one_error_line(
        run(ws, "relationship", "edit", "kari", "osen-bygg", "works_for", "--start",
            "2026-01-01"))
    assert "nothing to change" in one_error_line(
        run(ws, "relationship", "edit", "kari", "osen-bygg", "works_for"))

    done = run(ws, "relationship", "remove", "kari", "osen-bygg", "works_for")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("Removed kari → osen-bygg (works_for")
    assert one_error_line(run(ws, "relationship", "remove", "kari", "osen-bygg", "works_for")
                          ) == "Error: no works_for relationship kari → osen-bygg\n"
    assert count(ws, REL) == 0
    actions = [e.action for e in audit_log(ws) if "relationship" in e.action]
    assert actions == ["add relationship", "edit relationship", "remove relationship"]


def test_cli_interaction_edit_remove(ws: Workspace) -> None:
    assert run(ws, "log", "meeting", "--with", "kari", "--date", "2026-03-05").exit_code == 0
    done = run(ws, "interaction", "edit", "k2026-0001", "--with", "kari", "--with", "ola",
               "--group", "befolkningen", "--topic", "Dialog", "--success")
    assert done.exit_code == 0, done.output
    # the group by its name in the test plan (tests/conftest.py): "Befolkningen i Osen"
    assert done.stdout == ("Updated K2026-0001: meeting on 2026-03-05, 2 participants, "
                           "groups Befolkningen i Osen\n")
    stored = ws.store.interactions()[0]
    assert (stored.participants, stored.topic, stored.success) == (("kari", "ola"), "Dialog",
                                                                    True)
    assert "date: 1800-01-01 is outside" in one_error_line(
        run(ws, "interaction", "edit", "K2026-0001", "--date", "1800-01-01"))
    assert "unknown stakeholder 'ghost'" in one_error_line(
        run(ws, "interaction", "edit", "K2026-0001", "--with", "ghost"))
    assert "topic:" in one_error_line(
        run(ws, "interaction", "edit", "K2026-0001", "--topic", "a\x1b[2Jb"))
    assert one_error_line(run(ws, "interaction", "edit", "K2026-0002", "--topic", "x")
                          ) == "Error: no interaction with id 'K2026-0002'\n"
    assert ws.store.interactions()[0] == stored  # nothing changed by the refusals

    done = run(ws, "interaction", "remove", "K2026-0001")
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("Removed K2026-0001: meeting on 2026-03-05")
    assert (count(ws, INT), count(ws, PART), count(ws, IGROUPS)) == (0, 0, 0)
    assert one_error_line(run(ws, "interaction", "remove", "K2026-0001")
                          ) == "Error: no interaction with id 'K2026-0001'\n"
    assert [e.action for e in audit_log(ws) if e.subject_kind == "interaction"] == [
        "log", "edit", "remove"]
