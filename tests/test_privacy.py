"""GDPR operations: legal bases, access, erasure, restriction, retention, the audit log."""

from __future__ import annotations

import datetime as dt
import io
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select, update

from interessent import migrations
from interessent.cli import cli
from interessent.coverage import coverage
from interessent.drafting import draft
from interessent.errors import InvalidInput, NotFound
from interessent.exporting import export
from interessent.importing import import_rows
from interessent.periods import Period
from interessent.privacy import (
    audit_log,
    consents,
    erase,
    export_person,
    opt_in,
    opt_out,
    parse_basis,
    record_consent,
    restrict,
    retention,
    unrestrict,
    withdraw_consent,
)
from interessent.registry import add_stakeholder, edit_stakeholder, log_interaction
from interessent.store import AUDIT, PART, SCHEMA_HEAD, ST, Store
from interessent.workspace import Workspace, init_workspace

AS_OF = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _actor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line's actor; the library's is the workspace's ``actor``."""
    monkeypatch.setenv("INTERESSENT_USER", "kommunikasjon")


@pytest.fixture
def osen(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh Osen workspace for each test (on PostgreSQL too, where a module-wide copy
    would show up in the other tests' databases)."""
    ws = init_workspace(tmp_path / "osen", example="osen")
    yield ws
    ws.close()


def people(ws: Workspace, *names: str, **fields: Any) -> list[str]:
    return [add_stakeholder(ws, name=n, **fields).id for n in names]


# --- the schema ---------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_database_at_0002_upgrades_to_0003(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    migrations.upgrade(engine, "0002")
    engine.dispose()
    with sqlite3.connect(path) as raw:
        raw.execute(
            "INSERT INTO stakeholders (id, name, kind, language, created_at, updated_at, "
            "opted_out, restricted) VALUES ('ola', 'Ola Nordmann', 'person', 'nb', "
            "'2026-01-01', '2026-01-01', 1, 0)")
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert "consents" not in tables and "audit_log" not in tables
    raw.close()

    with Store.for_path(path) as store:
        assert store.revision() == SCHEMA_HEAD
        [ola] = store.stakeholders()
        assert (ola.id, ola.opted_out, ola.restricted) == ("ola", True, False)
        with store.read() as s:
            assert s.scalar(select(ST.c.erased_at)) is None
            assert s.scalar(select(func.count()).select_from(AUDIT)) == 0


# --- the audit log ------------------------------------------------------------------------


def test_every_write_path_leaves_one_entry_per_operation(workspace: Workspace) -> None:
    workspace.actor = "kommunikasjon"
    import_rows(workspace, "stakeholders", [
        {"name": "Kari Aune", "groups": "befolkningen"},
        {"name": "Per Berg", "groups": "befolkningen"},
        {"name": "Osen Sjømat AS", "kind": "organisation"},
    ], source="liste.csv")
    kari = add_stakeholder(workspace, name="Siri Vik", email="siri@example.no")
    edit_stakeholder(workspace, kari.id, phone="+47 900 00 000")
    meeting = log_interaction(workspace, kind="meeting", date="2026-03-05",
                              participants=["kari-aune", "siri-vik"], channel="direkte")
    record_consent(workspace, "siri-vik", basis="samtykke", source="skjema",
                   given="2026-03-05")
    restrict(workspace, "per-berg")
    restrict(workspace, "per-berg")  # no change, no entry

    entries = audit_log(workspace)
    assert [(e.action, e.subject_kind, e.subject) for e in entries] == [
        ("import", "stakeholders", "liste.csv"),
        ("add", "stakeholder", "siri-vik"),
        ("edit", "stakeholder", "siri-vik"),
        ("log", "interaction", meeting.id),
        ("consent", "stakeholder", "siri-vik"),
        ("restrict", "stakeholder", "per-berg"),
    ]
    assert entries[0].detail == {"rows": 3, "added": 3, "updated": 0}
    assert entries[2].detail["columns"] == ["name", "phone"]
    assert {e.actor for e in entries} == {"kommunikasjon"}
    assert [e.action for e in audit_log(workspace, subject="siri-vik")] == [
        "add", "edit", "consent"]
    assert [e.subject for e in audit_log(workspace, action="restrict")] == ["per-berg"]
    assert len(audit_log(workspace, limit=2)) == 2
    with pytest.raises(NotFound):
        audit_log(workspace, subject="nobody")


def test_a_rejected_or_dry_run_import_leaves_no_entry(workspace: Workspace) -> None:
    import_rows(workspace, "stakeholders", [{"name": "Kari Aune"}], dry_run=True)
    with pytest.raises(InvalidInput):
        add_stakeholder(workspace, name="Kari Aune", groups=["no-such-group"])
    assert audit_log(workspace) == []


def test_the_audit_log_holds_no_names_or_name_made_ids(workspace: Workspace) -> None:
    add_stakeholder(workspace, name="Kari Ørsjødal", email="kari@example.no")
    edit_stakeholder(workspace, "kari-orsjodal", notes="Ringte")
    opt_out(workspace, "kari-orsjodal")
    with workspace.store.read() as s:
        rows = [tuple(r) for r in s.execute(select(AUDIT))]
    text = json.dumps(rows, default=str, ensure_ascii=False)
    assert len(rows) == 3
    for needle in ("Kari", "Ørsjødal", "kari-orsjodal", "kari@example.no", "Ringte"):
        assert needle not in text


def test_a_write_that_names_no_action_is_still_audited(workspace: Workspace) -> None:
    from interessent.model import Interaction, Stakeholder

    store = workspace.store
    with store.write() as s:
        store._save_stakeholders(s, [Stakeholder("kari-aune", "Kari Aune")])
        store._save_interactions(s, [Interaction("K1", dt.date(2026, 1, 5), "meeting",
                                                participants=("kari-aune",))])
    [entry] = audit_log(workspace)
    assert (entry.action, entry.subject_kind) == ("write", "interactions+stakeholders")
    assert entry.detail == {"interactions": {"added": 1, "updated": 0},
                            "stakeholders": {"added": 1, "updated": 0}}


def test_drafting_record_is_audited(osen: Workspace, tmp_path: Path) -> None:
    before = len(audit_log(osen))
    run_ = draft(osen, "opinionsleder", stakeholders=["astrid-lian"], as_of=AS_OF,
                 record=True, out=tmp_path / "out")
    [entry] = audit_log(osen)[before:]
    assert entry.action == "write"
    assert entry.detail == {"interactions": {"added": len(run_.recorded), "updated": 0}}


# --- legal bases --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "basis"), [
    ("samtykke", "samtykke"), ("Consent", "samtykke"), ("a", "samtykke"),
    ("art. 6(1)(f)", "berettiget interesse"), ("berettiget_interesse", "berettiget interesse"),
    ("Offentlig myndighetsutøvelse", "offentlig myndighetsutøvelse"),
    ("public task", "offentlig myndighetsutøvelse"), ("avtale", "avtale"),
])
def test_legal_bases_by_any_name(text: str, basis: str) -> None:
    assert parse_basis(text) == basis


