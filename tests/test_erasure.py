"""Erasure touches only its person (issue 11, item 4).

Erasing a person changes their own record and the texts linked to them — the
interactions they took part in, the audit entries about them, their consents' sources —
and in those only what identifies them: their full name, id, e-mail and phone. Never an
address, never one word (a first name, a one-word name such as "Osen"), never a text
without a link to them: such a text is listed, not changed. ``plan_erasure`` (``privacy
erase --dry-run``) shows all of it first; when what follows the transaction fails the
error says what state the record is in; the workspace's files that hold them are named,
and with ``files`` cleaned.

The expected numbers are counted by hand from the register :func:`_register` makes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from interessent.cli import cli
from interessent.errors import ErasureIncomplete, InvalidInput, StoreError
from interessent.exporting import export
from interessent.importing import import_rows
from interessent.periods import Period
from interessent.privacy import (
    compact,
    erase,
    plan_erasure,
    record_consent,
    retention,
    withdraw_consent,
)
from interessent.registry import add_stakeholder, edit_stakeholder, log_interaction
from interessent.report import write_report
from interessent.store import AUDIT, CONSENTS, INT, ST
from interessent.workspace import PLAN_FILE, Workspace

AS_OF = dt.date(2026, 11, 26)
KARI = "Kari Nordvik"
KARI_MAIL = "kari.nordvik@example.no"


@pytest.fixture(autouse=True)
def _actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERESSENT_USER", "kommunikasjon")


def _register(ws: Workspace) -> None:
    """Kari Nordvik, who lives in Osen, and what is written about her.

    - Ola Berg, Per Lie and Eva Sand live in Osen too; Kari Lund shares her first name.
    - K1, a meeting Kari and Ola took part in, names her in its topic and notes (changes).
    - K2, a call with Kari alone: its notes are about her alone (cleared); its topic
      "Ungdom og arbeidsplasser i Osen" does not name her (stays).
    - K3, a meeting she did not take part in, names her and her phone in its notes: no
      link to her, so it stays as it is, and is listed.
    - K4 and K5 say "Osen" and "Kari" only: they stay, and are not listed.
    - Ola's notes name her: another person's record, no link to her: stays, listed.
    """
    add_stakeholder(ws, name=KARI, email=KARI_MAIL, phone="+47 913 57 246", address="Osen",
                    groups=["befolkningen"], influence=5, interest=5,
                    notes="Driver gårdsbutikk i Osen")
    for name in ("Ola Berg", "Per Lie", "Eva Sand"):
        add_stakeholder(ws, name=name, address="Osen", groups=["befolkningen"])
    add_stakeholder(ws, name="Kari Lund", address="Steinsdalen", groups=["befolkningen"])
    edit_stakeholder(ws, "ola-berg", notes=f"Nabo av {KARI} i Osen")
    import_rows(ws, "relationships", [
        {"source": "kari-nordvik", "target": "ola-berg", "kind": "knows"}])
    log_interaction(ws, id="K1", kind="meeting", date="2026-03-02", channel="direkte",
                    participants=["kari-nordvik", "ola-berg"], topic=f"Møte med {KARI} i Osen",
                    notes=f"{KARI} (tlf 913 57 246) og Kari Lund kom. Ola Berg bor i Osen.")
    log_interaction(ws, id="K2", kind="call", date="2026-03-03", channel="direkte",
                    participants=["kari-nordvik"], topic="Ungdom og arbeidsplasser i Osen",
                    notes=f"Ringte {KARI_MAIL} om Osen")
    log_interaction(ws, id="K3", kind="meeting", date="2026-03-04", channel="direkte",
                    participants=["per-lie"], topic="Ungdom og arbeidsplasser i Osen",
                    notes=f"Per nevnte {KARI} og 91357246")
    log_interaction(ws, id="K4", kind="meeting", date="2026-03-05", channel="direkte",
                    participants=["eva-sand"], topic="Ungdom og arbeidsplasser i Osen",
                    notes="Eva bor i Osen")
    log_interaction(ws, id="K5", kind="meeting", date="2026-03-06", channel="direkte",
                    participants=["kari-lund"], topic="Kari sa at Osen trenger folk")
    record_consent(ws, "kari-nordvik", basis="samtykke", source=f"skjema fra {KARI}",
                   given="2026-01-10")


def _texts(ws: Workspace) -> dict[str, str | None]:
    """Every free text in the register, by where it is (other people by id)."""
    found: dict[str, str | None] = {}
    with ws.store.read() as s:
        for iid, topic, notes in s.execute(select(INT.c.id, INT.c.topic, INT.c.notes)):
            found[f"interaction {iid} topic"] = topic
            found[f"interaction {iid} notes"] = notes
        for sid, notes, address in s.execute(select(ST.c.id, ST.c.notes, ST.c.address)):
            found[f"stakeholder {sid} notes"] = notes
            found[f"stakeholder {sid} address"] = address
        for apk, ref, detail in s.execute(select(AUDIT.c.pk, AUDIT.c.subject_ref,
                                                 AUDIT.c.detail)):
            found[f"audit entry #{apk} subject_ref"] = ref
            found[f"audit entry #{apk} detail"] = detail
        for cpk, source in s.execute(select(CONSENTS.c.pk, CONSENTS.c.source)):
            found[f"legal basis #{cpk} source"] = source
    return found


#: What changes outside Kari's own record, counted by hand from _register.
CHANGED = {
    "interaction K1 topic": "Møte med [slettet] i Osen",
    "interaction K1 notes": "[slettet] (tlf [slettet]) og Kari Lund kom. Ola Berg bor i Osen.",
    "interaction K2 notes": None,
    "legal basis #1 source": None,
}
#: Texts that name her but have no link to her: left, and listed.
UNTOUCHED = ("interaction K3 notes", "stakeholder ola-berg notes")


def _check_only_linked_texts_change(ws: Workspace) -> None:
    _register(ws)
    before = _texts(ws)
    holding_osen = {w for w, t in before.items() if t and "Osen" in t
                    and "kari-nordvik" not in w}
    # K1 topic and notes, K2 topic and notes, K3 topic, K4 topic and notes, K5 topic,
    # Ola's notes, and the addresses of Ola, Per and Eva
    assert len(holding_osen) == 12

    done = erase(ws, "kari-nordvik")

    after = _texts(ws)
    with ws.store.read() as s:
        entry = max(s.scalars(select(AUDIT.c.pk)))
    assert set(after) - set(before) == {  # her record under its new id, the erase entry
        f"stakeholder {done.id} notes", f"stakeholder {done.id} address",
        f"audit entry #{entry} subject_ref", f"audit entry #{entry} detail"}
    assert after[f"stakeholder {done.id} notes"] is None
    assert after[f"stakeholder {done.id} address"] is None
    changed = {w: after[w] for w in before if "kari-nordvik" not in w and before[w] != after[w]}
    assert changed == CHANGED
    for where in UNTOUCHED:
        assert after[where] == before[where] and KARI in (after[where] or "")
    # of the 12 texts that say "Osen", K2's notes were cleared (about her alone) and K1's
    # topic and notes lost her name: "Osen" itself was never scrubbed
    assert {w for w in holding_osen if after[w] != before[w]} == {
        "interaction K1 topic", "interaction K1 notes", "interaction K2 notes"}
    assert all("Osen" in (after[w] or "") for w in holding_osen - {"interaction K2 notes"})
    assert (done.relationships_removed, done.participations_kept, done.notes_cleared,
            done.texts_scrubbed, done.consents_kept) == (1, 2, 1, 2, 1)
    assert done.untouched == UNTOUCHED


def test_only_the_texts_linked_to_the_person_change(workspace: Workspace) -> None:
    _check_only_linked_texts_change(workspace)


@pytest.mark.postgresql
def test_only_the_texts_linked_to_the_person_change_on_postgresql(
        tmp_path: Path, plan_text: str, pg_url: str) -> None:
    root = tmp_path / "pg"
    root.mkdir()
    (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
    with Workspace(root, db=pg_url) as ws:
        assert ws.store.engine.dialect.name == "postgresql"
        _check_only_linked_texts_change(ws)


# --- the plan ------------------------------------------------------------------------------


def _check_plan_is_what_erase_does(ws: Workspace) -> None:
    _register(ws)
    before = _texts(ws)
    plan = plan_erasure(ws, "kari-nordvik")
    assert _texts(ws) == before  # a plan changes nothing

    assert plan.looked_for == (f"full name «{KARI}»", f"e-mail «{KARI_MAIL}»",
                               "phone «+47 913 57 246»")
    assert plan.not_looked_for == ("address «Osen»: a place is not a person",)
    assert [c.where for c in plan.changes] == [
        "record name", "record id", "record email", "record phone", "record address",
        "record legal_basis", "record notes", "legal basis #1 source",
        "interaction K1 topic", "interaction K1 notes", "interaction K2 notes"]
    by_where = {c.where: (c.before, c.after) for c in plan.changes}
    assert by_where["interaction K1 topic"] == (f"Møte med {KARI} i Osen",
                                                "Møte med [slettet] i Osen")
    assert by_where["interaction K2 notes"] == (f"Ringte {KARI_MAIL} om Osen", None)
    assert by_where["record name"] == (KARI, f"Slettet person #{plan.pk}")
    assert by_where["record id"] == ("kari-nordvik", plan.new_id)
    assert by_where["record address"] == ("Osen", None)
    assert [(m.where, m.text) for m in plan.untouched] == [
        ("interaction K3 notes", f"Per nevnte {KARI} og 91357246"),
        ("stakeholder ola-berg notes", f"Nabo av {KARI} i Osen")]
    assert (plan.relationships, plan.participations, plan.consents) == (1, 2, 1)

    done = erase(ws, "kari-nordvik")
    assert done.texts == tuple(c.where for c in plan.changes)
    assert done.untouched == tuple(m.where for m in plan.untouched)
    assert done.id == plan.new_id
    after = _texts(ws)
    for c in plan.changes:
        if not c.where.startswith("record"):
            assert after[c.where] == c.after, c.where


def test_the_plan_is_what_erase_does(workspace: Workspace) -> None:
    _check_plan_is_what_erase_does(workspace)


@pytest.mark.postgresql
def test_the_plan_is_what_erase_does_on_postgresql(tmp_path: Path, plan_text: str,
                                                    pg_url: str) -> None:
    root = tmp_path / "pg"
    root.mkdir()
    (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
    with Workspace(root, db=pg_url) as ws:
        _check_plan_is_what_erase_does(ws)


def test_a_one_word_name_and_an_address_are_never_looked_for(workspace: Workspace) -> None:
    _register(workspace)
    add_stakeholder(workspace, name="Osen", address="Osen", groups=["befolkningen"])
    log_interaction(workspace, id="K6", kind="meeting", date="2026-04-01",
                    channel="direkte", participants=["osen", "eva-sand"],
                    topic="Osen og Osen", notes="Møte i Osen")
    before = _texts(workspace)
    plan = plan_erasure(workspace, "osen")
    assert plan.looked_for == ()
    assert plan.not_looked_for == ("full name «Osen»: one word is not a person",
                                   "id «osen»: one word is not a person",
                                   "address «Osen»: a place is not a person")
    done = erase(workspace, "osen")
    assert (done.texts_scrubbed, done.untouched) == (0, ())
    after = _texts(workspace)
    assert {w for w in before if before[w] != after.get(w) and "osen" not in w.split()} == set()
    assert after["interaction K6 topic"] == "Osen og Osen"


def test_a_name_another_person_has_too_is_not_scrubbed(workspace: Workspace) -> None:
    add_stakeholder(workspace, name="Ola Nordmann", email="ola.en@example.no")
    add_stakeholder(workspace, name="Ola Nordmann", email="ola.to@example.no")
    log_interaction(workspace, id="K1", kind="meeting", date="2026-04-01",
                    channel="direkte", participants=["ola-nordmann", "ola-nordmann-2"],
                    notes="Ola Nordmann (ola.en@example.no) og Ola Nordmann kom")
    plan = plan_erasure(workspace, "ola-nordmann")
    assert plan.not_looked_for == ("full name «Ola Nordmann»: ola-nordmann-2 has it too",)
    assert plan.looked_for == ("e-mail «ola.en@example.no»",)
    erase(workspace, "ola-nordmann")
    assert _texts(workspace)["interaction K1 notes"] == (
        "Ola Nordmann ([slettet]) og Ola Nordmann kom")


def test_an_interaction_the_person_hosted_is_linked_to_them(workspace: Workspace) -> None:
    _register(workspace)
    log_interaction(workspace, id="K7", kind="meeting", date="2026-04-02", channel="direkte",
                    participants=["per-lie", "eva-sand"], host="kari-nordvik",
                    topic=f"Dugnad hos {KARI}", notes="Per og Eva kom")
    done = erase(workspace, "kari-nordvik")
    after = _texts(workspace)
    assert (after["interaction K7 topic"], after["interaction K7 notes"]) == (
        "Dugnad hos [slettet]", "Per og Eva kom")
    assert "interaction K7 topic" in done.texts and done.texts_scrubbed == 3  # K1 ×2, K7


def test_retention_erases_by_the_same_rule(
        make_workspace: Callable[[str], Workspace]) -> None:
    ws = make_workspace("kept")
    text = ws.plan_path.read_text(encoding="utf-8")
    ws.plan_path.write_text(text.replace('language = "nn"\n',
                                         'language = "nn"\nretention_months = 6\n'),
                            encoding="utf-8")
    _register(ws)
    for who in ("ola-berg", "per-lie", "eva-sand", "kari-lund"):  # kept: a valid consent
        record_consent(ws, who, basis="samtykke", source="skjema", given="2026-01-01",
                       expires="2031-12-31")
    withdraw_consent(ws, "kari-nordvik", on="2026-02-01")
    with ws.store.write() as s:  # registered long ago; the last contacts were in March 2026
        s.execute(update(ST).values(created_at=dt.datetime(2020, 1, 1)))
    before = _texts(ws)
    # Retention may not look into the future when it erases: as of today, six months back
    # is after every contact of the register (the latest is 2026-03-05).
    report = retention(ws, as_of=dt.date.today(), confirm=True)
    assert [e.untouched for e in report.erased] == [UNTOUCHED]
    after = _texts(ws)
    assert after["interaction K1 topic"] == CHANGED["interaction K1 topic"]
    for where in (*UNTOUCHED, "interaction K4 topic", "stakeholder per-lie address"):
        assert after[where] == before[where]


# --- the command line ----------------------------------------------------------------------


def _cli(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["-w", str(root), "privacy", *args])
    return result.exit_code, result.stdout, result.stderr


def test_cli_dry_run_lists_each_change_and_changes_nothing(workspace: Workspace) -> None:
    _register(workspace)
    before = _texts(workspace)
    workspace.close()
    code, out, err = _cli(workspace.root, "erase", "kari-nordvik", "--dry-run")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("Erasing kari-nordvik (Kari Nordvik) would make it slettet-")
    assert "Not looked for: address «Osen»: a place is not a person" in lines
    assert f"  interaction K1 topic: «Møte med {KARI} i Osen» → «Møte med [slettet] i Osen»" \
        in lines
    assert f"  interaction K2 notes: «Ringte {KARI_MAIL} om Osen» → (cleared)" in lines
    assert "Texts that change (11):" in lines
    assert f"  stakeholder ola-berg notes: «Nabo av {KARI} i Osen»" in lines
    assert lines[-1] == "Dry run: nothing was changed. Repeat with --yes to erase."
    assert _texts(workspace) == before

    code, out, err = _cli(workspace.root, "erase", "kari-nordvik")
    assert code == 1 and out == ""
    assert err.startswith("Error: erasing kari-nordvik cannot be undone; repeat with --yes")
    assert _texts(workspace) == before


@pytest.mark.postgresql
def test_cli_dry_run_then_erase_on_postgresql(tmp_path: Path, plan_text: str,
                                              pg_url: str) -> None:
    root = tmp_path / "pg"
    root.mkdir()
    (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
    with Workspace(root, db=pg_url) as ws:
        _register(ws)
        before = _texts(ws)

    def run(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(cli, ["-w", str(root), "--db", pg_url, "privacy", *args])
        return result.exit_code, result.stdout, result.stderr

    code, out, _ = run("erase", "kari-nordvik", "--dry-run")
    assert code == 0 and "Texts that change (11):" in out
    with Workspace(root, db=pg_url) as ws:
        assert _texts(ws) == before
    code, out, err = run("erase", "kari-nordvik", "--yes")
    assert code == 0 and out.startswith("Erased kari-nordvik: now slettet-")
    assert "VACUUM FULL" in err
    with Workspace(root, db=pg_url) as ws:
        after = _texts(ws)
    assert {w: after[w] for w in CHANGED} == CHANGED


def test_cli_dry_run_escapes_control_characters(workspace: Workspace) -> None:
    add_stakeholder(workspace, name="Kari Nordvik")
    with workspace.store.write() as s:  # stored before names were checked
        s.execute(update(ST).where(ST.c.id == "kari-nordvik").values(
            name="Kari \x1b[2J Nordvik", notes="a\x07b\nc"))
    workspace.close()
    code, out, _ = _cli(workspace.root, "erase", "kari-nordvik", "--dry-run")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "«Kari \\u001b[2J Nordvik»" in out and "«a\\u0007b\\nc» → (cleared)" in out


# --- what state the record is in when erasure cannot finish --------------------------------


@contextlib.contextmanager
def _small_disk(tmp_path: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` (root may mount one; skipped where mounting is not allowed)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                           str(mount)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a size-limited tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _big_workspace(root: Path, plan_text: str) -> Workspace:
    """A workspace whose database is a few MB, with Kari in it."""
    root.mkdir()
    (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
    ws = Workspace(root)
    import_rows(ws, "stakeholders", [{"name": f"Person {i} Fyll", "notes": "x" * 400}
                                     for i in range(4000)])
    _register(ws)
    return ws


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` but ``leave`` bytes."""
    filler = disk / "filler"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as stream:
        stream.write(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.sqlite_only
def test_a_full_disk_after_the_commit_says_the_record_is_erased_but_not_compacted(
        tmp_path: Path, plan_text: str) -> None:
    with _small_disk(tmp_path, "12m") as disk:
        ws = _big_workspace(disk / "ws", plan_text)
        ws.close()
        filler = _fill(disk, 768 * 1024)  # room for the erasure, not to rebuild the file
        code, out, err = _cli(ws.root, "erase", "kari-nordvik", "--yes")
        assert code == 1
        assert out.startswith("Erased kari-nordvik: now slettet-")
        new_id = out.split("now ", 1)[1].split(";")[0]
        assert err.splitlines() == [
            f"Error: kari-nordvik is erased in the database (now {new_id}), but the "
            "database file could not be rebuilt (the disk is full: sqlite:///"
            f"{ws.root / 'interessent.db'}), so the erased data may remain in it until it "
            "is compacted; run 'interessent privacy compact' when there is room"]
        with Workspace(ws.root) as again:  # the record is erased, as the message says
            assert again.store.pk_ids(["kari-nordvik", new_id]) == [new_id]
        filler.unlink()
        code, out, err = _cli(ws.root, "compact")
        assert (code, err) == (0, "")
        data = b"".join(p.read_bytes() for p in ws.root.glob("interessent.db*"))
        assert KARI.encode() in data  # K3 and Ola's notes, which have no link to her
        assert KARI_MAIL.encode() not in data and b"+47 913 57 246" not in data


@pytest.mark.sqlite_only
def test_a_full_disk_before_the_commit_erases_nothing_and_says_so(
        tmp_path: Path, plan_text: str) -> None:
    with _small_disk(tmp_path, "12m") as disk:
        ws = _big_workspace(disk / "ws", plan_text)
        ws.close()
        filler = _fill(disk, 16 * 1024)
        with pytest.raises(StoreError) as caught, Workspace(ws.root) as full:
            erase(full, "kari-nordvik")
        assert str(caught.value).startswith(
            "kari-nordvik was not erased, the register is as it was: the disk ")
        filler.unlink()
        with Workspace(ws.root) as again:
            assert again.store.pk_ids(["kari-nordvik"]) == ["kari-nordvik"]
            assert _texts(again)["interaction K1 topic"] == f"Møte med {KARI} i Osen"


_READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN")
conn.execute("SELECT count(*) FROM stakeholders").fetchone()
print("reading", flush=True)
sys.stdin.readline()
"""


@pytest.mark.sqlite_only
def test_a_reader_holding_the_file_leaves_it_erased_but_not_compacted(
        workspace: Workspace) -> None:
    _register(workspace)
    workspace.close()
    db = workspace.root / "interessent.db"
    reader = subprocess.Popen([sys.executable, "-c", _READER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout is not None and reader.stdout.readline() == "reading\n"
        code, out, err = _cli(workspace.root, "erase", "kari-nordvik", "--yes")
    finally:
        reader.communicate("\n", timeout=30)
    assert code == 1
    new_id = out.split("now ", 1)[1].split(";")[0]
    assert err == (f"Error: kari-nordvik is erased in the database (now {new_id}), but the "
                   "database file could not be rebuilt: another process is using it, and the "
                   "erased data may remain in the file's free space and write-ahead log "
                   "until 'interessent privacy compact' succeeds\n")
    with Workspace(workspace.root) as ws:
        assert ws.store.pk_ids(["kari-nordvik"]) == []
        assert compact(ws) is True


# --- the workspace's files -----------------------------------------------------------------

#: A list as Norwegian Excel saves it: cp1252, ';', CRLF; Ola's notes name Kari over two
#: lines inside quotes.
FOLK = ("id;navn;e-post;adresse;notater\r\n"
        f'ola-berg;Ola Berg;;Osen;"Nabo av {KARI},\r\nbor i Osen"\r\n'
        f"kari-nordvik;{KARI};{KARI_MAIL};Osen;Gårdsbutikk\r\n"
        "kari-lund;Kari Lund;;Steinsdalen;Søster av Ola\r\n"
        "per-lie;Per Lie;;Osen;Bor i Osen\r\n")


def _files(ws: Workspace) -> None:
    root = ws.root
    (root / "data").mkdir()
    (root / "data" / "folk.csv").write_bytes(FOLK.encode("cp1252"))
    (root / "data" / "relasjoner.csv").write_bytes(
        b"\xef\xbb\xbffra,til,type\nkari-nordvik,ola-berg,knows\nper-lie,ola-berg,knows\n")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "interessenter"
    for row in (("id", "navn", "e-post"), ("ola-berg", "Ola Berg", "ola@example.no"),
                ("kari-nordvik", KARI, KARI_MAIL), ("per-lie", "Per Lie", None)):
        sheet.append(row)
    book.save(root / "data" / "liste.xlsx")
    letters = root / "utkast" / "brev-2026-11-26"
    letters.mkdir(parents=True)
    (letters / "kari-nordvik.md").write_text("Hei Kari!\n", encoding="utf-8")
    (letters / "ola-berg.md").write_text("Hei Ola!\n", encoding="utf-8")
    (letters / "per-lie.md").write_text(f"Hei Per! {KARI} kommer også.\n", encoding="utf-8")
    mail = EmailMessage()
    mail["To"] = f"Kari <{KARI_MAIL}>"
    mail["From"] = "post@example.no"
    mail["Subject"] = "Invitasjon"
    mail.set_content("Hei!")
    (root / "utkast" / "epost").mkdir()
    (root / "utkast" / "epost" / "invitasjon.eml").write_bytes(bytes(mail))
    (root / "notater.txt").write_text("Kari sa hei fra Osen\n", encoding="utf-8")
    write_report(ws, Period.year(2026), as_of=AS_OF, fmt="html")
    (root / "eksport").mkdir()
    with (root / "eksport" / "interessenter.json").open("w", encoding="utf-8") as stream:
        export(ws, "stakeholders", stream, fmt="json")


REPORT = "rapporter/rapport-2026-2026-11-26.html"


@pytest.mark.sqlite_only
def test_files_that_hold_the_person_are_named_and_cleaned(workspace: Workspace) -> None:
    ws = workspace
    _register(ws)
    _files(ws)
    assert KARI in (ws.root / REPORT).read_text(encoding="utf-8")  # the power/interest grid
    with sqlite3.connect(ws.root / "interessent.db") as source, \
            sqlite3.connect(ws.root / "backup.db") as target:
        source.backup(target)
    xlsx_before = openpyxl.load_workbook(ws.root / "data" / "liste.xlsx")

    def rel(t: object) -> str:
        return str(t.path.relative_to(ws.root))  # type: ignore[attr-defined]

    plan = plan_erasure(ws, "kari-nordvik")
    assert {rel(t): (t.kind, t.action, t.rows, t.other_rows) for t in plan.files} == {
        "backup.db": ("database", "none", (), ()),
        "data/folk.csv": ("list", "remove rows", ("3",), ("2",)),
        "data/liste.xlsx": ("list", "remove rows", ("interessenter!3",), ()),
        "data/relasjoner.csv": ("list", "remove rows", ("2",), ()),
        "eksport/interessenter.json": ("file", "none", (), ()),
        REPORT: ("report", "remake", (), ()),
        "utkast/brev-2026-11-26/kari-nordvik.md": ("letter", "delete", (), ()),
        "utkast/brev-2026-11-26/per-lie.md": ("file", "none", (), ()),
        "utkast/epost/invitasjon.eml": ("letter", "delete", (), ()),
    }
    assert (ws.root / "data" / "folk.csv").read_bytes() == FOLK.encode("cp1252")  # a plan

    done = erase(ws, "kari-nordvik", files=True)

    assert {rel(t): (t.done, t.holds) for t in done.files} == {
        "backup.db": ("", True),
        "data/folk.csv": ("removed 1 row", True),  # Ola's notes still name her
        "data/liste.xlsx": ("removed 1 row", False),
        "data/relasjoner.csv": ("removed 1 row", False),
        "eksport/interessenter.json": ("", True),
        REPORT: ("made again", False),
        "utkast/brev-2026-11-26/kari-nordvik.md": ("deleted", False),
        "utkast/brev-2026-11-26/per-lie.md": ("", True),
        "utkast/epost/invitasjon.eml": ("deleted", False),
    }
    # the other rows byte for byte, in their encoding, separator and line ends
    assert (ws.root / "data" / "folk.csv").read_bytes() == (
        FOLK.replace(f"kari-nordvik;{KARI};{KARI_MAIL};Osen;Gårdsbutikk\r\n", "")
        .encode("cp1252"))
    assert (ws.root / "data" / "relasjoner.csv").read_bytes() == (
        b"\xef\xbb\xbffra,til,type\nper-lie,ola-berg,knows\n")
    sheet = openpyxl.load_workbook(ws.root / "data" / "liste.xlsx")["interessenter"]
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [
        ("id", "navn", "e-post"), ("ola-berg", "Ola Berg", "ola@example.no"),
        ("per-lie", "Per Lie", None)]
    assert len(list(xlsx_before["interessenter"].iter_rows())) == 4
    with zipfile.ZipFile(ws.root / "data" / "liste.xlsx") as archive:
        xml = b"".join(archive.read(n) for n in archive.namelist())
    assert b"Nordvik" not in xml and b"kari" not in xml
    assert (ws.root / "utkast" / "brev-2026-11-26" / "ola-berg.md").read_text(
        encoding="utf-8") == "Hei Ola!\n"
    assert KARI not in (ws.root / REPORT).read_text(encoding="utf-8")
    assert (ws.root / "notater.txt").read_text(encoding="utf-8") == "Kari sa hei fra Osen\n"


@pytest.mark.postgresql
def test_files_are_cleaned_on_postgresql_too(tmp_path: Path, plan_text: str,
                                             pg_url: str) -> None:
    root = tmp_path / "pg"
    root.mkdir()
    (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
    with Workspace(root, db=pg_url) as ws:
        _register(ws)
        _files(ws)
        done = erase(ws, "kari-nordvik", files=True)
        assert done.compacted is False  # PostgreSQL: VACUUM FULL is the administrator's
        assert {str(t.path.relative_to(root)) for t in done.files if t.holds} == {
            "data/folk.csv", "eksport/interessenter.json", "utkast/brev-2026-11-26/per-lie.md"}
        assert (root / "data" / "folk.csv").read_bytes() == (
            FOLK.replace(f"kari-nordvik;{KARI};{KARI_MAIL};Osen;Gårdsbutikk\r\n", "")
            .encode("cp1252"))


@pytest.mark.sqlite_only
def test_a_file_that_cannot_be_changed_is_named_with_the_state(
        tmp_path: Path, plan_text: str) -> None:
    with _small_disk(tmp_path, "8m") as disk:
        root = disk / "ws"
        root.mkdir()
        (root / PLAN_FILE).write_text(plan_text, encoding="utf-8")
        ws = Workspace(root)
        _register(ws)
        compact(ws)
        ws.close()
        # a list larger than the room left: its new copy cannot be written
        rows = "".join(f"per-{n};Per {n};;Osen;{'y' * 200}\r\n" for n in range(5000))
        folk = (FOLK + rows).encode("cp1252")
        (root / "data").mkdir()
        (root / "data" / "folk.csv").write_bytes(folk)
        (root / "kari-nordvik.md").write_text("Hei Kari!\n", encoding="utf-8")
        filler = _fill(disk, 640 * 1024)
        with Workspace(root) as full, pytest.raises(ErasureIncomplete) as caught:
            erase(full, "kari-nordvik", files=True)
        filler.unlink()
        assert (root / "data" / "folk.csv").read_bytes() == folk  # whole or not at all
        assert [p.name for p in (root / "data").iterdir()] == ["folk.csv"]  # no temp file
        with Workspace(root) as again:
            assert again.store.pk_ids(["kari-nordvik"]) == []
    message = str(caught.value)
    new_id = caught.value.erasure.id  # type: ignore[attr-defined]
    assert message == (
        f"kari-nordvik is erased in the database (now {new_id}), but data/folk.csv could "
        "not be changed: No space left on device, it still holds them")
    files = {t.path.name: (t.done, t.holds) for t in caught.value.erasure.files}  # type: ignore[attr-defined]
    assert files == {"kari-nordvik.md": ("deleted", False), "folk.csv": ("", True)}


def test_an_unknown_or_erased_person_is_refused(workspace: Workspace) -> None:
    _register(workspace)
    add_stakeholder(workspace, name="Osen Sjømat AS", kind="organisation")
    with pytest.raises(InvalidInput, match="organisation"):
        plan_erasure(workspace, "osen-sjomat-as")
    done = erase(workspace, "kari-nordvik")
    with pytest.raises(InvalidInput, match="was erased on"):
        plan_erasure(workspace, done.id)
