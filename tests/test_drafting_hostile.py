"""Drafting under hostile data and rude interruptions (issue 11, items 2, 10 and 13).

- **Mail headers**: a name, an address, a subject, a signer, a rule or a programme name
  that tries to become a header (CR/LF, RFC 2047 encoded words, commas, angle brackets,
  quotes, semicolons, very long or non-ASCII text). Every letter is checked by parsing the
  written file with the ``email`` package: one ``To`` address, the recipient's; no ``Cc``
  or ``Bcc``; the subject decodes to what the template made.
- **Interrupted runs**: ``interessent draft`` in a process of its own, killed with SIGKILL
  (or interrupted with SIGINT) half-way; what is on disk, and what the next run leaves.
- **Values in letters**: what a value can do in each format (md, txt, html, eml, docx),
  checked by parsing the result (Markdown with markdown-it, HTML with html.parser).
"""

from __future__ import annotations

import base64
import datetime as dt
import email
import email.policy
import fcntl
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from interessent.drafting import draft, mail
from interessent.drafting.text import _header_text
from interessent.model import Stakeholder
from interessent.workspace import Workspace

AS_OF = dt.date(2026, 11, 26)


@pytest.fixture
def template(osen: Workspace) -> Callable[[str, str], Path]:
    """Writes a template file into the workspace's templates/ folder."""

    def write(name: str, source: str) -> Path:
        path = osen.templates_path / name
        path.write_text(source, encoding="utf-8")
        return path

    return write


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _set_column(ws: Workspace, sid: str, column: str, value: str) -> None:
    """Store a value as it may already be in a database, past any check on the way in."""
    assert column in ("name", "email")
    with ws.store.write() as session:
        session.execute(text(f"UPDATE stakeholders SET {column} = :v WHERE id = :id"),
                        {"v": value, "id": sid})


def _person(ws: Workspace, sid: str, name: str, address: str = "kari@example.org") -> None:
    ws.store.add_stakeholder(Stakeholder(id=sid, name="Kari Nord", email="kari@example.org",
                                         groups=("befolkningen",)))
    _set_column(ws, sid, "name", name)
    _set_column(ws, sid, "email", address)


# --- mail headers -------------------------------------------------------------------------

SUBJECT_TEMPLATE = ('{% extends "base.j2" %}{% set subject = "Hei " ~ recipient.name %}'
                    "{% block body %}Tekst.{% endblock %}")
#: the headers an e-mail letter has; nothing in the data can add one
HEADERS = {"From", "To", "Subject", "Date", "Message-ID", "X-Unsent", "X-Interessent-Template",
           "X-Interessent-Signer", "X-Interessent-Rule", "MIME-Version", "Content-Type",
           "Content-Transfer-Encoding"}
EW_BCC = "=?utf-8?q?=0D=0ABcc=3A_spy=40evil=2Eexample?="  # decodes to "\r\nBcc: spy@…"
EW_ADDRESS = "=?utf-8?b?PHNweUBldmlsLmV4YW1wbGU+?="  # decodes to "<spy@evil.example>"

# (the name as stored, the name as a header shows it: one line, control characters gone)
HOSTILE_NAMES = [
    (EW_BCC, EW_BCC),
    (f"Kari {EW_ADDRESS} Nord", f"Kari {EW_ADDRESS} Nord"),
    ("Eve\r\nBcc: spy@evil.example", "Eve Bcc: spy@evil.example"),
    ("Eve\nCc: spy@evil.example\n\nbody", "Eve Cc: spy@evil.example body"),
    ("Nord, Kari <spy@evil.example>", "Nord, Kari <spy@evil.example>"),
    ('"Kari" <spy@evil.example>; Ola <spy2@evil.example>',
     '"Kari" <spy@evil.example>; Ola <spy2@evil.example>'),
    ('Kari \\" <spy@evil.example> (x', 'Kari \\" <spy@evil.example> (x'),
    ("Kari: Nord; group:;", "Kari: Nord; group:;"),
    ("Bjørn Åsmund Lie-Ødegård", "Bjørn Åsmund Lie-Ødegård"),
    ("Ærlig, Øyvind «Åse» (Ørsta) 😀", "Ærlig, Øyvind «Åse» (Ørsta) 😀"),
    ("\x00\x1b[31mKari\x07\u202eNord\t", "[31mKari Nord"),
]