def test_consent_history_newest_is_current(workspace: Workspace) -> None:
    workspace.actor = "kommunikasjon"
    [kari] = people(workspace, "Kari Aune")
    with pytest.raises(InvalidInput, match="unknown legal basis 'lyst'"):
        record_consent(workspace, kari, basis="lyst", source="x")
    with pytest.raises(InvalidInput, match="came from"):
        record_consent(workspace, kari, basis="samtykke", source="  ")
    with pytest.raises(InvalidInput, match="before it is given"):
        record_consent(workspace, kari, basis="samtykke", source="x", given="2026-05-01",
                       expires="2026-04-30")
    with pytest.raises(NotFound):
        record_consent(workspace, "nobody", basis="samtykke", source="x")

    first = record_consent(workspace, kari, basis="berettiget interesse",
                           source="medlemsliste næringsforeningen", given="2026-01-10")
    second = record_consent(workspace, kari, basis="consent",
                            source="påmeldingsskjema dialogmøte 2026", given="2026-03-01",
                            expires="2027-02-28")
    assert (first.basis, second.basis) == ("berettiget interesse", "samtykke")
    assert second.recorded_by == "kommunikasjon"
    history = consents(workspace, kari)
    assert [c.basis for c in history] == ["samtykke", "berettiget interesse"]
    assert workspace.store.stakeholder(kari).legal_basis == "samtykke"
    assert second.valid_on(dt.date(2027, 2, 28)) and not second.valid_on(dt.date(2027, 3, 1))
    assert not second.valid_on(dt.date(2026, 2, 28))

    withdrawn = withdraw_consent(workspace, kari, on="2026-06-01")
    assert withdrawn.withdrawn == dt.date(2026, 6, 1)
    assert not withdrawn.valid_on(dt.date(2026, 6, 1)) and withdrawn.valid_on(dt.date(2026, 5, 31))
    after = workspace.store.stakeholder(kari)
    assert (after.legal_basis, after.opted_out) == (None, True)
    assert len(consents(workspace, kari)) == 2
    with pytest.raises(InvalidInput, match="withdrawn already"):
        withdraw_consent(workspace, kari)
    [per] = people(workspace, "Per Berg")
    with pytest.raises(InvalidInput, match="no consent"):
        withdraw_consent(workspace, per)


