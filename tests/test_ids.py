"""Look-alike ids (issue 11 item 11): an id in another case or Unicode form is the same
record, on every way in, and the database holds it to that too.

«åse-ås» can be typed with «å» as one character (NFC) or as «a» and a combining ring
(NFD); the two look the same and were two records. So were ``Kari-Nordmann`` and
``kari-nordmann``. Now ids and names are stored in NFC, a second id that differs only in
case or form is refused where a new record is meant (add, log) and finds the record
everywhere else (import, edit, show, participants, hosts, relationship ends,
organisations, privacy commands, drafting), and the record keeps the spelling it was
registered with. Registers made before keep their look-alikes, flagged by ``plan check``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from interessent import (
    ImportRejected,
    InvalidInput,
    Stakeholder,
    Workspace,
    check_plan,
    erase,
    import_file,
    migrations,
)
from interessent.cli import cli
from interessent.plan import parse_plan
from interessent.store import INT, ST, Store

NFC = unicodedata.normalize("NFC", "åse-ås")
NFD = unicodedata.normalize("NFD", "åse-ås")
NAME_NFC = unicodedata.normalize("NFC", "Åse Ås")
NAME_NFD = unicodedata.normalize("NFD", "Åse Ås")


def test_the_two_forms_differ_as_strings() -> None:
    """The premise: what looks the same is two different strings."""
    assert NFC != NFD and len(NFD) == len(NFC) + 2  # two combining rings


def run(ws: Workspace | Path, *args: str, ok: bool = True) -> Result:
    root = ws.root if isinstance(ws, Workspace) else ws
    result = CliRunner().invoke(cli, ["-w", str(root), *args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def refused(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1


def stored(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    with ws.store.read() as s:
        return [tuple(r) for r in s.execute(text(sql))]


# --- stakeholders: add, show, edit ----------------------------------------------------------


def test_an_id_in_the_other_unicode_form_is_the_same_stakeholder(workspace: Workspace) -> None:
    assert run(workspace, "stakeholder", "add", NAME_NFD, "--id", NFD).output == (
        f"Added {NFC} ({NAME_NFC})\n")

    refused(run(workspace, "stakeholder", "add", NAME_NFC, "--id", NFC, ok=False),
            f"a stakeholder with id {NFC!r} already exists")

    # one record, its id and name stored in NFC
    assert stored(workspace, "SELECT id, name FROM stakeholders") == [(NFC, NAME_NFC)]
    assert run(workspace, "stakeholder", "show", NFD).output.startswith(f"id            {NFC}")


def test_an_id_in_another_case_is_the_same_stakeholder_and_keeps_its_spelling(
        workspace: Workspace) -> None:
    run(workspace, "stakeholder", "add", "Kari Nordmann", "--id", "Kari-Nordmann")

    for other in ("kari-nordmann", "KARI-NORDMANN"):
        refused(run(workspace, "stakeholder", "add", "Kari N", "--id", other, ok=False),
                "a stakeholder with id 'Kari-Nordmann' already exists")
    assert run(workspace, "stakeholder", "show", "kari-NORDMANN").output.startswith(
        "id            Kari-Nordmann\nname          Kari Nordmann\n")
    assert run(workspace, "stakeholder", "edit", "KARI-nordmann", "--notes", "ny").output == (
        "Updated Kari-Nordmann (Kari Nordmann)\n")

    assert stored(workspace, "SELECT id, notes FROM stakeholders") == [("Kari-Nordmann", "ny")]


def test_an_id_made_from_a_name_avoids_a_stored_id_in_another_case(
        workspace: Workspace) -> None:
    """``Kari Nordmann`` makes ``kari-nordmann``, which ``Kari-Nordmann`` already is."""
    run(workspace, "stakeholder", "add", "Kari Nordmann", "--id", "Kari-Nordmann")

    assert run(workspace, "stakeholder", "add", "Kari Nordmann").output == (
        "Added kari-nordmann-2 (Kari Nordmann)\n")


def test_names_are_stored_in_nfc_and_found_in_either_form(workspace: Workspace,
                                                         tmp_path: Path) -> None:
    run(workspace, "stakeholder", "add", NAME_NFD)  # id made from the name: ase-as
    path = tmp_path / "folk.csv"
    path.write_text(f"name\n{unicodedata.normalize('NFD', 'Bjørn Ålvik')}\n", encoding="utf-8")
    import_file(workspace, "stakeholders", path)

    assert stored(workspace, "SELECT id, name FROM stakeholders ORDER BY id") == [
        ("ase-as", NAME_NFC), ("bjorn-alvik", unicodedata.normalize("NFC", "Bjørn Ålvik"))]
    # a participant named by name, in the other form, is found
    run(workspace, "log", "meeting", "--date", "2026-03-01", "--with", NAME_NFC)
    assert stored(workspace, "SELECT s.id FROM interaction_participants p "
                             "JOIN stakeholders s ON s.pk = p.stakeholder_pk") == [("ase-as",)]


# --- imports ---------------------------------------------------------------------------------


def test_an_import_updates_the_record_an_id_in_another_case_or_form_names(
        workspace: Workspace, tmp_path: Path) -> None:
    workspace.store._add_stakeholder(Stakeholder("Kari-Nordmann", "Kari Nordmann"))
    workspace.store._add_stakeholder(Stakeholder(NFC, NAME_NFC))
    path = tmp_path / "folk.csv"
    path.write_text(f"id,name,notes\nKARI-NORDMANN,Kari Nordmann,a\n{NFD},{NAME_NFD},b\n",
                    encoding="utf-8")

    result = import_file(workspace, "stakeholders", path)

    assert (result.added, result.updated) == (0, 2)
    assert result.ids == ("Kari-Nordmann", NFC)
    assert stored(workspace, "SELECT id, name, notes FROM stakeholders ORDER BY pk") == [
        ("Kari-Nordmann", "Kari Nordmann", "a"), (NFC, NAME_NFC, "b")]


@pytest.mark.parametrize("first,second,shown", [
    ("Ola", "ola", "'Ola' = 'ola'"),
    (NFC, NFD, repr(NFC)),  # read in NFC, the two cells are one spelling
], ids=["case", "unicode-form"])
def test_one_file_with_two_look_alike_ids_is_refused_on_both_rows(
        workspace: Workspace, tmp_path: Path, first: str, second: str, shown: str) -> None:
    path = tmp_path / "folk.csv"
    path.write_text(f"id,name\n{first},En\nkari,Kari\n{second},To\n", encoding="utf-8")

    with pytest.raises(ImportRejected) as caught:
        import_file(workspace, "stakeholders", path)

    message = f"id: {shown} is in rows 2 and 4; an id may appear only once in a file"
    assert [(p.row, p.message) for p in caught.value.problems] == [(2, message), (4, message)]
    assert workspace.store.counts()["stakeholders"] == 0


def test_references_find_their_stakeholder_in_any_case_or_form(workspace: Workspace,
                                                               tmp_path: Path) -> None:
    """Participants, hosts, relationship ends and organisations."""
    workspace.store._add_stakeholder(Stakeholder("Kari-Nordmann", "Kari Nordmann"))
    workspace.store._add_stakeholder(Stakeholder(NFC, NAME_NFC))
    workspace.store._add_stakeholder(Stakeholder("Osen-Bygg", "Osen Bygg AS",
                                                kind="organisation"))

    run(workspace, "log", "meeting", "--date", "2026-03-01", "--with", "KARI-NORDMANN",
        "--host", NFD, "--id", "m1")
    rels = tmp_path / "r.csv"
    rels.write_text(f"source,target,kind\nkari-nordmann,{NFD},knows\n", encoding="utf-8")
    import_file(workspace, "relationships", rels)
    people = tmp_path / "s.csv"
    people.write_text("name,organisation\nPer Berg,OSEN-BYGG\n", encoding="utf-8")
    import_file(workspace, "stakeholders", people)

    [meeting] = workspace.store.interactions()
    assert (meeting.participants, meeting.host) == (("Kari-Nordmann",), NFC)
    [tie] = workspace.store.relationships()
    assert (tie.source, tie.target) == ("Kari-Nordmann", NFC)
    assert workspace.store.stakeholder("per-berg").organisation == "Osen-Bygg"
    assert workspace.store.counts()["stakeholders"] == 4  # no organisation was made


def test_privacy_commands_find_a_stakeholder_in_any_case(workspace: Workspace) -> None:
    workspace.store._add_stakeholder(Stakeholder("Kari-Nordmann", "Kari Nordmann"))

    run(workspace, "privacy", "consent", "KARI-NORDMANN", "--basis", "samtykke",
        "--source", "skjema", "--given", "2026-01-05")
    assert "skjema" in run(workspace, "privacy", "consents", "kari-nordmann").output
    assert '"name": "Kari Nordmann"' in run(workspace, "privacy", "export",
                                            "kari-nordmann").output
    assert stored(workspace, "SELECT count(*) FROM consents") == [(1,)]


def test_drafting_finds_a_recipient_in_any_case(osen: Workspace, tmp_path: Path) -> None:
    out = run(osen, "draft", "dialogmote", "--stakeholder", "OSEN-KOMMUNE", "--as-of",
              "2026-11-26", "--out", str(tmp_path / "brev")).output
    assert [p.name for p in (tmp_path / "brev").iterdir()] == ["osen-kommune.md"], out


# --- interactions ------------------------------------------------------------------------------


def test_interaction_ids_are_unique_in_any_case(workspace: Workspace, tmp_path: Path) -> None:
    workspace.store._add_stakeholder(Stakeholder("kari", "Kari Nes"))
    run(workspace, "log", "meeting", "--with", "kari", "--date", "2026-03-01",
        "--id", "K2026-0001", "--topic", "først")

    refused(run(workspace, "log", "call", "--with", "kari", "--date", "2026-03-02",
                "--id", "k2026-0001", ok=False),
            "an interaction with id 'K2026-0001' already exists")
    # an import replaces it whole (the import's policy) and it keeps its spelling
    path = tmp_path / "k.csv"
    path.write_text("id,date,kind,participants,topic\nk2026-0001,2026-03-03,call,kari,nytt\n",
                    encoding="utf-8")
    assert import_file(workspace, "interactions", path).updated == 1
    assert stored(workspace, "SELECT id, kind, topic FROM interactions") == [
        ("K2026-0001", "call", "nytt")]
    # the next number counts ids in any case: k2026-0009 is number 9
    run(workspace, "log", "meeting", "--with", "kari", "--date", "2026-04-01",
        "--id", "k2026-0009")
    assert run(workspace, "log", "meeting", "--with", "kari", "--date",
               "2026-05-01").output == "Logged K2026-0010: meeting on 2026-05-01\n"


# --- the database holds it too -------------------------------------------------------------------


def test_the_database_refuses_a_second_record_with_the_same_key(workspace: Workspace) -> None:
    workspace.store._add_stakeholder(Stakeholder("Kari-Nordmann", "Kari Nordmann"))
    now = dt.datetime(2026, 3, 1)

    with pytest.raises(IntegrityError), workspace.store.engine.begin() as conn:
        conn.execute(insert(ST).values(id="kari-nordmann", id_key="kari-nordmann",
                                       name="Kari", kind="person", language="nb",
                                       created_at=now, updated_at=now))
    with pytest.raises(InvalidInput, match="differ only in case or Unicode form"), \
            workspace.store.write() as s:
        workspace.store._save_stakeholders(s, [Stakeholder("Ola", "Ola"),
                                              Stakeholder("OLA", "Ola")])
    with pytest.raises(InvalidInput, match="already exists"):
        workspace.store._add_stakeholder(Stakeholder("KARI-NORDMANN", "Kari"))
    assert stored(workspace, "SELECT id, id_key FROM stakeholders") == [
        ("Kari-Nordmann", "kari-nordmann")]


def test_erasure_leaves_no_key_of_the_erased_id(workspace: Workspace) -> None:
    workspace.store._add_stakeholder(Stakeholder("kari-nordmann", "Kari Nordmann"))

    gone = erase(workspace, "KARI-NORDMANN")

    assert stored(workspace, "SELECT id, id_key FROM stakeholders") == [(gone.id, gone.id)]
    assert "kari" not in gone.id
    # the id is free again for someone new
    run(workspace, "stakeholder", "add", "Kari Nordmann")
    assert workspace.store.stakeholder("kari-nordmann").name == "Kari Nordmann"


# --- the plan -------------------------------------------------------------------------------------


def test_plan_ids_are_read_in_nfc_and_checked_against_the_register(
        workspace: Workspace, plan_text: str) -> None:
    plan = parse_plan(plan_text.replace('number = 1\n', f'number = 1\nrule = {{ ids = '
                                        f'["{NFD}", "KARI-NORDMANN", "nobody"] }}\n', 1))
    assert plan.group("befolkningen").rule.ids == (NFC, "KARI-NORDMANN", "nobody")

    (workspace.root / "interessent.toml").write_text(
        plan_text.replace('number = 1\n', f'number = 1\nrule = {{ ids = ["{NFD}", '
                          '"KARI-NORDMANN", "nobody"] }\n', 1), encoding="utf-8")
    workspace.store._add_stakeholder(Stakeholder(NFC, NAME_NFC))
    workspace.store._add_stakeholder(Stakeholder("Kari-Nordmann", "Kari Nordmann"))
    ws = Workspace(workspace.root)
    try:
        warnings = check_plan(ws).warnings
    finally:
        ws.close()
    assert warnings == (
        "groups[0].rule.ids: 'KARI-NORDMANN' is registered as 'Kari-Nordmann'; the plan "
        "names stakeholders by their id exactly as registered",
        "groups[0].rule.ids: no stakeholder 'nobody' is registered yet",
    )


# --- registers from before: look-alikes stay, the migration never fails -------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def old_register(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database at schema 0003 holding look-alike ids, as registers made before could."""
    url = (request.getfixturevalue("pg_url") if request.param == "postgresql"
           else f"sqlite:///{tmp_path / 'old.db'}")
    engine = create_engine(url)
    try:
        migrations.upgrade(engine, "0003")
        rows = [("Kari", "Kari Eldre"), ("kari", "Kari Yngre"), (NFD, NAME_NFD),
                (unicodedata.normalize("NFD", "ola-ås"), "Ola"), ("ola-ås", "Ola to")]
        with engine.begin() as conn:
            for id_, name in rows:
                conn.execute(text(
                    "INSERT INTO stakeholders (id, name, kind, language, created_at, "
                    "updated_at, opted_out, restricted) VALUES (:id, :name, 'person', 'nb', "
                    "'2026-01-01', '2026-01-01', false, false)"), {"id": id_, "name": name})
            for id_ in ("K2026-0001", "k2026-0001"):
                conn.execute(text("INSERT INTO interactions (id, date, kind, success) "
                                  "VALUES (:id, '2026-02-01', 'meeting', false)"), {"id": id_})
    finally:
        engine.dispose()
    yield url