def _parse(path: Path) -> EmailMessage:
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def _check_headers(path: Path, *, to: str) -> EmailMessage:
    """The written letter read back: only our headers, each once, one recipient (``to``)."""
    data = path.read_bytes()
    head = data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert all(len(line) <= 998 for line in head.split(b"\r\n"))
    assert not re.search(rb"^(Bcc|Cc|Resent-[A-Za-z]+|Reply-To|Sender):", data,
                         flags=re.MULTILINE | re.IGNORECASE)
    msg = _parse(path)
    assert set(msg.keys()) <= HEADERS | {"X-Interessent-Cleared-By"}
    assert len(msg.keys()) == len(set(msg.keys()))
    assert msg["Cc"] is None and msg["Bcc"] is None
    assert [a.addr_spec for a in msg["To"].addresses] == [to]
    assert msg.defects == [] and msg["To"].defects == () and msg["Subject"].defects == ()
    return msg


@pytest.mark.parametrize(("stored", "shown"), HOSTILE_NAMES)
def test_a_hostile_name_stays_a_name_in_to_and_subject(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path],
        stored: str, shown: str) -> None:
    _person(osen, "kari", stored)
    template("emne.j2", SUBJECT_TEMPLATE)
    run = draft(osen, "emne", stakeholders=["kari"], fmt="eml", out=tmp_path / "out",
                as_of=AS_OF)
    msg = _check_headers(tmp_path / "out" / "kari.eml", to="kari@example.org")
    assert msg["To"].addresses[0].display_name == shown
    assert msg["Subject"] == f"Hei {shown}" == run.letters[0].subject
    body = msg.get_body(("plain",))
    assert body is not None and "Tekst." in body.get_content()


@pytest.mark.parametrize("name", [f"Kari{EW_BCC}Nord", "K" * 3000,
                                  "æøå " * 400 + "<spy@evil.example>"])
def test_a_long_name_is_folded_and_stays_one_address(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path], name: str) -> None:
    _person(osen, "kari", name)
    template("emne.j2", SUBJECT_TEMPLATE)
    draft(osen, "emne", stakeholders=["kari"], fmt="eml", out=tmp_path / "out", as_of=AS_OF)
    msg = _check_headers(tmp_path / "out" / "kari.eml", to="kari@example.org")
    assert msg["Subject"] == "Hei " + name.strip()
    # a run of more than 45 bytes needs several encoded words; Python reads a space between
    # two of them in a display name (RFC 2047 §6.2 says to ignore it): compare without spaces
    shown = msg["To"].addresses[0].display_name
    assert shown.replace(" ", "") == name.replace(" ", "")


@pytest.mark.parametrize(("stored", "written"), [
    ('"kari,nord"@example.org', '"kari,nord"@example.org'),
    ("kari@østfold.no", "kari@xn--stfold-9xa.no"),
])
def test_an_unusual_but_valid_address_is_one_address(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path],
        stored: str, written: str) -> None:
    _person(osen, "kari", "Kari Nord", stored)
    template("emne.j2", SUBJECT_TEMPLATE)
    draft(osen, "emne", stakeholders=["kari"], fmt="eml", out=tmp_path / "out", as_of=AS_OF)
    msg = _check_headers(tmp_path / "out" / "kari.eml", to=written)
    assert msg["To"].addresses[0].display_name == "Kari Nord"


@pytest.mark.parametrize("address", [
    "kari@example.org\r\nBcc: spy@evil.example", "kari@example.org, spy@evil.example",
    "Kari <kari@example.org>", "kari@example.org>, <spy@evil.example",
    f"{EW_BCC}@example.org", "kåre@example.org", "kari@example.org;spy@evil.example",
])
def test_an_address_that_is_not_one_address_is_skipped_with_the_reason(
        osen: Workspace, tmp_path: Path, address: str) -> None:
    _person(osen, "kari", "Kari Nord", address)
    run = draft(osen, "dialogmote", stakeholders=["kari", "osen-sjomat"], fmt="eml",
                out=tmp_path / "out", as_of=AS_OF)
    assert [(s.id, s.reason.split(" ")[0]) for s in run.skipped] == [("kari", "invalid")]
    assert _files(tmp_path / "out") == ["osen-sjomat.eml"]