# --- flags --------------------------------------------------------------------------------


def test_opt_out_and_restrict_block_drafting_and_say_how_many(osen: Workspace) -> None:
    assert opt_out(osen, "astrid-lian") is True
    assert opt_out(osen, "astrid-lian") is False
    assert restrict(osen, "per-olav-moe") is True
    run_ = draft(osen, "opinionsleder", as_of=AS_OF, write=False,
                 stakeholders=["astrid-lian", "per-olav-moe", "trond-kvam"])
    assert [letter.recipient for letter in run_.letters] == ["trond-kvam"]
    assert {(s.id, s.reason) for s in run_.skipped} == {
        ("astrid-lian", "opted out of communication from the programme"),
        ("per-olav-moe", "processing of their data is restricted (GDPR)"),
    }
    assert opt_in(osen, "astrid-lian") and unrestrict(osen, "per-olav-moe")
    again = draft(osen, "opinionsleder", as_of=AS_OF, write=False,
                  stakeholders=["astrid-lian", "per-olav-moe"])
    assert len(again.letters) == 2 and again.skipped == ()


def test_restricted_people_are_left_out_of_register_exports(osen: Workspace) -> None:
    ties = [r for r in osen.store.relationships(stakeholder="per-olav-moe")]
    assert ties
    restrict(osen, "per-olav-moe")
    out = io.StringIO()
    total = len(osen.store.stakeholders())
    assert export(osen, "stakeholders", out) == total - 1
    assert "per-olav-moe" not in out.getvalue() and "Per Olav Moe" not in out.getvalue()
    out = io.StringIO()
    assert export(osen, "relationships", out, fmt="json") == (
        len(osen.store.relationships()) - len(ties))
    assert "per-olav-moe" not in out.getvalue()


# --- access -------------------------------------------------------------------------------


def _kari_and_ola(ws: Workspace) -> None:
    columns = ("id", "name", "kind", "email", "phone", "organisation", "groups")
    import_rows(ws, "stakeholders", [dict(zip(columns, row, strict=True)) for row in (
        ("osen-sjomat", "Osen Sjømat AS", "organisation", "", "", "", ""),
        ("kari-aune", "Kari Aune", "person", "kari@aune.example", "", "osen-sjomat",
         "befolkningen"),
        ("ola-nordmann", "Ola Nordmann", "person", "ola@nordmann.example", "+47 922 33 444",
         "", "befolkningen"),
    )])
    import_rows(ws, "relationships", [
        {"source": "kari-aune", "target": "osen-sjomat", "kind": "works_for"},
        {"source": "kari-aune", "target": "ola-nordmann", "kind": "family", "directed": "nei"},
    ])
    log_interaction(ws, kind="meeting", date="2026-02-01", id="M1", channel="direkte",
                    participants=["kari-aune"], topic="Oppfølging",
                    notes="Kari nevnte at Ola Nordmann (tlf 92233444) er skeptisk")
    log_interaction(ws, kind="meeting", date="2026-03-01", id="M2", channel="direkte",
                    participants=["kari-aune", "ola-nordmann"],
                    topic="Møte med Ola Nordmann og Kari", notes="Ola sa mye rart")
    log_interaction(ws, kind="letter", date="2026-04-01", id="L1", channel="direkte",
                    participants=["kari-aune"], topic="Invitasjon")
    log_interaction(ws, kind="meeting", date="2026-04-02", id="M3", channel="direkte",
                    participants=["ola-nordmann"], notes="Uten Kari")
    record_consent(ws, "kari-aune", basis="samtykke", source="skjema", given="2026-01-15")