def test_a_register_with_look_alike_ids_upgrades_and_keeps_them(
        old_register: str, tmp_path: Path, plan_text: str) -> None:
    with Store(old_register) as store:
        # nothing merged, nothing lost: 5 stakeholders and 2 interactions, as before
        assert store.counts() == {"stakeholders": 5, "relationships": 0, "interactions": 2}
        with store.read() as s:
            keys = dict(s.execute(select(ST.c.id, ST.c.id_key).order_by(ST.c.pk)).all())
            ikeys = dict(s.execute(select(INT.c.id, INT.c.id_key).order_by(INT.c.pk)).all())
        ola_nfd = unicodedata.normalize("NFD", "ola-ås")
        # the oldest of each set has the key; an id alone in NFD is now NFC, its name too
        assert keys == {"Kari": "kari", "kari": None, NFC: NFC, ola_nfd: "ola-ås",
                        "ola-ås": None}
        assert store.stakeholder(NFD).name == NAME_NFC
        assert ikeys == {"K2026-0001": "k2026-0001", "k2026-0001": None}
        # each found by its exact id; another spelling finds the oldest
        assert store.stakeholder("Kari").name == "Kari Eldre"
        assert store.stakeholder("kari").name == "Kari Yngre"
        assert store.stakeholder("KARI").name == "Kari Eldre"
        assert store.look_alike_ids() == [("stakeholders", ("Kari", "kari")),
                                          ("stakeholders", (ola_nfd, "ola-ås")),
                                          ("interactions", ("K2026-0001", "k2026-0001"))]
        with pytest.raises(InvalidInput, match="already exists"):
            store._add_stakeholder(Stakeholder("KARI", "Kari Tredje"))

    root = tmp_path / "ws"
    root.mkdir()
    (root / "interessent.toml").write_text(plan_text, encoding="utf-8")
    with Workspace(root, db=old_register) as ws:
        assert check_plan(ws).warnings == (
            "stakeholders 'Kari', 'kari' have ids that differ only in case or Unicode form "
            "(registered before ids were kept unique in any case); each is found only by "
            "its exact id; erase the one that is a duplicate",
            f"stakeholders {ola_nfd!r}, 'ola-ås' have ids that differ only in case or "
            "Unicode form (registered before ids were kept unique in any case); each is "
            "found only by its exact id; erase the one that is a duplicate",
            "interactions 'K2026-0001', 'k2026-0001' have ids that differ only in case or "
            "Unicode form (registered before ids were kept unique in any case); each is "
            "found only by its exact id; erase the one that is a duplicate",
        )


@pytest.mark.sqlite_only(reason="reads the SQLite file's index list")
def test_the_migration_adds_unique_indexes(tmp_path: Path) -> None:
    Store.for_path(tmp_path / "new.db").close()
    with sqlite3.connect(tmp_path / "new.db") as raw:
        found = {r[1]: r[2] for t in ("stakeholders", "interactions")
                 for r in raw.execute(f"PRAGMA index_list({t})")}
    raw.close()
    assert found["ix_stakeholders_id_key"] == 1 and found["ix_interactions_id_key"] == 1