def test_hostile_signer_rule_and_programme_name_stay_in_their_headers(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path]) -> None:
    signer = draft(osen, "dialogmote", stakeholders=["osen-sjomat"], fmt="eml",
                   as_of=AS_OF, write=False).signature
    hostile = f"{EW_BCC} <spy@evil.example>, \"x\"; y"
    _set_column(osen, signer.stakeholder, "name", f"Per {hostile}")
    plan = osen.root / "interessent.toml"
    source = plan.read_text(encoding="utf-8")
    rule = ("Daglig leder i omstillingsorganisasjonen er ansvarlig for det daglige "
            "kommunikasjonens- og informasjonsarbeidet")
    assert source.count('name = "Omstillingsprogrammet i Osen"') == 1 and rule in source
    source = source.replace('name = "Omstillingsprogrammet i Osen"',
                            f"name = {_toml(f'Programmet {hostile}')}")
    plan.write_text(source.replace(rule, f"Regel {hostile.replace(chr(34), '')}"),
                    encoding="utf-8")
    template("utenemne.j2", '{% extends "base.j2" %}{% block body %}Tekst.{% endblock %}')
    ws = Workspace(osen.root)
    try:
        run = draft(ws, "utenemne", stakeholders=["osen-sjomat"], fmt="eml",
                    out=tmp_path / "out", as_of=AS_OF)
    finally:
        ws.close()
    msg = _check_headers(tmp_path / "out" / "osen-sjomat.eml", to="post@osen-sjomat.example")
    # (a display name longer than one encoded word: compare without spaces, as above)
    assert [(a.display_name.replace(" ", ""), a.addr_spec) for a in msg["From"].addresses] == [
        (f"Per{hostile}".replace(" ", ""), signer.email)]
    assert msg["Subject"] == f"Programmet {hostile}: utenemne" == run.letters[0].subject
    assert msg["X-Interessent-Signer"] == f"Per {hostile} ({signer.title})"
    assert msg["X-Interessent-Rule"].startswith(f"Regel {hostile.replace(chr(34), '')}")


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@settings(max_examples=300, deadline=None)
@given(name=st.text(min_size=1, max_size=200), subject=st.text(max_size=300))
def test_any_text_makes_one_mailbox_and_a_subject_that_round_trips(name: str,
                                                                   subject: str) -> None:
    """The header writer on its own, over any text: the parsed header holds one address
    and the very text (as one line: control characters are spaces, runs of space one)."""
    head = (mail._mailbox_field("To", name, "kari@example.org")
            + mail._text_field("Subject", subject)).encode("ascii")
    msg = email.message_from_bytes(head + b"\r\nbody\r\n", policy=email.policy.default)
    assert list(msg.keys()) == ["To", "Subject"]
    assert [a.addr_spec for a in msg["To"].addresses] == ["kari@example.org"]
    assert msg["Subject"] == _header_text(subject)
    one_line = _header_text(name)
    assert msg["To"].addresses[0].display_name.replace(" ", "") == one_line.replace(" ", "")


def test_encoded_words_are_short_and_whole_characters() -> None:
    words = mail._encoded_words("ø" * 100)
    assert all(len(w) <= 75 for w in words)
    decoded = [base64.b64decode(w[10:-2]).decode("utf-8") for w in words]
    assert "".join(decoded) == "ø" * 100


# --- interrupted runs ---------------------------------------------------------------------

#: the command line in a process of its own, on a slow disk: each letter written (``write``)
#: or placed under its name (``place``) takes 50 ms, so a signal lands half-way
SLOW_CLI = """
import sys, time
from interessent.drafting import output
phase = sys.argv.pop(1)
write, place = output._write_new, output._place
def slow_write(*args):
    write(*args)
    if phase == "write":
        time.sleep(0.05)
def slow_place(*args):
    name = place(*args)
    if phase == "place":
        time.sleep(0.05)
    return name
output._write_new, output._place = slow_write, slow_place
from interessent.cli import main
main()
"""
RECIPIENTS = [f"p-{n:02d}" for n in range(40)]
STAGE = re.compile(r"\.interessent-[0-9a-f]{16}\.tmp")


def _forty(ws: Workspace) -> dict[str, str]:
    """Forty people to write to; what each one's letter holds, rendered without writing."""
    for sid in RECIPIENTS:
        ws.store.add_stakeholder(Stakeholder(id=sid, name=f"Person {sid}",
                                             groups=("befolkningen",)))
    run = draft(ws, "dialogmote", stakeholders=RECIPIENTS, as_of=AS_OF, write=False)
    return {f"{letter.recipient}.md": str(letter.content) for letter in run.letters}