def test_export_holds_everything_about_the_person_and_nothing_about_others(
    workspace: Workspace,
) -> None:
    _kari_and_ola(workspace)
    edit_stakeholder(workspace, "kari-aune", notes="Søster av Ola Nordmann")
    data = export_person(workspace, "kari-aune")
    text = json.dumps(data, ensure_ascii=False)
    for needle in ("Ola", "ola-nordmann", "ola@nordmann.example", "922 33 444", "92233444",
                   "rart", "Uten Kari", "M3"):
        assert needle not in text, needle

    record = data["stakeholder"]
    assert (record["id"], record["name"], record["email"]) == (
        "kari-aune", "Kari Aune", "kari@aune.example")
    assert record["organisation"] == {"kind": "organisation", "id": "osen-sjomat",
                                      "name": "Osen Sjømat AS"}
    assert record["groups"] == [{"key": "befolkningen", "name": "Befolkningen i Osen"}]
    assert record["notes"] == "Søster av [annen person]"
    assert [c["basis"] for c in data["consents"]] == ["samtykke"]
    assert data["consents"][0]["current"] is True
    assert sorted((r["kind"], r["direction"], r["other"].get("name"))
                  for r in data["relationships"]) == [
        ("family", "mutual", None), ("works_for", "from", "Osen Sjømat AS")]
    assert [r["other"] for r in data["relationships"] if r["kind"] == "family"] == [
        {"kind": "person", "description": "another person"}]
    m1, m2 = data["interactions"]
    assert (m1["id"], m1["other_participants"]) == ("M1", 0)
    assert m1["notes"] == "Kari nevnte at [annen person] (tlf [annen person]) er skeptisk"
    assert (m2["id"], m2["other_participants"], m2["notes"]) == ("M2", 1, None)
    assert "notes_withheld" in m2
    assert m2["topic"] == "Møte med [annen person] og Kari"
    assert [letter["id"] for letter in data["letters"]] == ["L1"]
    assert [a["action"] for a in data["audit"]] == ["consent", "edit", "export"]
    assert all("actor" not in a for a in data["audit"])
    assert data["controller"]["programme"] == "Testprogrammet"


# --- erasure ------------------------------------------------------------------------------

KARI = "Kari Ørsjødal"
TRACES = (KARI, KARI.upper(), "kari-orsjodal", "kari.orsjodal@example.no", "913 57 246",
          "91357246", "Ørsjødalsvegen", "Hun er sykmeldt", "gårdsbutikk")


def _file_bytes(ws: Workspace) -> bytes:
    db = ws.root / "interessent.db"
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def _participations(ws: Workspace) -> int:
    with ws.store.read() as s:
        return s.scalar(select(func.count()).select_from(PART)) or 0


def _befolkningen(ws: Workspace) -> tuple[int, int, int]:
    [c] = coverage(ws, Period.year(2026), as_of=AS_OF, groups=["befolkningen"])
    return c.members, c.reached_directly, c.touchpoints


