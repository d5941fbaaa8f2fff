"""``import mail``: one interaction per message of an .eml, an .mbox or a folder of them,
a mass mail logged once as a mailing, hostile headers cleaned, bodies only when asked.

The workspace is the Osen example with Kari, Ola and Per (see test_import_calendar) and
22 more people outside the programme, m01 … m22; Ingrid Sæther is the programme's own.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import mailbox
import shutil
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

import interessent
from interessent import Workspace
from interessent.errors import PlanError
from test_import_calendar import PEOPLE, STAFF, interactions_in, one_error_line, run

MANY = [{"id": f"m{n:02d}", "name": f"Medlem {n}", "email": f"m{n:02d}@example.no"}
        for n in range(1, 23)]


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mail") / "osen"
    with interessent.init_workspace(root, example="osen") as ws:
        interessent.import_rows(ws, "stakeholders", PEOPLE + MANY)
    return root


@pytest.fixture
def ws_root(_template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "work space ? #"
    shutil.copytree(_template, root)
    return root


@pytest.fixture
def ws(ws_root: Path) -> Iterator[Workspace]:
    with Workspace(ws_root) as opened:
        yield opened


def message(sender: str, to: list[str], subject: str, date: str | None,
            message_id: str | None, cc: tuple[str, ...] = (), body: str = "Hei.\n") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = subject
    if date is not None:
        msg["Date"] = date
    if message_id is not None:
        msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg


FIRST = message("Kari Nes <Kari@Example.no>", [STAFF], "Søknad om tilskudd",
                "Tue, 03 Mar 2026 23:30:00 -0500", "<a1@example.no>",
                cc=("Ola Dal <ola@example.no>",))
HOSTILE_SUBJECT = base64.b64encode("Hei\x1b[2J\r\nBcc: evil@x\u202e".encode()).decode()


def mail_folder(tmp_path: Path) -> Path:
    """A folder of .eml files, counted by hand:
    - a1.eml: Kari to Ingrid (staff), Cc Ola; 23:30 on 3 March in New York (4 March in
      UTC): 3 March, Kari and Ola → an e-mail;
    - a2.eml: unknown@ukjent.example to Ingrid → no one outside the programme: skipped;
    - a3.eml: Per to Ingrid, a subject with ESC, CR LF and a bidi override → an e-mail
      with the subject cleaned;
    - mass.eml: Ingrid to m01 … m22 and Kari: 23 registered people > 20 → one mailing to
      all 23; it has no Message-ID (keyed by Date, From and Subject);
    - kopi/a1 again.eml: a1 once more → already imported (twice in this import);
    - notes.txt: no mail, not read.
    found 5, logged 3 (1 mailing), already 1, skipped 1, unknown unknown@ukjent.example."""
    folder = tmp_path / "innboks ? #"
    (folder / "kopi").mkdir(parents=True)
    (folder / "a1.eml").write_bytes(bytes(FIRST))
    (folder / "kopi" / "a1 again.eml").write_bytes(bytes(FIRST))
    (folder / "a2.eml").write_bytes(bytes(message(
        "Ukjent <unknown@ukjent.example>", [STAFF], "Spørsmål",
        "Wed, 04 Mar 2026 10:00:00 +0100", "<a2@example.no>")))
    (folder / "a3.eml").write_bytes(
        b"From: per@example.no\r\nTo: " + STAFF.encode() + b"\r\n"
        b"Subject: =?utf-8?b?" + HOSTILE_SUBJECT.encode() + b"?=\r\n"
        b"Date: Thu, 05 Mar 2026 09:00:00 +0100\r\nMessage-ID: <a3@example.no>\r\n"
        b"\r\nHei.\r\n")
    everyone = [f"m{n:02d}@example.no" for n in range(1, 23)] + ["kari@example.no"]
    (folder / "MASS.EML").write_bytes(bytes(message(
        STAFF, everyone, "Nyhetsbrev mars", "Fri, 06 Mar 2026 08:00:00 +0100", None)))
    (folder / "notes.txt").write_text("not mail", encoding="utf-8")
    return folder


def mbox_file(tmp_path: Path) -> Path:
    """An .mbox, counted by hand (imported after the folder):
    - b1: Ola to Kari, Cc Per; 00:30 on 2 March in Oslo (1 March in UTC): 2 March, all
      three; a body;
    - b2: Ingrid to Kari, a subject of 100,000 characters → cut to 300;
    - b3: no Date → not logged (without a usable date);
    - a1 again (same Message-ID) → already imported by the folder.
    found 4, logged 2, already 1, unreadable 1."""
    path = tmp_path / "arkiv ? #.mbox"
    box = mailbox.mbox(path)
    box.add(message("ola@example.no", ["kari@example.no"], "Møtereferat",
                    "Mon, 02 Mar 2026 00:30:00 +0100", "<b1@example.no>",
                    cc=("per@example.no",), body="Hei Kari,\r\nreferatet ligger ved.\r\n"))
    box.add(message(STAFF, ["kari@example.no"], "x" * 100_000,
                    "Tue, 10 Mar 2026 12:00:00 +0100", "<b2@example.no>"))
    box.add(message("ola@example.no", ["kari@example.no"], "Uten dato", None, "<b3@ex.no>"))
    box.add(FIRST)
    box.close()
    return path


def test_a_folder_then_an_mbox_each_message_once(ws: Workspace, ws_root: Path,
                                                 tmp_path: Path) -> None:
    before = interactions_in(ws_root)
    folder = interessent.import_mail(ws, mail_folder(tmp_path))
    assert (folder.found, folder.logged, folder.mailings, folder.already_imported,
            folder.without_outsider, folder.unreadable) == (5, 3, 1, 1, 1, 0)
    assert folder.unknown_addresses == ("unknown@ukjent.example",)
    stored = {i.topic: i for i in ws.store.interactions(ids=list(folder.ids))}
    assert set(stored) == {"Søknad om tilskudd", "Hei [2J Bcc: evil@x", "Nyhetsbrev mars"}
    first = stored["Søknad om tilskudd"]
    assert (first.date, first.kind, sorted(first.participants), first.notes) == (
        dt.date(2026, 3, 3), "email", ["kari", "ola"], None)
    mass = stored["Nyhetsbrev mars"]
    assert (mass.kind, len(mass.participants)) == ("mailing", 23)
    assert stored["Hei [2J Bcc: evil@x"].participants == ("per",)

    box = interessent.import_mail(ws, mbox_file(tmp_path))
    assert (box.found, box.logged, box.already_imported, box.unreadable,
            box.without_outsider) == (4, 2, 1, 1, 0)
    logged = sorted(ws.store.interactions(ids=list(box.ids)), key=lambda i: i.date)
    assert logged[0].date == dt.date(2026, 3, 2)
    assert sorted(logged[0].participants) == ["kari", "ola", "per"]
    assert logged[0].notes is None  # bodies are not stored unless asked for
    assert logged[1].topic is not None and len(logged[1].topic) == 300
    assert logged[1].topic.endswith("…")
    assert interactions_in(ws_root) == before + 5

    for path in (tmp_path / "innboks ? #", tmp_path / "arkiv ? #.mbox"):
        again = interessent.import_mail(ws, path)
        assert again.logged == 0
    assert interactions_in(ws_root) == before + 5


def test_bodies_only_when_asked(ws: Workspace, tmp_path: Path) -> None:
    result = interessent.import_mail(ws, mbox_file(tmp_path), bodies=True)
    notes = {i.topic: i.notes for i in ws.store.interactions(ids=list(result.ids))}
    assert notes["Møtereferat"] == "Hei Kari,\nreferatet ligger ved."


def test_one_eml_and_a_dry_run(ws: Workspace, ws_root: Path, tmp_path: Path) -> None:
    before = interactions_in(ws_root)
    path = tmp_path / "one ? #.eml"
    path.write_bytes(bytes(FIRST))
    dry = interessent.import_mail(ws, path, dry_run=True)
    assert (dry.found, dry.logged, dry.dry_run) == (1, 1, True)
    assert interactions_in(ws_root) == before
    assert interessent.import_mail(ws, path).logged == 1
    assert interactions_in(ws_root) == before + 1


def test_the_threshold_comes_from_the_plan(ws_root: Path, tmp_path: Path) -> None:
    plan = ws_root / "interessent.toml"
    plan.write_text(plan.read_text(encoding="utf-8") + '\n[capture]\nmass_mail_threshold = 1\n'
                    'mailing_kind = "letter"\n', encoding="utf-8")
    path = tmp_path / "one.eml"
    path.write_bytes(bytes(FIRST))  # to Ingrid, Cc Ola: two registered people > 1
    with Workspace(ws_root) as ws:
        result = interessent.import_mail(ws, path)
        assert result.mailings == 1
        assert [i.kind for i in ws.store.interactions(ids=list(result.ids))] == ["letter"]


def test_a_capture_kind_the_plan_lacks_is_a_plan_error(ws_root: Path) -> None:
    plan = ws_root / "interessent.toml"
    plan.write_text(plan.read_text(encoding="utf-8") + '\n[capture]\nmail_kind = "fax"\n',
                    encoding="utf-8")
    with Workspace(ws_root) as ws, pytest.raises(PlanError, match=r"capture\.mail_kind"):
        _ = ws.plan


def test_the_cli_prints_json(ws_root: Path, tmp_path: Path) -> None:
    folder = mail_folder(tmp_path)
    result = run("-w", ws_root, "import", "mail", folder, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "source_kind": "mail", "source": "innboks ? #", "found": 5, "logged": 3,
        "already_imported": 1, "without_outsider": 1, "mailings": 1, "cancelled": 0,
        "unreadable": 0, "unknown_addresses": ["unknown@ukjent.example"],
        "ids": data["ids"], "dry_run": False, "as_of": None}
    words = run("-w", ws_root, "import", "mail", folder).stdout
    assert "0 contacts logged" in words and "4 already imported" in words


@pytest.mark.parametrize(("make", "expected"), [
    (lambda p: p / "missing.mbox", "no such file or folder"),
    (lambda p: (p / "empty ? #").mkdir() or p / "empty ? #", "no .eml or .mbox file"),
    (lambda p: (p / "mail.msg").write_bytes(b"\xd0\xcf\x11\xe0") and p / "mail.msg",
     ".msg files cannot be read"),
])
def test_what_cannot_be_read_is_one_error_line(ws_root: Path, tmp_path: Path,
                                               make: object, expected: str) -> None:
    before = interactions_in(ws_root)
    path = make(tmp_path)  # type: ignore[operator]
    line = one_error_line(run("-w", ws_root, "import", "mail", path))
    assert expected in line
    assert interactions_in(ws_root) == before


def test_options_of_another_kind_of_import_are_refused(ws_root: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.eml"
    path.write_bytes(bytes(FIRST))
    result = run("-w", ws_root, "import", "mail", path, "--as-of", "2026-01-01")
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


def test_a_restricted_person_is_named_but_not_logged(ws: Workspace, tmp_path: Path) -> None:
    interessent.restrict(ws, "ola")
    path = tmp_path / "one.eml"
    path.write_bytes(bytes(FIRST))  # Kari to Ingrid (staff), Cc Ola (restricted)
    result = interessent.import_mail(ws, path)
    assert result.unknown_addresses == ()  # Ola is registered: not unknown
    assert ws.store.interactions(ids=list(result.ids))[0].participants == ("kari",)


def test_source_keys_are_one_per_row_of_interactions(ws: Workspace) -> None:
    with pytest.raises(interessent.InvalidInput, match="one key per row"):
        interessent.import_rows(ws, "interactions", [{"date": "2026-03-01", "kind": "call",
                                                      "participants": "kari"}],
                                source_keys=["a", "b"])
