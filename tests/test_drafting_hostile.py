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
from collections import Counter
from collections.abc import Callable
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from interessent.drafting import LetterFormat, draft, mail
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
    ws.store._add_stakeholder(Stakeholder(id=sid, name="Kari Nord", email="kari@example.org",
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
    pytest.param("\x00\x1b[31mKari\x07\u202eNord\t", "[31mKari Nord",
                 marks=pytest.mark.sqlite_only(
                     reason="PostgreSQL cannot hold a NUL in text at all")),
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


_LONGER_THAN_POSTGRESQL_KEEPS = pytest.mark.sqlite_only(
    reason="PostgreSQL keeps names to 300 characters; SQLite keeps any length")


@pytest.mark.parametrize("name", [
    f"Kari{EW_BCC}Nord",
    pytest.param("K" * 3000, marks=_LONGER_THAN_POSTGRESQL_KEEPS),
    pytest.param("æøå " * 400 + "<spy@evil.example>", marks=_LONGER_THAN_POSTGRESQL_KEEPS)])
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
    # the programme's name, given per language in the Osen plan, one line
    name = re.compile(r'^name = \{ nb = "Omstillingsprogrammet i Osen".*$', re.MULTILINE)
    assert len(name.findall(source)) == 1 and rule in source
    source = name.sub(lambda _: f"name = {_toml(f'Programmet {hostile}')}", source)
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
    # the signer and rule headers are machine data (keys, ASCII): the hostile name and
    # rule text are not in them at all
    assert msg["X-Interessent-Signer"] == f"stakeholder={signer.stakeholder}; role={signer.role}"
    assert msg["X-Interessent-Rule"] == f"topic={signer.topic}; role={signer.role}"
    head = (tmp_path / "out" / "osen-sjomat.eml").read_bytes().split(b"\r\n\r\n", 1)[0]
    assert b"Regel" not in head


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
        ws.store._add_stakeholder(Stakeholder(id=sid, name=f"Person {sid}",
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


# --- values in letters, format by format --------------------------------------------------

#: values that would be Markdown (or HTML) if inserted raw, each on one line
ACTIVE = {
    "link": "[klikk](javascript:alert(1))",
    "image": "![x](http://track.example/p.gif)",
    "script": "<script>alert(1)</script>",
    "tag": '<img src=x onerror="alert(1)">',
    "autolink": "<https://evil.example/>",
    "mailto": "<spy@evil.example>",
    "entity": "&#106;avascript&colon;alert(1)",
    "reference": "[ref]: javascript:alert(1)",
    "emphasis": "**fet** _kursiv_ ~~stryk~~ `kode`",
    "cells": "| a | b |",
    "list": "- punkt",
    "number": "1. punkt",
}
#: a value that would start blocks of its own after its line breaks
BLOCKS = ("x\n\n# Overskrift\n- punkt\n+ punkt\n2) punkt\n> sitat\n```\nkode\n```\n"
          "<div>html</div>\n---\n| a | b |\n|---|---|\n[ref]: javascript:alert(1)\nY\n===")
CONTROLS = "a\x1b[31mb\x07c\fd\re\u202ef\x00g"
CONTROLS_SHOWN = "a\ufffd[31mb\ufffdc\ufffdd\ne\ufffdf\ufffdg"  # line break kept, others out
HOSTILE_NAME = "Kari [klikk](javascript:alert(1)) <script>x</script>"


def _values_template(template: Callable[..., Path]) -> None:
    """A letter with each value at the start of a line and inside one; the template's own
    Markdown (bold, a link, base.j2's heading) must stay Markdown."""
    lines = "".join(f"{{{{ values.{k} }}}}\nVerdi: {{{{ values.{k} }}}} slutt.\n\n"
                    for k in [*ACTIVE, "blocks", "controls"])
    template("vis.j2", '{% extends "base.j2" %}{% set subject = "Til " ~ recipient.name %}'
             "{% block body %}**Viktig:** se [nettsiden](https://osen.example).\n\n"
             f"{lines}{{{{ event }}}}\n{{% endblock %}}")
    paragraphs = "".join(f"<p>{{{{ values.{k} }}}}</p>\n" for k in [*ACTIVE, "blocks"])
    template("vis.html.j2", '{% extends "base.html.j2" %}{% set subject = "Til " ~ '
             'recipient.name %}{% block body %}<p><a href="https://osen.example">nettsiden</a>'
             f"</p>\n{paragraphs}{{% endblock %}}")


def _draft_values(osen: Workspace, tmp_path: Path, template: Callable[..., Path],
                  fmt: LetterFormat) -> Path:
    _person(osen, "kari", HOSTILE_NAME)
    _values_template(template)
    draft(osen, "vis", stakeholders=["kari"], fmt=fmt, out=tmp_path / fmt, as_of=AS_OF,
          event=ACTIVE["link"], values={**ACTIVE, "blocks": BLOCKS, "controls": CONTROLS})
    return tmp_path / fmt / f"kari.{fmt}"


class _Html(HTMLParser):
    """The start tags and the text of an HTML page."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_values_in_a_markdown_letter_are_text_never_markdown(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path]) -> None:
    from markdown_it import MarkdownIt

    letter = _draft_values(osen, tmp_path, template, "md").read_text(encoding="utf-8")
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    blocks = parser.parse(letter)
    tokens = [*blocks, *(child for t in blocks for child in t.children or ())]
    kinds = Counter(t.type for t in tokens)
    # the template's own: base.j2's heading, the bold word and the link; no provenance
    assert kinds["heading_open"] == 1 and kinds["strong_open"] == 1
    assert [t.attrGet("href") for t in tokens if t.type == "link_open"] == [
        "https://osen.example"]
    assert [t.content[:17] for t in tokens if t.type == "html_block"] == []
    for kind in ("image", "html_inline", "code_inline", "fence", "code_block", "em_open",
                 "s_open", "blockquote_open", "table_open", "bullet_list_open",
                 "ordered_list_open", "hr"):
        assert kinds[kind] == 0, kind
    # … and what a reader sees is the very text of each value
    page = _Html(parser.render(letter))
    assert [tag for tag, _ in page.tags if tag not in ("p", "br", "h2", "strong", "a")] == []
    seen = "".join(page.text)
    for value in [*ACTIVE.values(), *BLOCKS.split("\n"), f"Til {HOSTILE_NAME}"]:
        assert value in seen, value
    assert "a\ufffd[31mb\ufffdc\ufffdd\ne\ufffdf\ufffdg" in seen


def test_markdown_escaping_is_done_once_through_macros_blocks_and_set(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path]) -> None:
    from markdown_it import MarkdownIt

    _person(osen, "kari", "Kari_Nord [x](y)")
    template("to.j2", '{% extends "base.j2" %}{% macro navn(v) %}{{ v }}{% endmacro %}'
             "{% block salutation %}S: {{ recipient.name }}{% endblock %}"
             "{% block body %}{% set kopi %}{{ recipient.name }}{% endset %}"
             "M: {{ navn(recipient.name) }}\n\nK: {{ kopi }}\n\nB: {{ self.salutation() }}\n"
             "{% endblock %}")
    run = draft(osen, "to", stakeholders=["kari"], as_of=AS_OF, write=False)
    shown = "".join(_Html(MarkdownIt("commonmark").render(str(run.letters[0].content))).text)
    for label in ("S", "M", "K", "B: S"):
        assert f"{label}: Kari_Nord [x](y)" in shown  # no backslash shows: escaped once


def test_safe_inserts_raw_markdown_by_the_templates_choice(
        osen: Workspace, template: Callable[..., Path]) -> None:
    template("lenke.j2", "{{ values.lenke | safe }} {{ values.lenke }}\n")
    run = draft(osen, "lenke", stakeholders=["osen-sjomat"], as_of=AS_OF, write=False,
                values={"lenke": "[Osen](https://osen.example)"})
    assert str(run.letters[0].content).endswith(
        "[Osen](https://osen.example) \\[Osen\\](https://osen.example)\n")


def test_values_in_a_text_letter_are_as_they_are_less_control_characters(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path]) -> None:
    letter = _draft_values(osen, tmp_path, template, "txt").read_text(encoding="utf-8")
    for value in [*ACTIVE.values(), BLOCKS, f"Til {HOSTILE_NAME}", CONTROLS_SHOWN]:
        assert value in letter, value
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", letter)


def test_a_value_cannot_fake_a_page_break_in_combined_text(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path]) -> None:
    _values_template(template)
    draft(osen, "vis", stakeholders=["osen-sjomat", "astrid-lian"], fmt="txt", combined=True,
          out=tmp_path / "out", as_of=AS_OF, event="\f",
          values={**ACTIVE, "blocks": "\f\f", "controls": CONTROLS})
    assert (tmp_path / "out" / "vis.txt").read_text(encoding="utf-8").count("\f") == 1  # 2 letters


def _page(path: Path) -> _Html:
    """The HTML of a letter: the file, or the HTML part of an e-mail."""
    if path.suffix != ".eml":
        return _Html(path.read_text(encoding="utf-8"))
    part = _parse(path).get_body(("html",))
    assert part is not None
    return _Html(part.get_content())


@pytest.mark.parametrize("fmt", ["html", "eml"])
def test_values_in_html_are_escaped_text(osen: Workspace, tmp_path: Path,
                                         template: Callable[..., Path],
                                         fmt: LetterFormat) -> None:
    page = _page(_draft_values(osen, tmp_path, template, fmt))
    assert [attrs.get("href") for tag, attrs in page.tags if tag == "a"] == [
        "https://osen.example"]
    assert not {"script", "img"} & {tag for tag, _ in page.tags}
    seen = "".join(page.text)
    for value in [*ACTIVE.values(), HOSTILE_NAME]:
        assert value in seen, value
    # the same letter with harmless values has the very same elements
    draft(osen, "vis", stakeholders=["kari"], fmt=fmt, out=tmp_path / "harmless",
          as_of=AS_OF, event="e", values=dict.fromkeys([*ACTIVE, "blocks", "controls"], "x"))
    assert page.tags == _page(tmp_path / "harmless" / f"kari.{fmt}").tags


def test_the_text_of_an_email_is_as_in_a_text_letter(
        osen: Workspace, tmp_path: Path, template: Callable[..., Path]) -> None:
    part = _parse(_draft_values(osen, tmp_path, template, "eml")).get_body(("plain",))
    assert part is not None
    plain = part.get_content().replace("\r\n", "\n")
    for value in [*ACTIVE.values(), CONTROLS_SHOWN]:
        assert value in plain, value


def test_values_in_word_letters_are_text(osen: Workspace, tmp_path: Path,
                                         template: Callable[..., Path]) -> None:
    import docx

    xml = '</w:t></w:r></w:p><w:p><w:r><w:t>injisert'
    plain = _draft_values(osen, tmp_path, template, "docx")
    texts = "\n".join(p.text for p in docx.Document(str(plain)).paragraphs)
    for value in [*ACTIVE.values(), f"Til {HOSTILE_NAME}", "a\ufffd[31mb\ufffdc\ufffdd"]:
        assert value in texts, value
    word = docx.Document()
    for line in ("{{ recipient.name }}", "{{ values.xml }}", "{{ values.link }}", "{{ body }}"):
        word.add_paragraph(line)
    word.save(str(osen.templates_path / "vis.docx"))
    draft(osen, "vis", stakeholders=["kari"], fmt="docx", out=tmp_path / "tpl", as_of=AS_OF,
          event="e", values={**ACTIVE, "blocks": BLOCKS, "controls": CONTROLS, "xml": xml})
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "tpl" / "kari.docx")).paragraphs]
    assert paragraphs[:3] == [HOSTILE_NAME, xml, ACTIVE["link"]]
    assert "injisert" not in paragraphs  # no paragraph of its own: the value is text
    assert "**Viktig:** se [nettsiden](https://osen.example)." in paragraphs  # the body block