def _add_kari(ws: Workspace) -> None:
    add_stakeholder(ws, name=KARI, email="kari.orsjodal@example.no", phone="+47 913 57 246",
                    address="Ørsjødalsvegen 7, 7740 Steinsdalen", groups=["befolkningen"],
                    tags=["grunder"], notes="Kari Ørsjødal driver gårdsbutikk")
    import_rows(ws, "relationships", [
        {"source": "kari-orsjodal", "target": "osen-kommune", "kind": "works_for"},
        {"source": "kari-orsjodal", "target": "astrid-lian", "kind": "knows"},
    ])
    log_interaction(ws, kind="meeting", date="2026-05-04", channel="direkte",
                    participants=["kari-orsjodal", "astrid-lian"],
                    topic=f"Samtale med {KARI}",
                    notes=f"{KARI} (tlf 913 57 246, kari.orsjodal@example.no) vil starte "
                          "bedrift; Astrid følger opp")
    log_interaction(ws, kind="call", date="2026-05-05", channel="direkte",
                    participants=["kari-orsjodal"], notes="Hun er sykmeldt")
    log_interaction(ws, kind="meeting", date="2026-05-06", channel="direkte",
                    participants=["trond-kvam", "kari-orsjodal"],
                    notes=f"Trond nevnte {KARI.upper()} og tlf 91357246")
    edit_stakeholder(ws, "astrid-lian", notes="Nabo av Kari  Ørsjødal")
    record_consent(ws, "kari-orsjodal", basis="samtykke",
                   source=f"påmeldingsskjema sendt av {KARI}", given="2026-05-01")
    export_person(ws, "kari-orsjodal")


@pytest.mark.sqlite_only
def test_erase_leaves_no_trace_of_the_person_in_the_database_file(osen: Workspace) -> None:
    _add_kari(osen)
    assert all(t.encode() in _file_bytes(osen) for t in TRACES[:3])  # the test can see them
    counts, parts, reach = osen.store.counts(), _participations(osen), _befolkningen(osen)
    with osen.store.read() as s:
        pk = s.scalar(select(ST.c.pk).where(ST.c.id == "kari-orsjodal"))

    done = erase(osen, "kari-orsjodal")

    assert (done.pk, done.id, done.compacted) == (pk, f"slettet-{pk}", True)
    assert (done.relationships_removed, done.participations_kept, done.notes_cleared,
            done.consents_kept) == (2, 3, 1, 1)
    # the first meeting's topic and notes, the notes of the meeting with Trond; Astrid's
    # notes have no link to Kari and are left as they are (tests/test_erasure.py)
    assert done.texts_scrubbed == 3
    assert done.untouched == ("stakeholder astrid-lian notes",)
    data = _file_bytes(osen)
    for trace in TRACES:
        assert trace.encode() not in data, trace
    assert "Liv Ørsjødal".encode() in data  # another person of the same family name stays

    assert osen.store.counts() == {**counts, "relationships": counts["relationships"] - 2}
    assert _participations(osen) == parts
    assert _befolkningen(osen) == reach
    anon = osen.store.stakeholder(f"slettet-{pk}")
    assert (anon.name, anon.email, anon.phone, anon.address, anon.notes, anon.tags,
            anon.groups, anon.restricted, anon.opted_out) == (
        f"Slettet person #{pk}", None, None, None, None, (), ("befolkningen",), True, True)
    [meeting] = [i for i in osen.store.interactions(stakeholder=anon.id) if i.topic]
    assert meeting.topic == "Samtale med [slettet]"
    assert meeting.notes == ("[slettet] (tlf [slettet], [slettet]) vil starte bedrift; "
                             "Astrid følger opp")
    assert meeting.participants == ("astrid-lian", anon.id)
    assert osen.store.stakeholder("astrid-lian").notes == "Nabo av Kari  Ørsjødal"
    [consent] = consents(osen, anon.id)
    assert (consent.basis, consent.source, consent.given) == (
        "samtykke", None, dt.date(2026, 5, 1))
    erasure = audit_log(osen, subject=anon.id)[-1]
    assert (erasure.action, erasure.subject) == ("erase", anon.id)
    assert erasure.detail["participations_kept"] == 3

    osen.close()
    for trace in TRACES:
        assert trace.encode() not in _file_bytes(osen), trace


def test_erase_keeps_counts_on_any_database(osen: Workspace) -> None:
    _add_kari(osen)
    counts, parts, reach = osen.store.counts(), _participations(osen), _befolkningen(osen)
    done = erase(osen, "kari-orsjodal")
    assert osen.store.counts()["interactions"] == counts["interactions"]
    assert _participations(osen) == parts and _befolkningen(osen) == reach
    text = json.dumps(export_person(osen, done.id), ensure_ascii=False)
    assert all(t not in text for t in TRACES)
    assert osen.store.pk_ids(["kari-orsjodal"]) == []