def _start(ws: Workspace, phase: str, out: Path, *extra: str) -> subprocess.Popen[str]:
    args = ["-w", str(ws.root), "draft", "dialogmote", *extra, "--out", str(out),
            "--as-of", AS_OF.isoformat()]
    for sid in RECIPIENTS:
        args += ["-s", sid]
    return subprocess.Popen([sys.executable, "-c", SLOW_CLI, phase, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={k: v for k, v in os.environ.items() if k != "INTERESSENT_DB"})


def _wait_for(done: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not done():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended first: {proc.communicate()}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the run never got there")
        time.sleep(0.005)


def _stages(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if STAGE.fullmatch(p.name)]


def _letters(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()
            if not p.name.startswith(".")}


def _draft_again(ws: Workspace, out: Path) -> None:
    run = draft(ws, "dialogmote", stakeholders=RECIPIENTS, out=out, as_of=AS_OF)
    assert len(run.files) == 40


@pytest.mark.sqlite_only(reason="a process of its own opens the workspace's SQLite file")
def test_a_run_killed_while_writing_shows_no_letter_and_the_next_run_clears_it(
        osen: Workspace, tmp_path: Path) -> None:
    expected = _forty(osen)
    out = tmp_path / "out"
    proc = _start(osen, "write", out)
    # killed once five of the forty letters are written into the stage
    _wait_for(lambda: out.is_dir() and any(len(list(s.iterdir())) >= 5 + 2
                                           for s in _stages(out)), proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert _letters(out) == {}  # nothing under a letter's name, whole or half
    [stage] = _stages(out)
    assert 5 <= len([p for p in stage.iterdir() if p.name.isdigit()]) < 40
    _draft_again(osen, out)
    assert _letters(out) == expected  # forty whole letters, none numbered "-2"
    assert _files(out) == sorted(expected)  # and nothing hidden
    assert _files(tmp_path) == ["out", "ws"]


@pytest.mark.sqlite_only(reason="a process of its own opens the workspace's SQLite file")
def test_a_run_killed_while_placing_letters_is_taken_back_by_the_next_run(
        osen: Workspace, tmp_path: Path) -> None:
    expected = _forty(osen)
    out = tmp_path / "out"
    out.mkdir()
    (out / "notat.md").write_text("mine", encoding="utf-8")
    before = osen.store.counts()
    proc = _start(osen, "place", out, "--record")
    _wait_for(lambda: len(_letters(out)) >= 6, proc)  # the note and five letters
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    placed = _letters(out)
    assert 6 <= len(placed) < 41 and placed.pop("notat.md") == "mine"
    assert all(expected[name] == content for name, content in placed.items())  # each whole
    assert len(_stages(out)) == 1
    assert osen.store.counts() == before  # --record: the killed transaction left nothing
    _draft_again(osen, out)
    assert _letters(out) == {**expected, "notat.md": "mine"}  # none numbered "-2"
    assert _files(out) == sorted([*expected, "notat.md"])


@pytest.mark.sqlite_only(reason="a process of its own opens the workspace's SQLite file")
def test_ctrl_c_while_writing_leaves_nothing_at_all(osen: Workspace, tmp_path: Path) -> None:
    _forty(osen)
    out = tmp_path / "deep" / "out"
    before = osen.store.counts()
    proc = _start(osen, "place", out, "--record")
    _wait_for(lambda: out.is_dir() and len(_letters(out)) >= 5, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 1 and "Traceback" not in err
    assert not out.exists()  # the run made the folder, and took it away again
    assert osen.store.counts() == before


def test_a_live_runs_stage_is_left_alone_and_old_leftovers_are_removed(
        osen: Workspace, tmp_path: Path) -> None:
    expected = _forty(osen)
    out = tmp_path / "out"
    (out / ".interessent-0123456789abcdef.tmp").mkdir(parents=True)
    live = out / ".interessent-0123456789abcdef.tmp" / "lock"
    (out / ".notat.md").write_text("hidden, but mine", encoding="utf-8")
    # what version 0.x left: a staging folder beside the output folder, temporary files in it
    (tmp_path / ".out.89abcdef.tmp").mkdir()
    (tmp_path / ".out.89abcdef.tmp" / "p-00.md").write_text("half", encoding="utf-8")
    (out / ".p-01.md.89abcdef-1.tmp").write_text("half", encoding="utf-8")
    # a killed run in another folder of utkast/, and a live one
    dead = osen.root / "utkast" / "brev-2026-11-01" / ".interessent-fedcba9876543210.tmp"
    dead.mkdir(parents=True)
    (dead / "lock").touch()
    (dead / "0").write_text("half", encoding="utf-8")
    with live.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        _draft_again(osen, out)
        assert live.exists()
    assert _letters(out) == expected
    assert _files(out) == sorted([*expected, ".interessent-0123456789abcdef.tmp", ".notat.md"])
    assert _files(tmp_path) == ["out", "ws"]
    assert _files(dead.parent) == []