def test_what_cannot_be_erased(osen: Workspace) -> None:
    with pytest.raises(InvalidInput, match="organisation"):
        erase(osen, "osen-kommune")
    with pytest.raises(NotFound):
        erase(osen, "nobody")
    done = erase(osen, "trond-kvam", compact=False)
    with pytest.raises(InvalidInput, match="was erased on"):
        erase(osen, done.id)
    with pytest.raises(InvalidInput, match="was erased on"):
        unrestrict(osen, done.id)
    with pytest.raises(InvalidInput, match="was erased on"):
        record_consent(osen, done.id, basis="samtykke", source="x")
    assert restrict(osen, done.id) is False  # restricted already


# --- retention ----------------------------------------------------------------------------


def _retention_register(ws: Workspace) -> None:
    people(ws, "Anne Alm", "Bjørn Berg", "Cecilie Dahl", "Dag Eide", "Frode Gran",
           "Gro Hauge", groups=["befolkningen"])
    add_stakeholder(ws, name="Eva Foss", roles=["daglig_leder"])
    add_stakeholder(ws, name="Osen Sjømat AS", kind="organisation")
    for who, day in (("anne-alm", "2024-01-15"), ("cecilie-dahl", "2026-03-01"),
                     ("dag-eide", "2024-01-15")):
        log_interaction(ws, kind="meeting", date=day, participants=[who], channel="direkte")
    restrict(ws, "dag-eide")
    record_consent(ws, "frode-gran", basis="samtykke", source="skjema", given="2024-01-01",
                   expires="2027-12-31")
    record_consent(ws, "gro-hauge", basis="samtykke", source="skjema", given="2023-01-01",
                   expires="2023-12-31")
    with ws.store.write() as s:  # registered long ago
        s.execute(update(ST).values(created_at=dt.datetime(2020, 1, 1)))


@pytest.fixture
def kept_workspace(make_workspace: Callable[[str], Workspace]) -> Workspace:
    ws = make_workspace("kept")
    text = ws.plan_path.read_text(encoding="utf-8")
    ws.plan_path.write_text(text.replace('language = "nn"\n',
                                         'language = "nn"\nretention_months = 12\n'),
                            encoding="utf-8")
    return ws


def test_retention_lists_then_erases_those_past_the_period(kept_workspace: Workspace) -> None:
    ws = kept_workspace
    _retention_register(ws)
    report = retention(ws, as_of="2026-06-30")
    assert (report.months, report.cutoff, report.confirmed) == (12, dt.date(2025, 6, 30), False)
    assert [(c.id, c.last_activity, c.last_interaction) for c in report.candidates] == [
        ("bjorn-berg", dt.date(2020, 1, 1), None),
        ("gro-hauge", dt.date(2023, 1, 1), None),
        ("anne-alm", dt.date(2024, 1, 15), dt.date(2024, 1, 15)),
    ]
    assert report.kept == {"restricted": 1, "programme role": 1, "consent": 1}
    assert ws.store.pk_ids(["anne-alm", "bjorn-berg", "gro-hauge"]) == [
        "anne-alm", "bjorn-berg", "gro-hauge"]  # a dry run erases nothing

    done = retention(ws, as_of="2026-06-30", confirm=True)
    assert len(done.erased) == 3 and done.confirmed
    assert ws.store.pk_ids(["anne-alm", "bjorn-berg", "gro-hauge"]) == []
    assert [e.action for e in audit_log(ws, action="retention_delete")] == [
        "retention_delete"] * 3
    assert retention(ws, as_of="2026-06-30").candidates == ()


def test_retention_needs_a_period_in_the_plan(workspace: Workspace) -> None:
    with pytest.raises(InvalidInput, match="retention_months"):
        retention(workspace)


# --- the command line ---------------------------------------------------------------------


def test_cli_privacy_commands(workspace: Workspace, tmp_path: Path) -> None:
    workspace.actor = "kommunikasjon"
    _kari_and_ola(workspace)
    workspace.close()

    def ok(*args: str) -> str:
        result = CliRunner().invoke(cli, ["-w", str(workspace.root), "privacy", *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    assert ok("consent", "ola-nordmann", "--basis", "f", "--source", "medlemsliste",
              "--given", "2026-02-01") == (
        "Recorded berettiget interesse for ola-nordmann, from 2026-02-01\n")
    listed = json.loads(ok("consents", "ola-nordmann", "--format", "json"))
    assert [(c["basis"], c["current"]) for c in listed] == [("berettiget interesse", True)]
    assert ok("withdraw", "kari-aune", "--date", "2026-09-01") == (
        "Withdrew samtykke of kari-aune on 2026-09-01; opted out of letters\n")
    assert ok("opt-in", "kari-aune") == "kari-aune receives letters again\n"
    assert ok("opt-out", "kari-aune") == "kari-aune has opted out of letters\n"
    assert ok("restrict", "kari-aune") == "kari-aune is now restricted\n"
    assert ok("unrestrict", "kari-aune") == "kari-aune is no longer restricted\n"
    out = tmp_path / "innsyn.json"
    ok("export", "kari-aune", "--out", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["stakeholder"]["id"] == "kari-aune"
    assert json.loads(ok("export", "kari-aune"))["stakeholder"]["name"] == "Kari Aune"
    actions = [e["action"] for e in json.loads(ok("audit", "--subject", "kari-aune",
                                                  "--format", "json"))]
    assert actions == ["consent", "withdraw", "opt_in", "opt_out", "restrict", "unrestrict",
                       "export", "export"]
    table = ok("audit", "--action", "import")
    assert "kommunikasjon" in table and "added=3" in table

    refused = CliRunner().invoke(cli, ["-w", str(workspace.root), "privacy", "erase",
                                       "kari-aune"])
    assert refused.exit_code == 1
    assert refused.stderr.strip().splitlines() == [
        "Error: erasing kari-aune cannot be undone; repeat with --yes to erase it "
        "(or 'privacy restrict' to keep the record but block its use)"]
    erased = ok("erase", "kari-aune", "--yes")
    assert erased.startswith("Erased kari-aune: now slettet-")
    unknown = CliRunner().invoke(cli, ["-w", str(workspace.root), "privacy", "export", "nobody"])
    assert unknown.exit_code == 1 and unknown.stderr == "Error: no stakeholder with id 'nobody'\n"
    missing = CliRunner().invoke(cli, ["-w", str(workspace.root), "privacy", "retention"])
    assert missing.exit_code == 1 and "retention_months" in missing.stderr


def test_cli_retention_dry_run_then_confirm(kept_workspace: Workspace) -> None:
    _retention_register(kept_workspace)
    kept_workspace.close()
    root = str(kept_workspace.root)
    dry = CliRunner().invoke(cli, ["-w", root, "privacy", "retention", "--as-of", "2026-06-30",
                                   "--format", "csv"])
    assert dry.exit_code == 0, dry.output
    assert dry.stdout.splitlines() == [
        "id,name,last_activity,last_interaction",
        "bjorn-berg,Bjørn Berg,2020-01-01,", "gro-hauge,Gro Hauge,2023-01-01,",
        "anne-alm,Anne Alm,2024-01-15,2024-01-15"]
    assert dry.stderr == (
        "3 past the retention period of 12 months (no activity since 2025-06-30); kept: "
        "1 restricted, 1 programme role, 1 consent; dry run: repeat with --confirm to erase "
        "them\n")
    done = CliRunner().invoke(cli, ["-w", root, "privacy", "retention", "--as-of",
                                    "2026-06-30", "--confirm", "--format", "json"])
    assert done.exit_code == 0, done.output
    assert [e["id"].startswith("slettet-") for e in json.loads(done.stdout)] == [True] * 3
    assert done.stderr.endswith("; erased 3\n")


@pytest.mark.sqlite_only
def test_cli_compact_rebuilds_the_file(workspace: Workspace) -> None:
    people(workspace, "Kari Aune")
    workspace.close()
    result = CliRunner().invoke(cli, ["-w", str(workspace.root), "privacy", "compact"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "Rebuilt the database file: no deleted data is left in it\n"
    wal = workspace.root / "interessent.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0
